#include "prepared.h"

#include <functional>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

#include "absl/strings/str_cat.h"

namespace pledgebook::report {
namespace {

// Which statements each connection has been asked to prepare. Keyed by the
// connection's address: when a closed connection's address is reused the
// entry is stale, which is harmless — prepare() below registers the
// statement on the new connection all the same (pqxx prepares lazily and
// treats a repeated identical definition as a no-op).
struct Registry {
  std::mutex mu;
  std::unordered_map<const void*, std::unordered_set<size_t>> prepared;
};

Registry& GetRegistry() {
  static Registry* r = new Registry();
  return *r;
}

}  // namespace

pqxx::result ExecPrepared(pqxx::transaction_base& tx, const std::string& sql, const std::vector<std::string>& params) {
  const size_t hash = std::hash<std::string>{}(sql);
  pqxx::connection_base& conn = tx.conn();
  {
    Registry& r = GetRegistry();
    std::lock_guard<std::mutex> lock(r.mu);
    std::unordered_set<size_t>& mine = r.prepared[&conn];
    if (mine.count(hash) == 0) {
      if (mine.size() >= kMaxPreparedPerConnection) return tx.exec_params(sql, pqxx::prepare::make_dynamic_params(params));
      mine.insert(hash);
    }
  }
  const std::string name = absl::StrCat("pb_", absl::Hex(hash, absl::kZeroPad16));
  conn.prepare(name, sql);
  return tx.exec_prepared(name, pqxx::prepare::make_dynamic_params(params));
}

}  // namespace pledgebook::report
