#include "initiative_stream.h"

#include <atomic>
#include <memory>
#include <optional>

#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "common/grpc_status.h"
#include "filter.h"
#include "initiative_rows.h"
#include "statement_timeout.h"

namespace pledgebook::report {
namespace {

namespace v1 = ::pledgebook::v1;

class InitiativeStreamReactor final : public grpc::ServerWriteReactor<v1::StreamInitiativesResponse> {
 public:
  InitiativeStreamReactor(ConnectionPool* pool, grpc::CallbackServerContext* context,
                          const v1::StreamInitiativesRequest* request)
      : context_(context) {
    grpc::Status status = Open(pool, *request);
    if (!status.ok()) {
      Close();
      Finish(status);
      return;
    }
    FetchAndWrite();
  }

  void OnWriteDone(bool ok) override {
    if (!ok || cancelled_) {  // the client went away
      Close();
      Finish(grpc::Status::CANCELLED);
      return;
    }
    FetchAndWrite();
  }

  void OnCancel() override {
    cancelled_ = true;
    // Stop a FETCH that may be running right now on another thread.
    if (conn_ != nullptr) {
      try {
        conn_->cancel_query();
      } catch (const std::exception&) {
      }
    }
  }

  void OnDone() override { delete this; }

 private:
  grpc::Status Open(ConnectionPool* pool, const v1::StreamInitiativesRequest& request) {
    if (request.limit() < 0) return InvalidArgument("limit", "must not be negative");
    absl::StatusOr<SqlFilter> filter = CompileFilter(request.filter(), "filter");
    if (!filter.ok()) return ToGrpcStatus(filter.status());
    absl::StatusOr<std::string> order = InitiativeOrderBy(request.order_by());
    if (!order.ok()) return ToGrpcStatus(order.status());

    absl::StatusOr<ConnectionPool::Lease> lease = pool->Acquire();
    if (!lease.ok()) return ToGrpcStatus(lease.status());
    lease_.emplace(std::move(*lease));
    conn_ = &**lease_;
    std::string sql = absl::StrCat("DECLARE initiative_stream NO SCROLL CURSOR FOR SELECT ", kInitiativeColumns,
                                   " FROM ", kInitiativeFrom, " WHERE ", filter->where, " ORDER BY ", *order);
    if (request.limit() > 0) sql += absl::StrCat(" LIMIT ", request.limit());
    try {
      tx_ = std::make_unique<pqxx::work>(*conn_);
      tx_->exec("SET TRANSACTION READ ONLY");
      SetStatementTimeout(*tx_, context_->deadline());
      tx_->exec_params(sql, pqxx::prepare::make_dynamic_params(filter->params));
    } catch (const std::exception& e) {
      lease_->Discard();
      return DatabaseErrorStatus(e);
    }
    return grpc::Status::OK;
  }

  void FetchAndWrite() {
    response_.Clear();
    try {
      pqxx::result rows = tx_->exec(absl::StrCat("FETCH ", kStreamBatchRows, " FROM initiative_stream"));
      for (const pqxx::row& row : rows) {
        if (!InitiativeFromRow(row, response_.add_initiatives())) {
          Close();
          Finish(grpc::Status(grpc::StatusCode::DATA_LOSS, "a stored initiative record is corrupt"));
          return;
        }
      }
    } catch (const std::exception& e) {
      if (lease_) lease_->Discard();
      Close();
      Finish(cancelled_ ? grpc::Status::CANCELLED : DatabaseErrorStatus(e));
      return;
    }
    if (response_.initiatives_size() == 0) {
      Close();
      Finish(grpc::Status::OK);
      return;
    }
    StartWrite(&response_);
  }

  // Ends the transaction and returns the connection before Finish, so the
  // database work stops as soon as the stream does.
  void Close() {
    tx_.reset();  // aborts the read-only transaction, closing the cursor
    conn_ = nullptr;
    lease_.reset();
  }

  grpc::CallbackServerContext* context_;
  std::optional<ConnectionPool::Lease> lease_;
  pqxx::connection* conn_ = nullptr;
  std::unique_ptr<pqxx::work> tx_;
  v1::StreamInitiativesResponse response_;
  std::atomic<bool> cancelled_{false};
};

}  // namespace

grpc::ServerWriteReactor<v1::StreamInitiativesResponse>* StartInitiativeStream(
    ConnectionPool* pool, grpc::CallbackServerContext* context, const v1::StreamInitiativesRequest* request) {
  return new InitiativeStreamReactor(pool, context, request);
}

}  // namespace pledgebook::report
