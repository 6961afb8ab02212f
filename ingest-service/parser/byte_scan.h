#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "text_util.h"

// Sixteen bytes at a time, for scans that look for a few kinds of byte: with
// GCC/Clang vector extensions (SSE2 on x86-64) a block that holds none of
// them costs a handful of instructions instead of a test per byte.
namespace pledgebook::parser {

using Bytes16 = uint8_t __attribute__((vector_size(16)));
using Bool16 = int8_t __attribute__((vector_size(16)));  // per byte: 0, or -1 where true

inline Bytes16 Load16(const char* p) {
  Bytes16 v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// Whether each byte is in [lo, hi].
inline Bool16 InRange(Bytes16 v, uint8_t lo, uint8_t hi) {
  return static_cast<Bool16>(static_cast<Bytes16>(v - lo) <= static_cast<uint8_t>(hi - lo));
}

// Bit k set where byte k is true.
inline uint32_t BitMask(Bool16 m) {
#if defined(__SSE2__)
  return static_cast<uint32_t>(_mm_movemask_epi8(reinterpret_cast<__m128i>(m)));
#else
  uint32_t bits = 0;
  for (int k = 0; k < 16; ++k) bits |= static_cast<uint32_t>(m[k] != 0) << k;
  return bits;
#endif
}

// The set bits of x, without a call (no POPCNT in the baseline x86-64).
inline int32_t PopCount(uint64_t x) {
  x -= (x >> 1) & 0x5555555555555555ULL;
  x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
  x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
  return static_cast<int32_t>((x * 0x0101010101010101ULL) >> 56);
}

// IsRe2WordByte (text_util.h) for each of 16 bytes.
inline Bool16 Re2WordBytes(Bytes16 v) {
  return InRange(v | 0x20, 'a', 'z') | InRange(v, '0', '9') | static_cast<Bool16>(v == '_');
}

// Where an ASCII word starts among the 16 bytes at p: an ASCII letter after a
// byte that is not a word byte as RE2's \b sees it. Reads p[-1] to p[15].
inline uint32_t AsciiWordStarts(const char* p) {
  const Bytes16 v = Load16(p);
  return BitMask(InRange(v | 0x20, 'a', 'z') & ~Re2WordBytes(Load16(p - 1)));
}

// The same test at one position of `text`.
inline bool IsAsciiWordStartAt(const char* text, size_t k) {
  return IsAsciiAlpha(static_cast<unsigned char>(text[k])) && (k == 0 || !IsRe2WordByte(text[k - 1]));
}

// Whether "19" or "20", the first two digits of a year, start at t[0].
inline bool IsCenturyAt(const char* t) { return (t[0] == '1' && t[1] == '9') || (t[0] == '2' && t[1] == '0'); }

// The same for each of the 16 positions at p (reads p[0] to p[16]).
inline Bool16 CenturyStarts(const char* p) {
  const Bytes16 b = Load16(p), next = Load16(p + 1);
  return static_cast<Bool16>(((b == '1') & (next == '9')) | ((b == '2') & (next == '0')));
}

// Calls visit(k), in order, for the positions k in [from, end) of `t` that
// may hold what a scan looks for, until visit returns true; returns that k,
// or end. `block(p)` tells it for the 16 positions at p at once (bit k for
// p[k]; it may read p[-1] to p[16]), `at(k)` for one position: both give the
// same answer, or `block` a superset. Each block is tested once, however
// many candidates it holds.
template <class Block, class At, class Visit>
size_t ScanCandidates(const char* t, size_t from, size_t end, Block block, At at, Visit visit) {
  size_t i = from;
  if (i == 0 && i < end) {  // no byte before the text for `block`
    if (at(0) && visit(size_t{0})) return 0;
    i = 1;
  }
  for (; i + 17 <= end; i += 16) {
    for (uint32_t bits = block(t + i); bits != 0; bits &= bits - 1) {
      const size_t k = i + static_cast<size_t>(__builtin_ctz(bits));
      if (visit(k)) return k;
    }
  }
  for (; i < end; ++i) {
    if (at(i) && visit(i)) return i;
  }
  return end;
}

// The end to give ScanCandidates to scan [from, end) of a text that can be
// read up to `size` (a sentence of a whole document): its 16-byte blocks
// then cover the range, the last one reading past `end`, and at most one
// byte is left to test alone (instead of a sentence's last up to 16). A
// candidate at or past `end` must stop the scan.
inline size_t BlockScanEnd(size_t from, size_t end, size_t size) {
  const size_t start = from == 0 ? 1 : from;  // ScanCandidates tests byte 0 alone
  if (end <= start) return end;
  const size_t past = start + (end - start + 15) / 16 * 16;  // the first block start at or past `end`
  return std::min(size, past + 1);
}

}  // namespace pledgebook::parser
