#pragma once

#include <chrono>
#include <string>


namespace pledgebook::report {

// Propagates the caller's deadline into PostgreSQL: the transaction's
// statement_timeout becomes the time left (at least 1 ms), so the database
// stops working when the client stops waiting. No deadline: `fallback`
// (0: none; unary calls use 30 s, streams none).
//
// The SQL for a transaction's first round trip: `settings` (e.g. "SET
// TRANSACTION READ ONLY") and the SET LOCAL statement_timeout, together.
std::string TransactionSetupSql(const std::string& settings, std::chrono::system_clock::time_point deadline,
                                std::chrono::milliseconds fallback = std::chrono::milliseconds(0));

}  // namespace pledgebook::report
