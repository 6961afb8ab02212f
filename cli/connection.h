#pragma once

// How the CLI reaches the services: the connection flags every networked
// command shares, the channel (plaintext, or TLS with a given root CA), and a
// context per call (deadline, bearer token). Also how a failed call is told
// to the user and which exit status it gives.

#include <memory>
#include <string>
#include <vector>

#include "args.h"
#include "grpcpp/grpcpp.h"

namespace pledgebook::cli {

enum class Service { kIngest, kReport };

// The flags of every command that calls `service`: --ingest-addr or
// --report-addr, --token, --tls-ca-file, and --deadline-seconds with the
// command's default ("0" for none).
std::vector<FlagSpec> ConnectionFlags(Service service, const std::string& default_deadline_seconds);

struct ConnectionOptions {
  Service service = Service::kReport;
  std::string address;          // host:port
  std::string token;            // sent as "authorization: Bearer TOKEN"; empty: none
  std::string tls_ca_file;      // TLS with this root CA (PEM); empty: plaintext
  std::string tls_root_pem;     // its contents
  double deadline_seconds = 0;  // per call; 0: none
};

// Reads the connection flags of `args`. Throws UsageError for a bad
// deadline, a token that cannot be a header value, or a CA file that cannot
// be read or holds no PEM certificate. Warns on stderr when a token would go
// in plaintext to a host other than loopback.
ConnectionOptions ConnectionOptionsFromArgs(const Args& args, Service service);

// A channel to one service. gRPC retries UNAVAILABLE (up to 3 attempts, as
// the generated Python and Node clients do): every Pledgebook RPC is safe to
// retry (reads, and ingestion is idempotent by content).
class Connection {
 public:
  explicit Connection(ConnectionOptions options);

  const std::shared_ptr<grpc::Channel>& channel() const { return channel_; }
  // A context for one call: the deadline (if any) and the bearer token.
  std::unique_ptr<grpc::ClientContext> NewContext() const;
  // "report-service at 127.0.0.1:50052 (TLS)", for messages.
  std::string Describe() const;
  const ConnectionOptions& options() const { return options_; }

 private:
  ConnectionOptions options_;
  std::shared_ptr<grpc::Channel> channel_;
};

// The canonical name of a status code: "NOT_FOUND".
std::string StatusCodeName(grpc::StatusCode code);

// The exit status for a call that failed with `code`: NOT_FOUND 3,
// UNAVAILABLE 4, INVALID_ARGUMENT 2 (the server rejected what the command
// line asked for: a filter, a page token, a cursor), anything else 1.
int ExitCodeFor(grpc::StatusCode code);

// Prints "pledgebook COMMAND: CODE: message" to stderr, with a hint for
// UNAVAILABLE (which address was tried and how to change it) and
// DEADLINE_EXCEEDED; returns ExitCodeFor(status.error_code()).
int ReportRpcError(const std::string& command, const grpc::Status& status, const Connection& connection);

}  // namespace pledgebook::cli
