#include "common/db_pool.h"

#include "absl/strings/str_cat.h"

namespace pledgebook {

ConnectionPool::Lease::Lease(Lease&& other) noexcept
    : pool_(other.pool_), conn_(std::move(other.conn_)), discard_(other.discard_) {
  other.pool_ = nullptr;
}

ConnectionPool::Lease::~Lease() {
  if (pool_ != nullptr) pool_->Return(std::move(conn_), discard_);
}

ConnectionPool::ConnectionPool(std::string url, int max_size, std::string session_sql)
    : url_(std::move(url)), max_size_(max_size), session_sql_(std::move(session_sql)) {}

absl::StatusOr<ConnectionPool::Lease> ConnectionPool::Acquire(absl::Duration wait) {
  std::unique_ptr<pqxx::connection> conn;
  {
    std::unique_lock<std::mutex> lock(mu_);
    const auto deadline = std::chrono::steady_clock::now() + absl::ToChronoNanoseconds(wait);
    while (idle_.empty() && lent_ >= max_size_) {
      if (cv_.wait_until(lock, deadline) == std::cv_status::timeout &&
          idle_.empty() && lent_ >= max_size_) {
        return absl::ResourceExhaustedError(absl::StrCat(
            "all ", max_size_, " database connections are busy (pool size)"));
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
    try {
      conn = std::make_unique<pqxx::connection>(url_);
      if (!session_sql_.empty()) {
        pqxx::nontransaction tx(*conn);
        tx.exec(session_sql_);
      }
    } catch (const std::exception& e) {
      Return(nullptr, true);
      return absl::UnavailableError(absl::StrCat("cannot connect to the database: ", e.what()));
    }
  }
  return Lease(this, std::move(conn));
}

void ConnectionPool::Return(std::unique_ptr<pqxx::connection> conn, bool discard) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    --lent_;
    if (conn && !discard && conn->is_open()) idle_.push_back(std::move(conn));
  }
  cv_.notify_one();
}

int ConnectionPool::in_use() const {
  std::lock_guard<std::mutex> lock(mu_);
  return lent_;
}

}  // namespace pledgebook
