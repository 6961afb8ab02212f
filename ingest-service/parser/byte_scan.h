#pragma once

#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

}  // namespace pledgebook::parser
