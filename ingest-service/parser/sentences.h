#pragma once

#include <algorithm>
#include <cstddef>
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

// The end to give ScanCandidates (byte_scan.h) to scan [from, end) of a text
// that can be read up to `size` (a sentence of a whole document): its
// 16-byte blocks then cover the range, the last one reading past `end`, and
// at most one byte is left to test alone (instead of a sentence's last up to
// 16). A candidate at or past `end` must stop the scan.
inline size_t BlockScanEnd(size_t from, size_t end, size_t size) {
  const size_t start = from == 0 ? 1 : from;  // ScanCandidates tests byte 0 alone
  if (end <= start) return end;
  const size_t past = start + (end - start + 15) / 16 * 16;  // the first block start at or past `end`
  return std::min(size, past + 1);
}

}  // namespace pledgebook::parser
