#pragma once

#include <string_view>
#include <vector>

#include "text_range.h"

namespace pledgebook::parser {

// Splits a paragraph into sentences. A period, question or exclamation mark
// ends a sentence when white space and a capital letter, digit, quote or
// currency sign follow, unless it closes an abbreviation ("U.S.", "Dr.",
// "No.", "Jan.", an initial like "R.") — decimals never split because no
// space follows their point.
std::vector<TextRange> SplitSentences(std::string_view text, TextRange paragraph);

// The same, into `*sentences` (cleared first): a caller splitting many
// paragraphs reuses one vector instead of allocating one per paragraph.
void SplitSentences(std::string_view text, TextRange paragraph, std::vector<TextRange>* sentences);

}  // namespace pledgebook::parser
