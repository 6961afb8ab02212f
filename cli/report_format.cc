#include "report_format.h"

#include <algorithm>
#include <iomanip>
#include <string>
#include <vector>

#include "common/money_text.h"

namespace pledgebook::cli {
namespace {

namespace v1 = ::pledgebook::v1;

std::string DimensionTitle(v1::FundingDimension d) {
  std::string name = v1::FundingDimension_Name(d);
  name = name.substr(std::string("FUNDING_DIMENSION_").size());
  std::replace(name.begin(), name.end(), '_', ' ');
  for (size_t i = 1; i < name.size(); ++i) {
    if (name[i - 1] != ' ') name[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(name[i])));
  }
  return name;
}

std::string KeyText(const v1::FundingRow& row) {
  std::string text;
  for (const auto& key : row.keys()) {
    if (!text.empty()) text += " / ";
    text += key.label().empty() ? key.value() : key.label();
  }
  return text.empty() ? "(all)" : text;
}

std::string Csv(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

void PrintReportTable(const v1::GetFundingReportResponse& report, std::ostream& out) {
  std::string header;
  for (int d : report.group_by()) {
    if (!header.empty()) header += " / ";
    header += DimensionTitle(static_cast<v1::FundingDimension>(d));
  }
  if (header.empty()) header = "Total";
  size_t width = header.size();
  for (const auto& row : report.rows()) width = std::max(width, KeyText(row).size());
  width = std::min<size_t>(width, 90);
  auto line = [&](const std::string& key, const std::string& amount, const std::string& count) {
    std::string k = key.size() > width ? key.substr(0, width - 1) + "…" : key;
    out << std::left << std::setw(static_cast<int>(width)) << k << "  " << std::right << std::setw(24) << amount
        << "  " << std::setw(5) << count << "\n";
  };
  line(header, "Amount", "Count");
  out << std::string(width + 33, '-') << "\n";
  for (const auto& row : report.rows()) line(KeyText(row), FormatMoney(row.total()), std::to_string(row.count()));
  out << std::string(width + 33, '-') << "\n";
  for (const auto& total : report.totals()) {
    line("Grand total", FormatMoney(total.total()), std::to_string(total.count()));
  }
  for (const auto& w : report.warnings()) out << "note: " << w << "\n";
}

void PrintReportCsv(const v1::GetFundingReportResponse& report, std::ostream& out) {
  for (int d : report.group_by()) out << Csv(DimensionTitle(static_cast<v1::FundingDimension>(d))) << ",";
  out << "currency,total,count,min,max\n";
  auto print = [&](const v1::FundingRow& row, bool total) {
    for (int k = 0; k < report.group_by_size(); ++k) {
      out << Csv(total ? "(total)" : (k < row.keys_size() ? row.keys(k).label() : "")) << ",";
    }
    out << row.total().currency_code() << "," << MoneyToDecimal(row.total()) << "," << row.count() << ","
        << MoneyToDecimal(row.min()) << "," << MoneyToDecimal(row.max()) << "\n";
  };
  for (const auto& row : report.rows()) print(row, false);
  for (const auto& row : report.totals()) print(row, true);
}

}  // namespace pledgebook::cli
