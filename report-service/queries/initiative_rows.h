#pragma once

#include <string>

#include <pqxx/pqxx>

#include "absl/status/statusor.h"
#include "pledgebook/v1/records.pb.h"

namespace pledgebook::report {

// The SELECT list every initiative query uses, over aliases d and i.
inline constexpr char kInitiativeColumns[] = "d.document_id, d.ingest_sequence, i.record, i.initiative_index";
inline constexpr char kInitiativeFrom[] = "initiatives i JOIN documents d ON d.id = i.document_id";

// Rebuilds an Initiative from a row of kInitiativeColumns.
bool InitiativeFromRow(const pqxx::row& row, pledgebook::v1::Initiative* out);

// ORDER BY clause for an order_by request field: "document_id, index"
// (default), "ingest_sequence [asc|desc]", "published_date [asc|desc]".
// Only these whitelisted orderings exist; anything else is INVALID_ARGUMENT.
absl::StatusOr<std::string> InitiativeOrderBy(const std::string& order_by);

}  // namespace pledgebook::report
