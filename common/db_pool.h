#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace pledgebook {

// A bounded pool of PostgreSQL connections. Connections open lazily and are
// re-opened after the server restarts, so a service survives a database
// restart without restarting itself. While the database is down, Acquire
// fails fast with UNAVAILABLE (which clients retry) instead of hanging, and
// reconnection attempts back off exponentially (100 ms doubling up to
// `max_backoff`, with jitter) so a dead database is not hammered: between
// attempts Acquire answers UNAVAILABLE at once. A connection that broke
// drops the idle ones with it (they died with the same server).
class ConnectionPool {
 public:
  // A connection borrowed from the pool; returned on destruction. Call
  // Discard() after a connection-level error so it is not reused.
  class Lease {
   public:
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    pqxx::connection& operator*() { return *conn_; }
    pqxx::connection* operator->() { return conn_.get(); }
    void Discard() { discard_ = true; }

   private:
    friend class ConnectionPool;
    Lease(ConnectionPool* pool, std::unique_ptr<pqxx::connection> conn)
        : pool_(pool), conn_(std::move(conn)) {}
    ConnectionPool* pool_;
    std::unique_ptr<pqxx::connection> conn_;
    bool discard_ = false;
  };

  // `url` is a libpq URI or keyword string; `session_sql` runs on every new
  // connection (e.g. "SET default_transaction_read_only = on").
  ConnectionPool(std::string url, int max_size, std::string session_sql = "",
                 absl::Duration max_backoff = absl::Seconds(5));

  // Waits up to `wait` for a free connection. UNAVAILABLE when the database
  // cannot be reached, RESOURCE_EXHAUSTED when every connection stays busy.
  absl::StatusOr<Lease> Acquire(absl::Duration wait = absl::Seconds(5));

  // Connections currently lent out and open (for metrics and tests).
  int in_use() const;
  int max_size() const { return max_size_; }
  // Failed connection attempts since the last success (0: healthy).
  int consecutive_failures() const;

 private:
  void Return(std::unique_ptr<pqxx::connection> conn, bool discard);

  const std::string url_;
  const int max_size_;
  const std::string session_sql_;
  const absl::Duration max_backoff_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<pqxx::connection>> idle_;
  int lent_ = 0;
  // Reconnection backoff: no new connection is attempted before this.
  int failures_ = 0;
  std::chrono::steady_clock::time_point next_attempt_{};
  std::string last_error_;
};

}  // namespace pledgebook
