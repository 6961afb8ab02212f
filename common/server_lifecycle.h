#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/server.h"

namespace pledgebook {

struct ServerSettings {
  std::string listen_address;                 // host:port; port 0 picks a free one
  int max_message_bytes = 64 << 20;           // requests and responses
  std::vector<std::string> health_service_names;  // reported SERVING once started
};

struct RunningServer {
  std::unique_ptr<grpc::Server> server;
  int port = 0;  // the bound port
};

// Builds and starts a gRPC server with the conventions every Pledgebook
// service shares: the standard grpc.health.v1 service (overall and per
// service name), server reflection, message size limits and keepalive.
// Plaintext for now: TLS arrives with the security work.
absl::StatusOr<RunningServer> StartServer(const ServerSettings& settings,
                                          const std::vector<grpc::Service*>& services);

// Blocks SIGINT and SIGTERM in the calling thread and the threads it starts
// later; call first thing in main so WaitForTermination can receive them.
void BlockTerminationSignals();

// Waits for SIGINT/SIGTERM, marks every health status NOT_SERVING, then
// shuts the server down: in-flight calls get `grace` to finish before they
// are cancelled.
void WaitForTermination(grpc::Server* server, absl::Duration grace);

}  // namespace pledgebook
