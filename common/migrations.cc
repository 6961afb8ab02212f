#include "common/migrations.h"

#include <algorithm>
#include <cstdlib>

#include "common/embedded_file.h"

namespace pledgebook {
extern const EmbeddedFile kMigrations[];
extern const std::size_t kMigrationsCount;

namespace {

// Arbitrary constant identifying Pledgebook's migration lock.
constexpr long long kMigrationLockKey = 0x706c6467626b01;  // "pldgbk" 1

struct Migration {
  int version;
  std::string name;
  std::string_view sql;
};

std::vector<Migration> Migrations() {
  std::vector<Migration> out;
  for (size_t i = 0; i < kMigrationsCount; ++i) {
    std::string name(kMigrations[i].name);
    out.push_back({std::atoi(name.c_str()), name, kMigrations[i].content});
  }
  std::sort(out.begin(), out.end(), [](const Migration& a, const Migration& b) {
    return a.version < b.version;
  });
  return out;
}

void EnsureTable(pqxx::connection& conn) {
  pqxx::work tx(conn);
  tx.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      " version integer PRIMARY KEY, name text NOT NULL,"
      " applied_at timestamptz NOT NULL DEFAULT now())");
  tx.commit();
}

}  // namespace

int LatestSchemaVersion() {
  auto all = Migrations();
  return all.empty() ? 0 : all.back().version;
}

int CurrentSchemaVersion(pqxx::connection& conn) {
  pqxx::read_transaction tx(conn);
  pqxx::result exists = tx.exec("SELECT to_regclass('schema_migrations') IS NOT NULL");
  if (!exists[0][0].as<bool>()) return 0;
  pqxx::result r = tx.exec("SELECT coalesce(max(version), 0) FROM schema_migrations");
  return r[0][0].as<int>();
}

MigrationResult ApplyMigrations(pqxx::connection& conn) {
  MigrationResult result;
  {
    pqxx::nontransaction lock(conn);
    lock.exec_params("SELECT pg_advisory_lock($1)", kMigrationLockKey);
  }
  try {
    EnsureTable(conn);
    for (const Migration& m : Migrations()) {
      pqxx::work tx(conn);
      pqxx::result done = tx.exec_params("SELECT 1 FROM schema_migrations WHERE version = $1", m.version);
      if (!done.empty()) continue;
      tx.exec(std::string(m.sql));
      tx.exec_params("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", m.version, m.name);
      tx.commit();
      result.applied.push_back(m.name);
    }
  } catch (...) {
    pqxx::nontransaction unlock(conn);
    unlock.exec_params("SELECT pg_advisory_unlock($1)", kMigrationLockKey);
    throw;
  }
  pqxx::nontransaction unlock(conn);
  unlock.exec_params("SELECT pg_advisory_unlock($1)", kMigrationLockKey);
  result.schema_version = LatestSchemaVersion();
  return result;
}

}  // namespace pledgebook
