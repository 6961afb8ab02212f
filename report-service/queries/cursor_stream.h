#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "common/db_pool.h"
#include "common/grpc_status.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_callback.h"
#include "statement_timeout.h"

namespace pledgebook::report {

// A server stream over a server-side cursor, in the callback API: the query
// runs as a cursor in a read-only transaction, one FETCH of `batch_rows`
// per message, and the next FETCH happens only when the previous write
// completed — memory stays constant and a slow client slows the query.
// Cancellation (or an expired deadline) cancels a running FETCH through
// PQcancel and ends the transaction at once.
//
// Subclasses say what to query (Open) and how a row becomes part of a
// message (AddRow); Summary may add a last message once rows run out.
template <typename Response>
class CursorStreamReactor : public grpc::ServerWriteReactor<Response> {
 public:
  CursorStreamReactor(ConnectionPool* pool, grpc::CallbackServerContext* context, int batch_rows)
      : pool_(pool), context_(context), batch_rows_(batch_rows) {}

  // Call from the subclass constructor, after its own members are ready.
  void Start() {
    std::string sql;
    std::vector<std::string> params;
    grpc::Status status = Open(&sql, &params);
    if (status.ok()) status = Declare(sql, params);
    if (!status.ok()) {
      Close();
      this->Finish(status);
      return;
    }
    FetchAndWrite();
  }

  void OnWriteDone(bool ok) override {
    if (!ok || cancelled_) {  // the client went away
      Close();
      this->Finish(grpc::Status::CANCELLED);
      return;
    }
    if (finishing_) {
      Close();
      this->Finish(grpc::Status::OK);
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

 protected:
  // The cursor's query and its parameters; a non-OK status ends the call.
  virtual grpc::Status Open(std::string* sql, std::vector<std::string>* params) = 0;
  // Adds one fetched row to the message being built; false if corrupt.
  virtual bool AddRow(const pqxx::row& row, Response* response) = 0;
  // After the last row: fill a final message (e.g. totals), in the same
  // transaction. Returns false when there is none.
  virtual bool Summary(pqxx::transaction_base& tx, Response* response) { return false; }
  // Statements to run in the transaction before DECLARE.
  virtual std::string TransactionSettings() const { return "SET TRANSACTION READ ONLY"; }

  grpc::CallbackServerContext* context() const { return context_; }

 private:
  grpc::Status Declare(const std::string& sql, const std::vector<std::string>& params) {
    absl::StatusOr<ConnectionPool::Lease> lease = pool_->Acquire();
    if (!lease.ok()) return ToGrpcStatus(lease.status());
    lease_.emplace(std::move(*lease));
    conn_ = &**lease_;
    try {
      tx_ = std::make_unique<pqxx::work>(*conn_);
      tx_->exec(TransactionSettings());
      SetStatementTimeout(*tx_, context_->deadline());
      tx_->exec_params("DECLARE pledgebook_stream NO SCROLL CURSOR FOR " + sql,
                       pqxx::prepare::make_dynamic_params(params));
    } catch (const std::exception& e) {
      lease_->Discard();
      return DatabaseErrorStatus(e);
    }
    return grpc::Status::OK;
  }

  void FetchAndWrite() {
    response_.Clear();
    try {
      pqxx::result rows = tx_->exec(absl::StrCat("FETCH ", batch_rows_, " FROM pledgebook_stream"));
      for (const pqxx::row& row : rows) {
        if (!AddRow(row, &response_)) {
          Close();
          this->Finish(grpc::Status(grpc::StatusCode::DATA_LOSS, "a stored record is corrupt"));
          return;
        }
      }
      if (rows.empty()) {
        finishing_ = true;
        if (!Summary(*tx_, &response_)) {
          Close();
          this->Finish(grpc::Status::OK);
          return;
        }
      }
    } catch (const std::exception& e) {
      if (lease_) lease_->Discard();
      Close();
      this->Finish(cancelled_ ? grpc::Status::CANCELLED : DatabaseErrorStatus(e));
      return;
    }
    this->StartWrite(&response_);
  }

  // Ends the transaction and returns the connection before Finish, so the
  // database work stops as soon as the stream does.
  void Close() {
    tx_.reset();  // aborts the read-only transaction, closing the cursor
    conn_ = nullptr;
    lease_.reset();
  }

  ConnectionPool* pool_;
  grpc::CallbackServerContext* context_;
  const int batch_rows_;
  std::optional<ConnectionPool::Lease> lease_;
  pqxx::connection* conn_ = nullptr;
  std::unique_ptr<pqxx::work> tx_;
  Response response_;
  std::atomic<bool> cancelled_{false};
  bool finishing_ = false;
};

}  // namespace pledgebook::report
