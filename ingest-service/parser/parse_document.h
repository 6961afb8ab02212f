#pragma once

#include <cstddef>

#include "absl/status/statusor.h"
#include "pledgebook/v1/records.pb.h"

namespace pledgebook::parser {

// Guards against hostile input; exceeding one is INVALID_ARGUMENT naming it.
struct ParserLimits {
  size_t max_document_bytes = 16 << 20;
  int max_html_depth = 512;  // element nesting in HTML and Markdown
};

// Version stored with every parsed document (see CMakeLists.txt).
const char* ParserVersion();

// Parses one document into records: normalized text, title and date when
// the page states them, sections (the preamble apart), initiatives and
// their money mentions with funders. Pure: no I/O, no global state besides
// immutable tables, safe to call from many threads.
//
// Errors are INVALID_ARGUMENT with "field: reason" messages.
absl::StatusOr<pledgebook::v1::Document> ParseDocument(const pledgebook::v1::DocumentSource& source,
                                                       const ParserLimits& limits = {});

}  // namespace pledgebook::parser
