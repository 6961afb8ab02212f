#include "connection.h"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/config.h"

namespace pledgebook::cli {
namespace {

constexpr int kMaxReceiveBytes = 256 << 20;  // a FULL document with its text fits easily

// Retries UNAVAILABLE with backoff; the same policy the generated clients use.
constexpr char kServiceConfig[] = R"({
  "methodConfig": [{
    "name": [{"service": "pledgebook.v1.IngestService"}, {"service": "pledgebook.v1.ReportService"}],
    "retryPolicy": {
      "maxAttempts": 3,
      "initialBackoff": "0.2s",
      "maxBackoff": "2s",
      "backoffMultiplier": 2,
      "retryableStatusCodes": ["UNAVAILABLE"]
    }
  }]
})";

const char* ServiceName(Service s) { return s == Service::kIngest ? "ingest-service" : "report-service"; }
const char* AddressFlag(Service s) { return s == Service::kIngest ? "ingest-addr" : "report-addr"; }

bool IsLoopback(const std::string& address) {
  return absl::StartsWith(address, "127.") || absl::StartsWith(address, "localhost:") ||
         absl::StartsWith(address, "[::1]") || absl::StartsWith(address, "unix:") ||
         absl::StartsWith(address, "ipv4:127.");
}

}  // namespace

std::vector<FlagSpec> ConnectionFlags(Service service, const std::string& default_deadline_seconds) {
  const bool ingest = service == Service::kIngest;
  return {
      {AddressFlag(service), "HOST:PORT", absl::StrCat("Address of ", ServiceName(service), "."),
       ingest ? kIngestAddressEnv : kReportAddressEnv, ingest ? kDefaultIngestAddress : kDefaultReportAddress, {}},
      {"deadline-seconds", "SECONDS",
       ingest ? "Deadline of each file's call; 0 for none." : "Deadline of the call; 0 for none.", "",
       default_deadline_seconds, {}},
      {"token", "TOKEN",
       "Bearer token, sent as \"authorization: Bearer TOKEN\" on every call. Prefer the environment variable: "
       "a flag shows in the process list.",
       "PLEDGEBOOK_TOKEN", "", {}},
      {"tls-ca-file", "PEM_FILE",
       "Connect with TLS, trusting the CA certificate(s) in this PEM file. Without it the connection is "
       "plaintext.",
       "PLEDGEBOOK_TLS_CA_FILE", "", {}},
  };
}

ConnectionOptions ConnectionOptionsFromArgs(const Args& args, Service service) {
  ConnectionOptions options;
  options.service = service;
  options.address = args.Get(AddressFlag(service));
  if (options.address.empty()) throw UsageError(absl::StrCat("--", AddressFlag(service), " is empty"));
  options.deadline_seconds = args.GetSeconds("deadline-seconds");
  options.token = args.Get("token");
  for (unsigned char c : options.token) {
    // A metadata value is printable ASCII; anything else would be refused by
    // gRPC at call time with a less helpful message.
    if (c < 0x20 || c > 0x7e) throw UsageError("--token: only printable ASCII characters are allowed");
  }
  options.tls_ca_file = args.Get("tls-ca-file");
  if (!options.tls_ca_file.empty()) {
    std::ifstream in(options.tls_ca_file, std::ios::binary);
    if (!in) {
      throw UsageError(absl::StrCat("--tls-ca-file: cannot read ", options.tls_ca_file, ": ", std::strerror(errno)));
    }
    std::ostringstream pem;
    pem << in.rdbuf();
    options.tls_root_pem = pem.str();
    if (options.tls_root_pem.find("-----BEGIN CERTIFICATE-----") == std::string::npos) {
      throw UsageError(absl::StrCat("--tls-ca-file: ", options.tls_ca_file, " holds no PEM certificate"));
    }
  }
  if (!options.token.empty() && options.tls_ca_file.empty() && !IsLoopback(options.address)) {
    std::cerr << "pledgebook " << args.command() << ": warning: sending the token in plaintext to "
              << options.address << " (use --tls-ca-file)\n";
  }
  return options;
}

Connection::Connection(ConnectionOptions options) : options_(std::move(options)) {
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  if (options_.tls_root_pem.empty()) {
    credentials = grpc::InsecureChannelCredentials();
  } else {
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = options_.tls_root_pem;
    credentials = grpc::SslCredentials(ssl);
  }
  grpc::ChannelArguments arguments;
  arguments.SetServiceConfigJSON(kServiceConfig);
  arguments.SetMaxReceiveMessageSize(kMaxReceiveBytes);
  channel_ = grpc::CreateCustomChannel(options_.address, credentials, arguments);
}

std::unique_ptr<grpc::ClientContext> Connection::NewContext() const {
  auto context = std::make_unique<grpc::ClientContext>();
  if (options_.deadline_seconds > 0) {
    context->set_deadline(std::chrono::system_clock::now() +
                          std::chrono::duration_cast<std::chrono::system_clock::duration>(
                              std::chrono::duration<double>(options_.deadline_seconds)));
  }
  // Plain metadata rather than call credentials: gRPC sends call credentials
  // only over TLS, and the services accept the header either way.
  if (!options_.token.empty()) context->AddMetadata("authorization", "Bearer " + options_.token);
  return context;
}

std::string Connection::Describe() const {
  return absl::StrCat(ServiceName(options_.service), " at ", options_.address,
                      options_.tls_root_pem.empty() ? "" : " (TLS)");
}

std::string StatusCodeName(grpc::StatusCode code) {
  std::string name = absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
  return name.empty() ? absl::StrCat("CODE_", static_cast<int>(code)) : name;
}

int ExitCodeFor(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK: return kExitOk;
    case grpc::StatusCode::NOT_FOUND: return kExitNotFound;
    case grpc::StatusCode::UNAVAILABLE: return kExitUnavailable;
    case grpc::StatusCode::INVALID_ARGUMENT: return kExitUsage;
    default: return kExitFailure;
  }
}

int ReportRpcError(const std::string& command, const grpc::Status& status, const Connection& connection) {
  std::cerr << "pledgebook " << command << ": " << StatusCodeName(status.error_code()) << ": "
            << status.error_message() << "\n";
  const ConnectionOptions& o = connection.options();
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE) {
    std::cerr << "  could not reach " << connection.Describe() << "; is it running? (set --"
              << AddressFlag(o.service) << " or " << (o.service == Service::kIngest ? kIngestAddressEnv : kReportAddressEnv)
              << (o.tls_root_pem.empty() ? "; --tls-ca-file if it serves TLS" : "; check that it serves TLS") << ")\n";
  } else if (status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED && o.deadline_seconds > 0) {
    std::cerr << "  the call took longer than --deadline-seconds=" << o.deadline_seconds << "\n";
  }
  return ExitCodeFor(status.error_code());
}

}  // namespace pledgebook::cli
