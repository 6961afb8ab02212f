// ingest_client: bulk ingest through gRPC — the IngestDocuments client
// stream over N synthetic documents (tools/corpus, seeded, generated in
// memory before the clock starts), split over --streams parallel streams.
//
//   ingest_client --target=127.0.0.1:PORT --documents=20000 [--streams=2] [--seed=1]
//                 [--bullets=20] [--server_pid=PID] [--postmaster_pid=PID] [--out=result.json]
//
// Prints one JSON object: documents sent, created, already stored, failed,
// seconds, documents/s, bytes, the initiatives and money mentions the
// service reported, and the CPU seconds the ingest service (utime+stime
// from /proc/PID/stat) and the PostgreSQL cluster used meanwhile.
// Loopback only.
#include <atomic>
#include <mutex>
#include <thread>

#include "bench_util.h"
#include "corpus_generator.h"
#include "grpcpp/grpcpp.h"
#include "pledgebook/v1/ingest_service.grpc.pb.h"

namespace {

namespace v1 = ::pledgebook::v1;

}  // namespace

int main(int argc, char** argv) {
  pledgebook::bench::Flags flags(argc, argv,
                                 {{"target", ""},
                                  {"documents", "1000"},
                                  {"streams", "2"},
                                  {"seed", "1"},
                                  {"bullets", "20"},
                                  {"server_pid", "0"},
                                  {"postmaster_pid", "0"},
                                  {"out", ""}},
                                 "ingest_client --target=127.0.0.1:PORT --documents=N: bulk ingest over IngestDocuments");
  if (flags.Str("target").empty()) flags.Fail("--target is required");
  const std::string target = pledgebook::bench::LoopbackTargetOrDie(flags.Str("target"));
  const long long documents = flags.Int("documents");
  const int streams = static_cast<int>(flags.Int("streams"));
  if (documents < 1 || streams < 1 || streams > 16) flags.Fail("--documents >= 1 and --streams 1..16");
  const long server_pid = static_cast<long>(flags.Int("server_pid"));
  const long postmaster_pid = static_cast<long>(flags.Int("postmaster_pid"));

  // Generated up front: the clock measures the service, not the generator.
  pledgebook::tools::CorpusGenerator generator(static_cast<uint64_t>(flags.Int("seed")));
  std::vector<v1::IngestDocumentsRequest> requests;
  requests.reserve(static_cast<size_t>(documents));
  double bytes = 0;
  for (long long k = 0; k < documents; ++k) {
    pledgebook::tools::GeneratedDocument doc = generator.Next(static_cast<int>(flags.Int("bullets")));
    v1::IngestDocumentsRequest r;
    r.mutable_source()->set_content(doc.content);
    r.mutable_source()->set_content_type(doc.content_type);
    r.mutable_source()->set_source_uri("bench://" + doc.name);
    bytes += static_cast<double>(doc.content.size());
    requests.push_back(std::move(r));
  }

  grpc::ChannelArguments args;
  args.SetMaxSendMessageSize(64 << 20);
  auto channel = grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args);
  if (!channel->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(10))) {
    std::cerr << "cannot connect to " << target << "\n";
    return 1;
  }
  auto stub = v1::IngestService::NewStub(channel);

  std::mutex mu;
  long long created = 0, existing = 0, failed = 0, initiatives = 0, money = 0, sections = 0;
  std::string first_error;
  const double server_cpu0 = pledgebook::bench::ProcessCpuSeconds(server_pid);
  const double pg_cpu0 = pledgebook::bench::ClusterCpuSeconds(postmaster_pid);
  const auto start = pledgebook::bench::Clock::now();
  std::vector<std::thread> threads;
  for (int s = 0; s < streams; ++s) {
    threads.emplace_back([&, s] {
      grpc::ClientContext context;
      v1::IngestDocumentsResponse response;
      auto writer = stub->IngestDocuments(&context, &response);
      for (size_t k = static_cast<size_t>(s); k < requests.size(); k += static_cast<size_t>(streams)) {
        if (!writer->Write(requests[k])) break;
      }
      writer->WritesDone();
      grpc::Status status = writer->Finish();
      std::lock_guard<std::mutex> lock(mu);
      if (!status.ok()) {
        if (first_error.empty()) first_error = "stream: " + status.error_message();
      }
      created += response.created_count();
      existing += response.existing_count();
      failed += response.failed_count();
      for (const v1::IngestDocumentResult& r : response.results()) {
        if (r.status().code() != 0) {
          if (first_error.empty()) first_error = r.status().message();
          continue;
        }
        initiatives += r.response().stats().initiative_count();
        money += r.response().stats().money_mention_count();
        sections += r.response().stats().section_count();
      }
    });
  }
  for (auto& t : threads) t.join();
  const double seconds = pledgebook::bench::SecondsSince(start);
  const double server_cpu = pledgebook::bench::ProcessCpuSeconds(server_pid) - server_cpu0;
  const double pg_cpu = pledgebook::bench::ClusterCpuSeconds(postmaster_pid) - pg_cpu0;

  pledgebook::bench::JsonOut out;
  out.Num("documents", static_cast<double>(documents)).Num("streams", streams);
  out.Num("created", static_cast<double>(created)).Num("existing", static_cast<double>(existing));
  out.Num("failed", static_cast<double>(failed)).Num("bytes", bytes);
  out.Num("sections", static_cast<double>(sections)).Num("initiatives", static_cast<double>(initiatives));
  out.Num("money_mentions", static_cast<double>(money));
  out.Num("seconds", seconds).Num("documents_per_second", static_cast<double>(documents) / seconds);
  out.Num("mb_per_second", bytes / 1e6 / seconds);
  out.Num("server_cpu_seconds", server_cpu).Num("server_cores", server_cpu / seconds);
  out.Num("postgres_cpu_seconds", pg_cpu).Num("postgres_cores", pg_cpu / seconds);
  if (!first_error.empty()) out.Str("first_error", first_error);
  out.Emit(flags.Str("out"));
  return failed == 0 && first_error.empty() ? 0 : 1;
}
