#include "initiative_rows.h"

#include "re2/re2.h"

namespace pledgebook::report {

bool InitiativeFromRow(const pqxx::row& row, pledgebook::v1::Initiative* out) {
  pqxx::binarystring record(row[2]);
  if (!out->ParseFromArray(record.data(), static_cast<int>(record.size()))) return false;
  out->set_document_id(row[0].as<std::string>());
  out->set_name("documents/" + out->document_id() + "/initiatives/" + std::to_string(out->index()));
  out->set_ingest_sequence(row[1].is_null() ? 0 : row[1].as<long long>());
  return true;
}

absl::StatusOr<std::string> InitiativeOrderBy(const std::string& order_by) {
  std::string field, direction;
  static const RE2 re(R"(\s*([a-z_]+(?:\s*,\s*index)?)\s*(asc|desc)?\s*)");
  if (order_by.empty()) return std::string("d.document_id, i.initiative_index");
  if (!RE2::FullMatch(order_by, re, &field, &direction)) {
    return absl::InvalidArgumentError("order_by: cannot parse \"" + order_by + "\"");
  }
  const std::string dir = direction == "desc" ? " DESC" : "";
  if (field == "document_id" || field == "document_id, index" || field == "document_id,index") {
    return "d.document_id" + dir + ", i.initiative_index" + dir;
  }
  if (field == "ingest_sequence") return "d.ingest_sequence" + dir + ", i.initiative_index" + dir;
  if (field == "published_date") {
    return "d.published_date" + dir + " NULLS LAST, d.document_id, i.initiative_index";
  }
  return absl::InvalidArgumentError("order_by: unsupported ordering \"" + order_by +
                                    "\" (use document_id, ingest_sequence or published_date)");
}

}  // namespace pledgebook::report
