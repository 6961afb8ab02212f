#include "document_queries.h"

#include <pqxx/pqxx>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/grpc_status.h"
#include "filter.h"
#include "read_transaction.h"

namespace pledgebook::report {
namespace {

namespace v1 = ::pledgebook::v1;
using std::chrono::milliseconds;

constexpr char kDocumentColumns[] =
    "d.id, d.document_id, d.title, d.publisher, d.published_date::text, d.source_uri, d.format,"
    " d.content_sha256, d.parser_version, extract(epoch from d.created_at)::bigint * 1000000"
    " + extract(microseconds from d.created_at)::bigint % 1000000, d.section_count, d.initiative_count,"
    " d.money_count, d.preamble, d.warnings, d.ingest_sequence";

void DocumentFromRow(const pqxx::row& row, v1::Document* doc) {
  doc->set_document_id(row[1].as<std::string>());
  doc->set_name("documents/" + doc->document_id());
  doc->set_title(row[2].as<std::string>());
  doc->set_publisher(row[3].as<std::string>());
  if (!row[4].is_null()) {
    int y = 0, m = 0, d = 0;
    if (std::sscanf(row[4].c_str(), "%d-%d-%d", &y, &m, &d) == 3) {
      doc->mutable_published_date()->set_year(y);
      doc->mutable_published_date()->set_month(m);
      doc->mutable_published_date()->set_day(d);
    }
  }
  doc->set_source_uri(row[5].as<std::string>());
  doc->set_format(static_cast<v1::ContentFormat>(row[6].as<int>()));
  doc->set_content_sha256(row[7].as<std::string>());
  doc->set_parser_version(row[8].as<std::string>());
  long long micros = row[9].as<long long>();
  doc->mutable_create_time()->set_seconds(micros / 1000000);
  doc->mutable_create_time()->set_nanos(static_cast<int>(micros % 1000000) * 1000);
  doc->mutable_stats()->set_section_count(row[10].as<int>());
  doc->mutable_stats()->set_initiative_count(row[11].as<int>());
  doc->mutable_stats()->set_money_mention_count(row[12].as<int>());
  if (!row[13].is_null()) {
    pqxx::binarystring preamble(row[13]);
    if (preamble.size() > 0) doc->mutable_preamble()->ParseFromArray(preamble.data(), static_cast<int>(preamble.size()));
  }
  pqxx::array_parser warnings = row[14].as_array();
  for (auto item = warnings.get_next(); item.first != pqxx::array_parser::done; item = warnings.get_next()) {
    if (item.first == pqxx::array_parser::string_value) doc->add_warnings(item.second);
  }
}

std::string DocumentIdFromName(const std::string& name) {
  constexpr char kPrefix[] = "documents/";
  if (name.rfind(kPrefix, 0) == 0) return name.substr(sizeof(kPrefix) - 1);
  return name;
}

// Page tokens: "v1:<filter hash>:<last ingest_sequence>", web-safe base64.
// Hashing with a fixed function (FNV-1a), not std::hash, so tokens stay
// valid across replicas and builds.
uint64_t Fnv1a(const std::string& s) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
  return h;
}

std::string MakePageToken(const std::string& filter, long long sequence) {
  return absl::WebSafeBase64Escape(absl::StrCat("v1:", Fnv1a(filter), ":", sequence));
}

bool ParsePageToken(const std::string& token, const std::string& filter, long long* sequence) {
  std::string raw;
  if (!absl::WebSafeBase64Unescape(token, &raw)) return false;
  std::vector<std::string> parts = absl::StrSplit(raw, ':');
  if (parts.size() != 3 || parts[0] != "v1") return false;
  if (parts[1] != std::to_string(Fnv1a(filter))) return false;
  return absl::SimpleAtoi(parts[2], sequence);
}

}  // namespace

grpc::Status GetDocument(ConnectionPool* pool, std::chrono::system_clock::time_point deadline,
                         const v1::GetDocumentRequest& request, v1::GetDocumentResponse* response) {
  const std::string id = DocumentIdFromName(request.name());
  if (id.empty()) return InvalidArgument("name", "is required (documents/{document_id})");
  if (id.size() > 128) return InvalidArgument("name", "is too long to be a document name");
  return InReadTransaction(pool, deadline, kReadOnly, [&](pqxx::work& tx) -> grpc::Status {
    const bool full = request.view() == v1::DOCUMENT_VIEW_FULL;
    pqxx::result rows = tx.exec_params(
        absl::StrCat("SELECT ", kDocumentColumns, full ? ", d.normalized_text" : "",
                     " FROM documents d WHERE d.document_id = $1"),
        id);
    if (rows.empty()) {
      return ErrorWithReason(grpc::StatusCode::NOT_FOUND, "DOCUMENT_NOT_FOUND",
                             "documents/" + id + " does not exist");
    }
    v1::Document* doc = response->mutable_document();
    DocumentFromRow(rows[0], doc);
    if (full) doc->set_normalized_text(rows[0][16].as<std::string>());
    pqxx::result sections = tx.exec_params(
        "SELECT record FROM sections WHERE document_id = $1 ORDER BY section_index", rows[0][0].as<long long>());
    for (const pqxx::row& s : sections) {
      pqxx::binarystring record(s[0]);
      doc->add_sections()->ParseFromArray(record.data(), static_cast<int>(record.size()));
    }
    return grpc::Status::OK;
  });
}

grpc::Status ListDocuments(ConnectionPool* pool, std::chrono::system_clock::time_point deadline,
                           const v1::ListDocumentsRequest& request, v1::ListDocumentsResponse* response) {
  if (request.page_size() < 0) return InvalidArgument("page_size", "must not be negative");
  const int page_size = request.page_size() == 0 ? kDefaultPageSize : std::min(request.page_size(), kMaxPageSize);
  // Keyset on ingest_sequence: it is assigned at commit, in commit order, so
  // documents that arrive while a client pages all land before its first
  // page and never shift the pages after it.
  long long after_sequence = 0;
  const bool has_token = !request.page_token().empty();
  if (has_token && !ParsePageToken(request.page_token(), request.filter(), &after_sequence)) {
    return InvalidArgument("page_token", "is invalid, or was made for another filter");
  }
  // Parameters: $1 token flag, $2 last sequence, $3 limit, then the filter's.
  absl::StatusOr<SqlFilter> filter = CompileFilter(request.filter(), "filter", 4);
  if (!filter.ok()) return ToGrpcStatus(filter.status());
  const std::string matches =
      request.filter().empty()
          ? "TRUE"
          : "EXISTS (SELECT 1 FROM initiatives i WHERE i.document_id = d.id AND (" + filter->where + "))";
  const std::string sql = absl::StrCat(
      "SELECT ", kDocumentColumns, " FROM documents d WHERE ", matches,
      " AND d.ingest_sequence IS NOT NULL AND (NOT $1::boolean OR d.ingest_sequence < $2::bigint)",
      " ORDER BY d.ingest_sequence DESC LIMIT $3::integer");
  std::vector<std::string> params = {has_token ? "true" : "false", std::to_string(after_sequence),
                                     std::to_string(page_size + 1)};
  params.insert(params.end(), filter->params.begin(), filter->params.end());

  return InReadTransaction(pool, deadline, kReadOnly, [&](pqxx::work& tx) -> grpc::Status {
    pqxx::result rows = tx.exec_params(sql, pqxx::prepare::make_dynamic_params(params));
    const int n = std::min<int>(static_cast<int>(rows.size()), page_size);
    for (int k = 0; k < n; ++k) DocumentFromRow(rows[k], response->add_documents());
    if (static_cast<int>(rows.size()) > page_size) {
      const pqxx::row& last = rows[n - 1];
      response->set_next_page_token(MakePageToken(request.filter(), last[15].as<long long>()));
    }
    return grpc::Status::OK;
  });
}

}  // namespace pledgebook::report
