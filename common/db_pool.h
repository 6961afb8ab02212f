#pragma once

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
// restart without restarting itself; while the database is down, Acquire
// fails fast with UNAVAILABLE (which clients retry) instead of hanging.
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
  ConnectionPool(std::string url, int max_size, std::string session_sql = "");

  // Waits up to `wait` for a free connection. UNAVAILABLE when the database
  // cannot be reached, RESOURCE_EXHAUSTED when every connection stays busy.
  absl::StatusOr<Lease> Acquire(absl::Duration wait = absl::Seconds(5));

  // Connections currently lent out and open (for metrics and tests).
  int in_use() const;
  int max_size() const { return max_size_; }

 private:
  void Return(std::unique_ptr<pqxx::connection> conn, bool discard);

  const std::string url_;
  const int max_size_;
  const std::string session_sql_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<pqxx::connection>> idle_;
  int lent_ = 0;
};

}  // namespace pledgebook
