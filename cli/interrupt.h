#pragma once

// Ctrl-C handling for the commands that must end cleanly (watch prints its
// resume cursor; ingest finishes the files in flight and prints its summary).

#include <atomic>
#include <functional>
#include <thread>

#include <signal.h>

namespace pledgebook::cli {

// While alive, turns SIGINT and SIGTERM into a call of `on_interrupt` on a
// thread of its own (so the callback may take locks and cancel gRPC calls,
// which a signal handler may not). A second signal ends the process at once
// with status 130. Construct it before any other thread starts (before the
// first gRPC channel): it blocks the signals in the calling thread, and
// threads inherit that.
class InterruptWatcher {
 public:
  explicit InterruptWatcher(std::function<void(int signal)> on_interrupt);
  ~InterruptWatcher();
  InterruptWatcher(const InterruptWatcher&) = delete;
  InterruptWatcher& operator=(const InterruptWatcher&) = delete;

  bool interrupted() const { return interrupted_.load(); }

 private:
  std::function<void(int)> on_interrupt_;
  sigset_t signals_{};
  sigset_t previous_mask_{};
  std::atomic<bool> interrupted_{false};
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace pledgebook::cli
