#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace pledgebook::eval {

// Counts for one entity type.
struct Score {
  int true_positives = 0;
  int false_positives = 0;
  int false_negatives = 0;

  double Precision() const;
  double Recall() const;
  double F1() const;
  Score& operator+=(const Score& o);
};

// What the parser got right on one gold document.
struct DocumentEval {
  std::string file;
  std::map<std::string, Score> by_type;  // money, quantities, dates, organizations, places
  int money_funders_checked = 0;         // matched amounts whose funders were compared
  int money_funders_correct = 0;         // by name, acronym or the text written at the funder's span
  int money_funders_correct_by_name = 0; // by name or acronym only (the older, stricter count)
  std::vector<std::string> misses;       // human-readable differences, for debugging
  bool item_sums_match = false;          // counted-once sums per currency equal the gold's
  std::string item_sums;                 // "USD 625000000" as computed
};

struct GoldEval {
  std::vector<DocumentEval> documents;
  std::map<std::string, Score> totals;  // micro-averaged over documents
  int money_funders_checked = 0;
  int money_funders_correct = 0;
  int money_funders_correct_by_name = 0;
  int item_sums_matching = 0;  // documents whose item sums equal the gold's
};

// Evaluates the parser on every *.gold.json in `gold_dir`, reading each
// document from `gold_dir`/docs/<file>. Matching rules (tests/gold/README.md):
//  - money, quantities, dates: the gold surface's n-th occurrence in the
//    normalized text must overlap a predicted mention with the same value
//    (money: same amount and currency; dates: same ISO period);
//  - organizations, places: per document, a predicted body matches a gold
//    body when its name or acronym equals the gold name, acronym or one of
//    its surfaces (case-insensitive, normalized, without a leading "the").
absl::StatusOr<GoldEval> EvaluateGoldDir(const std::string& gold_dir);

// The table `pledgebook eval` prints.
std::string FormatEval(const GoldEval& eval, bool verbose);

}  // namespace pledgebook::eval
