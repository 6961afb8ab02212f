#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

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
    std::string reason;   // UPPER_SNAKE_CASE, for logs and metrics
    std::string client;   // the client key (token name, certificate subject or "anonymous")
    std::string token_name;
    uint64_t slot = 0;    // a stream slot taken for this call (0: none)
  };
  // The decision for one call. `authorization` is the metadata value
  // ("Bearer …"), `certificate_subject` the verified client certificate's
  // subject ("" without mTLS).
  Decision Decide(const std::string& method, const std::string* authorization,
                  const std::string& certificate_subject);

  // A stream slot taken by Decide is claimed by the call's interceptor and
  // released when the call ends; a slot never claimed (the call vanished
  // before reaching the server) is released after a minute.
  void ClaimSlot(uint64_t slot);
  void ReleaseSlot(uint64_t slot);
  int OpenStreams(const std::string& client) const;

  const GateSettings& settings() const { return settings_; }

 private:
  void ReapUnclaimedLocked(std::chrono::steady_clock::time_point now);

  const GateSettings settings_;
  struct Slot {
    std::string client;
    std::chrono::steady_clock::time_point taken;
    bool claimed = false;
  };
  mutable std::mutex mu_;
  uint64_t next_slot_ = 1;
  std::map<uint64_t, Slot> slots_;
  std::map<std::string, int> open_;
  std::chrono::steady_clock::time_point last_reap_;
};

// Server credentials for `transport` (TLS, mTLS or plaintext) that run
// every call through `gate`.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> GatedServerCredentials(
    const TransportSettings& transport, std::shared_ptr<CallGate> gate);

// Properties the gate attaches to a call's auth context (read by the
// interceptor, and by handlers through context->auth_context()).
inline constexpr char kClientProperty[] = "pledgebook.client";
inline constexpr char kTokenNameProperty[] = "pledgebook.token_name";
inline constexpr char kSlotProperty[] = "pledgebook.stream_slot";

// gRPC 1.51 may hand calls of one connection the same auth context, and its
// property list is not thread-safe: every write (gate) and read
// (interceptor) of these properties holds this lock. (Known limitation:
// properties then accumulate per connection; see docs/security.md.)
std::mutex& AuthPropertiesMutex();

}  // namespace pledgebook
