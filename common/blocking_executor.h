#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "grpcpp/server_context.h"
#include "grpcpp/support/server_callback.h"
#include "grpcpp/support/status.h"

namespace pledgebook {

// A fixed set of threads for blocking work — database round trips, parsing
// a large document. gRPC 1.51 runs callback-API handlers on cores/2 threads
// (two on a 2-core machine): a handler that blocks on PostgreSQL there caps
// the whole service at two calls in progress, whatever the connection pool
// allows. Handlers hand their blocking part to this executor, sized like the
// pool, and finish their reactor from it, so gRPC's threads only move bytes.
class BlockingExecutor {
 public:
  // `threads` ≥ 1; `name` labels the threads (for perf and gdb).
  BlockingExecutor(int threads, std::string name);
  // Runs what is queued, then joins: a reactor waiting for its work is
  // always finished, so server shutdown never hangs on it.
  ~BlockingExecutor();
  BlockingExecutor(const BlockingExecutor&) = delete;
  BlockingExecutor& operator=(const BlockingExecutor&) = delete;

  void Submit(std::function<void()> work);
  int threads() const { return static_cast<int>(threads_.size()); }

 private:
  void Loop();

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

// The unary-call pattern: `work` (returning grpc::Status) runs on the
// executor and its status finishes the call's default reactor.
template <typename Work>
grpc::ServerUnaryReactor* FinishOnExecutor(grpc::CallbackServerContext* context, BlockingExecutor* executor,
                                           Work work) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  executor->Submit([reactor, work = std::move(work)]() mutable { reactor->Finish(work()); });
  return reactor;
}

}  // namespace pledgebook
