#include "code_point_index.h"

#include <algorithm>
#include <cstring>

#include "byte_scan.h"

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

// One bit per byte of the 64 at p, set where a code point starts (a byte
// that is not a continuation byte, 10xxxxxx): sixteen bytes at a time.
uint64_t CodePointStarts64(const char* p) {
  const Bytes16 b[4] = {Load16(p), Load16(p + 16), Load16(p + 32), Load16(p + 48)};
  // All ASCII (most blocks): every byte starts one.
  if (BitMask(InRange(b[0] | b[1] | b[2] | b[3], 0x80, 0xFF)) == 0) return ~uint64_t{0};
  uint64_t bits = 0;
  for (int k = 0; k < 4; ++k) bits |= static_cast<uint64_t>(BitMask((b[k] & 0xC0) != 0x80)) << (16 * k);
  return bits;
}

}  // namespace

CodePointIndex::CodePointIndex(std::string_view text) : text_(text) {
  static_assert(kStride == 64, "a block is one CodePointStarts64");
  checkpoints_.reserve(text.size() / kStride + 2);
  starts_.reserve(text.size() / kStride);
  int32_t count = 0;
  for (size_t i = 0; i < text.size(); i += kStride) {
    checkpoints_.push_back(count);
    if (i + kStride <= text.size()) {
      const uint64_t starts = CodePointStarts64(text.data() + i);
      starts_.push_back(starts);
      count += starts == ~uint64_t{0} ? 64 : PopCount(starts);
    } else {
      count += CountCodePoints(text.data() + i, text.size() - i);
    }
  }
  if (text.size() % kStride == 0) checkpoints_.push_back(count);
}

int32_t CodePointIndex::ToCodePoint(size_t byte) const {
  if (byte > text_.size()) byte = text_.size();
  const size_t block = byte / kStride;
  const size_t start = block * kStride, n = byte - start;  // n < 64
  if (block >= starts_.size()) return checkpoints_[block] + CountCodePoints(text_.data() + start, n);
  // The whole block is in the text: count its code point starts before `byte`.
  return checkpoints_[block] + PopCount(starts_[block] & ((uint64_t{1} << n) - 1));
}

}  // namespace pledgebook::parser
