#pragma once

#include <ostream>

#include "pledgebook/v1/report_service.pb.h"

namespace pledgebook::cli {

// Prints a funding report as an aligned text table: one block per currency,
// rows largest first, then the grand total and any warnings.
void PrintReportTable(const pledgebook::v1::GetFundingReportResponse& report, std::ostream& out);

// Prints the report as CSV: group key labels, currency, total, count, min, max.
void PrintReportCsv(const pledgebook::v1::GetFundingReportResponse& report, std::ostream& out);

}  // namespace pledgebook::cli
