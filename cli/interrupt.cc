#include "interrupt.h"

#include <pthread.h>
#include <unistd.h>

#include <ctime>

namespace pledgebook::cli {

InterruptWatcher::InterruptWatcher(std::function<void(int)> on_interrupt) : on_interrupt_(std::move(on_interrupt)) {
  sigemptyset(&signals_);
  sigaddset(&signals_, SIGINT);
  sigaddset(&signals_, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals_, &previous_mask_);
  thread_ = std::thread([this] {
    const timespec poll = {0, 100 * 1000 * 1000};  // wake up to notice stop_
    while (!stop_.load()) {
      siginfo_t info;
      int signal = sigtimedwait(&signals_, &info, &poll);
      if (signal <= 0) continue;
      if (interrupted_.exchange(true)) _exit(128 + SIGINT);  // the second Ctrl-C: no more waiting
      on_interrupt_(signal);
    }
  });
}

InterruptWatcher::~InterruptWatcher() {
  stop_.store(true);
  thread_.join();
  pthread_sigmask(SIG_SETMASK, &previous_mask_, nullptr);
}

}  // namespace pledgebook::cli
