#pragma once

#include <string>
#include <vector>

#include <pqxx/pqxx>

namespace pledgebook::report {

// Runs `sql` with `params` as a prepared statement of the transaction's
// connection, prepared on first use and reused by every later call with the
// same SQL text. Report statements are 5-relation joins: planning them was
// 77% of a per-document report's database time when each call sent an
// unnamed statement (bench/README.md). Statements are named by a hash of
// their text, so one text is always one statement; a connection keeps at
// most kMaxPreparedPerConnection of them (filters of unusual shapes beyond
// that run unprepared), so odd requests cannot grow the server's memory
// without bound. Values only ever travel as parameters.
pqxx::result ExecPrepared(pqxx::transaction_base& tx, const std::string& sql, const std::vector<std::string>& params);

inline constexpr size_t kMaxPreparedPerConnection = 256;

}  // namespace pledgebook::report
