#include "common/service_main.h"

#include <cstdio>
#include <memory>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "common/call_gate.h"
#include "common/config.h"
#include "common/health_monitor.h"
#include "common/logging.h"
#include "common/metrics.h"
#include "common/server_lifecycle.h"
#include "common/token_store.h"

ABSL_FLAG(bool, plaintext, false,
          "serve without TLS (local development and tests only); without it the service needs "
          "--tls_cert_file and --tls_key_file");
ABSL_FLAG(std::string, tls_cert_file, "", "PEM certificate chain of the gRPC listener (env PLEDGEBOOK_TLS_CERT_FILE)");
ABSL_FLAG(std::string, tls_key_file, "", "PEM private key of the gRPC listener (env PLEDGEBOOK_TLS_KEY_FILE)");
ABSL_FLAG(std::string, tls_client_ca_file, "",
          "PEM CA bundle; when set, clients must present a certificate it signed (mutual TLS) "
          "(env PLEDGEBOOK_TLS_CLIENT_CA_FILE)");
ABSL_FLAG(std::string, token_file, "",
          "bearer tokens, hashed, with their roles (docs/security.md); reloaded when it changes; empty: "
          "no authentication (env PLEDGEBOOK_TOKEN_FILE)");
ABSL_FLAG(int, token_reload_seconds, 5, "how often --token_file is checked for changes");
ABSL_FLAG(std::string, metrics_listen, "",
          "host:port of the Prometheus /metrics endpoint (HTTP); empty: off (env PLEDGEBOOK_METRICS_LISTEN)");
ABSL_FLAG(std::string, health_listen, "",
          "host:port of a plaintext listener serving grpc.health.v1 only, for probes that cannot speak "
          "TLS; empty: none");
ABSL_FLAG(int, max_streams_per_client, 16,
          "streaming calls one client (token name, certificate subject, else all anonymous callers "
          "together) may have open at once; 0: no limit");
ABSL_FLAG(int, default_deadline_seconds, 60, "deadline of unary calls whose client set none; 0: none");
ABSL_FLAG(int, default_stream_deadline_seconds, 3600,
          "deadline of finite streams (bulk ingest, exports) whose client set none; 0: none "
          "(WatchInitiatives never gets one)");
ABSL_FLAG(int, max_message_bytes, 64 << 20, "largest gRPC message received or sent, in bytes");
ABSL_FLAG(int, statement_timeout_ms, 30000,
          "PostgreSQL statement_timeout of every connection (a call's own deadline lowers it); 0: none");
ABSL_FLAG(int, health_check_interval_ms, 2000, "how often the database is probed for the health status");
ABSL_FLAG(int, db_reconnect_max_backoff_ms, 5000,
          "longest wait between reconnection attempts while the database is unreachable");

namespace pledgebook {
namespace {

TransportSettings TransportFromFlags() {
  TransportSettings t;
  t.plaintext = absl::GetFlag(FLAGS_plaintext);
  t.cert_file = FlagOrEnv(absl::GetFlag(FLAGS_tls_cert_file), "PLEDGEBOOK_TLS_CERT_FILE", "");
  t.key_file = FlagOrEnv(absl::GetFlag(FLAGS_tls_key_file), "PLEDGEBOOK_TLS_KEY_FILE", "");
  t.client_ca_file = FlagOrEnv(absl::GetFlag(FLAGS_tls_client_ca_file), "PLEDGEBOOK_TLS_CLIENT_CA_FILE", "");
  return t;
}

}  // namespace

absl::Status CheckTransportFlags() { return ValidateTransport(TransportFromFlags()); }

std::string SessionSql(bool read_only) {
  std::string sql = absl::StrCat("SET statement_timeout = ", std::max(0, absl::GetFlag(FLAGS_statement_timeout_ms)));
  if (read_only) sql += "; SET default_transaction_read_only = on";
  return sql;
}

absl::Duration DbMaxBackoff() {
  return absl::Milliseconds(std::max(100, absl::GetFlag(FLAGS_db_reconnect_max_backoff_ms)));
}

int RunService(const ServiceWiring& wiring) {
  const char* bin = wiring.binary.c_str();
  ServerSettings settings;
  settings.listen_address = FlagOrEnv(wiring.listen_flag, "PLEDGEBOOK_LISTEN", wiring.default_listen);
  settings.max_message_bytes = absl::GetFlag(FLAGS_max_message_bytes);
  settings.health_service_names = wiring.health_service_names;
  settings.transport = TransportFromFlags();
  settings.gate.max_streams_per_client = std::max(0, absl::GetFlag(FLAGS_max_streams_per_client));
  settings.default_unary_deadline = std::chrono::seconds(std::max(0, absl::GetFlag(FLAGS_default_deadline_seconds)));
  settings.default_stream_deadline =
      std::chrono::seconds(std::max(0, absl::GetFlag(FLAGS_default_stream_deadline_seconds)));
  settings.health_listen_address = absl::GetFlag(FLAGS_health_listen);

  const std::string token_file = FlagOrEnv(absl::GetFlag(FLAGS_token_file), "PLEDGEBOOK_TOKEN_FILE", "");
  if (!token_file.empty()) {
    auto tokens = TokenStore::Load(token_file, absl::Seconds(std::max(1, absl::GetFlag(FLAGS_token_reload_seconds))));
    if (!tokens.ok()) {
      std::fprintf(stderr, "%s: %s\n", bin, std::string(tokens.status().message()).c_str());
      return 2;
    }
    settings.gate.tokens = std::move(*tokens);
  } else {
    Log("warning", "no --token_file: calls are not authenticated (every caller may call every method)");
  }
  if (settings.transport.plaintext) {
    Log("warning", "--plaintext: gRPC traffic is not encrypted (local development only)");
  }

  std::unique_ptr<MetricsServer> metrics;
  const std::string metrics_listen = FlagOrEnv(absl::GetFlag(FLAGS_metrics_listen), "PLEDGEBOOK_METRICS_LISTEN", "");
  if (!metrics_listen.empty()) {
    auto started = MetricsServer::Start(metrics_listen, &ServiceMetrics::Get().registry);
    if (!started.ok()) {
      Log("error", "cannot start", {{"error", std::string(started.status().message())}});
      return 1;
    }
    metrics = std::move(*started);
  }

  auto running = StartServer(settings, wiring.services);
  if (!running.ok()) {
    Log("error", "cannot start", {{"error", std::string(running.status().message())}});
    std::fprintf(stderr, "%s: %s\n", bin, std::string(running.status().message()).c_str());
    return 1;
  }
  std::unique_ptr<DatabaseHealthMonitor> monitor;
  if (wiring.pool != nullptr) {
    monitor = std::make_unique<DatabaseHealthMonitor>(
        wiring.pool, running->health, absl::Milliseconds(std::max(100, absl::GetFlag(FLAGS_health_check_interval_ms))));
  }
  std::string line = absl::StrCat(wiring.binary, " listening");
  std::vector<std::pair<std::string, std::string>> fields = {
      {"address", settings.listen_address},
      {"port", std::to_string(running->port)},
      {"transport", settings.transport.plaintext ? "plaintext"
                    : settings.transport.client_ca_file.empty() ? "tls"
                                                                : "mtls"},
      {"auth", settings.gate.tokens ? "tokens" : "off"}};
  if (running->health_port != 0) fields.emplace_back("health_port", std::to_string(running->health_port));
  if (metrics) fields.emplace_back("metrics_port", std::to_string(metrics->port()));
  for (const auto& f : wiring.log_fields) fields.push_back(f);
  LogFields("info", line, fields);
  WaitForTermination(*running, wiring.shutdown_grace);
  monitor.reset();
  metrics.reset();
  return 0;
}

}  // namespace pledgebook
