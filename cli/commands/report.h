#pragma once

// The pure parts of `pledgebook report`: names on the command line → enums,
// and the report → table, CSV, JSON lines. (Exposed for the unit tests.)

#include <ostream>
#include <string>
#include <vector>

#include "pledgebook/v1/report_service.pb.h"

namespace pledgebook::cli {

// "funder-country" (or "funder_country", any case) → FUNDING_DIMENSION_FUNDER_COUNTRY;
// false for an unknown name.
bool ParseDimension(const std::string& name, pledgebook::v1::FundingDimension* out);
// "currency-equivalent" → AMOUNT_ROLE_CURRENCY_EQUIVALENT; false for an unknown name.
bool ParseRole(const std::string& name, pledgebook::v1::AmountRole* out);
// The command-line names: "funder", "funder-country", …; "item", "total", ….
std::vector<std::string> DimensionNames();
std::vector<std::string> RoleNames();
// FUNDING_DIMENSION_FUNDER_COUNTRY → "funder_country" (CSV column names).
std::string DimensionColumnName(pledgebook::v1::FundingDimension d);

// An aligned table: one column per dimension, then Amount and Count; rows as
// the server sorted them (per currency, largest first), a rule, the grand
// total per currency, then notes for the amounts left out.
void WriteReportTable(const pledgebook::v1::GetFundingReportResponse& report, std::ostream& out);

// CSV with a header: one column per dimension (its label), then currency,
// total, count, min, max (exact decimals), kind (row, other or total). Grand
// totals are the "total" records, with empty dimension columns.
void WriteReportCsv(const pledgebook::v1::GetFundingReportResponse& report, std::ostream& out);

// JSON lines, one object per line, named by what it holds:
//   {"row": FundingRow}, then {"total": FundingRow} per currency, then
//   {"exclusion": Exclusion} and {"warning": "…"}
// with each FundingRow/Exclusion in proto3 JSON.
void WriteReportJsonl(const pledgebook::v1::GetFundingReportResponse& report, std::ostream& out);

}  // namespace pledgebook::cli
