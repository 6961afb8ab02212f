// pledgebook-report: read-only queries and funding reports over gRPC.
//
//   pledgebook-report --database-url=postgresql://… --tls_cert_file=… --tls_key_file=… [--listen=…]
//   pledgebook-report --database-url=… --plaintext          (local development)
//
// Every connection is opened read-only, so the service can point at a hot
// standby and never tries to write; give it a login in the
// pledgebook_reader group (migrations/0002_reader_role.sql) so that the
// database enforces it too. The security, limit and observability flags
// both services share are in common/service_main.cc.
#include <cstdio>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "common/config.h"
#include "common/db_pool.h"
#include "common/logging.h"
#include "common/server_lifecycle.h"
#include "common/service_main.h"
#include "report_service.h"

ABSL_FLAG(std::string, database_url, "", "libpq URI or keyword string (env PLEDGEBOOK_DATABASE_URL)");
ABSL_FLAG(std::string, listen, "", "host:port to listen on (default 127.0.0.1:50052; env PLEDGEBOOK_LISTEN)");
ABSL_FLAG(int, db_pool_size, 16, "maximum database connections");
ABSL_FLAG(int, watch_poll_ms, 250, "how often WatchInitiatives looks for new initiatives");
ABSL_FLAG(int, shutdown_grace_seconds, 20, "time in-flight calls and streams get to finish on SIGTERM");

int main(int argc, char** argv) {
  pledgebook::BlockTerminationSignals();
  pledgebook::NormalizeFlagNames(argc, argv);
  absl::SetProgramUsageMessage(
      "pledgebook-report --database-url=URL (--tls_cert_file=F --tls_key_file=F | --plaintext) [--listen=ADDR]");
  absl::ParseCommandLine(argc, argv);
  const std::string url = pledgebook::FlagOrEnv(absl::GetFlag(FLAGS_database_url),
                                                pledgebook::kDatabaseUrlEnv, "");
  if (url.empty()) {
    std::fprintf(stderr, "pledgebook-report: --database-url or PLEDGEBOOK_DATABASE_URL is required\n");
    return 2;
  }
  if (absl::Status transport = pledgebook::CheckTransportFlags(); !transport.ok()) {
    std::fprintf(stderr, "pledgebook-report: %s\n", std::string(transport.message()).c_str());
    return 2;
  }
  pledgebook::ConnectionPool pool(url, absl::GetFlag(FLAGS_db_pool_size), pledgebook::SessionSql(true),
                                  pledgebook::DbMaxBackoff());
  pledgebook::report::ReportServiceImpl service(&pool, absl::Milliseconds(absl::GetFlag(FLAGS_watch_poll_ms)));

  pledgebook::ServiceWiring wiring;
  wiring.binary = "pledgebook-report";
  wiring.default_listen = pledgebook::kDefaultReportAddress;
  wiring.listen_flag = absl::GetFlag(FLAGS_listen);
  wiring.health_service_names = {"pledgebook.v1.ReportService"};
  wiring.pool = &pool;
  wiring.services = {&service};
  wiring.shutdown_grace = absl::Seconds(absl::GetFlag(FLAGS_shutdown_grace_seconds));
  return pledgebook::RunService(wiring);
}
