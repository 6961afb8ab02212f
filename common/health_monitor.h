#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "absl/time/time.h"
#include "common/db_pool.h"
#include "common/server_lifecycle.h"

namespace pledgebook {

// Probes the database through the pool every `interval` (a short
// "SELECT 1") and reports NOT_SERVING while it is unreachable, SERVING
// again once it answers. A pool with every connection busy counts as
// reachable. Also refreshes the pool gauges of the metrics.
class DatabaseHealthMonitor {
 public:
  DatabaseHealthMonitor(ConnectionPool* pool, std::shared_ptr<HealthState> health, absl::Duration interval);
  ~DatabaseHealthMonitor();

  // One probe, now: whether the database answered (busy counts as yes).
  bool ProbeOnce();

 private:
  void Loop();

  ConnectionPool* pool_;
  std::shared_ptr<HealthState> health_;
  const absl::Duration interval_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool last_ = true;
  std::thread thread_;
};

}  // namespace pledgebook
