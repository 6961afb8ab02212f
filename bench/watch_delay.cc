// watch_delay: WatchInitiatives delivery delay under sustained ingest.
//
//   watch_delay --report_target=127.0.0.1:P1 --ingest_target=127.0.0.1:P2
//               --documents_per_second=20 --duration_seconds=20 [--ingesters=2] [--seed=7]
//               [--poll_ms=250] [--out=result.json]
//
// A watcher (WatchInitiatives from now) records when each initiative
// arrives; ingesters send new synthetic documents (seeded, generated before
// the clock starts) with IngestDocument at a steady rate and record when
// each call returned. The delay of an initiative is its arrival minus the
// return of its document's IngestDocument, on one clock (this process).
// It can be slightly negative: the watcher may see a commit before the
// ingest response reaches its client. --poll_ms is the report service's
// --watch_poll_ms, echoed so the delay reads as a fraction of it.
// Loopback only.
#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include "bench_util.h"
#include "corpus_generator.h"
#include "grpcpp/grpcpp.h"
#include "pledgebook/v1/ingest_service.grpc.pb.h"
#include "pledgebook/v1/report_service.grpc.pb.h"

namespace {

namespace v1 = ::pledgebook::v1;
using pledgebook::bench::Clock;

}  // namespace

int main(int argc, char** argv) {
  pledgebook::bench::Flags flags(argc, argv,
                                 {{"report_target", ""},
                                  {"ingest_target", ""},
                                  {"documents_per_second", "20"},
                                  {"duration_seconds", "20"},
                                  {"ingesters", "2"},
                                  {"seed", "7"},
                                  {"bullets", "20"},
                                  {"poll_ms", "250"},
                                  {"drain_seconds", "10"},
                                  {"out", ""}},
                                 "watch_delay --report_target=… --ingest_target=…: WatchInitiatives delay under ingest");
  if (flags.Str("report_target").empty() || flags.Str("ingest_target").empty()) {
    flags.Fail("--report_target and --ingest_target are required");
  }
  const std::string report_target = pledgebook::bench::LoopbackTargetOrDie(flags.Str("report_target"));
  const std::string ingest_target = pledgebook::bench::LoopbackTargetOrDie(flags.Str("ingest_target"));
  const double rate = flags.Double("documents_per_second");
  const double duration = flags.Double("duration_seconds");
  const int ingesters = static_cast<int>(flags.Int("ingesters"));
  if (rate <= 0 || duration <= 0 || ingesters < 1 || ingesters > 16) {
    flags.Fail("--documents_per_second and --duration_seconds positive, --ingesters 1..16");
  }
  const size_t total = static_cast<size_t>(std::max(1.0, rate * duration));

  pledgebook::tools::CorpusGenerator generator(static_cast<uint64_t>(flags.Int("seed")));
  std::vector<v1::IngestDocumentRequest> requests(total);
  for (size_t k = 0; k < total; ++k) {
    pledgebook::tools::GeneratedDocument doc = generator.Next(static_cast<int>(flags.Int("bullets")));
    requests[k].mutable_source()->set_content(doc.content);
    requests[k].mutable_source()->set_content_type(doc.content_type);
    requests[k].mutable_source()->set_source_uri("bench-watch://" + doc.name);
  }

  auto report = v1::ReportService::NewStub(grpc::CreateChannel(report_target, grpc::InsecureChannelCredentials()));
  auto ingest = v1::IngestService::NewStub(grpc::CreateChannel(ingest_target, grpc::InsecureChannelCredentials()));

  // The watcher.
  std::mutex mu;
  std::vector<std::pair<std::string, Clock::time_point>> arrivals;
  grpc::ClientContext watch_context;
  grpc::Status watch_status;
  std::thread watcher([&] {
    v1::WatchInitiativesRequest request;
    auto reader = report->WatchInitiatives(&watch_context, request);
    v1::WatchInitiativesResponse item;
    while (reader->Read(&item)) {
      const Clock::time_point now = Clock::now();
      std::lock_guard<std::mutex> lock(mu);
      arrivals.emplace_back(item.initiative().document_id(), now);
    }
    watch_status = reader->Finish();
  });
  // WatchInitiatives without a cursor starts from the newest document at
  // call time: let the call reach the server before ingesting.
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));

  // The ingesters: document k is sent at start + k / rate.
  std::map<std::string, std::pair<Clock::time_point, int>> returned;  // id → (return time, initiatives)
  std::vector<double> call_seconds;
  long long failures = 0, not_created = 0;
  std::string first_error;
  std::atomic<size_t> next{0};
  const Clock::time_point start = Clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < ingesters; ++t) {
    threads.emplace_back([&] {
      for (size_t k = next.fetch_add(1); k < total; k = next.fetch_add(1)) {
        std::this_thread::sleep_until(start + std::chrono::microseconds(static_cast<long long>(1e6 * k / rate)));
        grpc::ClientContext context;
        context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
        v1::IngestDocumentResponse response;
        const Clock::time_point t0 = Clock::now();
        grpc::Status status = ingest->IngestDocument(&context, requests[k], &response);
        const Clock::time_point t1 = Clock::now();
        std::lock_guard<std::mutex> lock(mu);
        call_seconds.push_back(std::chrono::duration<double>(t1 - t0).count());
        if (!status.ok()) {
          ++failures;
          if (first_error.empty()) first_error = status.error_message();
        } else if (!response.created()) {
          ++not_created;  // stored before: the watch will not see it again
        } else {
          returned[response.document_id()] = {t1, response.stats().initiative_count()};
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  const double ingest_seconds = pledgebook::bench::SecondsSince(start);
  long long expected = 0;
  for (const auto& [id, r] : returned) expected += r.second;

  // Wait for the stragglers, then end the watch.
  const Clock::time_point drain_until =
      Clock::now() + std::chrono::milliseconds(static_cast<long long>(flags.Double("drain_seconds") * 1000));
  while (Clock::now() < drain_until) {
    long long seen = 0;
    {
      std::lock_guard<std::mutex> lock(mu);
      for (const auto& a : arrivals) seen += returned.count(a.first);
    }
    if (seen >= expected) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  watch_context.TryCancel();
  watcher.join();

  std::vector<double> delays;
  std::map<std::string, int> per_document;
  for (const auto& [id, at] : arrivals) {
    auto it = returned.find(id);
    if (it == returned.end()) continue;
    delays.push_back(std::chrono::duration<double>(at - it->second.first).count());
    ++per_document[id];
  }
  pledgebook::bench::JsonOut out;
  out.Num("documents_sent", static_cast<double>(total)).Num("documents_created", static_cast<double>(returned.size()));
  out.Num("not_created", static_cast<double>(not_created)).Num("failures", static_cast<double>(failures));
  out.Num("ingest_seconds", ingest_seconds);
  out.Num("documents_per_second", static_cast<double>(total) / ingest_seconds);
  out.Num("initiatives_expected", static_cast<double>(expected));
  out.Num("initiatives_delivered", static_cast<double>(delays.size()));
  out.Num("initiatives_per_second", static_cast<double>(delays.size()) / ingest_seconds);
  out.Num("poll_ms", flags.Double("poll_ms"));
  pledgebook::bench::AddLatencies(out, "delay_", delays);
  pledgebook::bench::AddLatencies(out, "ingest_call_", call_seconds);
  const bool cancelled_by_us = watch_status.error_code() == grpc::StatusCode::CANCELLED;
  out.Str("watch_status", cancelled_by_us ? "CANCELLED (by the benchmark, as planned)"
                                          : std::to_string(watch_status.error_code()) + ": " +
                                                watch_status.error_message());
  if (!first_error.empty()) out.Str("first_error", first_error);
  out.Emit(flags.Str("out"));
  return failures == 0 && cancelled_by_us && static_cast<long long>(delays.size()) >= expected ? 0 : 1;
}
