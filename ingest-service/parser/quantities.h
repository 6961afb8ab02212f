#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "decimal_amount.h"
#include "text_range.h"

namespace pledgebook::parser {

struct QuantityDraft {
  TextRange range;         // number and unit noun
  std::string value;       // decimal string ("40000", "4500000", "12.6")
  std::string unit;        // "beneficiaries", "percent"
  std::string qualifier;   // "at least", "over", … as written
  bool spelled_out = false;
};

// Finds counted things: a number in digits ("40,000", "4.5 million", "50%")
// or words ("four", "twenty") followed by what is counted. `exclude` holds
// ranges already taken by money and dates. Not quantities: ordinals, years,
// names such as "COVID-19" or "5G", "one", and "the two governments"-style
// references to parties already named.
std::vector<QuantityDraft> FindQuantities(std::string_view text, TextRange range,
                                          const std::vector<TextRange>& exclude);

}  // namespace pledgebook::parser
