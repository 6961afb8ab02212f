#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "pledgebook/v1/report_service.pb.h"

namespace pledgebook::report {

// The SQL for one report dimension over aliases m (money_mentions),
// d (documents), s (sections) and, when funders are split, f (one funder).
// Expressions come from this fixed table only; nothing from the request is
// ever pasted into SQL.
struct DimensionSql {
  std::string value;  // machine value (text)
  std::string label;  // human label (text)
};

// `date_sql` is the date the time dimensions bucket: the document's
// publication date or the amount's stated period start.
absl::StatusOr<DimensionSql> DimensionExpression(pledgebook::v1::FundingDimension dimension,
                                                 bool split_funders, const std::string& date_sql);

}  // namespace pledgebook::report
