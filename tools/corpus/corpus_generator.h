#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace pledgebook::tools {

// A synthetic fact sheet and what a correct parser extracts from it.
struct GeneratedDocument {
  std::string name;          // e.g. "synthetic-000042.txt"
  std::string content_type;  // text/plain, text/markdown or text/html
  std::string content;
  int initiatives = 0;       // list items
  int year = 0;              // publication year
};

// Totals a correct pipeline must report, exact to the dollar, over every
// document generated so far. Money keys are "CURRENCY" or "KEY|CURRENCY".
struct KnownTotals {
  std::map<std::string, int64_t> grand;            // ITEM amounts per currency
  std::map<std::string, int64_t> by_funder;        // "EPA + CONAGUA|USD" (joint as one row)
  std::map<std::string, int64_t> by_country_split; // "US|USD", joint amounts split evenly
  std::map<std::string, int64_t> by_year;          // "2022|USD"
  int64_t documents = 0;
  int64_t initiatives = 0;
  int64_t item_amounts = 0;
  int64_t context_amounts = 0;
};

// Deterministic (seeded) generator of realistic fact sheets in several
// layouts — bullets under intro paragraphs, headings, numbered lists,
// Markdown, HTML with site chrome — whose amounts, funders (agencies
// defined with acronyms, countries, joint funders) and background amounts
// ("in damages") are known, so report totals can be checked exactly.
class CorpusGenerator {
 public:
  explicit CorpusGenerator(uint64_t seed) : state_(seed * 2654435761u + 1) {}

  // The next document; `bullets` list items (about 20 makes a realistic page).
  GeneratedDocument Next(int bullets = 20);

  const KnownTotals& totals() const { return totals_; }

 private:
  uint64_t Random();
  int Uniform(int n) { return static_cast<int>(Random() % static_cast<uint64_t>(n)); }

  uint64_t state_;
  int64_t counter_ = 0;
  KnownTotals totals_;
};

}  // namespace pledgebook::tools
