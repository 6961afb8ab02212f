#include "initiative_stream.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/wire_format_lite.h>

#include <cstring>

#include "absl/strings/str_cat.h"
#include "cursor_stream.h"
#include "filter.h"
#include "initiative_rows.h"
#include "grpcpp/impl/codegen/proto_utils.h"
#include "pledgebook/v1/report_service.pb.h"

namespace pledgebook::report {
namespace {

namespace v1 = ::pledgebook::v1;
using google::protobuf::internal::WireFormatLite;

constexpr char kMethod[] = "/pledgebook.v1.ReportService/StreamInitiatives";

void AppendVarint(std::string* out, uint64_t value) {
  uint8_t buf[10];
  uint8_t* end = google::protobuf::io::CodedOutputStream::WriteVarint64ToArray(value, buf);
  out->append(reinterpret_cast<const char*>(buf), end - buf);
}

void AppendBytesField(std::string* out, int field, const char* data, size_t size) {
  AppendVarint(out, WireFormatLite::MakeTag(field, WireFormatLite::WIRETYPE_LENGTH_DELIMITED));
  AppendVarint(out, size);
  out->append(data, size);
}

// PostgreSQL's binary format for integers is big-endian.
int64_t BigEndian(const pqxx::field& f) {
  int64_t v = 0;
  for (size_t i = 0; i < f.size(); ++i) v = (v << 8) | static_cast<unsigned char>(f.c_str()[i]);
  if (f.size() == 4) v = static_cast<int32_t>(v);  // sign of an int4
  return v;
}

// One Initiative, serialized: the stored record, then what the row adds.
void AppendInitiative(const pqxx::row& row, std::string* initiative) {
  const pqxx::field document_id = row[0], sequence = row[1], record = row[2], index = row[3];
  initiative->assign(record.c_str(), record.size());
  const std::string name = absl::StrCat("documents/", absl::string_view(document_id.c_str(), document_id.size()),
                                        "/initiatives/", BigEndian(index));
  AppendBytesField(initiative, v1::Initiative::kNameFieldNumber, name.data(), name.size());
  AppendBytesField(initiative, v1::Initiative::kDocumentIdFieldNumber, document_id.c_str(), document_id.size());
  if (!sequence.is_null() && BigEndian(sequence) != 0) {
    AppendVarint(initiative, WireFormatLite::MakeTag(v1::Initiative::kIngestSequenceFieldNumber,
                                                     WireFormatLite::WIRETYPE_VARINT));
    AppendVarint(initiative, static_cast<uint64_t>(BigEndian(sequence)));
  }
}

grpc::ByteBuffer ToByteBuffer(std::string bytes) {
  auto* owned = new std::string(std::move(bytes));
  grpc::Slice slice(owned->data(), owned->size(), [](void* p) { delete static_cast<std::string*>(p); }, owned);
  return grpc::ByteBuffer(&slice, 1);
}

class InitiativeStreamReactor final : public CursorStreamReactor<grpc::ByteBuffer> {
 public:
  InitiativeStreamReactor(ConnectionPool* pool, BlockingExecutor* executor, grpc::CallbackServerContext* context,
                          const grpc::ByteBuffer* request)
      : CursorStreamReactor(pool, executor, context, kStreamBatchRows, kMethod) {
    grpc::ByteBuffer copy(*request);  // shares the slices
    parsed_ = grpc::SerializationTraits<v1::StreamInitiativesRequest>::Deserialize(&copy, &request_);
    Start();
  }

 private:
  grpc::Status Open(std::string* sql, std::vector<std::string>* params) override {
    if (!parsed_.ok()) return InvalidArgument("request", "is not a StreamInitiativesRequest");
    if (request_.limit() < 0) return InvalidArgument("limit", "must not be negative");
    absl::StatusOr<SqlFilter> filter = CompileFilter(request_.filter(), "filter");
    if (!filter.ok()) return ToGrpcStatus(filter.status());
    absl::StatusOr<std::string> order = InitiativeOrderBy(request_.order_by());
    if (!order.ok()) return ToGrpcStatus(order.status());
    *sql = absl::StrCat("SELECT ", kInitiativeColumns, " FROM ", kInitiativeFrom, " WHERE ",
                        filter->where, " ORDER BY ", *order);
    if (request_.limit() > 0) *sql += absl::StrCat(" LIMIT ", request_.limit());
    *params = filter->params;
    return grpc::Status::OK;
  }

  bool BinaryCursor() const override { return true; }

  bool AddRows(const pqxx::result& rows, std::deque<grpc::ByteBuffer>* out) override {
    std::string message, initiative;
    message.reserve(kStreamMessageBytes + 64 * 1024);
    for (const pqxx::row& row : rows) {
      if (row[0].is_null() || row[2].is_null() || row[3].size() != 4) return false;
      AppendInitiative(row, &initiative);
      AppendBytesField(&message, v1::StreamInitiativesResponse::kInitiativesFieldNumber, initiative.data(),
                       initiative.size());
      if (message.size() >= kStreamMessageBytes) {
        out->push_back(ToByteBuffer(std::move(message)));
        message = std::string();
        message.reserve(kStreamMessageBytes + 64 * 1024);
      }
    }
    if (!message.empty()) out->push_back(ToByteBuffer(std::move(message)));
    return true;
  }

  v1::StreamInitiativesRequest request_;
  grpc::Status parsed_;
};

}  // namespace

grpc::ServerWriteReactor<grpc::ByteBuffer>* StartInitiativeStream(ConnectionPool* pool, BlockingExecutor* executor,
                                                                  grpc::CallbackServerContext* context,
                                                                  const grpc::ByteBuffer* request) {
  return new InitiativeStreamReactor(pool, executor, context, request);
}

}  // namespace pledgebook::report
