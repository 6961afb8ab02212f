#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "byte_scan.h"

namespace pledgebook::parser {

// One bit per byte of a range of text, set where a byte class holds, built
// sixteen bytes at a time. Finding where a run of the class ends is then a
// bit scan instead of a test and a (often mispredicted) branch per byte.
class ByteBitmap {
 public:
  // `block(p)` gives the bits of the 16 bytes at p (bit k for p[k]); `at(c)`
  // the same test for one byte.
  // Blocks may read past `end` up to `text_size` (their bits past `end` are
  // dropped), so that a range's last bytes need no loop of their own.
  template <class Block, class At>
  void Build(const char* text, size_t text_size, size_t begin, size_t end, Block block, At at) {
    begin_ = begin;
    end_ = end;
    bits_.assign((end - begin) / 64 + 2, 0);
    size_t i = begin;
    for (; i < end && i + 16 <= text_size; i += 16) {
      uint64_t m = block(text + i);
      if (i + 16 > end) m &= (uint64_t{1} << (end - i)) - 1;
      const size_t at_bit = i - begin;
      bits_[at_bit / 64] |= m << (at_bit % 64);
      if (at_bit % 64 > 48) bits_[at_bit / 64 + 1] |= m >> (64 - at_bit % 64);
    }
    for (; i < end; ++i) {
      if (at(static_cast<unsigned char>(text[i]))) bits_[(i - begin) / 64] |= uint64_t{1} << ((i - begin) % 64);
    }
  }

  // Frees the bits of a huge range (a gigantic one-line "sentence"), for a
  // bitmap kept per thread.
  void ReleaseIfLarge() {
    if (bits_.size() > 4096) std::vector<uint64_t>().swap(bits_);
  }

  // The first position in [from, end) whose bit is clear, or end.
  size_t NextClear(size_t from) const {
    if (from >= end_) return end_;
    size_t k = (from - begin_) / 64;
    uint64_t w = ~bits_[k] & (~uint64_t{0} << ((from - begin_) % 64));
    while (w == 0) w = ~bits_[++k];  // the last word's bits past the end are clear
    return std::min(end_, begin_ + k * 64 + static_cast<size_t>(__builtin_ctzll(w)));
  }

 private:
  size_t begin_ = 0, end_ = 0;
  std::vector<uint64_t> bits_;
};

}  // namespace pledgebook::parser
