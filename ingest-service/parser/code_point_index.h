#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace pledgebook::parser {

// Converts byte offsets of a UTF-8 text into code point offsets, which is
// what spans in the API use. The parser works on bytes (RE2 does too); the
// conversion happens once, when records are emitted. Memory is one entry per
// 64 bytes, so it stays small for large documents.
class CodePointIndex {
 public:
  explicit CodePointIndex(std::string_view text);

  // Code point offset of byte offset `byte` (which must not point inside a
  // multi-byte sequence; if it does, the sequence's start is used).
  int32_t ToCodePoint(size_t byte) const;

 private:
  static constexpr size_t kStride = 64;
  std::string_view text_;
  std::vector<int32_t> checkpoints_;  // code points before byte i * kStride
};

}  // namespace pledgebook::parser
