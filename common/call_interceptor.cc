#include "common/call_interceptor.h"

#include <grpc/grpc_security_constants.h>

#include <condition_variable>
#include <cstdio>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include "absl/strings/str_cat.h"
#include "common/logging.h"
#include "common/method_roles.h"
#include "common/metrics.h"

namespace pledgebook {
namespace {

using Clock = std::chrono::steady_clock;
using grpc::experimental::InterceptionHookPoints;

const char* StatusCodeName(grpc::StatusCode code) {
  static const char* const kNames[] = {"OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED",
                                       "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED",
                                       "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED",
                                       "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"};
  int i = static_cast<int>(code);
  return i >= 0 && i <= 16 ? kNames[i] : "UNKNOWN";
}

std::string NewRequestId() {
  thread_local std::mt19937_64 rng{std::random_device{}() ^ static_cast<uint64_t>(
                                       Clock::now().time_since_epoch().count())};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(rng()),
                static_cast<unsigned long long>(rng()));
  return buf;
}

bool AcceptableRequestId(const std::string& id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    if (c <= 0x20 || c >= 0x7f) return false;
  }
  return true;
}

// Request ids of the calls in progress, for handler logs.
struct RequestIds {
  std::mutex mu;
  std::map<const grpc::ServerContextBase*, std::string> ids;
  static RequestIds& Get() {
    static RequestIds* r = new RequestIds();
    return *r;
  }
};

// Cancels calls that outlive the server's default deadline. A call leaves
// the watch list when it sends its status (its context is then still
// alive), and TryCancel runs under the same lock, so a call is never
// cancelled after it has finished.
class DeadlineWatchdog {
 public:
  static DeadlineWatchdog& Get() {
    static DeadlineWatchdog* w = new DeadlineWatchdog();  // lives for the process
    return *w;
  }
  void Watch(grpc::ServerContextBase* context, Clock::time_point at) {
    std::lock_guard<std::mutex> lock(mu_);
    watched_[context] = at;
    cv_.notify_one();
  }
  void Forget(grpc::ServerContextBase* context) {
    std::lock_guard<std::mutex> lock(mu_);
    watched_.erase(context);
  }

 private:
  DeadlineWatchdog() : thread_([this] { Loop(); }) { thread_.detach(); }
  void Loop() {
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
      cv_.wait_for(lock, std::chrono::milliseconds(200));
      const auto now = Clock::now();
      for (auto it = watched_.begin(); it != watched_.end();) {
        if (it->second <= now) {
          Log("warning", "rpc cancelled at the server's default deadline (the client set none)",
              {{"request_id", RequestIdOf(it->first)}});
          it->first->TryCancel();
          it = watched_.erase(it);
        } else {
          ++it;
        }
      }
    }
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<grpc::ServerContextBase*, Clock::time_point> watched_;
  std::thread thread_;
};

class CallInterceptor final : public grpc::experimental::Interceptor {
 public:
  CallInterceptor(grpc::experimental::ServerRpcInfo* info, const InterceptorSettings* settings)
      : info_(info), settings_(settings), method_(info->method() ? info->method() : ""),
        policy_(PolicyFor(method_)), start_(Clock::now()) {
    ServiceMetrics::Get().in_flight->Add({method_}, 1);
  }

  ~CallInterceptor() override {
    DeadlineWatchdog::Get().Forget(info_->server_context());
    {
      RequestIds& r = RequestIds::Get();
      std::lock_guard<std::mutex> lock(r.mu);
      r.ids.erase(info_->server_context());
    }
    if (stream_claimed_) settings_->gate->ReleaseStream(client_);
    ServiceMetrics::Get().in_flight->Add({method_}, -1);
    if (!finished_) Finished(grpc::StatusCode::CANCELLED, "the call ended without a status (cancelled)");
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      Started(methods);
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_INITIAL_METADATA)) {
      if (auto* md = methods->GetSendInitialMetadata()) md->emplace("x-request-id", request_id_);
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_MESSAGE) &&
        policy_.kind != CallKind::kUnary && !policy_.is_public) {
      CountStreamed();
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      DeadlineWatchdog::Get().Forget(info_->server_context());
      grpc::Status status = methods->GetSendStatus();
      Finished(status.error_code(), status.error_message());
    }
    methods->Proceed();
  }

 private:
  void Started(grpc::experimental::InterceptorBatchMethods* methods) {
    grpc::ServerContextBase* context = info_->server_context();
    std::string authorization;
    bool has_authorization = false;
    if (auto* md = methods->GetRecvInitialMetadata()) {
      auto it = md->find("x-request-id");
      if (it != md->end()) request_id_.assign(it->second.data(), it->second.size());
      auto auth = md->find("authorization");
      if (auth != md->end()) {
        authorization.assign(auth->second.data(), auth->second.size());
        has_authorization = true;
        md->erase(auth);  // the token goes no further than here: handlers never see it
      }
    }
    if (!AcceptableRequestId(request_id_)) request_id_ = NewRequestId();
    {
      RequestIds& r = RequestIds::Get();
      std::lock_guard<std::mutex> lock(r.mu);
      r.ids[context] = request_id_;
    }
    peer_ = context->peer();
    if (settings_->gate && !policy_.is_public) {
      std::string subject;
      if (auto auth = context->auth_context()) {
        // Set by the TLS handshake and never written afterwards: safe to read concurrently.
        for (const auto& v : auth->FindPropertyValues(GRPC_X509_SUBJECT_PROPERTY_NAME)) subject.assign(v.data(), v.size());
      }
      client_ = settings_->gate->Identify(has_authorization ? &authorization : nullptr, subject);
      if (policy_.kind != CallKind::kUnary && policy_.listed) stream_claimed_ = settings_->gate->ClaimStream(client_);
    }
    // gRPC reports "no deadline" as a time point far in the future.
    const bool no_deadline = context->deadline() > std::chrono::system_clock::now() + std::chrono::hours(24 * 365);
    std::chrono::milliseconds limit{0};
    if (policy_.kind == CallKind::kUnary) limit = settings_->unary_deadline;
    if (policy_.kind == CallKind::kStream) limit = settings_->stream_deadline;
    if (no_deadline && limit.count() > 0 && !policy_.is_public) {
      DeadlineWatchdog::Get().Watch(context, start_ + limit);
    }
  }

  // Rows are counted by the streams themselves: a raw (ByteBuffer) method's
  // message is not a protobuf object to look into.
  void CountStreamed() { ServiceMetrics::Get().stream_messages->Inc({method_}); }

  void Finished(grpc::StatusCode code, const std::string& message) {
    if (finished_) return;
    finished_ = true;
    const double seconds = std::chrono::duration<double>(Clock::now() - start_).count();
    const char* code_name = StatusCodeName(code);
    ServiceMetrics& m = ServiceMetrics::Get();
    m.requests->Inc({method_, code_name});
    m.latency->Observe({method_, code_name}, seconds);
    // Probes call health checks every few seconds: only their failures are logged.
    if (policy_.is_public && code == grpc::StatusCode::OK) return;
    char duration[32];
    std::snprintf(duration, sizeof duration, "%.3f", seconds * 1000);
    Log(code == grpc::StatusCode::OK ? "info" : "warning", "rpc",
        {{"method", method_}, {"code", code_name}, {"duration_ms", duration}, {"request_id", request_id_},
         {"peer", peer_}, {"client", client_}, {"error", code == grpc::StatusCode::OK ? "" : message}});
  }

  grpc::experimental::ServerRpcInfo* info_;
  const InterceptorSettings* settings_;
  const std::string method_;
  const MethodPolicy policy_;
  const Clock::time_point start_;
  std::string request_id_, peer_, client_;
  bool stream_claimed_ = false;
  bool finished_ = false;
};

class Factory final : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit Factory(InterceptorSettings settings) : settings_(std::move(settings)) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(grpc::experimental::ServerRpcInfo* info) override {
    return new CallInterceptor(info, &settings_);
  }

 private:
  const InterceptorSettings settings_;
};

}  // namespace

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> MakeCallInterceptorFactory(
    InterceptorSettings settings) {
  return std::make_unique<Factory>(std::move(settings));
}

std::string RequestIdOf(const grpc::ServerContextBase* context) {
  RequestIds& r = RequestIds::Get();
  std::lock_guard<std::mutex> lock(r.mu);
  auto it = r.ids.find(context);
  return it == r.ids.end() ? "" : it->second;
}

}  // namespace pledgebook
