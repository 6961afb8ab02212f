#include "text_range.h"

namespace pledgebook::parser {

TextRange Trim(std::string_view text, TextRange range) {
  auto is_space = [](char c) { return c == ' ' || c == '\n' || c == '\t'; };
  while (range.begin < range.end && is_space(text[range.begin])) ++range.begin;
  while (range.end > range.begin && is_space(text[range.end - 1])) --range.end;
  return range;
}

}  // namespace pledgebook::parser
