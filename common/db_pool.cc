#include "common/db_pool.h"

#include <algorithm>
#include <cstdlib>

#include "absl/strings/str_cat.h"

namespace pledgebook {

ConnectionPool::Lease::Lease(Lease&& other) noexcept
    : pool_(other.pool_), conn_(std::move(other.conn_)), discard_(other.discard_) {
  other.pool_ = nullptr;
}

ConnectionPool::Lease::~Lease() {
  if (pool_ != nullptr) pool_->Return(std::move(conn_), discard_);
}

ConnectionPool::ConnectionPool(std::string url, int max_size, std::string session_sql, absl::Duration max_backoff)
    : url_(std::move(url)), max_size_(max_size), session_sql_(std::move(session_sql)), max_backoff_(max_backoff) {
  // libpq waits for an unreachable host as long as the OS does unless told
  // otherwise; the URL's own connect_timeout still wins.
  setenv("PGCONNECT_TIMEOUT", "5", /*overwrite=*/0);
}

absl::StatusOr<ConnectionPool::Lease> ConnectionPool::Acquire(absl::Duration wait) {
  std::unique_ptr<pqxx::connection> conn;
  {
    std::unique_lock<std::mutex> lock(mu_);
    const auto deadline = std::chrono::steady_clock::now() + absl::ToChronoNanoseconds(wait);
    while (idle_.empty() && lent_ >= max_size_) {
      if (cv_.wait_until(lock, deadline) == std::cv_status::timeout &&
          idle_.empty() && lent_ >= max_size_) {
        return absl::ResourceExhaustedError(absl::StrCat(
            "all ", max_size_, " database connections are busy (db_pool_size)"));
      }
    }
    if (!idle_.empty()) {
      conn = std::move(idle_.back());
      idle_.pop_back();
    }
    ++lent_;
  }
  // A connection that broke while idle (the server restarted) is replaced.
  if (conn && !conn->is_open()) conn.reset();
  if (!conn) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      const auto now = std::chrono::steady_clock::now();
      if (failures_ > 0 && now < next_attempt_) {
        const auto wait_ms = std::chrono::duration_cast<std::chrono::milliseconds>(next_attempt_ - now).count();
        std::string error = last_error_;
        --lent_;
        cv_.notify_one();
        return absl::UnavailableError(absl::StrCat("the database is unreachable (", error,
                                                   "); next reconnection attempt in ", wait_ms, " ms"));
      }
    }
    try {
      conn = std::make_unique<pqxx::connection>(url_);
      if (!session_sql_.empty()) {
        pqxx::nontransaction tx(*conn);
        tx.exec(session_sql_);
      }
      std::lock_guard<std::mutex> lock(mu_);
      failures_ = 0;
    } catch (const std::exception& e) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        ++failures_;
        // 100 ms, 200 ms, 400 ms … up to max_backoff_, with ±20 % jitter so
        // replicas do not reconnect in lockstep.
        double backoff_ms = std::min(100.0 * (1 << std::min(failures_ - 1, 16)),
                                     absl::ToDoubleMilliseconds(max_backoff_));
        backoff_ms *= 0.8 + 0.4 * (static_cast<double>(std::rand() % 1000) / 1000.0);
        next_attempt_ = std::chrono::steady_clock::now() +
                        std::chrono::microseconds(static_cast<long long>(backoff_ms * 1000));
        last_error_ = e.what();
        while (!last_error_.empty() && (last_error_.back() == '\n' || last_error_.back() == ' ')) last_error_.pop_back();
      }
      Return(nullptr, true);
      return absl::UnavailableError(absl::StrCat("cannot connect to the database: ", e.what()));
    }
  }
  return Lease(this, std::move(conn));
}

void ConnectionPool::Return(std::unique_ptr<pqxx::connection> conn, bool discard) {
  std::vector<std::unique_ptr<pqxx::connection>> dropped;
  {
    std::lock_guard<std::mutex> lock(mu_);
    --lent_;
    if (conn && !discard && conn->is_open()) {
      idle_.push_back(std::move(conn));
    } else if (conn && !conn->is_open()) {
      // It broke: the server restarted or went away, and the idle
      // connections went with it. Close them (outside the lock).
      dropped.swap(idle_);
    }
  }
  cv_.notify_all();
}

int ConnectionPool::consecutive_failures() const {
  std::lock_guard<std::mutex> lock(mu_);
  return failures_;
}

int ConnectionPool::in_use() const {
  std::lock_guard<std::mutex> lock(mu_);
  return lent_;
}

}  // namespace pledgebook
