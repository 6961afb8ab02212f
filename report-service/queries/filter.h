#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace pledgebook::report {

// A filter compiled to SQL: a boolean expression over the aliases `d`
// (documents) and `i` (initiatives) with $N placeholders, and the values to
// bind. User text only ever travels in `params`.
struct SqlFilter {
  std::string where = "TRUE";
  std::vector<std::string> params;
};

// Compiles an AIP-160 filter string. Supported (docs/filtering.md):
//   operators  AND, OR, NOT, -, parentheses; =, !=, <, <=, >, >=, : (has)
//   values     "quoted strings", numbers, true/false, RFC 3339 dates
//   fields     document_id, publisher, published_date, section_index,
//              has_funding, text (full text, websearch syntax, with ":"),
//              organization (name or acronym), organization_country, place,
//              funder, currency, amount ("USD 1000000"), mention_date
// At most `kMaxFilterTerms` comparisons. Errors are INVALID_ARGUMENT
// naming `field_name` (the request field) and the problem.
// `first_param` is the number of the first placeholder ($1 by default).
absl::StatusOr<SqlFilter> CompileFilter(const std::string& filter, const std::string& field_name,
                                        int first_param = 1);

inline constexpr int kMaxFilterTerms = 24;

}  // namespace pledgebook::report
