#include "common/health_monitor.h"

#include <pqxx/pqxx>

#include "common/logging.h"
#include "common/metrics.h"

namespace pledgebook {

DatabaseHealthMonitor::DatabaseHealthMonitor(ConnectionPool* pool, std::shared_ptr<HealthState> health,
                                             absl::Duration interval)
    : pool_(pool), health_(std::move(health)), interval_(interval) {
  ServiceMetrics::Get().pool_size->Set(pool_->max_size());
  thread_ = std::thread([this] { Loop(); });
}

DatabaseHealthMonitor::~DatabaseHealthMonitor() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

bool DatabaseHealthMonitor::ProbeOnce() {
  absl::StatusOr<ConnectionPool::Lease> lease = pool_->Acquire(absl::Seconds(1));
  if (!lease.ok()) {
    if (lease.status().code() == absl::StatusCode::kResourceExhausted) return true;  // busy, not down
    if (last_) Log("warning", "database unreachable", {{"error", std::string(lease.status().message())}});
    return false;
  }
  try {
    pqxx::nontransaction tx(**lease);
    tx.exec("SELECT 1");
    return true;
  } catch (const std::exception& e) {
    lease->Discard();
    if (last_) Log("warning", "database probe failed", {{"error", e.what()}});
    return false;
  }
}

void DatabaseHealthMonitor::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    lock.unlock();
    const bool ok = ProbeOnce();
    if (ok != last_) {
      Log(ok ? "info" : "warning", ok ? "database reachable again: SERVING" : "database unreachable: NOT_SERVING");
      health_->SetServing(ok);
      last_ = ok;
    }
    ServiceMetrics& m = ServiceMetrics::Get();
    m.pool_in_use->Set(pool_->in_use());
    m.pool_size->Set(pool_->max_size());
    lock.lock();
    cv_.wait_for(lock, absl::ToChronoNanoseconds(interval_), [this] { return stop_; });
  }
}

}  // namespace pledgebook
