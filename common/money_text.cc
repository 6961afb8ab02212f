#include "common/money_text.h"

#include <cctype>
#include <cstdlib>

namespace pledgebook {

std::string MoneyToDecimal(const google::type::Money& money) {
  const bool negative = money.units() < 0 || money.nanos() < 0;
  unsigned long long units = static_cast<unsigned long long>(money.units() < 0 ? -money.units() : money.units());
  int nanos = money.nanos() < 0 ? -money.nanos() : money.nanos();
  std::string s = (negative ? "-" : "") + std::to_string(units);
  if (nanos != 0) {
    std::string frac = std::to_string(nanos);
    frac.insert(0, 9 - frac.size(), '0');
    s += "." + frac;
  }
  return s;
}

bool DecimalToMoney(std::string_view decimal, const std::string& currency_code,
                    google::type::Money* money) {
  bool negative = false;
  if (!decimal.empty() && decimal[0] == '-') {
    negative = true;
    decimal.remove_prefix(1);
  }
  size_t dot = decimal.find('.');
  std::string_view int_part = decimal.substr(0, dot);
  std::string_view frac_part = dot == std::string_view::npos ? "" : decimal.substr(dot + 1);
  if (int_part.empty() || int_part.size() > 18) return false;
  long long units = 0;
  for (char c : int_part) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    units = units * 10 + (c - '0');
  }
  int nanos = 0, digits = 0;
  for (char c : frac_part) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    if (digits < 9) {
      nanos = nanos * 10 + (c - '0');
      ++digits;
    }
  }
  for (; digits < 9; ++digits) nanos *= 10;
  money->set_currency_code(currency_code);
  money->set_units(negative ? -units : units);
  money->set_nanos(negative ? -nanos : nanos);
  return true;
}

std::string FormatMoney(const google::type::Money& money) {
  std::string digits = std::to_string(money.units() < 0 ? -money.units() : money.units());
  std::string grouped;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped.push_back(',');
    grouped.push_back(digits[i]);
  }
  std::string out = money.currency_code() + " " + (money.units() < 0 || money.nanos() < 0 ? "-" : "") + grouped;
  if (money.nanos() != 0) {
    int cents = (money.nanos() < 0 ? -money.nanos() : money.nanos()) / 10'000'000;
    out += "." + std::string(cents < 10 ? "0" : "") + std::to_string(cents);
  }
  return out;
}

}  // namespace pledgebook
