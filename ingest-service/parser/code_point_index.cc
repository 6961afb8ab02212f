#include "code_point_index.h"

#include <algorithm>
#include <cstring>

namespace pledgebook::parser {
namespace {

bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// Code points starting in [p, p + n): bytes that are not UTF-8 continuation
// bytes (10xxxxxx), eight at a time.
int32_t CountCodePoints(const char* p, size_t n) {
  constexpr uint64_t kHigh = 0x8080808080808080ULL;
  int32_t count = 0;
  while (n >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    // Bit 7 set and bit 6 clear; shifting left moves each byte's bit 6 to
    // its bit 7.
    const uint64_t continuation = w & ~(w << 1) & kHigh;
    // One bit per byte at bit 0: summing the bytes counts them (at most 8,
    // so the sum fits the top byte).
    count += 8 - static_cast<int32_t>(((continuation >> 7) * 0x0101010101010101ULL) >> 56);
    p += 8;
    n -= 8;
  }
  for (; n > 0; ++p, --n) count += !IsContinuation(*p);
  return count;
}

}  // namespace

CodePointIndex::CodePointIndex(std::string_view text) : text_(text) {
  checkpoints_.reserve(text.size() / kStride + 2);
  int32_t count = 0;
  for (size_t i = 0; i < text.size(); i += kStride) {
    checkpoints_.push_back(count);
    count += CountCodePoints(text.data() + i, std::min(kStride, text.size() - i));
  }
  if (text.size() % kStride == 0) checkpoints_.push_back(count);
}

int32_t CodePointIndex::ToCodePoint(size_t byte) const {
  if (byte > text_.size()) byte = text_.size();
  size_t block = byte / kStride;
  return checkpoints_[block] + CountCodePoints(text_.data() + block * kStride, byte - block * kStride);
}

}  // namespace pledgebook::parser
