#pragma once

#include <string>
#include <vector>

#include <pqxx/pqxx>

namespace pledgebook {

struct MigrationResult {
  std::vector<std::string> applied;  // names of the migrations applied now
  int schema_version = 0;            // version after the run
};

// Applies the pending schema migrations (migrations/NNNN_name.sql, compiled
// into the binary), each in its own transaction, under a PostgreSQL advisory
// lock so that replicas starting together apply each one exactly once.
// Idempotent: a second run applies nothing. Throws on SQL errors.
MigrationResult ApplyMigrations(pqxx::connection& conn);

// The newest schema version this binary knows.
int LatestSchemaVersion();

// The version recorded in the database, or 0 when none was applied.
int CurrentSchemaVersion(pqxx::connection& conn);

}  // namespace pledgebook
