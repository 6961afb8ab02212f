// report_sql_baseline: the raw-SQL baseline of the GetFundingReport latency
// benchmark. Runs the very SQL report-service runs for each request —
// compiled by report-service's own ReportQuery (rows, then totals,
// exclusions and parser versions in one REPEATABLE READ READ ONLY
// transaction, each a prepared statement of the connection, as in the
// service) — straight on PostgreSQL, one connection per client, with no
// gRPC, no pool and no per-call statement timeout.
//
//   report_sql_baseline --database_url=postgresql://…@127.0.0.1:PORT/DB --concurrency=64
//                       --duration_seconds=10 [--filter=… --ids_file=… --group_by=…] [--out=…]
//
// The flags and the request sequence are those of load_generator, so both
// send the same reports at the same concurrency. Loopback (or a Unix
// socket) only.
#include <libpq-fe.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>

#include <pqxx/pqxx>

#include "bench_util.h"
#include "report_requests.h"
#include "reports/report_query.h"

namespace {

namespace v1 = ::pledgebook::v1;
using pledgebook::bench::Clock;

// Exits 2 unless every host of the connection string is loopback or a socket.
void CheckLoopbackDatabase(const std::string& url) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &error);
  if (options == nullptr) {
    std::cerr << "bad --database_url: " << (error ? error : "") << "\n";
    std::exit(2);
  }
  for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    const std::string key = o->keyword;
    if ((key != "host" && key != "hostaddr") || o->val == nullptr) continue;
    std::string hosts = o->val;
    size_t start = 0;
    while (start <= hosts.size()) {
      size_t comma = hosts.find(',', start);
      if (comma == std::string::npos) comma = hosts.size();
      const std::string h = hosts.substr(start, comma - start);
      start = comma + 1;
      if (h.empty() || h[0] == '/' || h == "localhost" || pledgebook::bench::IsLoopbackLiteral(h)) continue;
      std::cerr << "refusing database host \"" << h << "\": benchmark tools only aim at loopback\n";
      std::exit(2);
    }
  }
  PQconninfoFree(options);
}

}  // namespace

int main(int argc, char** argv) {
  pledgebook::bench::Flags flags(argc, argv,
                                 {{"database_url", ""},
                                  {"concurrency", "1"},
                                  {"duration_seconds", "10"},
                                  {"warmup_seconds", "1"},
                                  {"max_requests", "1000000"},
                                  {"filter", ""},
                                  {"ids_file", ""},
                                  {"group_by", "funder"},
                                  {"seed", "1"},
                                  {"out", ""}},
                                 "report_sql_baseline --database_url=URL [flags]: the report's SQL, run directly");
  const std::string url = flags.Str("database_url");
  if (url.empty()) flags.Fail("--database_url is required");
  CheckLoopbackDatabase(url);
  const int concurrency = static_cast<int>(flags.Int("concurrency"));
  if (concurrency < 1 || concurrency > 512) flags.Fail("--concurrency must be 1..512");
  const long long max_requests = flags.Int("max_requests");

  // Compiled before the clock starts: the baseline is the database's work.
  std::vector<pledgebook::report::ReportQuery> queries;
  for (const v1::GetFundingReportRequest& r :
       pledgebook::bench::MakeReportRequests(flags.Str("filter"), flags.Str("ids_file"), flags.Str("group_by"),
                                             static_cast<unsigned>(flags.Int("seed")))) {
    pledgebook::report::ReportQuery q;
    grpc::Status s = pledgebook::report::ReportQuery::Compile(r, &q);
    if (!s.ok()) {
      std::cerr << "bad request: " << s.error_message() << "\n";
      return 2;
    }
    queries.push_back(std::move(q));
  }

  std::vector<std::unique_ptr<pqxx::connection>> connections;
  for (int k = 0; k < concurrency; ++k) {
    connections.push_back(std::make_unique<pqxx::connection>(url));
    pqxx::nontransaction(*connections.back()).exec("SET default_transaction_read_only = on");
  }

  const Clock::time_point start = Clock::now();
  const Clock::time_point measure_from =
      start + std::chrono::microseconds(static_cast<long long>(flags.Double("warmup_seconds") * 1e6));
  const Clock::time_point stop_at =
      measure_from + std::chrono::microseconds(static_cast<long long>(flags.Double("duration_seconds") * 1e6));
  std::atomic<long long> issued{0}, counted{0}, rows_total{0};
  std::mutex mu;
  std::vector<double> latencies;
  long long errors = 0;
  std::string first_error;
  Clock::time_point last_done = measure_from;

  std::vector<std::thread> threads;
  for (int k = 0; k < concurrency; ++k) {
    threads.emplace_back([&, k] {
      pqxx::connection& conn = *connections[static_cast<size_t>(k)];
      std::vector<double> mine;
      while (Clock::now() < stop_at && counted.load() < max_requests) {
        const auto& q = queries[static_cast<size_t>(issued.fetch_add(1)) % queries.size()];
        const Clock::time_point t0 = Clock::now();
        std::string error;
        long long rows = 0;
        try {
          pqxx::work tx(conn);
          tx.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY");
          v1::GetFundingReportResponse report;
          q.Run(tx, &report);  // the service's statements, prepared on this connection as there
          rows += report.rows_size();
          tx.commit();
        } catch (const std::exception& e) {
          error = e.what();
        }
        const Clock::time_point t1 = Clock::now();
        if (t0 < measure_from) continue;
        counted.fetch_add(1);
        std::lock_guard<std::mutex> lock(mu);
        last_done = std::max(last_done, t1);
        if (error.empty()) {
          latencies.push_back(std::chrono::duration<double>(t1 - t0).count());
          rows_total += rows;
        } else {
          ++errors;
          if (first_error.empty()) first_error = error;
        }
      }
    });
  }
  for (auto& t : threads) t.join();

  pledgebook::bench::JsonOut out;
  const double seconds = std::chrono::duration<double>(last_done - measure_from).count();
  out.Num("concurrency", concurrency).Num("requests", static_cast<double>(latencies.size()));
  out.Num("errors", static_cast<double>(errors));
  out.Num("rows_per_response",
          latencies.empty() ? 0 : static_cast<double>(rows_total.load()) / static_cast<double>(latencies.size()));
  out.Num("seconds", seconds).Num("qps", seconds > 0 ? static_cast<double>(latencies.size()) / seconds : 0);
  pledgebook::bench::AddLatencies(out, "", latencies);
  if (!first_error.empty()) out.Str("first_error", first_error);
  out.Emit(flags.Str("out"));
  return 0;
}
