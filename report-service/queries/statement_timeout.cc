#include "statement_timeout.h"

#include <algorithm>

namespace pledgebook::report {

std::string TransactionSetupSql(const std::string& settings, std::chrono::system_clock::time_point deadline,
                                std::chrono::milliseconds fallback) {
  using namespace std::chrono;
  long long ms = fallback.count();
  // gRPC reports "no deadline" as a time point far in the future.
  if (deadline < system_clock::now() + hours(24 * 365)) {
    ms = std::max<long long>(1, duration_cast<milliseconds>(deadline - system_clock::now()).count());
  }
  // SET LOCAL takes no parameters; the value is a number we computed.
  std::string sql = settings.empty() ? "" : settings + "; ";
  return sql + "SET LOCAL statement_timeout = " + std::to_string(ms);
}

}  // namespace pledgebook::report
