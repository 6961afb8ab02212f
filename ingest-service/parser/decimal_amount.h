#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace pledgebook::parser {

// An exact non-negative amount in units and nanos (10^-9 units), the shape
// of google.type.Money. No floating point anywhere: "$3,593,711" and
// "$1.21 billion" are exact.
struct DecimalAmount {
  int64_t units = 0;
  int32_t nanos = 0;

  bool operator==(const DecimalAmount& o) const { return units == o.units && nanos == o.nanos; }
  bool operator<(const DecimalAmount& o) const {
    return units < o.units || (units == o.units && nanos < o.nanos);
  }
};

// Parses a written number ("3,593,711", "1.21", "65") times 10^scale_exponent
// (scale_exponent is 0, 3, 6, 9 or 12 for none/thousand/million/…).
// Returns false when the digits are malformed or the value does not fit in
// int64 units (the caller reports the amount as absurd rather than wrapping).
bool ParseDecimalAmount(std::string_view number, int scale_exponent, DecimalAmount* out);

// Half of an amount, exactly (to the nano, rounding half-nanos down).
DecimalAmount Half(DecimalAmount amount);

// "474000000" or "65100000.5": the amount as a plain decimal string.
std::string ToDecimalString(DecimalAmount amount);

}  // namespace pledgebook::parser
