#pragma once

#include <chrono>

#include <pqxx/pqxx>

namespace pledgebook::report {

// Propagates the caller's deadline into PostgreSQL: the transaction's
// statement_timeout becomes the time left (at least 1 ms), so the database
// stops working when the client stops waiting. No deadline: the server's
// default (30 s for unary calls; streams set none).
void SetStatementTimeout(pqxx::transaction_base& tx, std::chrono::system_clock::time_point deadline,
                         std::chrono::milliseconds fallback = std::chrono::milliseconds(0));

}  // namespace pledgebook::report
