#include "common/server_lifecycle.h"

#include <signal.h>
#include <unistd.h>

#include <thread>

#include "absl/strings/str_cat.h"
#include "common/call_interceptor.h"
#include "common/logging.h"
#include "common/metrics.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/generic/async_generic_service.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"

namespace pledgebook {
namespace {

sigset_t TerminationSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

// The health-only listener answers everything but grpc.health.v1 (and
// reflection) with UNIMPLEMENTED. (A server needs one callback service.)
class UnimplementedGenericService final : public grpc::CallbackGenericService {
  grpc::ServerGenericBidiReactor* CreateReactor(grpc::GenericCallbackServerContext*) override {
    class Reactor final : public grpc::ServerGenericBidiReactor {
     public:
      Reactor() { Finish(grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "this port serves health checks only")); }
      void OnDone() override { delete this; }
    };
    return new Reactor();
  }
};

}  // namespace

void HealthState::Attach(grpc::HealthCheckServiceInterface* service) {
  std::lock_guard<std::mutex> lock(mu_);
  services_.push_back(service);
}

void HealthState::SetNames(std::vector<std::string> names) {
  std::lock_guard<std::mutex> lock(mu_);
  names_ = std::move(names);
}

void HealthState::SetServing(bool serving) {
  std::lock_guard<std::mutex> lock(mu_);
  if (shut_down_) return;
  serving_ = serving;
  for (auto* s : services_) {
    s->SetServingStatus(serving);
    for (const auto& name : names_) s->SetServingStatus(name, serving);
  }
  ServiceMetrics& m = ServiceMetrics::Get();
  m.health->Set({""}, serving ? 1 : 0);
  for (const auto& name : names_) m.health->Set({name}, serving ? 1 : 0);
}

void HealthState::Shutdown() {
  std::lock_guard<std::mutex> lock(mu_);
  shut_down_ = true;
  serving_ = false;
  for (auto* s : services_) s->Shutdown();
  ServiceMetrics& m = ServiceMetrics::Get();
  m.health->Set({""}, 0);
  for (const auto& name : names_) m.health->Set({name}, 0);
}

bool HealthState::serving() const {
  std::lock_guard<std::mutex> lock(mu_);
  return serving_;
}

absl::StatusOr<RunningServer> StartServer(const ServerSettings& settings,
                                          const std::vector<grpc::Service*>& services) {
  RunningServer running;
  running.gate = std::make_shared<CallGate>(settings.gate);
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
      GatedServerCredentials(settings.transport, running.gate);
  if (!credentials.ok()) return credentials.status();

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(settings.listen_address, *credentials, &running.port);
  builder.SetMaxReceiveMessageSize(settings.max_message_bytes);
  builder.SetMaxSendMessageSize(settings.max_message_bytes);
  // Long streams (WatchInitiatives) stay open for hours: keepalive pings
  // find dead peers, and clients may ping every 10 s without data.
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, 60'000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 20'000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 10'000);
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
  InterceptorSettings interceptor_settings;
  interceptor_settings.gate = running.gate;
  interceptor_settings.unary_deadline = settings.default_unary_deadline;
  interceptor_settings.stream_deadline = settings.default_stream_deadline;
  interceptors.push_back(MakeCallInterceptorFactory(interceptor_settings));
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  for (grpc::Service* service : services) builder.RegisterService(service);
  running.server = builder.BuildAndStart();
  if (!running.server || running.port == 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", settings.listen_address));
  }
  running.health->SetNames(settings.health_service_names);
  if (auto* health = running.server->GetHealthCheckService()) running.health->Attach(health);

  if (!settings.health_listen_address.empty()) {
    static UnimplementedGenericService* unimplemented = new UnimplementedGenericService();
    grpc::ServerBuilder health_builder;
    health_builder.AddListeningPort(settings.health_listen_address, grpc::InsecureServerCredentials(),
                                    &running.health_port);
    health_builder.RegisterCallbackGenericService(unimplemented);
    running.health_server = health_builder.BuildAndStart();
    if (!running.health_server || running.health_port == 0) {
      running.server->Shutdown();
      return absl::UnavailableError(absl::StrCat("cannot listen on ", settings.health_listen_address,
                                                 " (--health_listen)"));
    }
    if (auto* health = running.health_server->GetHealthCheckService()) running.health->Attach(health);
  }
  running.health->SetServing(true);
  return running;
}

void BlockTerminationSignals() {
  sigset_t set = TerminationSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

void WaitForTermination(RunningServer& running, absl::Duration grace) {
  sigset_t set = TerminationSignals();
  int signal = 0;
  sigwait(&set, &signal);
  Log("info", "shutting down", {{"signal", std::to_string(signal)},
                                {"grace", absl::FormatDuration(grace)}});
  running.health->Shutdown();
  // A handler that ignores cancellation must not keep the process alive.
  std::thread([grace] {
    std::this_thread::sleep_for(absl::ToChronoNanoseconds(grace) + std::chrono::seconds(10));
    Log("error", "shutdown did not finish 10 s after the grace period; exiting");
    _exit(1);
  }).detach();
  const auto deadline = std::chrono::system_clock::now() + absl::ToChronoNanoseconds(grace);
  running.server->Shutdown(deadline);
  if (running.health_server) running.health_server->Shutdown(std::chrono::system_clock::now());
  Log("info", "stopped");
}

}  // namespace pledgebook
