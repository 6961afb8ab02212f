// pledgebook-ingest: parses documents and stores them in PostgreSQL.
//
//   pledgebook-ingest --database-url=postgresql://… [--listen=127.0.0.1:50051]
//   pledgebook-ingest migrate --database-url=…     (apply migrations and exit)
#include <cstdio>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "common/config.h"
#include "common/db_pool.h"
#include "common/logging.h"
#include "common/migrations.h"
#include "common/server_lifecycle.h"
#include "ingest_service.h"

ABSL_FLAG(std::string, database_url, "", "libpq URI or keyword string (env PLEDGEBOOK_DATABASE_URL)");
ABSL_FLAG(std::string, listen, "", "host:port to listen on (default 127.0.0.1:50051)");
ABSL_FLAG(bool, migrate_on_start, true,
          "apply pending schema migrations at start-up under an advisory lock; turn off where a "
          "separate migration job runs");
ABSL_FLAG(int, db_pool_size, 8, "maximum database connections");
ABSL_FLAG(int, max_document_bytes, 16 << 20, "largest document accepted, in bytes");
ABSL_FLAG(int, shutdown_grace_seconds, 20, "time in-flight calls get to finish on SIGTERM");

namespace {

int Migrate(const std::string& url) {
  try {
    pqxx::connection conn(url);
    pledgebook::MigrationResult r = pledgebook::ApplyMigrations(conn);
    for (const auto& name : r.applied) pledgebook::Log("info", "migration applied", {{"name", name}});
    pledgebook::Log("info", "schema up to date", {{"version", std::to_string(r.schema_version)}});
    return 0;
  } catch (const std::exception& e) {
    pledgebook::Log("error", "migration failed", {{"error", e.what()}});
    return 1;
  }
}

}  // namespace

int main(int argc, char** argv) {
  pledgebook::BlockTerminationSignals();
  pledgebook::NormalizeFlagNames(argc, argv);
  absl::SetProgramUsageMessage("pledgebook-ingest [migrate] --database-url=URL [--listen=ADDR]");
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  const std::string url = pledgebook::FlagOrEnv(absl::GetFlag(FLAGS_database_url),
                                                pledgebook::kDatabaseUrlEnv, "");
  if (url.empty()) {
    std::fprintf(stderr, "pledgebook-ingest: --database-url or PLEDGEBOOK_DATABASE_URL is required\n");
    return 2;
  }
  if (args.size() > 1) {
    if (std::string(args[1]) == "migrate") return Migrate(url);
    std::fprintf(stderr, "pledgebook-ingest: unknown command %s\n", args[1]);
    return 2;
  }
  if (absl::GetFlag(FLAGS_migrate_on_start) && Migrate(url) != 0) return 1;

  pledgebook::ConnectionPool pool(url, absl::GetFlag(FLAGS_db_pool_size));
  pledgebook::ingest::DocumentStore store(&pool);
  pledgebook::parser::ParserLimits limits;
  limits.max_document_bytes = static_cast<size_t>(absl::GetFlag(FLAGS_max_document_bytes));
  pledgebook::ingest::IngestServiceImpl service(&store, limits);

  pledgebook::ServerSettings settings;
  settings.listen_address = pledgebook::FlagOrEnv(absl::GetFlag(FLAGS_listen), "PLEDGEBOOK_LISTEN",
                                                  pledgebook::kDefaultIngestAddress);
  settings.health_service_names = {"pledgebook.v1.IngestService"};
  auto running = pledgebook::StartServer(settings, {&service});
  if (!running.ok()) {
    pledgebook::Log("error", "cannot start", {{"error", std::string(running.status().message())}});
    return 1;
  }
  pledgebook::Log("info", "pledgebook-ingest listening",
                  {{"address", settings.listen_address}, {"port", std::to_string(running->port)},
                   {"parser_version", pledgebook::parser::ParserVersion()}});
  pledgebook::WaitForTermination(running->server.get(),
                                 absl::Seconds(absl::GetFlag(FLAGS_shutdown_grace_seconds)));
  return 0;
}
