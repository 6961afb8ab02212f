#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"

#include "decimal_amount.h"
#include "pledgebook/v1/records.pb.h"
#include "text_range.h"

namespace pledgebook::parser {

// A money amount found in text, before funders and roles are resolved.
struct MoneyDraft {
  TextRange range;                 // surface text: symbol, number, scale, currency word
  std::string currency_code;       // ISO 4217, as written (a bare "$" is USD)
  DecimalAmount amount;
  bool has_high = false;           // a range: amount is the low end
  DecimalAmount high;
  pledgebook::v1::AmountQualifier qualifier = pledgebook::v1::AMOUNT_QUALIFIER_UNSPECIFIED;
  pledgebook::v1::RatePeriod rate = pledgebook::v1::RATE_PERIOD_UNSPECIFIED;
};

// Result of a scan: the amounts, and the surfaces that looked like money but
// could not be represented (e.g. "$999999999999999999 trillion").
struct MoneyScan {
  std::vector<MoneyDraft> amounts;
  std::vector<std::string> rejected;
};

// Finds money amounts in `range` of `text`: currency symbols and codes
// ($, US$, C$, CAD, €, EUR, £, GBP, MX$, MXN, ¥, …) before or after the
// number, currency words ("dollars", "pesos", "euros", "$1.21 billion
// Canadian"), scale words and abbreviations (thousand … trillion, K, M, MM,
// B, bn, mn), ranges ("$1.2-1.5 billion", "between $25 million and $65
// million"), qualifiers before the amount and rates after it ("per month").
MoneyScan FindMoney(std::string_view text, TextRange range);

// FindMoney with a memo, for one document whose sentences are scanned twice
// (the outline asks whether they state an amount, the records need the
// amounts). Every call must pass the same text. Returned references stay
// valid for the finder's lifetime.
class MoneyFinder {
 public:
  const MoneyScan& Find(std::string_view text, TextRange range);

 private:
  absl::flat_hash_map<std::pair<size_t, size_t>, std::unique_ptr<MoneyScan>> memo_;
};

}  // namespace pledgebook::parser
