#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/call_gate.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/server.h"

namespace pledgebook {

struct ServerSettings {
  std::string listen_address;                     // host:port; port 0 picks a free one
  int max_message_bytes = 64 << 20;               // requests and responses
  std::vector<std::string> health_service_names;  // reported SERVING once started
  // TLS files or an explicit plaintext; StartServer refuses neither.
  TransportSettings transport;
  // Tokens and per-client stream limit, enforced on every call.
  GateSettings gate;
  // Server-side deadlines for calls whose client set none (0: none).
  std::chrono::milliseconds default_unary_deadline{std::chrono::seconds(60)};
  std::chrono::milliseconds default_stream_deadline{std::chrono::hours(1)};
  // A second, plaintext listener that serves grpc.health.v1 only, for
  // probes that cannot speak TLS (the kubelet's); empty: none.
  std::string health_listen_address;
};

// Fans one serving status out to every health service (main listener and
// health-only listener) under every name and overall (""), and to the
// pledgebook_health_serving metric. After Shutdown it stays NOT_SERVING.
class HealthState {
 public:
  void Attach(grpc::HealthCheckServiceInterface* service);
  void SetNames(std::vector<std::string> names);
  void SetServing(bool serving);
  void Shutdown();
  bool serving() const;

 private:
  mutable std::mutex mu_;
  std::vector<grpc::HealthCheckServiceInterface*> services_;
  std::vector<std::string> names_;
  bool serving_ = false;
  bool shut_down_ = false;
};

struct RunningServer {
  std::unique_ptr<grpc::Server> server;
  int port = 0;  // the bound port
  std::unique_ptr<grpc::Server> health_server;
  int health_port = 0;
  std::shared_ptr<CallGate> gate;
  std::shared_ptr<HealthState> health = std::make_shared<HealthState>();
};

// Builds and starts a gRPC server with the conventions every Pledgebook
// service shares: TLS or mutual TLS (or plaintext when asked for), the call
// gate (tokens, roles, stream limits), the call interceptor (request ids,
// JSON logs, metrics, default deadlines), the standard grpc.health.v1
// service (overall and per service name), server reflection, message size
// limits and keepalive.
absl::StatusOr<RunningServer> StartServer(const ServerSettings& settings,
                                          const std::vector<grpc::Service*>& services);

// Blocks SIGINT and SIGTERM in the calling thread and the threads it starts
// later; call first thing in main so WaitForTermination can receive them.
void BlockTerminationSignals();

// Waits for SIGINT/SIGTERM, marks every health status NOT_SERVING, then
// shuts the servers down: in-flight calls get `grace` to finish, then they
// are cancelled (long streams end with CANCELLED). Should a handler not
// finish even then, the process exits 10 s later rather than hang.
void WaitForTermination(RunningServer& running, absl::Duration grace);

}  // namespace pledgebook
