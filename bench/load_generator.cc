// load_generator: GetFundingReport latency under a fixed number of
// concurrent clients, with gRPC's callback API.
//
//   load_generator --target=127.0.0.1:PORT --concurrency=64 --duration_seconds=10
//                  [--max_requests=N] [--filter='document_id = "{id}"' --ids_file=ids.txt]
//                  [--group_by=funder] [--warmup_seconds=1] [--window=N] [--out=result.json]
//                  [--method=funding_report|exchange_rates]
//
// Closed loop: `concurrency` calls are in flight at all times (each one's
// completion callback starts the next), so the figure is the latency a
// client sees with that many clients asking back to back. Bounded in time
// (--duration_seconds, after --warmup_seconds whose calls are not counted)
// and in requests (--max_requests, counted calls). Loopback only: any other
// target is refused.
//
// Prints one JSON object: requests, errors (by code), seconds, qps and
// latency percentiles in milliseconds; with --window=N also the p50 of each
// successive N calls (does the cost per call drift as one connection ages?).
// --method=exchange_rates sends ListExchangeRates instead: a call that does
// almost nothing, so the per-call cost of the server's gRPC layer shows.
#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>

#include "bench_util.h"
#include "grpcpp/grpcpp.h"
#include "pledgebook/v1/report_service.grpc.pb.h"
#include "report_requests.h"

namespace {

namespace v1 = ::pledgebook::v1;
using pledgebook::bench::Clock;

class LoadGenerator {
 public:
  LoadGenerator(std::shared_ptr<grpc::Channel> channel, std::vector<v1::GetFundingReportRequest> requests,
                int concurrency, double warmup_s, double duration_s, long long max_requests, int deadline_ms,
                bool exchange_rates, int window)
      : stub_(v1::ReportService::NewStub(channel)),
        requests_(std::move(requests)),
        exchange_rates_(exchange_rates),
        window_(window),
        concurrency_(concurrency),
        max_requests_(max_requests),
        deadline_ms_(deadline_ms) {
    start_ = Clock::now();
    measure_from_ = start_ + std::chrono::microseconds(static_cast<long long>(warmup_s * 1e6));
    stop_at_ = measure_from_ + std::chrono::microseconds(static_cast<long long>(duration_s * 1e6));
  }

  void Run() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      in_flight_ = concurrency_;
    }
    for (int k = 0; k < concurrency_; ++k) Issue();
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return in_flight_ == 0; });
    end_ = last_done_ > measure_from_ ? last_done_ : Clock::now();
  }

  void Report(const std::string& out_path) {
    pledgebook::bench::JsonOut out;
    const double seconds = std::chrono::duration<double>(end_ - measure_from_).count();
    out.Num("concurrency", concurrency_).Num("requests", static_cast<double>(latencies_.size()));
    long long errors = 0;
    std::string by_code = "{";
    for (const auto& [code, n] : errors_) {
      errors += n;
      by_code += (by_code.size() > 1 ? ", \"" : "\"") + std::to_string(code) + "\": " + std::to_string(n);
    }
    out.Num("errors", static_cast<double>(errors)).Raw("errors_by_code", by_code + "}");
    out.Num("rows_per_response", latencies_.empty() ? 0 : static_cast<double>(rows_) / static_cast<double>(latencies_.size()));
    out.Num("seconds", seconds).Num("qps", seconds > 0 ? static_cast<double>(latencies_.size()) / seconds : 0);
    if (window_ > 0) {
      std::string windows = "[";
      for (size_t start = 0; start + static_cast<size_t>(window_) <= latencies_.size(); start += static_cast<size_t>(window_)) {
        std::vector<double> w(latencies_.begin() + static_cast<long>(start),
                              latencies_.begin() + static_cast<long>(start) + window_);
        char buf[32];
        std::snprintf(buf, sizeof buf, "%s%.4f", start ? ", " : "", 1000 * pledgebook::bench::Percentile(w, 50));
        windows += buf;
      }
      out.Num("window", window_).Raw("window_p50_ms", windows + "]");
    }
    pledgebook::bench::AddLatencies(out, "", latencies_);
    if (!first_error_.empty()) out.Str("first_error", first_error_);
    out.Emit(out_path);
  }

 private:
  struct Call {
    grpc::ClientContext context;
    v1::GetFundingReportResponse response;
    v1::ListExchangeRatesRequest rates_request;
    v1::ListExchangeRatesResponse rates_response;
    Clock::time_point started;
  };

  // Starts one call; its completion starts the next, until time or the
  // request budget runs out.
  void Issue() {
    auto* call = new Call;
    const long long n = issued_.fetch_add(1);
    const v1::GetFundingReportRequest& request = requests_[static_cast<size_t>(n) % requests_.size()];
    call->started = Clock::now();
    call->context.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(deadline_ms_));
    if (exchange_rates_) {
      stub_->async()->ListExchangeRates(&call->context, &call->rates_request, &call->rates_response,
                                        [this, call](grpc::Status status) { Done(call, status); });
      return;
    }
    stub_->async()->GetFundingReport(&call->context, &request, &call->response,
                                     [this, call](grpc::Status status) { Done(call, status); });
  }

  void Done(Call* call, const grpc::Status& status) {
    const Clock::time_point now = Clock::now();
    bool more;
    {
      std::lock_guard<std::mutex> lock(mu_);
      // Calls started inside the window count, however late they end (no
      // truncation of the slow tail); none start after it.
      const bool counted = call->started >= measure_from_ && call->started < stop_at_;
      if (counted) last_done_ = std::max(last_done_, now);
      if (counted) {
        if (status.ok()) {
          latencies_.push_back(std::chrono::duration<double>(now - call->started).count());
          rows_ += call->response.rows_size();
        } else {
          ++errors_[status.error_code()];
          if (first_error_.empty()) first_error_ = status.error_message();
        }
      } else if (!status.ok() && first_error_.empty()) {
        first_error_ = "(warm-up) " + status.error_message();
      }
      more = now < stop_at_ && static_cast<long long>(latencies_.size() + counted_errors_) < max_requests_;
      if (counted && !status.ok()) ++counted_errors_;
      if (!more) --in_flight_;
    }
    delete call;
    if (more) {
      Issue();
    } else {
      cv_.notify_all();
    }
  }

  std::unique_ptr<v1::ReportService::Stub> stub_;
  const std::vector<v1::GetFundingReportRequest> requests_;
  const bool exchange_rates_;
  const int window_;
  const int concurrency_;
  const long long max_requests_;
  const int deadline_ms_;
  Clock::time_point start_, measure_from_, stop_at_, end_, last_done_;
  std::atomic<long long> issued_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  int in_flight_ = 0;
  std::vector<double> latencies_;
  long long rows_ = 0;
  long long counted_errors_ = 0;
  std::map<int, long long> errors_;
  std::string first_error_;
};

}  // namespace

int main(int argc, char** argv) {
  pledgebook::bench::Flags flags(argc, argv,
                                 {{"target", ""},
                                  {"concurrency", "1"},
                                  {"duration_seconds", "10"},
                                  {"warmup_seconds", "1"},
                                  {"max_requests", "1000000"},
                                  {"deadline_ms", "30000"},
                                  {"filter", ""},
                                  {"ids_file", ""},
                                  {"group_by", "funder"},
                                  {"seed", "1"},
                                  {"method", "funding_report"},
                                  {"window", "0"},
                                  {"out", ""}},
                                 "load_generator --target=127.0.0.1:PORT [flags]: GetFundingReport latency");
  if (flags.Str("target").empty()) flags.Fail("--target is required");
  const std::string target = pledgebook::bench::LoopbackTargetOrDie(flags.Str("target"));
  const int concurrency = static_cast<int>(flags.Int("concurrency"));
  if (concurrency < 1 || concurrency > 4096) flags.Fail("--concurrency must be 1..4096");
  if (flags.Double("duration_seconds") <= 0 || flags.Int("max_requests") < 1) {
    flags.Fail("--duration_seconds and --max_requests must be positive");
  }
  const std::string method = flags.Str("method");
  if (method != "funding_report" && method != "exchange_rates") flags.Fail("--method: funding_report or exchange_rates");
  auto requests = pledgebook::bench::MakeReportRequests(flags.Str("filter"), flags.Str("ids_file"),
                                                        flags.Str("group_by"), static_cast<unsigned>(flags.Int("seed")));
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(64 << 20);
  auto channel = grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args);
  if (!channel->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(10))) {
    std::cerr << "cannot connect to " << target << "\n";
    return 1;
  }
  LoadGenerator generator(channel, std::move(requests), concurrency, flags.Double("warmup_seconds"),
                          flags.Double("duration_seconds"), flags.Int("max_requests"),
                          static_cast<int>(flags.Int("deadline_ms")), method == "exchange_rates",
                          static_cast<int>(flags.Int("window")));
  generator.Run();
  generator.Report(flags.Str("out"));
  return 0;
}
