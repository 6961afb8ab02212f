#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace pledgebook::parser {

// Converts byte offsets of a UTF-8 text into code point offsets, which is
// what spans in the API use. The parser works on bytes (RE2 does too); the
// conversion happens once, when records are emitted. Memory is 12 bytes per
// 64 bytes of text.
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
  // Bit k of entry i set where a code point starts at byte i * kStride + k,
  // for the blocks wholly in the text: the constructor computes them anyway,
  // and keeping them makes a conversion a mask and a count.
  std::vector<uint64_t> starts_;
};

}  // namespace pledgebook::parser
