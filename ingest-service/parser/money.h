#pragma once

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"

#include "decimal_amount.h"
#include "text_util.h"
#include "pledgebook/v1/records.pb.h"
#include "text_range.h"

namespace pledgebook::parser {

// The end of the match of the number pattern
// (\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?) at t[i] (a digit), in text
// that ends at `end`: a run of at most three digits followed by ",ddd"
// groups, else the whole run, then "." and digits if present. Shared by the
// money and quantity matchers, whose patterns start with it.
inline size_t DecimalNumberEnd(const char* t, size_t i, size_t end) {
  auto digit = [&](size_t k) { return k < end && IsAsciiDigit(static_cast<unsigned char>(t[k])); };
  size_t j = i;
  while (digit(j)) ++j;
  if (j - i <= 3 && j < end && t[j] == ',' && digit(j + 1) && digit(j + 2) && digit(j + 3)) {
    while (j < end && t[j] == ',' && digit(j + 1) && digit(j + 2) && digit(j + 3)) j += 4;
  }
  if (j < end && t[j] == '.' && digit(j + 1)) {
    ++j;
    while (digit(j)) ++j;
  }
  return j;
}

// PartialMatch(w, R"((?i)\b(WORD|…) (?:(?:FILLER|…) ){0,max_fillers}$)")
// by hand, for the qualifier patterns before amounts and quantities: group
// 1 as a piece of `w` ("" for no match), or nullopt when `w` holds U+017F
// or U+212A, letters (?i) folds into ASCII ones (the pattern must decide).
// Words and fillers are ASCII lowercase letters and single spaces, listed
// in the pattern's order; other non-ASCII bytes match none of them and are
// no \w for \b, as in RE2.
std::optional<std::string_view> WordsEndingWindow(std::string_view w, const std::string_view* words, size_t n_words,
                                                  const std::string_view* fillers, size_t n_fillers, int max_fillers);

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
  // The scans that found something; the many empty ones share one static
  // scan instead of an allocation each.
  absl::flat_hash_map<std::pair<size_t, size_t>, const MoneyScan*> memo_;
  std::deque<MoneyScan> scans_;  // stable addresses
};

}  // namespace pledgebook::parser
