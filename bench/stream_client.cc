// stream_client: StreamInitiatives throughput and the server's memory while
// it streams.
//
//   stream_client --target=127.0.0.1:PORT --limit=1000000 [--filter=…] [--order_by=…]
//                 [--server_pid=PID] [--out=result.json]
//
// Reads the whole stream (counting initiatives, messages and bytes) and,
// when --server_pid is given, resets the server's peak RSS (VmHWM, via
// /proc/PID/clear_refs) before the call and samples VmRSS every 10 ms
// during it; reports both peaks and the RSS before. Loopback only.
#include <atomic>
#include <thread>

#include "bench_util.h"
#include "grpcpp/grpcpp.h"
#include "pledgebook/v1/report_service.grpc.pb.h"

namespace {

namespace v1 = ::pledgebook::v1;

}  // namespace

int main(int argc, char** argv) {
  pledgebook::bench::Flags flags(argc, argv,
                                 {{"target", ""},
                                  {"limit", "1000000"},
                                  {"filter", ""},
                                  {"order_by", ""},
                                  {"server_pid", "0"},
                                  {"deadline_seconds", "600"},
                                  {"out", ""}},
                                 "stream_client --target=127.0.0.1:PORT [flags]: StreamInitiatives rows/s and server RSS");
  if (flags.Str("target").empty()) flags.Fail("--target is required");
  const std::string target = pledgebook::bench::LoopbackTargetOrDie(flags.Str("target"));
  const long pid = static_cast<long>(flags.Int("server_pid"));

  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(64 << 20);
  auto channel = grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args);
  if (!channel->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(10))) {
    std::cerr << "cannot connect to " << target << "\n";
    return 1;
  }
  auto stub = v1::ReportService::NewStub(channel);

  long long rss_before = -1, hwm_reset = -1;
  bool reset_ok = false;
  if (pid > 0) {
    rss_before = pledgebook::bench::ProcStatusKb(pid, "VmRSS");
    reset_ok = pledgebook::bench::ResetPeakRss(pid);
    hwm_reset = pledgebook::bench::ProcStatusKb(pid, "VmHWM");
  }
  std::atomic<bool> done{false};
  std::atomic<long long> max_rss{rss_before};
  std::thread sampler([&] {
    while (pid > 0 && !done.load()) {
      long long rss = pledgebook::bench::ProcStatusKb(pid, "VmRSS");
      if (rss > max_rss.load()) max_rss = rss;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  });

  v1::StreamInitiativesRequest request;
  request.set_filter(flags.Str("filter"));
  request.set_order_by(flags.Str("order_by"));
  request.set_limit(flags.Int("limit"));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(flags.Int("deadline_seconds")));
  const auto start = pledgebook::bench::Clock::now();
  double first_message_s = -1;
  auto reader = stub->StreamInitiatives(&context, request);
  v1::StreamInitiativesResponse response;
  long long rows = 0, messages = 0;
  double bytes = 0;
  while (reader->Read(&response)) {
    if (messages == 0) first_message_s = pledgebook::bench::SecondsSince(start);
    ++messages;
    rows += response.initiatives_size();
    bytes += static_cast<double>(response.ByteSizeLong());
  }
  grpc::Status status = reader->Finish();
  const double seconds = pledgebook::bench::SecondsSince(start);
  done = true;
  sampler.join();
  const long long hwm = pid > 0 ? pledgebook::bench::ProcStatusKb(pid, "VmHWM") : -1;

  pledgebook::bench::JsonOut out;
  out.Num("rows", static_cast<double>(rows)).Num("messages", static_cast<double>(messages)).Num("bytes", bytes);
  out.Num("seconds", seconds).Num("rows_per_second", static_cast<double>(rows) / seconds);
  out.Num("mb_per_second", bytes / 1e6 / seconds).Num("first_message_seconds", first_message_s);
  out.Num("rss_before_kb", static_cast<double>(rss_before)).Num("hwm_after_reset_kb", static_cast<double>(hwm_reset));
  out.Num("peak_rss_sampled_kb", static_cast<double>(max_rss.load())).Num("vm_hwm_kb", static_cast<double>(hwm));
  out.Str("hwm_reset", reset_ok ? "yes" : "no");
  out.Str("status", status.ok() ? "OK" : std::to_string(status.error_code()) + ": " + status.error_message());
  out.Emit(flags.Str("out"));
  return status.ok() ? 0 : 1;
}
