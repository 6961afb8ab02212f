#pragma once

#include <string_view>

namespace pledgebook::parser {

// Signals that a line of a scraped page is site chrome rather than content.
// These are general signals, not a list of one site's lines: calls to action
// ("Sign up", "Subscribe", "Scroll to top"), newsletter/text-message
// invitations addressed to the reader, and phrases repeated within a line
// (the way scrapers duplicate link text).

// True when the line is chrome by a strong signal on its own.
bool IsChromeLine(std::string_view line);

// True when the line looks like a menu entry: a few capitalized words,
// without digits or sentence punctuation. Only meaningful next to other
// chrome; on its own it could be a heading.
bool IsMenuLikeLine(std::string_view line);

// Number of words (runs of non-space characters) in a line.
int CountWords(std::string_view line);

}  // namespace pledgebook::parser
