#pragma once

#include <string>
#include <string_view>

#include "google/type/money.pb.h"

namespace pledgebook {

// google.type.Money ↔ the decimal text PostgreSQL NUMERIC uses. Exact: no
// floating point on the way in or out.
std::string MoneyToDecimal(const google::type::Money& money);

// Parses "474000000.000000000" or "-1.5" into units/nanos; false on bad text
// or overflow.
bool DecimalToMoney(std::string_view decimal, const std::string& currency_code,
                    google::type::Money* money);

// "USD 5,374,038,000" or "USD 1,234.56": for people, not machines.
std::string FormatMoney(const google::type::Money& money);

}  // namespace pledgebook
