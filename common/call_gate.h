#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/token_store.h"
#include "grpcpp/security/server_credentials.h"

namespace pledgebook {

// What a listener accepts: TLS (optionally mutual) from certificate files,
// or plaintext, which must be asked for explicitly.
struct TransportSettings {
  bool plaintext = false;
  std::string cert_file;       // PEM certificate chain
  std::string key_file;        // PEM private key
  std::string client_ca_file;  // PEM CA bundle: when set, clients must present a certificate it signed
};

// Refuses a configuration that is neither TLS nor explicitly plaintext, or
// half of one (a certificate without its key, a client CA without TLS).
absl::Status ValidateTransport(const TransportSettings& transport);

struct GateSettings {
  // Bearer tokens; null: authentication is off and every caller is trusted
  // (a warning is logged at start-up).
  std::shared_ptr<TokenStore> tokens;
  // Streaming calls (server, client or bidirectional streams of the
  // Pledgebook services) one client may have open at once; 0: no limit.
  // A client is its token's name, else its TLS client certificate's
  // subject, else "anonymous" (see docs/security.md).
  int max_streams_per_client = 0;
};

// Decides, before a call reaches its handler, whether it may run: the
// bearer token (UNAUTHENTICATED when missing, unknown or expired), the role
// the method needs (PERMISSION_DENIED; table in method_roles.cc), and the
// per-client stream limit (RESOURCE_EXHAUSTED naming
// max_streams_per_client). Health and reflection pass without a token.
// It runs as gRPC's transport-level auth metadata processor, for TLS and
// plaintext listeners alike, so no handler has to remember to call it.
class CallGate {
 public:
  explicit CallGate(GateSettings settings);

  struct Decision {
    int code = 0;  // grpc_status_code
    std::string message;
    std::string reason;  // UPPER_SNAKE_CASE, for logs and metrics
    std::string client;  // the client key (token name, certificate subject or "anonymous")
  };
  // The decision for one call. `authorization` is the metadata value
  // ("Bearer …"), `certificate_subject` the verified client certificate's
  // subject ("" without mTLS). A stream call that passes reserves one of
  // its client's stream slots.
  Decision Decide(const std::string& method, const std::string* authorization,
                  const std::string& certificate_subject);

  // The client key of a call that passed Decide, derived again from the
  // same metadata. gRPC gives the metadata processor no handle on the call,
  // so the interceptor re-identifies the caller rather than receiving
  // per-call data through the (per-connection, shared) auth context.
  std::string Identify(const std::string* authorization, const std::string& certificate_subject) const;

  // The interceptor turns one of `client`'s reservations into an open
  // stream (false: none to claim — nothing to release later) and releases
  // it when the call ends. Reservations are interchangeable, so the count
  // stays exact however calls interleave; one never claimed (the call
  // vanished before reaching the server) lapses after a minute.
  bool ClaimStream(const std::string& client);
  void ReleaseStream(const std::string& client);
  // Streams open or reserved for `client`.
  int OpenStreams(const std::string& client) const;

  const GateSettings& settings() const { return settings_; }

 private:
  // Checks the bearer token; fills `d` with the refusal when it fails.
  bool Authenticate(const std::string* authorization, TokenInfo* token, Decision* d) const;
  void ReapUnclaimedLocked(std::chrono::steady_clock::time_point now);

  const GateSettings settings_;
  struct ClientStreams {
    int claimed = 0;
    std::vector<std::chrono::steady_clock::time_point> reserved;  // oldest first
    int open() const { return claimed + static_cast<int>(reserved.size()); }
  };
  mutable std::mutex mu_;
  std::map<std::string, ClientStreams> streams_;
  std::chrono::steady_clock::time_point last_reap_;
};

// Server credentials for `transport` (TLS, mTLS or plaintext) that run
// every call through `gate`.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> GatedServerCredentials(
    const TransportSettings& transport, std::shared_ptr<CallGate> gate);

}  // namespace pledgebook
