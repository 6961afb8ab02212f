#include "commands/report.h"

#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "output.h"

namespace pledgebook::cli {
namespace {

namespace v1 = ::pledgebook::v1;

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

void SetMoney(google::type::Money* m, long long units) {
  m->set_currency_code("USD");
  m->set_units(units);
}

v1::FundingRow* AddRow(google::protobuf::RepeatedPtrField<v1::FundingRow>* rows, const std::string& label,
                       long long units, long long count) {
  v1::FundingRow* row = rows->Add();
  if (!label.empty()) {
    v1::GroupKey* key = row->add_keys();
    key->set_dimension(v1::FUNDING_DIMENSION_FUNDER);
    key->set_label(label);
  }
  SetMoney(row->mutable_total(), units);
  SetMoney(row->mutable_min(), units / count);
  SetMoney(row->mutable_max(), units / count);
  row->set_count(count);
  return row;
}

// The README's sample report, plus names that need quoting and wide characters.
v1::GetFundingReportResponse SampleReport() {
  v1::GetFundingReportResponse r;
  r.add_group_by(v1::FUNDING_DIMENSION_FUNDER);
  AddRow(r.mutable_rows(), "Bipartisan Infrastructure Law", 3400000000, 1);
  AddRow(r.mutable_rows(), "EPA + CONAGUA", 474000000, 1);
  AddRow(r.mutable_rows(), "Société Générale, \"SG\"", 1000000, 2);
  AddRow(r.mutable_rows(), "東京都", 38000, 1);
  AddRow(r.mutable_totals(), "", 3875038000, 5);
  r.add_warnings("2 amount(s) with role AMOUNT_ROLE_TOTAL left out of the totals");
  v1::Exclusion* e = r.add_exclusions();
  e->set_role(v1::AMOUNT_ROLE_TOTAL);
  e->set_count(2);
  return r;
}

TEST(ReportNames, EveryDocumentedDimensionParses) {
  for (const char* name : {"funder", "funder-country", "recipient", "stage", "section", "document", "publisher",
                           "currency", "year", "fiscal-year", "quarter", "month", "role"}) {
    v1::FundingDimension d;
    EXPECT_TRUE(ParseDimension(name, &d)) << name;
  }
  v1::FundingDimension d;
  ASSERT_TRUE(ParseDimension("FUNDER_COUNTRY", &d));
  EXPECT_EQ(d, v1::FUNDING_DIMENSION_FUNDER_COUNTRY);
  EXPECT_FALSE(ParseDimension("unspecified", &d));
  EXPECT_FALSE(ParseDimension("funders", &d));
  EXPECT_EQ(DimensionNames().size(), 13u);
  EXPECT_EQ(DimensionNames()[1], "funder-country");
  EXPECT_EQ(DimensionColumnName(v1::FUNDING_DIMENSION_FISCAL_YEAR), "fiscal_year");
}

TEST(ReportNames, Roles) {
  v1::AmountRole role;
  ASSERT_TRUE(ParseRole("currency-equivalent", &role));
  EXPECT_EQ(role, v1::AMOUNT_ROLE_CURRENCY_EQUIVALENT);
  EXPECT_TRUE(ParseRole("item", &role));
  EXPECT_FALSE(ParseRole("all", &role));  // "all" is expanded by the command
  EXPECT_FALSE(ParseRole("unspecified", &role));
  EXPECT_EQ(RoleNames(), (std::vector<std::string>{"item", "total", "part", "restatement", "currency-equivalent",
                                                   "context"}));
}

TEST(ReportCsv, HeaderRowsAndTotals) {
  std::ostringstream out;
  WriteReportCsv(SampleReport(), out);
  EXPECT_EQ(Lines(out.str()),
            (std::vector<std::string>{
                "funder,currency,total,count,min,max,kind",
                "Bipartisan Infrastructure Law,USD,3400000000,1,3400000000,3400000000,row",
                "EPA + CONAGUA,USD,474000000,1,474000000,474000000,row",
                "\"Société Générale, \"\"SG\"\"\",USD,1000000,2,500000,500000,row",
                "東京都,USD,38000,1,38000,38000,row",
                ",USD,3875038000,5,775007600,775007600,total",
            }));
}

TEST(ReportJsonl, OneNamedObjectPerLine) {
  std::ostringstream out;
  WriteReportJsonl(SampleReport(), out);
  std::vector<std::string> lines = Lines(out.str());
  ASSERT_EQ(lines.size(), 7u);
  int rows = 0, totals = 0;
  for (const std::string& line : lines) {
    nlohmann::json j = nlohmann::json::parse(line);  // throws on invalid JSON
    ASSERT_EQ(j.size(), 1u) << line;
    if (j.contains("row")) ++rows;
    if (j.contains("total")) {
      ++totals;
      EXPECT_EQ(j["total"]["total"]["units"], "3875038000");
      EXPECT_EQ(j["total"]["count"], "5");
    }
  }
  EXPECT_EQ(rows, 4);
  EXPECT_EQ(totals, 1);
  EXPECT_EQ(nlohmann::json::parse(lines[5])["exclusion"]["role"], "AMOUNT_ROLE_TOTAL");
  EXPECT_EQ(nlohmann::json::parse(lines[6])["warning"], SampleReport().warnings(0));
}

TEST(ReportTable, AlignedWithGrandTotalAndNotes) {
  std::ostringstream out;
  WriteReportTable(SampleReport(), out);
  std::vector<std::string> lines = Lines(out.str());
  ASSERT_EQ(lines.size(), 9u) << out.str();
  EXPECT_EQ(lines[0].substr(0, 6), "Funder");
  EXPECT_EQ(lines[1], std::string(lines[1].size(), '-'));
  EXPECT_EQ(lines[2], "Bipartisan Infrastructure Law  USD 3,400,000,000      1");
  EXPECT_EQ(lines[5], "東京都" + std::string(23 + 2 + 7, ' ') + "USD 38,000      1");  // 6 columns wide
  EXPECT_EQ(lines[6], lines[1]);
  EXPECT_EQ(lines[7], "Grand total                    USD 3,875,038,000      5");
  EXPECT_EQ(lines[8], "note: " + SampleReport().warnings(0));
  // Header, rows, rules and the total all have the same display width.
  for (int i = 0; i <= 7; ++i) EXPECT_EQ(DisplayWidth(lines[i]), DisplayWidth(lines[2])) << lines[i];
}

TEST(ReportTable, NoDimensions) {
  v1::GetFundingReportResponse r;
  AddRow(r.mutable_rows(), "", 5, 1);
  AddRow(r.mutable_totals(), "", 5, 1);
  std::ostringstream out;
  WriteReportTable(r, out);
  std::vector<std::string> lines = Lines(out.str());
  ASSERT_EQ(lines.size(), 5u) << out.str();
  EXPECT_EQ(lines[0], "Total        Amount  Count");
  EXPECT_EQ(lines[2], "(all)         USD 5      1");
  EXPECT_EQ(lines[4], "Grand total   USD 5      1");
}

}  // namespace
}  // namespace pledgebook::cli
