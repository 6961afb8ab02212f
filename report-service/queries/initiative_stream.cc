#include "initiative_stream.h"

#include "absl/strings/str_cat.h"
#include "cursor_stream.h"
#include "filter.h"
#include "initiative_rows.h"

namespace pledgebook::report {
namespace {

namespace v1 = ::pledgebook::v1;

class InitiativeStreamReactor final : public CursorStreamReactor<v1::StreamInitiativesResponse> {
 public:
  InitiativeStreamReactor(ConnectionPool* pool, grpc::CallbackServerContext* context,
                          const v1::StreamInitiativesRequest* request)
      : CursorStreamReactor(pool, context, kStreamBatchRows), request_(*request) {
    Start();
  }

 private:
  grpc::Status Open(std::string* sql, std::vector<std::string>* params) override {
    if (request_.limit() < 0) return InvalidArgument("limit", "must not be negative");
    absl::StatusOr<SqlFilter> filter = CompileFilter(request_.filter(), "filter");
    if (!filter.ok()) return ToGrpcStatus(filter.status());
    absl::StatusOr<std::string> order = InitiativeOrderBy(request_.order_by());
    if (!order.ok()) return ToGrpcStatus(order.status());
    *sql = absl::StrCat("SELECT ", kInitiativeColumns, " FROM ", kInitiativeFrom, " WHERE ", filter->where,
                        " ORDER BY ", *order);
    if (request_.limit() > 0) *sql += absl::StrCat(" LIMIT ", request_.limit());
    *params = filter->params;
    return grpc::Status::OK;
  }

  bool AddRow(const pqxx::row& row, v1::StreamInitiativesResponse* response) override {
    return InitiativeFromRow(row, response->add_initiatives());
  }

  const v1::StreamInitiativesRequest request_;
};

}  // namespace

grpc::ServerWriteReactor<v1::StreamInitiativesResponse>* StartInitiativeStream(
    ConnectionPool* pool, grpc::CallbackServerContext* context, const v1::StreamInitiativesRequest* request) {
  return new InitiativeStreamReactor(pool, context, request);
}

}  // namespace pledgebook::report
