#pragma once

#include <atomic>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "common/blocking_executor.h"
#include "common/db_pool.h"
#include "common/grpc_status.h"
#include "common/metrics.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_callback.h"
#include "statement_timeout.h"

namespace pledgebook::report {

// A server stream over a server-side cursor, in the callback API. The query
// runs as a cursor in a read-only transaction on `executor` (never on gRPC's
// callback threads), one FETCH of `batch_rows` at a time. Fetching and
// writing overlap: while one message is on the wire the next batch is
// fetched, but no more than kMaxReady messages wait, so memory stays
// bounded and a slow client slows the query. When rows run out the
// transaction ends and the connection returns to the pool before the last
// writes. Cancellation (or an expired deadline) cancels a running FETCH
// through PQcancel and ends the transaction at once.
//
// Subclasses say what to query (Open) and how fetched rows become messages
// (AddRow, or AddRows for full control); Summary may add a last message.
template <typename Response>
class CursorStreamReactor : public grpc::ServerWriteReactor<Response> {
 public:
  // `method` labels the rows_streamed metric.
  CursorStreamReactor(ConnectionPool* pool, BlockingExecutor* executor, grpc::CallbackServerContext* context,
                      int batch_rows, const char* method)
      : pool_(pool), executor_(executor), context_(context), batch_rows_(batch_rows), method_(method) {}

  // Call from the subclass constructor, after its own members are ready.
  void Start() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      fetch_in_flight_ = true;
    }
    executor_->Submit([this] { OpenAndFetch(); });
  }

  void OnWriteDone(bool ok) override {
    std::unique_lock<std::mutex> lock(mu_);
    write_in_flight_ = false;
    if (!ok) {  // the client went away
      cancelled_ = true;
      ready_.clear();
      SetFinalLocked(grpc::Status::CANCELLED);
    }
    Pump(lock);
  }

  void OnCancel() override {
    cancelled_ = true;
    // Stop a FETCH that may be running right now on an executor thread.
    std::lock_guard<std::mutex> lock(conn_mu_);
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
  virtual bool AddRow(const pqxx::row& row, Response* response) { return false; }
  // Turns one FETCH's rows into messages appended to `out`; false if a row
  // is corrupt. By default: one message, AddRow for each row.
  virtual bool AddRows(const pqxx::result& rows, std::deque<Response>* out) {
    Response message;
    for (const pqxx::row& row : rows) {
      if (!AddRow(row, &message)) return false;
    }
    out->push_back(std::move(message));
    return true;
  }
  // After the last row: fill a final message (e.g. totals), in the same
  // transaction. Returns false when there is none.
  virtual bool Summary(pqxx::transaction_base& tx, Response* response) { return false; }
  // Statements to run in the transaction before DECLARE.
  virtual std::string TransactionSettings() const { return "SET TRANSACTION READ ONLY"; }
  // A BINARY cursor returns columns in PostgreSQL's binary format (bytea
  // as raw bytes, bigint as 8 big-endian bytes): no hex to decode.
  virtual bool BinaryCursor() const { return false; }

  grpc::CallbackServerContext* context() const { return context_; }

 private:
  static constexpr size_t kMaxReady = 2;

  // Executor: the first task. DECLARE, then the first FETCH.
  void OpenAndFetch() {
    std::string sql;
    std::vector<std::string> params;
    grpc::Status status = Open(&sql, &params);
    if (status.ok()) status = Declare(sql, params);
    if (!status.ok()) {
      Close();
      std::unique_lock<std::mutex> lock(mu_);
      fetch_in_flight_ = false;
      SetFinalLocked(status);
      Pump(lock);
      return;
    }
    Fetch();
  }

  grpc::Status Declare(const std::string& sql, const std::vector<std::string>& params) {
    absl::StatusOr<ConnectionPool::Lease> lease = pool_->Acquire();
    if (!lease.ok()) return ToGrpcStatus(lease.status());
    {
      std::lock_guard<std::mutex> lock(conn_mu_);
      lease_.emplace(std::move(*lease));
      conn_ = &**lease_;
    }
    try {
      tx_ = std::make_unique<pqxx::work>(*conn_);
      tx_->exec(TransactionSetupSql(TransactionSettings(), context_->deadline()));
      tx_->exec_params(absl::StrCat("DECLARE pledgebook_stream ", BinaryCursor() ? "BINARY " : "",
                                    "NO SCROLL CURSOR FOR ", sql),
                       pqxx::prepare::make_dynamic_params(params));
    } catch (const std::exception& e) {
      lease_->Discard();
      return DatabaseErrorStatus(e);
    }
    return grpc::Status::OK;
  }

  // Executor: one FETCH, its messages queued for writing.
  void Fetch() {
    std::deque<Response> messages;
    grpc::Status failure = grpc::Status::OK;
    bool exhausted = false;
    if (cancelled_) {
      failure = grpc::Status::CANCELLED;
    } else {
      try {
        pqxx::result rows = tx_->exec(absl::StrCat("FETCH ", batch_rows_, " FROM pledgebook_stream"));
        if (!AddRows(rows, &messages)) {
          failure = grpc::Status(grpc::StatusCode::DATA_LOSS, "a stored record is corrupt");
        } else if (rows.empty()) {
          exhausted = true;
          messages.clear();
          Response last;
          if (Summary(*tx_, &last)) messages.push_back(std::move(last));
        } else {
          ServiceMetrics::Get().rows_streamed->Inc({method_}, static_cast<double>(rows.size()));
        }
      } catch (const std::exception& e) {
        if (lease_) lease_->Discard();
        failure = cancelled_ ? grpc::Status::CANCELLED : DatabaseErrorStatus(e);
      }
    }
    // The database work stops as soon as the rows do (or fail).
    if (exhausted || !failure.ok()) Close();
    std::unique_lock<std::mutex> lock(mu_);
    fetch_in_flight_ = false;
    if (!failure.ok()) {
      ready_.clear();
      SetFinalLocked(failure);
    } else if (!cancelled_) {
      for (Response& m : messages) ready_.push_back(std::move(m));
      if (exhausted) SetFinalLocked(grpc::Status::OK);
    }
    Pump(lock);
  }

  // Decides the next steps under the lock and takes them after it: another
  // FETCH if there is room, a write if the wire is free, Finish once all is
  // sent. Finish (after which OnDone may delete this) is always the last
  // thing done, and never while a FETCH runs.
  void Pump(std::unique_lock<std::mutex>& lock) {
    bool fetch = false, write = false, finish = false;
    if (!final_ && !cancelled_ && !fetch_in_flight_ && ready_.size() < kMaxReady) {
      fetch = fetch_in_flight_ = true;
    }
    if (!write_in_flight_ && !ready_.empty() && !cancelled_) {
      writing_ = std::move(ready_.front());
      ready_.pop_front();
      write = write_in_flight_ = true;
    }
    if (cancelled_ && !final_) SetFinalLocked(grpc::Status::CANCELLED);
    if (final_ && !fetch_in_flight_ && !write_in_flight_ && (ready_.empty() || cancelled_) && !finished_) {
      finish = finished_ = true;
    }
    const grpc::Status status = final_ ? *final_ : grpc::Status::OK;
    lock.unlock();
    if (fetch) executor_->Submit([this] { Fetch(); });
    if (write) {
      this->StartWrite(&writing_);
    } else if (finish) {
      if (!status.ok() || cancelled_) Close();  // normally closed already, by the executor
      this->Finish(status);
    }
  }

  void SetFinalLocked(const grpc::Status& status) {
    if (!final_) final_ = status;
  }

  // Ends the transaction and returns the connection.
  void Close() {
    tx_.reset();  // aborts the read-only transaction, closing the cursor
    std::lock_guard<std::mutex> lock(conn_mu_);
    conn_ = nullptr;
    lease_.reset();
  }

  ConnectionPool* pool_;
  BlockingExecutor* executor_;
  grpc::CallbackServerContext* context_;
  const int batch_rows_;
  const char* method_;
  // Owned by the executor task in progress (one at a time).
  std::optional<ConnectionPool::Lease> lease_;
  std::unique_ptr<pqxx::work> tx_;
  std::mutex conn_mu_;  // conn_ is read by OnCancel, from another thread
  pqxx::connection* conn_ = nullptr;
  std::atomic<bool> cancelled_{false};
  // The pipeline, under mu_.
  std::mutex mu_;
  std::deque<Response> ready_;
  Response writing_;
  bool fetch_in_flight_ = false;
  bool write_in_flight_ = false;
  bool finished_ = false;
  std::optional<grpc::Status> final_;
};

}  // namespace pledgebook::report
