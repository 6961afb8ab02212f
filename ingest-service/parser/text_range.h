#pragma once

#include <cstddef>
#include <string_view>

namespace pledgebook::parser {

// A half-open byte range [begin, end) of the normalized text. The parser
// works in bytes; spans are converted to code points only when emitted.
struct TextRange {
  size_t begin = 0;
  size_t end = 0;

  bool empty() const { return end <= begin; }
  size_t size() const { return empty() ? 0 : end - begin; }
  bool Contains(size_t pos) const { return pos >= begin && pos < end; }
  std::string_view In(std::string_view text) const {
    return text.substr(begin, size());
  }
};

// Shrinks a range so it neither starts nor ends with ASCII white space.
TextRange Trim(std::string_view text, TextRange range);

}  // namespace pledgebook::parser
