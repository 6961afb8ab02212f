#include "common/call_gate.h"

#include <grpc/grpc.h>
#include <grpc/grpc_security.h>
#include <grpc/slice.h>

#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/logging.h"
#include "common/method_roles.h"
#include "common/metrics.h"

namespace pledgebook {
namespace {

std::string SliceString(const grpc_slice& s) {
  return std::string(reinterpret_cast<const char*>(GRPC_SLICE_START_PTR(s)), GRPC_SLICE_LENGTH(s));
}

absl::StatusOr<std::string> ReadPem(const std::string& flag, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::InvalidArgumentError(absl::StrCat(flag, ": cannot read ", path));
  std::ostringstream ss;
  ss << in.rdbuf();
  std::string pem = ss.str();
  if (pem.find("-----BEGIN ") == std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat(flag, ": ", path, " is not a PEM file"));
  }
  return pem;
}

const char* CodeName(int code) {
  switch (code) {
    case GRPC_STATUS_UNAUTHENTICATED: return "UNAUTHENTICATED";
    case GRPC_STATUS_PERMISSION_DENIED: return "PERMISSION_DENIED";
    case GRPC_STATUS_RESOURCE_EXHAUSTED: return "RESOURCE_EXHAUSTED";
    default: return "UNKNOWN";
  }
}

// Reads a property the transport set at the handshake (never written after).
std::string FirstProperty(grpc_auth_context* ctx, const char* name) {
  grpc_auth_property_iterator it = grpc_auth_context_find_properties_by_name(ctx, name);
  if (const grpc_auth_property* p = grpc_auth_property_iterator_next(&it)) {
    return std::string(p->value, p->value_length);
  }
  return "";
}

// The core-level processor: gRPC calls it with each call's metadata (":path"
// among it) before the call is matched to a handler.
void Process(void* state, grpc_auth_context* context, const grpc_metadata* md, size_t num_md,
             grpc_process_auth_metadata_done_cb done, void* user_data) {
  CallGate* gate = static_cast<std::shared_ptr<CallGate>*>(state)->get();
  std::string method, request_id;
  std::string authorization;
  bool has_authorization = false;
  for (size_t i = 0; i < num_md; ++i) {
    std::string key = SliceString(md[i].key);
    if (key == ":path") {
      method = SliceString(md[i].value);
    } else if (key == "authorization") {
      authorization = SliceString(md[i].value);
      has_authorization = true;  // left in place: the interceptor identifies the caller, then drops it
    } else if (key == "x-request-id") {
      request_id = SliceString(md[i].value);
    }
  }
  CallGate::Decision d =
      gate->Decide(method, has_authorization ? &authorization : nullptr, FirstProperty(context, GRPC_X509_SUBJECT_PROPERTY_NAME));
  if (d.code != GRPC_STATUS_OK) {
    ServiceMetrics& m = ServiceMetrics::Get();
    m.requests->Inc({method, CodeName(d.code)});
    m.rejected->Inc({method, d.reason});
    Log("warning", "rpc rejected",
        {{"method", method}, {"code", CodeName(d.code)}, {"reason", d.reason}, {"client", d.client},
         {"request_id", request_id}, {"error", d.message}});
    done(user_data, nullptr, 0, nullptr, 0, static_cast<grpc_status_code>(d.code), d.message.c_str());
    return;
  }
  done(user_data, nullptr, 0, nullptr, 0, GRPC_STATUS_OK, nullptr);
}

void Destroy(void* state) { delete static_cast<std::shared_ptr<CallGate>*>(state); }

// grpc::ServerCredentials over core credentials with the gate's processor.
// (grpc++'s own InsecureServerCredentials cannot take a processor; this
// one can, so plaintext and TLS listeners enforce the same rules.)
class GatedCredentials final : public grpc::ServerCredentials {
 public:
  GatedCredentials(TransportSettings transport, std::string cert, std::string key, std::string client_ca,
                   std::shared_ptr<CallGate> gate)
      : transport_(std::move(transport)), cert_(std::move(cert)), key_(std::move(key)),
        client_ca_(std::move(client_ca)), gate_(std::move(gate)) {}

  void SetAuthMetadataProcessor(const std::shared_ptr<grpc::AuthMetadataProcessor>&) override {}

 private:
  int AddPortToServer(const std::string& addr, grpc_server* server) override {
    grpc_server_credentials* creds = nullptr;
    if (transport_.plaintext) {
      creds = grpc_insecure_server_credentials_create();
    } else {
      grpc_ssl_pem_key_cert_pair pair{key_.c_str(), cert_.c_str()};
      creds = grpc_ssl_server_credentials_create_ex(
          client_ca_.empty() ? nullptr : client_ca_.c_str(), &pair, 1,
          client_ca_.empty() ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
                             : GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY,
          nullptr);
    }
    if (creds == nullptr) return 0;
    grpc_auth_metadata_processor processor;
    processor.process = Process;
    processor.destroy = Destroy;
    processor.state = new std::shared_ptr<CallGate>(gate_);
    grpc_server_credentials_set_auth_metadata_processor(creds, processor);
    int port = grpc_server_add_http2_port(server, addr.c_str(), creds);
    grpc_server_credentials_release(creds);
    return port;
  }

  const TransportSettings transport_;
  const std::string cert_, key_, client_ca_;
  const std::shared_ptr<CallGate> gate_;
};

}  // namespace

absl::Status ValidateTransport(const TransportSettings& t) {
  const bool any_tls = !t.cert_file.empty() || !t.key_file.empty() || !t.client_ca_file.empty();
  if (t.plaintext && any_tls) {
    return absl::InvalidArgumentError("--plaintext cannot be combined with --tls_cert_file/--tls_key_file/"
                                      "--tls_client_ca_file: choose one");
  }
  if (t.plaintext) return absl::OkStatus();
  if (t.cert_file.empty() && t.key_file.empty()) {
    return absl::InvalidArgumentError(
        "refusing to start without transport security: give --tls_cert_file and --tls_key_file "
        "(and --tls_client_ca_file for mutual TLS), or --plaintext for local development");
  }
  if (t.cert_file.empty() || t.key_file.empty()) {
    return absl::InvalidArgumentError("--tls_cert_file and --tls_key_file go together");
  }
  return absl::OkStatus();
}

CallGate::CallGate(GateSettings settings) : settings_(std::move(settings)) {}

bool CallGate::Authenticate(const std::string* authorization, TokenInfo* token, Decision* d) const {
  if (authorization == nullptr) {
    d->code = GRPC_STATUS_UNAUTHENTICATED;
    d->reason = "TOKEN_MISSING";
    d->message = "missing bearer token: send metadata \"authorization: Bearer <token>\"";
    return false;
  }
  absl::string_view value = *authorization;
  if (value.size() < 7 || !absl::EqualsIgnoreCase(value.substr(0, 7), "bearer ")) {
    d->code = GRPC_STATUS_UNAUTHENTICATED;
    d->reason = "TOKEN_MALFORMED";
    d->message = "the authorization metadata must be \"Bearer <token>\"";
    return false;
  }
  absl::string_view presented = absl::StripAsciiWhitespace(value.substr(7));
  switch (settings_.tokens->Check(std::string_view(presented.data(), presented.size()), absl::Now(), token)) {
    case TokenStore::Verdict::kUnknown:
      d->code = GRPC_STATUS_UNAUTHENTICATED;
      d->reason = "TOKEN_UNKNOWN";
      d->message = "unknown or revoked bearer token";
      return false;
    case TokenStore::Verdict::kExpired:
      d->code = GRPC_STATUS_UNAUTHENTICATED;
      d->reason = "TOKEN_EXPIRED";
      d->message = "the bearer token has expired";
      return false;
    case TokenStore::Verdict::kOk:
      break;
  }
  return true;
}

std::string CallGate::Identify(const std::string* authorization, const std::string& certificate_subject) const {
  if (settings_.tokens) {
    TokenInfo token;
    Decision ignored;
    if (Authenticate(authorization, &token, &ignored)) return token.name;
  }
  return !certificate_subject.empty() ? certificate_subject : "anonymous";
}

CallGate::Decision CallGate::Decide(const std::string& method, const std::string* authorization,
                                    const std::string& certificate_subject) {
  Decision d;
  const MethodPolicy policy = PolicyFor(method);
  if (policy.is_public) return d;
  if (settings_.tokens) {
    TokenInfo token;
    if (!Authenticate(authorization, &token, &d)) return d;
    d.client = token.name;
    if (!token.HasRole(policy.role)) {
      d.code = GRPC_STATUS_PERMISSION_DENIED;
      d.reason = "ROLE_MISSING";
      d.message = absl::StrCat("the token \"", token.name, "\" lacks the role \"", RoleName(policy.role),
                               "\" that ", method, " needs");
      return d;
    }
  } else {
    d.client = !certificate_subject.empty() ? certificate_subject : "anonymous";
  }
  if (policy.kind != CallKind::kUnary && policy.listed && settings_.max_streams_per_client > 0) {
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard<std::mutex> lock(mu_);
    ReapUnclaimedLocked(now);
    ClientStreams& streams = streams_[d.client];
    if (streams.open() >= settings_.max_streams_per_client) {
      d.code = GRPC_STATUS_RESOURCE_EXHAUSTED;
      d.reason = "TOO_MANY_STREAMS";
      d.message = absl::StrCat("client \"", d.client, "\" already has ", streams.open(),
                               " streams open (max_streams_per_client=", settings_.max_streams_per_client,
                               "); close one or retry later");
      return d;
    }
    streams.reserved.push_back(now);
  }
  return d;
}

void CallGate::ReapUnclaimedLocked(std::chrono::steady_clock::time_point now) {
  if (now - last_reap_ < std::chrono::seconds(1)) return;
  last_reap_ = now;
  for (auto it = streams_.begin(); it != streams_.end();) {
    auto& reserved = it->second.reserved;
    auto fresh = reserved.begin();
    while (fresh != reserved.end() && now - *fresh > std::chrono::minutes(1)) ++fresh;
    reserved.erase(reserved.begin(), fresh);
    it = it->second.open() == 0 ? streams_.erase(it) : std::next(it);
  }
}

bool CallGate::ClaimStream(const std::string& client) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = streams_.find(client);
  if (it == streams_.end() || it->second.reserved.empty()) return false;
  // The newest reservation: the older ones are likelier to belong to calls
  // that vanished, and those lapse first.
  it->second.reserved.pop_back();
  ++it->second.claimed;
  return true;
}

void CallGate::ReleaseStream(const std::string& client) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = streams_.find(client);
  if (it == streams_.end() || it->second.claimed == 0) return;
  --it->second.claimed;
  if (it->second.open() == 0) streams_.erase(it);
}

int CallGate::OpenStreams(const std::string& client) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = streams_.find(client);
  return it == streams_.end() ? 0 : it->second.open();
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> GatedServerCredentials(
    const TransportSettings& transport, std::shared_ptr<CallGate> gate) {
  if (absl::Status s = ValidateTransport(transport); !s.ok()) return s;
  std::string cert, key, ca;
  if (!transport.plaintext) {
    absl::StatusOr<std::string> c = ReadPem("--tls_cert_file", transport.cert_file);
    if (!c.ok()) return c.status();
    absl::StatusOr<std::string> k = ReadPem("--tls_key_file", transport.key_file);
    if (!k.ok()) return k.status();
    cert = std::move(*c), key = std::move(*k);
    if (!transport.client_ca_file.empty()) {
      absl::StatusOr<std::string> a = ReadPem("--tls_client_ca_file", transport.client_ca_file);
      if (!a.ok()) return a.status();
      ca = std::move(*a);
    }
  }
  return std::shared_ptr<grpc::ServerCredentials>(
      std::make_shared<GatedCredentials>(transport, std::move(cert), std::move(key), std::move(ca), std::move(gate)));
}

}  // namespace pledgebook
