#pragma once

#include <chrono>
#include <exception>
#include <string>

#include <pqxx/pqxx>

#include "common/db_pool.h"
#include "common/grpc_status.h"
#include "grpcpp/support/status.h"
#include "statement_timeout.h"

namespace pledgebook::report {

// The isolation a unary read needs.
inline constexpr char kReadOnly[] = "SET TRANSACTION READ ONLY";
// Several statements that must agree (a report's rows and its totals).
inline constexpr char kReadOnlySnapshot[] = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY";

// How every unary read runs: borrows a connection, opens a transaction with
// `settings` and a statement_timeout from the deadline (one round trip for
// both), runs `body(tx)` → grpc::Status, commits when it is OK. A database
// error becomes its gRPC status (UNAVAILABLE for a lost connection, which
// is then not reused).
template <typename Body>
grpc::Status InReadTransaction(ConnectionPool* pool, std::chrono::system_clock::time_point deadline,
                               const char* settings, Body&& body) {
  absl::StatusOr<ConnectionPool::Lease> lease = pool->Acquire();
  if (!lease.ok()) return ToGrpcStatus(lease.status());
  try {
    pqxx::work tx(**lease);
    tx.exec(TransactionSetupSql(settings, deadline, std::chrono::milliseconds(30000)));
    grpc::Status status = body(tx);
    if (status.ok()) tx.commit();
    return status;
  } catch (const std::exception& e) {
    lease->Discard();
    return DatabaseErrorStatus(e);
  }
}

}  // namespace pledgebook::report
