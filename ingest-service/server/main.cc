// pledgebook-ingest: parses documents and stores them in PostgreSQL.
//
//   pledgebook-ingest --database-url=postgresql://… --tls_cert_file=… --tls_key_file=… [--listen=…]
//   pledgebook-ingest --database-url=… --plaintext          (local development)
//   pledgebook-ingest migrate --database-url=…              (apply migrations and exit)
//
// The security, limit and observability flags both services share are in
// common/service_main.cc; docs/configuration.md lists every flag.
#include <cstdio>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "admin/admin_service.h"
#include "common/config.h"
#include "common/db_pool.h"
#include "common/logging.h"
#include "common/migrations.h"
#include "common/server_lifecycle.h"
#include "common/service_main.h"
#include "ingest_service.h"

ABSL_FLAG(std::string, database_url, "", "libpq URI or keyword string (env PLEDGEBOOK_DATABASE_URL)");
ABSL_FLAG(std::string, listen, "", "host:port to listen on (default 127.0.0.1:50051; env PLEDGEBOOK_LISTEN)");
ABSL_FLAG(bool, migrate_on_start, true,
          "apply pending schema migrations at start-up under an advisory lock; turn off where a "
          "separate migration job runs");
ABSL_FLAG(int, db_pool_size, 8, "maximum database connections");
ABSL_FLAG(int, max_document_bytes, 16 << 20, "largest document accepted, in bytes (parser guard)");
ABSL_FLAG(int, max_html_depth, 512, "deepest HTML/Markdown element nesting accepted (parser guard)");
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
  absl::SetProgramUsageMessage(
      "pledgebook-ingest [migrate] --database-url=URL (--tls_cert_file=F --tls_key_file=F | --plaintext) "
      "[--listen=ADDR]");
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
  if (absl::Status transport = pledgebook::CheckTransportFlags(); !transport.ok()) {
    std::fprintf(stderr, "pledgebook-ingest: %s\n", std::string(transport.message()).c_str());
    return 2;
  }
  if (absl::GetFlag(FLAGS_max_document_bytes) <= 0 || absl::GetFlag(FLAGS_max_html_depth) <= 0) {
    std::fprintf(stderr, "pledgebook-ingest: --max_document_bytes and --max_html_depth must be positive\n");
    return 2;
  }
  if (absl::GetFlag(FLAGS_migrate_on_start) && Migrate(url) != 0) return 1;

  pledgebook::ConnectionPool pool(url, absl::GetFlag(FLAGS_db_pool_size), pledgebook::SessionSql(false),
                                  pledgebook::DbMaxBackoff());
  pledgebook::ingest::DocumentStore store(&pool);
  pledgebook::parser::ParserLimits limits;
  limits.max_document_bytes = static_cast<size_t>(absl::GetFlag(FLAGS_max_document_bytes));
  limits.max_html_depth = absl::GetFlag(FLAGS_max_html_depth);
  pledgebook::ingest::IngestServiceImpl service(&store, limits, absl::GetFlag(FLAGS_db_pool_size));
  pledgebook::ingest::AdminServiceImpl admin(&pool);

  pledgebook::ServiceWiring wiring;
  wiring.binary = "pledgebook-ingest";
  wiring.default_listen = pledgebook::kDefaultIngestAddress;
  wiring.listen_flag = absl::GetFlag(FLAGS_listen);
  wiring.health_service_names = {"pledgebook.v1.IngestService", "pledgebook.v1.AdminService"};
  wiring.pool = &pool;
  wiring.services = {&service, &admin};
  wiring.shutdown_grace = absl::Seconds(absl::GetFlag(FLAGS_shutdown_grace_seconds));
  wiring.log_fields = {{"parser_version", pledgebook::parser::ParserVersion()}};
  return pledgebook::RunService(wiring);
}
