// pledgebook-report: read-only queries and funding reports over gRPC.
//
//   pledgebook-report --database-url=postgresql://… [--listen=127.0.0.1:50052]
//
// Every connection is opened read-only, so the service can point at a hot
// standby and never tries to write.
#include <cstdio>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "common/config.h"
#include "common/db_pool.h"
#include "common/logging.h"
#include "common/server_lifecycle.h"
#include "report_service.h"

ABSL_FLAG(std::string, database_url, "", "libpq URI or keyword string (env PLEDGEBOOK_DATABASE_URL)");
ABSL_FLAG(std::string, listen, "", "host:port to listen on (default 127.0.0.1:50052)");
ABSL_FLAG(int, db_pool_size, 16, "maximum database connections");
ABSL_FLAG(int, watch_poll_ms, 250, "how often WatchInitiatives looks for new initiatives");
ABSL_FLAG(int, shutdown_grace_seconds, 20, "time in-flight calls and streams get to finish on SIGTERM");

int main(int argc, char** argv) {
  pledgebook::BlockTerminationSignals();
  pledgebook::NormalizeFlagNames(argc, argv);
  absl::SetProgramUsageMessage("pledgebook-report --database-url=URL [--listen=ADDR]");
  absl::ParseCommandLine(argc, argv);
  const std::string url = pledgebook::FlagOrEnv(absl::GetFlag(FLAGS_database_url),
                                                pledgebook::kDatabaseUrlEnv, "");
  if (url.empty()) {
    std::fprintf(stderr, "pledgebook-report: --database-url or PLEDGEBOOK_DATABASE_URL is required\n");
    return 2;
  }
  pledgebook::ConnectionPool pool(url, absl::GetFlag(FLAGS_db_pool_size),
                                  "SET default_transaction_read_only = on");
  pledgebook::report::ReportServiceImpl service(&pool, absl::Milliseconds(absl::GetFlag(FLAGS_watch_poll_ms)));

  pledgebook::ServerSettings settings;
  settings.listen_address = pledgebook::FlagOrEnv(absl::GetFlag(FLAGS_listen), "PLEDGEBOOK_LISTEN",
                                                  pledgebook::kDefaultReportAddress);
  settings.health_service_names = {"pledgebook.v1.ReportService"};
  auto running = pledgebook::StartServer(settings, {&service});
  if (!running.ok()) {
    pledgebook::Log("error", "cannot start", {{"error", std::string(running.status().message())}});
    return 1;
  }
  pledgebook::Log("info", "pledgebook-report listening",
                  {{"address", settings.listen_address}, {"port", std::to_string(running->port)}});
  pledgebook::WaitForTermination(running->server.get(),
                                 absl::Seconds(absl::GetFlag(FLAGS_shutdown_grace_seconds)));
  return 0;
}
