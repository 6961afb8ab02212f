#include "decimal_amount.h"

#include <array>
#include <cctype>

#include "text_util.h"

namespace pledgebook::parser {
namespace {
constexpr __int128 kNanosPerUnit = 1'000'000'000;
constexpr __int128 kMaxNanos = static_cast<__int128>(INT64_MAX) * kNanosPerUnit;
}  // namespace

bool ParseDecimalAmount(std::string_view number, int scale_exponent, DecimalAmount* out) {
  // Work in nanos: integer digits, then up to 9 + scale fraction digits.
  __int128 nanos = 0;
  bool seen_digit = false, in_fraction = false;
  int fraction_digits = 0;
  const int exponent = 9 + scale_exponent;  // nanos per written unit = 10^exponent
  for (char c : number) {
    if (c == ',') {
      if (in_fraction) return false;
      continue;
    }
    if (c == '.') {
      if (in_fraction) return false;
      in_fraction = true;
      continue;
    }
    if (!IsAsciiDigit(static_cast<unsigned char>(c))) return false;
    seen_digit = true;
    if (in_fraction) {
      if (fraction_digits >= exponent) continue;  // beyond a nano: dropped
      ++fraction_digits;
    }
    nanos = nanos * 10 + (c - '0');
    if (nanos > kMaxNanos) return false;
  }
  if (!seen_digit) return false;
  // Times 10^(exponent - fraction_digits) at once: the product exceeds
  // kMaxNanos exactly when nanos exceeds kMaxNanos / 10^k (rounded down),
  // the test that also keeps the product from overflowing.
  static constexpr auto kPowers = [] {
    std::array<__int128, 22> p{};
    p[0] = 1;
    for (size_t k = 1; k < p.size(); ++k) p[k] = p[k - 1] * 10;
    return p;
  }();
  const int k = exponent - fraction_digits;
  if (k >= static_cast<int>(kPowers.size())) {  // not reached: scales go up to 10^12
    for (int i = 0; i < k; ++i) {
      nanos *= 10;
      if (nanos > kMaxNanos) return false;
    }
  } else if (k > 0) {
    if (nanos > kMaxNanos / kPowers[static_cast<size_t>(k)]) return false;
    nanos *= kPowers[static_cast<size_t>(k)];
  }
  out->units = static_cast<int64_t>(nanos / kNanosPerUnit);
  out->nanos = static_cast<int32_t>(nanos % kNanosPerUnit);
  return true;
}

DecimalAmount Half(DecimalAmount amount) {
  __int128 nanos = static_cast<__int128>(amount.units) * kNanosPerUnit + amount.nanos;
  nanos /= 2;
  return {static_cast<int64_t>(nanos / kNanosPerUnit), static_cast<int32_t>(nanos % kNanosPerUnit)};
}

std::string ToDecimalString(DecimalAmount amount) {
  std::string s = std::to_string(amount.units);
  if (amount.nanos != 0) {
    std::string frac = std::to_string(amount.nanos);
    frac.insert(0, 9 - frac.size(), '0');
    while (!frac.empty() && frac.back() == '0') frac.pop_back();
    s += "." + frac;
  }
  return s;
}

}  // namespace pledgebook::parser
