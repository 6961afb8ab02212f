#pragma once

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/db_pool.h"
#include "grpcpp/impl/service_type.h"

namespace pledgebook {

// The flags both services share (security, limits, observability) are
// defined in service_main.cc, linked by the two service binaries only; this
// is their wiring. docs/configuration.md lists them all.

// Checks --plaintext / --tls_* before anything else happens, so a service
// without transport security refuses to start with a clear message.
absl::Status CheckTransportFlags();

// SQL run on every new database connection: the --statement_timeout_ms,
// and read-only transactions when `read_only`.
std::string SessionSql(bool read_only);

// The longest a failed database reconnection waits before the next try.
absl::Duration DbMaxBackoff();

struct ServiceWiring {
  std::string binary;                             // "pledgebook-ingest"
  std::string default_listen;                     // when --listen and PLEDGEBOOK_LISTEN are unset
  std::string listen_flag;                        // the binary's --listen value
  std::vector<std::string> health_service_names;  // e.g. "pledgebook.v1.IngestService"
  ConnectionPool* pool = nullptr;                 // probed for health
  std::vector<grpc::Service*> services;
  absl::Duration shutdown_grace = absl::Seconds(20);
  std::vector<std::pair<std::string, std::string>> log_fields;  // added to the "listening" line
};

// Loads tokens, starts the metrics endpoint, the gRPC server (and the
// health-only listener), the database health monitor; waits for SIGTERM;
// shuts down gracefully. Returns the process exit code.
int RunService(const ServiceWiring& wiring);

}  // namespace pledgebook
