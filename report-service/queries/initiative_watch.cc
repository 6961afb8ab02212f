#include "initiative_watch.h"

#include <deque>
#include <mutex>

#include <pqxx/pqxx>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/grpc_status.h"
#include "common/metrics.h"
#include "filter.h"
#include "grpcpp/alarm.h"
#include "initiative_rows.h"

namespace pledgebook::report {
namespace {

namespace v1 = ::pledgebook::v1;

constexpr int kWatchBatchRows = 128;
constexpr char kWatchMethod[] = "/pledgebook.v1.ReportService/WatchInitiatives";

struct Cursor {
  long long sequence = 0;
  int index = -1;  // last initiative delivered within that document
};

std::string EncodeCursor(const Cursor& c) {
  return absl::WebSafeBase64Escape(absl::StrCat("w1:", c.sequence, ":", c.index));
}

bool DecodeCursor(const std::string& token, Cursor* c) {
  std::string raw;
  if (!absl::WebSafeBase64Unescape(token, &raw)) return false;
  std::vector<std::string> parts = absl::StrSplit(raw, ':');
  return parts.size() == 3 && parts[0] == "w1" && absl::SimpleAtoi(parts[1], &c->sequence) &&
         absl::SimpleAtoi(parts[2], &c->index);
}

class InitiativeWatchReactor final : public grpc::ServerWriteReactor<v1::WatchInitiativesResponse> {
 public:
  InitiativeWatchReactor(ConnectionPool* pool, BlockingExecutor* executor,
                         const v1::WatchInitiativesRequest* request, absl::Duration poll_interval)
      : pool_(pool), executor_(executor), poll_interval_(poll_interval) {
    absl::StatusOr<SqlFilter> filter = CompileFilter(request->filter(), "filter", 4);
    if (!filter.ok()) {
      FinishOnce(ToGrpcStatus(filter.status()));
      return;
    }
    filter_ = *filter;
    if (!request->resume_cursor().empty()) {
      if (!DecodeCursor(request->resume_cursor(), &cursor_)) {
        FinishOnce(InvalidArgument("resume_cursor", "is not a cursor returned by WatchInitiatives"));
        return;
      }
      executor_->Submit([this] { Poll(); });
    } else {
      executor_->Submit([this] {
        if (grpc::Status s = StartFromNow(); !s.ok()) {
          FinishOnce(s);
          return;
        }
        Poll();
      });
    }
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      FinishOnce(grpc::Status::CANCELLED);
      return;
    }
    if (!pending_.empty()) {
      WriteNext();
    } else if (last_poll_full_) {
      executor_->Submit([this] { Poll(); });  // a burst: drain it at query speed
    } else {
      WaitThenPoll();
    }
  }

  void OnCancel() override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      cancelled_ = true;
    }
    alarm_.Cancel();  // a waiting alarm fires with ok = false and finishes
  }

  void OnDone() override { delete this; }

 private:
  grpc::Status StartFromNow() {
    absl::StatusOr<ConnectionPool::Lease> lease = pool_->Acquire();
    if (!lease.ok()) return ToGrpcStatus(lease.status());
    try {
      pqxx::read_transaction tx(**lease);
      cursor_.sequence = tx.exec("SELECT coalesce(max(ingest_sequence), 0) FROM documents")[0][0].as<long long>();
      cursor_.index = INT32_MAX;
      return grpc::Status::OK;
    } catch (const std::exception& e) {
      lease->Discard();
      return DatabaseErrorStatus(e);
    }
  }

  void Poll() {
    if (IsCancelled()) {
      FinishOnce(grpc::Status::CANCELLED);
      return;
    }
    absl::StatusOr<ConnectionPool::Lease> lease = pool_->Acquire();
    if (!lease.ok()) {
      FinishOnce(ToGrpcStatus(lease.status()));
      return;
    }
    try {
      pqxx::read_transaction tx(**lease);
      std::vector<std::string> params = {std::to_string(cursor_.sequence), std::to_string(cursor_.index),
                                         std::to_string(kWatchBatchRows)};
      params.insert(params.end(), filter_.params.begin(), filter_.params.end());
      pqxx::result rows = tx.exec_params(
          absl::StrCat("SELECT ", kInitiativeColumns, " FROM ", kInitiativeFrom,
                       // The first bound is implied by the second, but only it can
                       // bound the index scan: a row comparison spanning two tables
                       // cannot, and the poll would read every document each time.
                       " WHERE d.ingest_sequence >= $1::bigint AND (d.ingest_sequence, i.initiative_index) >"
                       " ($1::bigint, $2::integer) AND ",
                       filter_.where, " ORDER BY d.ingest_sequence, i.initiative_index LIMIT $3::integer"),
          pqxx::prepare::make_dynamic_params(params));
      last_poll_full_ = rows.size() >= static_cast<size_t>(kWatchBatchRows);
      ServiceMetrics::Get().rows_streamed->Inc({kWatchMethod}, static_cast<double>(rows.size()));
      for (const pqxx::row& row : rows) {
        v1::WatchInitiativesResponse item;
        if (!InitiativeFromRow(row, item.mutable_initiative())) continue;
        pending_.push_back(std::move(item));
      }
    } catch (const std::exception& e) {
      lease->Discard();
      FinishOnce(DatabaseErrorStatus(e));
      return;
    }
    if (!pending_.empty()) {
      WriteNext();
      return;
    }
    WaitThenPoll();
  }

  // Between polls the stream holds no thread and no connection: a gRPC
  // alarm wakes it, and the poll itself runs on the executor.
  void WaitThenPoll() {
    std::lock_guard<std::mutex> lock(mu_);
    if (cancelled_) {
      FinishLocked(grpc::Status::CANCELLED);
      return;
    }
    alarm_.Set(std::chrono::system_clock::now() + absl::ToChronoNanoseconds(poll_interval_),
               [this](bool ok) {
                 if (ok) {
                   executor_->Submit([this] { Poll(); });
                 } else {
                   FinishOnce(grpc::Status::CANCELLED);
                 }
               });
  }

  void WriteNext() {
    response_ = std::move(pending_.front());
    pending_.pop_front();
    cursor_.sequence = response_.initiative().ingest_sequence();
    cursor_.index = response_.initiative().index();
    response_.set_cursor(EncodeCursor(cursor_));
    StartWrite(&response_);
  }

  bool IsCancelled() {
    std::lock_guard<std::mutex> lock(mu_);
    return cancelled_;
  }

  void FinishOnce(const grpc::Status& status) {
    std::lock_guard<std::mutex> lock(mu_);
    FinishLocked(status);
  }

  void FinishLocked(const grpc::Status& status) {
    if (finished_) return;
    finished_ = true;
    Finish(status);
  }

  ConnectionPool* pool_;
  BlockingExecutor* executor_;
  const absl::Duration poll_interval_;
  bool last_poll_full_ = false;
  SqlFilter filter_;
  Cursor cursor_;
  std::deque<v1::WatchInitiativesResponse> pending_;
  v1::WatchInitiativesResponse response_;
  grpc::Alarm alarm_;
  std::mutex mu_;
  bool cancelled_ = false;
  bool finished_ = false;
};

}  // namespace

grpc::ServerWriteReactor<v1::WatchInitiativesResponse>* StartInitiativeWatch(
    ConnectionPool* pool, BlockingExecutor* executor, grpc::CallbackServerContext* context,
    const v1::WatchInitiativesRequest* request, absl::Duration poll_interval) {
  return new InitiativeWatchReactor(pool, executor, request, poll_interval);
}

}  // namespace pledgebook::report
