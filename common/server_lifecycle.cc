#include "common/server_lifecycle.h"

#include <signal.h>

#include "absl/strings/str_cat.h"
#include "common/logging.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
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

}  // namespace

absl::StatusOr<RunningServer> StartServer(const ServerSettings& settings,
                                          const std::vector<grpc::Service*>& services) {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  RunningServer running;
  builder.AddListeningPort(settings.listen_address, grpc::InsecureServerCredentials(), &running.port);
  builder.SetMaxReceiveMessageSize(settings.max_message_bytes);
  builder.SetMaxSendMessageSize(settings.max_message_bytes);
  // Long streams (WatchInitiatives) stay open for hours: keepalive pings
  // find dead peers, and clients may ping every 10 s without data.
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, 60'000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 20'000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 10'000);
  for (grpc::Service* service : services) builder.RegisterService(service);
  running.server = builder.BuildAndStart();
  if (!running.server || running.port == 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", settings.listen_address));
  }
  if (auto* health = running.server->GetHealthCheckService()) {
    health->SetServingStatus(true);
    for (const auto& name : settings.health_service_names) health->SetServingStatus(name, true);
  }
  return running;
}

void BlockTerminationSignals() {
  sigset_t set = TerminationSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

void WaitForTermination(grpc::Server* server, absl::Duration grace) {
  sigset_t set = TerminationSignals();
  int signal = 0;
  sigwait(&set, &signal);
  Log("info", "shutting down", {{"signal", std::to_string(signal)},
                                {"grace", absl::FormatDuration(grace)}});
  if (auto* health = server->GetHealthCheckService()) health->Shutdown();
  server->Shutdown(std::chrono::system_clock::now() + absl::ToChronoNanoseconds(grace));
}

}  // namespace pledgebook
