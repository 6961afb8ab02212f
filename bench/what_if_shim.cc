// what_if_shim: an LD_PRELOAD library for "what if" experiments on the
// unchanged service binaries — it measures the effect of a proposed fix
// before anyone writes it. Benchmarks only; never ship it.
//
//   PLEDGEBOOK_WHATIF_PREPARE=1   every SELECT sent with PQexecParams (what
//                                 pqxx's exec_params does) becomes a named
//                                 prepared statement of its connection, made
//                                 once, then run with PQexecPrepared: the
//                                 parse/plan cost of reports, paid per call
//                                 today, is paid once (PostgreSQL switches
//                                 to a generic plan after five runs when it
//                                 is no worse).
//   PLEDGEBOOK_WHATIF_WATCH_INDEX=1  WatchInitiatives' poll gets the redundant
//                                 predicate `d.ingest_sequence >= $1` next to
//                                 its row comparison, so PostgreSQL can start
//                                 the scan at the cursor (index range scan on
//                                 documents.ingest_sequence) instead of
//                                 reading every ingested document each poll.
//   PLEDGEBOOK_WHATIF_CORES=N     gpr_cpu_num_cores() answers N, so gRPC
//                                 sizes its callback threads as on an
//                                 N-core machine (more threads to run
//                                 handlers that block on the database).
//
//   LD_PRELOAD=build-bench/bench/libwhat_if_shim.so PLEDGEBOOK_WHATIF_PREPARE=1 pledgebook-report …
#include <dlfcn.h>
#include <libpq-fe.h>

#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace {

using ExecParamsFn = PGresult* (*)(PGconn*, const char*, int, const Oid*, const char* const*, const int*,
                                   const int*, int);
using FinishFn = void (*)(PGconn*);
using CoresFn = unsigned (*)();

bool EnvOn(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr && v[0] == '1';
}

// The watch poll's row comparison, as report-service writes it.
constexpr char kWatchCursor[] = "(d.ingest_sequence, i.initiative_index) > ($1::bigint, $2::integer)";

bool PrepareEnabled() {
  static const bool on = [] {
    const char* v = std::getenv("PLEDGEBOOK_WHATIF_PREPARE");
    return v != nullptr && v[0] == '1';
  }();
  return on;
}

std::mutex mu;
// (connection, SQL) → statement name; dropped when the connection closes.
std::map<std::pair<PGconn*, std::string>, std::string>* statements = new std::map<std::pair<PGconn*, std::string>, std::string>;
long long counter = 0;

}  // namespace

extern "C" PGresult* PQexecParams(PGconn* conn, const char* command, int n_params, const Oid* param_types,
                                  const char* const* param_values, const int* param_lengths,
                                  const int* param_formats, int result_format) {
  static const auto real = reinterpret_cast<ExecParamsFn>(dlsym(RTLD_NEXT, "PQexecParams"));
  static const bool watch_index = EnvOn("PLEDGEBOOK_WHATIF_WATCH_INDEX");
  std::string rewritten;
  if (watch_index) {
    if (const char* at = std::strstr(command, kWatchCursor)) {
      rewritten.assign(command, static_cast<size_t>(at - command));
      rewritten += "d.ingest_sequence >= $1::bigint AND ";
      rewritten += at;
      command = rewritten.c_str();
    }
  }
  // Only plain queries: DECLARE … CURSOR and utility statements cannot be prepared.
  if (!PrepareEnabled() || std::strncmp(command, "SELECT", 6) != 0) {
    return real(conn, command, n_params, param_types, param_values, param_lengths, param_formats, result_format);
  }
  std::string name;
  bool fresh = false;
  {
    std::lock_guard<std::mutex> lock(mu);
    auto key = std::make_pair(conn, std::string(command));
    auto it = statements->find(key);
    if (it != statements->end()) {
      name = it->second;
    } else {
      name = "pb_whatif_" + std::to_string(++counter);
      fresh = true;
      (*statements)[key] = name;
    }
  }
  if (fresh) {
    PGresult* prepared = PQprepare(conn, name.c_str(), command, n_params, param_types);
    const bool ok = prepared != nullptr && PQresultStatus(prepared) == PGRES_COMMAND_OK;
    PQclear(prepared);
    if (!ok) {  // e.g. inside a failed transaction: fall back, try again next time
      std::lock_guard<std::mutex> lock(mu);
      statements->erase(std::make_pair(conn, std::string(command)));
      return real(conn, command, n_params, param_types, param_values, param_lengths, param_formats, result_format);
    }
  }
  return PQexecPrepared(conn, name.c_str(), n_params, param_values, param_lengths, param_formats, result_format);
}

extern "C" void PQfinish(PGconn* conn) {
  static const auto real = reinterpret_cast<FinishFn>(dlsym(RTLD_NEXT, "PQfinish"));
  {
    std::lock_guard<std::mutex> lock(mu);
    for (auto it = statements->begin(); it != statements->end();) {
      it = it->first.first == conn ? statements->erase(it) : std::next(it);
    }
  }
  real(conn);
}

extern "C" unsigned gpr_cpu_num_cores() {
  const char* v = std::getenv("PLEDGEBOOK_WHATIF_CORES");
  if (v != nullptr && std::atoi(v) > 0) return static_cast<unsigned>(std::atoi(v));
  static const auto real = reinterpret_cast<CoresFn>(dlsym(RTLD_NEXT, "gpr_cpu_num_cores"));
  return real != nullptr ? real() : 1;
}
