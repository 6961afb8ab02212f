// Faults against the real binaries and a PostgreSQL of this test's own
// (scripts/pg-local.sh in the build folder), stopped and restarted on the
// same port with its data:
//   1. PostgreSQL restarts during bulk ingestion (IngestDocuments of 200
//      corpus documents): the failed documents come back UNAVAILABLE, the
//      service reports NOT_SERVING, recovers by itself, and a retry with the
//      same request_ids stores every document exactly once;
//   2. PostgreSQL restarts during a StreamInitiatives stream: the stream
//      ends with UNAVAILABLE (no hang), and the same report-service process
//      serves the whole stream again afterwards;
//   3. pledgebook-ingest is SIGKILLed mid-batch, restarted, and everything is
//      sent again with the same request_ids: no document lost, none twice,
//      none partial;
//   4. SIGTERM with a long stream open: health goes NOT_SERVING, the stream
//      is cancelled after the grace period, the process exits 0.
// Every document is checked whole: its initiative, money and section rows
// match the counts stored with it and the parser's own figures.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "common/db_pool.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "parser/parse_document.h"
#include "pledgebook/v1/ingest_service.grpc.pb.h"
#include "pledgebook/v1/report_service.grpc.pb.h"
#include "support/service_process.h"

namespace pledgebook::testing {
namespace {

namespace v1 = ::pledgebook::v1;
using std::chrono::milliseconds;
using std::chrono::seconds;
using Clock = std::chrono::steady_clock;

constexpr int kDocuments = 200;

double Since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

struct CorpusDocument {
  std::string file;
  v1::DocumentSource source;
  // What the parser makes of it, offline.
  std::string document_id;
  int sections = 0, initiatives = 0, money = 0;
};

std::string ContentType(const std::string& path) {
  auto ext = std::filesystem::path(path).extension().string();
  if (ext == ".html" || ext == ".htm") return "text/html";
  if (ext == ".md" || ext == ".markdown") return "text/markdown";
  return "text/plain";
}

const std::vector<CorpusDocument>& Corpus() {
  static std::vector<CorpusDocument>* corpus = [] {
    auto* out = new std::vector<CorpusDocument>();
    std::vector<std::string> files;
    for (const auto& e : std::filesystem::directory_iterator(PLEDGEBOOK_TEST_CORPUS_DEFAULT)) {
      files.push_back(e.path().string());
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      if (static_cast<int>(out->size()) == kDocuments) break;
      std::ifstream in(f, std::ios::binary);
      std::ostringstream ss;
      ss << in.rdbuf();
      CorpusDocument d;
      d.file = std::filesystem::path(f).filename().string();
      d.source.set_content(ss.str());
      d.source.set_content_type(ContentType(f));
      d.source.set_source_uri(d.file);
      auto parsed = parser::ParseDocument(d.source);
      if (!parsed.ok()) continue;  // the corpus test covers parse failures; here only storable ones
      d.document_id = parsed->document_id();
      d.sections = parsed->sections_size();
      d.initiatives = parsed->stats().initiative_count();
      d.money = parsed->stats().money_mention_count();
      out->push_back(std::move(d));
    }
    return out;
  }();
  return *corpus;
}

// One PostgreSQL for the whole binary.
LocalPostgres& Postgres() {
  static LocalPostgres* pg = new LocalPostgres(BinaryDir() + "/tests/fault/pg");
  return *pg;
}

class PostgresEnvironment : public ::testing::Environment {
 public:
  void TearDown() override { delete &Postgres(); }
};

std::string LogPath(const std::string& name) { return BinaryDir() + "/tests/fault/" + name + ".log"; }

std::unique_ptr<ServiceProcess> StartIngest(const std::string& url, const std::string& log) {
  auto p = std::make_unique<ServiceProcess>(
      std::vector<std::string>{BinaryDir() + "/ingest-service/pledgebook-ingest", "--database-url=" + url,
                               "--plaintext", "--listen=127.0.0.1:0", "--db_pool_size=4",
                               "--health_check_interval_ms=300", "--db_reconnect_max_backoff_ms=1000"},
      LogPath(log));
  return p;
}

std::unique_ptr<ServiceProcess> StartReport(const std::string& url, const std::string& log,
                                            const std::string& grace = "20") {
  return std::make_unique<ServiceProcess>(
      std::vector<std::string>{BinaryDir() + "/report-service/pledgebook-report", "--database-url=" + url,
                               "--plaintext", "--listen=127.0.0.1:0", "--health_check_interval_ms=300",
                               "--db_reconnect_max_backoff_ms=1000", "--shutdown_grace_seconds=" + grace},
      LogPath(log));
}

std::shared_ptr<grpc::Channel> Channel(const std::string& port) {
  return grpc::CreateChannel("127.0.0.1:" + port, grpc::InsecureChannelCredentials());
}

std::string RequestId(const std::string& run, int i) { return run + "-" + std::to_string(i); }

// Sends the corpus on one IngestDocuments stream, calling `at(i)` before
// document i (to inject faults), with `pace` between documents.
struct BulkResult {
  grpc::Status status;
  v1::IngestDocumentsResponse response;
  int written = 0;
  double seconds = 0;
};

BulkResult SendBulk(const std::shared_ptr<grpc::Channel>& ch, const std::string& run,
                    const std::function<void(int)>& at, milliseconds pace, int deadline_seconds = 120) {
  BulkResult r;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + seconds(deadline_seconds));
  auto start = Clock::now();
  auto writer = v1::IngestService::NewStub(ch)->IngestDocuments(&context, &r.response);
  const auto& corpus = Corpus();
  for (size_t i = 0; i < corpus.size(); ++i) {
    if (at) at(static_cast<int>(i));
    v1::IngestDocumentsRequest request;
    *request.mutable_source() = corpus[i].source;
    request.set_request_id(RequestId(run, static_cast<int>(i)));
    if (!writer->Write(request)) break;
    ++r.written;
    if (pace.count() > 0) std::this_thread::sleep_for(pace);
  }
  writer->WritesDone();
  r.status = writer->Finish();
  r.seconds = Since(start);
  return r;
}

grpc::Status IngestWithRetry(const std::shared_ptr<grpc::Channel>& ch, int i, const std::string& run, int* attempts) {
  grpc::Status s;
  for (*attempts = 1; *attempts <= 20; ++*attempts) {
    v1::IngestDocumentRequest request;
    *request.mutable_source() = Corpus()[i].source;
    request.set_request_id(RequestId(run, i));
    v1::IngestDocumentResponse response;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + seconds(30));
    s = v1::IngestService::NewStub(ch)->IngestDocument(&context, request, &response);
    if (s.error_code() != grpc::StatusCode::UNAVAILABLE) return s;  // only UNAVAILABLE is retried
    std::this_thread::sleep_for(milliseconds(500));
  }
  return s;
}

// Every stored document is whole and stored once; returns the number of
// documents, and the number of corpus documents missing (lost).
struct Integrity {
  long long documents = 0, requests = 0, lost = 0, partial = 0, unexpected = 0, initiative_rows = 0;
};

Integrity CheckIntegrity(const std::string& url, const std::string& run) {
  Integrity out;
  std::map<std::string, const CorpusDocument*> expected;
  for (const auto& d : Corpus()) expected[d.document_id] = &d;
  pqxx::connection c(url);
  pqxx::read_transaction tx(c);
  pqxx::result rows = tx.exec(
      "SELECT d.document_id, d.section_count, d.initiative_count, d.money_count,"
      " (SELECT count(*) FROM sections s WHERE s.document_id = d.id),"
      " (SELECT count(*) FROM initiatives i WHERE i.document_id = d.id),"
      " (SELECT count(*) FROM money_mentions m WHERE m.document_id = d.id),"
      " d.ingest_sequence IS NOT NULL"
      " FROM documents d");
  std::set<std::string> seen;
  for (const auto& row : rows) {
    ++out.documents;
    const std::string id = row[0].as<std::string>();
    seen.insert(id);
    auto it = expected.find(id);
    if (it == expected.end()) {
      ++out.unexpected;
      continue;
    }
    const CorpusDocument& d = *it->second;
    const bool whole = row[2].as<int>() == d.initiatives && row[5].as<long long>() == d.initiatives &&
                       row[3].as<int>() == d.money && row[6].as<long long>() == d.money &&
                       row[4].as<long long>() == d.sections && row[7].as<bool>();
    if (!whole) {
      ++out.partial;
      ADD_FAILURE() << d.file << " is partial: stored initiatives " << row[2] << "/rows " << row[5] << " vs parser "
                    << d.initiatives << "; money " << row[3] << "/" << row[6] << " vs " << d.money << "; sections rows "
                    << row[4] << " vs " << d.sections;
    }
    out.initiative_rows += row[5].as<long long>();
  }
  for (const auto& [id, d] : expected) {
    if (!seen.count(id)) ++out.lost;
  }
  out.requests = tx.exec_params("SELECT count(*) FROM ingest_requests WHERE request_id LIKE $1", run + "-%")[0][0]
                     .as<long long>();
  return out;
}

long long DistinctCorpusDocuments() {
  std::set<std::string> ids;
  for (const auto& d : Corpus()) ids.insert(d.document_id);
  return static_cast<long long>(ids.size());
}

TEST(FaultTest, PostgresRestartsDuringBulkIngestion) {
  ASSERT_GE(Corpus().size(), 150u);
  const std::string url = Postgres().CreateDatabase("fault_restart");
  auto ingest = StartIngest(url, "restart-ingest");
  const std::string port = ingest->WaitListening();
  ASSERT_FALSE(port.empty()) << ingest->Log();
  auto ch = Channel(port);
  ASSERT_TRUE(WaitForHealth(ch, "pledgebook.v1.IngestService", 1, seconds(10)));

  // PostgreSQL goes down after 40 documents, comes back 1.5 s later.
  std::mutex mu;
  std::condition_variable cv;
  bool fault = false, restarted = false;
  bool saw_not_serving = false;
  double down_seconds = 0;
  std::thread chaos([&] {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return fault; });
    lock.unlock();
    auto t = Clock::now();
    Postgres().Stop();
    saw_not_serving = WaitForHealth(ch, "pledgebook.v1.IngestService", 2, seconds(5));
    std::this_thread::sleep_for(milliseconds(1000));
    Postgres().Start();
    down_seconds = Since(t);
    lock.lock();
    restarted = true;
  });
  BulkResult bulk = SendBulk(ch, "restart", [&](int i) {
    if (i == 40) {
      std::lock_guard<std::mutex> lock(mu);
      fault = true;
      cv.notify_all();
    }
  }, milliseconds(15));
  chaos.join();
  ASSERT_TRUE(restarted);
  EXPECT_TRUE(saw_not_serving) << "health did not report NOT_SERVING while PostgreSQL was down";
  ASSERT_TRUE(bulk.status.ok()) << bulk.status.error_message();
  int ok = 0, unavailable = 0, other = 0;
  std::vector<int> failed;
  for (const auto& r : bulk.response.results()) {
    if (r.status().code() == 0) {
      ++ok;
    } else if (r.status().code() == static_cast<int>(grpc::StatusCode::UNAVAILABLE)) {
      ++unavailable;
      failed.push_back(r.index());
    } else {
      ++other;
      failed.push_back(r.index());
      ADD_FAILURE() << "document " << r.index() << ": code " << r.status().code() << " " << r.status().message();
    }
  }
  EXPECT_EQ(bulk.response.results_size(), static_cast<int>(Corpus().size()));
  EXPECT_GT(unavailable, 0) << "the restart did not hit the batch (timing): the test proves nothing";
  EXPECT_EQ(other, 0);

  // The same process recovers by itself.
  EXPECT_TRUE(WaitForHealth(ch, "pledgebook.v1.IngestService", 1, seconds(20))) << "no SERVING after the restart";
  EXPECT_TRUE(ingest->Running());

  // Retry what failed, with the same request_ids.
  int retried_ok = 0, attempts_total = 0;
  for (int i : failed) {
    int attempts = 0;
    grpc::Status s = IngestWithRetry(ch, i, "restart", &attempts);
    attempts_total += attempts;
    EXPECT_TRUE(s.ok()) << Corpus()[i].file << ": " << s.error_message();
    retried_ok += s.ok();
  }
  // And everything once more: nothing may be stored twice.
  BulkResult again = SendBulk(ch, "restart", nullptr, milliseconds(0));
  ASSERT_TRUE(again.status.ok());
  EXPECT_EQ(again.response.failed_count(), 0);

  Integrity in = CheckIntegrity(url, "restart");
  std::printf(
      "[fault] postgres restart during bulk ingest: sent %d (%.1f s), stored on first pass %d, UNAVAILABLE %d, "
      "other errors %d, retried %zu (%d attempts) -> ok %d; database down %.1f s; documents stored %lld of %lld "
      "distinct, ingest_requests %lld, partial %lld, duplicates %lld, lost %lld\n",
      bulk.written, bulk.seconds, ok, unavailable, other, failed.size(), attempts_total, retried_ok, down_seconds,
      in.documents, DistinctCorpusDocuments(), in.requests, in.partial, in.unexpected, in.lost);
  EXPECT_EQ(in.lost, 0);
  EXPECT_EQ(in.partial, 0);
  EXPECT_EQ(in.unexpected, 0);
  EXPECT_EQ(in.documents, DistinctCorpusDocuments());
  EXPECT_EQ(in.requests, static_cast<long long>(Corpus().size()));
  ingest->Signal(SIGTERM);
  EXPECT_EQ(ingest->Wait(seconds(30)), 0);
}

TEST(FaultTest, PostgresRestartsDuringAStream) {
  const std::string url = Postgres().CreateDatabase("fault_stream");
  {
    auto ingest = StartIngest(url, "stream-ingest");
    const std::string port = ingest->WaitListening();
    ASSERT_FALSE(port.empty()) << ingest->Log();
    BulkResult bulk = SendBulk(Channel(port), "stream", nullptr, milliseconds(0));
    ASSERT_TRUE(bulk.status.ok());
    ASSERT_EQ(bulk.response.failed_count(), 0);
    ingest->Signal(SIGTERM);
    ingest->Wait(seconds(30));
  }
  long long total = 0;
  {
    // Ten copies of every initiative (new indexes, same documents), so the
    // stream is far longer (~18 MB) than what report-service fetches ahead
    // and what the transport buffers: the outage must cut it mid-way.
    pqxx::connection c(url);
    pqxx::work tx(c);
    tx.exec(
        "INSERT INTO initiatives (document_id, initiative_index, section_index, kind, depth, text, has_funding, record)"
        " SELECT document_id, initiative_index + 100000 * g, section_index, kind, depth, text, has_funding, record"
        " FROM initiatives, generate_series(1, 10) g");
    total = tx.exec("SELECT count(*) FROM initiatives")[0][0].as<long long>();
    tx.commit();
  }
  ASSERT_GT(total, 40000) << "too few rows for a stream longer than the service's read-ahead";
  auto report = StartReport(url, "stream-report");
  const std::string port = report->WaitListening();
  ASSERT_FALSE(port.empty()) << report->Log();
  const pid_t pid = report->pid();
  auto ch = Channel(port);
  ASSERT_TRUE(WaitForHealth(ch, "pledgebook.v1.ReportService", 1, seconds(10)));

  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + seconds(60));
  auto reader = v1::ReportService::NewStub(ch)->StreamInitiatives(&context, v1::StreamInitiativesRequest());
  v1::StreamInitiativesResponse batch;
  long long received = 0;
  ASSERT_TRUE(reader->Read(&batch));
  received += batch.initiatives_size();
  auto t = Clock::now();
  Postgres().Stop();
  while (reader->Read(&batch)) {
    received += batch.initiatives_size();
    std::this_thread::sleep_for(milliseconds(20));
  }
  grpc::Status s = reader->Finish();
  const double ended_after = Since(t);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE) << s.error_message();
  EXPECT_LT(ended_after, 15.0) << "the stream hung instead of failing";
  EXPECT_LT(received, total);
  const bool not_serving = WaitForHealth(ch, "pledgebook.v1.ReportService", 2, seconds(5));
  EXPECT_TRUE(not_serving);
  // A call while the database is down fails fast and retryably.
  {
    grpc::ClientContext c2;
    c2.set_deadline(std::chrono::system_clock::now() + seconds(10));
    v1::ListDocumentsResponse r;
    auto t2 = Clock::now();
    grpc::Status s2 = v1::ReportService::NewStub(ch)->ListDocuments(&c2, {}, &r);
    EXPECT_EQ(s2.error_code(), grpc::StatusCode::UNAVAILABLE) << s2.error_message();
    EXPECT_LT(Since(t2), 6.0);
  }
  Postgres().Start();
  const bool serving_again = WaitForHealth(ch, "pledgebook.v1.ReportService", 1, seconds(20));
  EXPECT_TRUE(serving_again);
  EXPECT_TRUE(report->Running());
  EXPECT_EQ(report->pid(), pid);

  grpc::ClientContext again;
  again.set_deadline(std::chrono::system_clock::now() + seconds(60));
  auto reader2 = v1::ReportService::NewStub(ch)->StreamInitiatives(&again, v1::StreamInitiativesRequest());
  long long received2 = 0;
  while (reader2->Read(&batch)) received2 += batch.initiatives_size();
  grpc::Status s2 = reader2->Finish();
  EXPECT_TRUE(s2.ok()) << s2.error_message();
  EXPECT_EQ(received2, total);
  std::printf(
      "[fault] postgres restart during StreamInitiatives: %lld of %lld rows before the stop, stream ended %s after "
      "%.2f s; NOT_SERVING %s; SERVING again %s (same pid %d); full stream afterwards %lld of %lld rows\n",
      received, total, s.error_code() == grpc::StatusCode::UNAVAILABLE ? "UNAVAILABLE" : "WRONGLY", ended_after,
      not_serving ? "yes" : "NO", serving_again ? "yes" : "NO", static_cast<int>(pid), received2, total);
  report->Signal(SIGTERM);
  EXPECT_EQ(report->Wait(seconds(30)), 0);
}

TEST(FaultTest, IngestKilledMidBatchThenEverythingResent) {
  const std::string url = Postgres().CreateDatabase("fault_kill");
  auto ingest = StartIngest(url, "kill-ingest-1");
  std::string port = ingest->WaitListening();
  ASSERT_FALSE(port.empty()) << ingest->Log();
  auto ch = Channel(port);
  BulkResult first = SendBulk(ch, "kill", [&](int i) {
    if (i == 80) ingest->Signal(SIGKILL);
  }, milliseconds(10), /*deadline_seconds=*/60);
  EXPECT_EQ(first.status.error_code(), grpc::StatusCode::UNAVAILABLE) << first.status.error_message();
  EXPECT_LT(first.seconds, 60.0);
  EXPECT_EQ(ingest->Wait(seconds(10)), 128 + SIGKILL);
  Integrity before = CheckIntegrity(url, "kill");
  EXPECT_EQ(before.partial, 0) << "a SIGKILL left a partial document";

  auto restarted = StartIngest(url, "kill-ingest-2");
  port = restarted->WaitListening();
  ASSERT_FALSE(port.empty()) << restarted->Log();
  BulkResult resend = SendBulk(Channel(port), "kill", nullptr, milliseconds(0));
  ASSERT_TRUE(resend.status.ok()) << resend.status.error_message();
  EXPECT_EQ(resend.response.failed_count(), 0);
  Integrity after = CheckIntegrity(url, "kill");
  std::printf(
      "[fault] SIGKILL of pledgebook-ingest mid-batch: written before the kill %d, client saw %s after %.1f s; "
      "stored before the restart %lld (partial %lld); resent %d with the same request_ids -> failed %d; documents "
      "stored %lld of %lld distinct, ingest_requests %lld, partial %lld, duplicates %lld, lost %lld\n",
      first.written, first.status.error_code() == grpc::StatusCode::UNAVAILABLE ? "UNAVAILABLE" : "other",
      first.seconds, before.documents, before.partial, resend.written, resend.response.failed_count(),
      after.documents, DistinctCorpusDocuments(), after.requests, after.partial, after.unexpected, after.lost);
  EXPECT_EQ(after.lost, 0);
  EXPECT_EQ(after.partial, 0);
  EXPECT_EQ(after.unexpected, 0);
  EXPECT_EQ(after.documents, DistinctCorpusDocuments());
  EXPECT_EQ(after.requests, static_cast<long long>(Corpus().size()));
  restarted->Signal(SIGTERM);
  EXPECT_EQ(restarted->Wait(seconds(30)), 0);
}

TEST(FaultTest, SigtermCancelsLongStreamsAfterTheGracePeriod) {
  const std::string url = Postgres().CreateDatabase("fault_shutdown");
  {
    auto ingest = StartIngest(url, "shutdown-ingest");  // applies the migrations
    ASSERT_FALSE(ingest->WaitListening().empty()) << ingest->Log();
    ingest->Signal(SIGTERM);
    ingest->Wait(seconds(30));
  }
  auto report = StartReport(url, "shutdown-report", /*grace=*/"1");
  const std::string port = report->WaitListening();
  ASSERT_FALSE(port.empty()) << report->Log();
  auto ch = Channel(port);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + seconds(60));
  auto reader = v1::ReportService::NewStub(ch)->WatchInitiatives(&context, v1::WatchInitiativesRequest());
  std::this_thread::sleep_for(milliseconds(500));  // the watch is polling now
  auto t = Clock::now();
  report->Signal(SIGTERM);
  v1::WatchInitiativesResponse r;
  while (reader->Read(&r)) {
  }
  grpc::Status s = reader->Finish();
  const double ended = Since(t);
  const int exit_code = report->Wait(seconds(20));
  const double exited = Since(t);
  EXPECT_TRUE(s.error_code() == grpc::StatusCode::CANCELLED || s.error_code() == grpc::StatusCode::UNAVAILABLE)
      << s.error_code() << " " << s.error_message();
  EXPECT_GE(ended, 0.9) << "the stream did not get its grace period";
  EXPECT_LT(ended, 8.0);
  EXPECT_EQ(exit_code, 0) << report->Log();
  std::printf("[fault] SIGTERM with a WatchInitiatives stream open (grace 1 s): stream ended with code %d after %.2f s, "
              "process exited %d after %.2f s\n",
              static_cast<int>(s.error_code()), ended, exit_code, exited);
}

// A dead database is not hammered: after a failed connection attempt the
// pool answers UNAVAILABLE at once until the backoff has passed, and the
// backoff grows with each failure.
TEST(PoolBackoffTest, FailsFastAndBacksOffWhileTheDatabaseIsDown) {
  // A port nothing listens on (connection refused at once).
  ConnectionPool pool("postgresql://postgres@127.0.0.1:9/none", 4, "", absl::Milliseconds(800));
  auto t = Clock::now();
  auto first = pool.Acquire();
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(first.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(pool.consecutive_failures(), 1);
  auto second = pool.Acquire();  // within the backoff: no attempt
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(second.status().message().find("next reconnection attempt in"), std::string::npos) << second.status();
  EXPECT_EQ(pool.consecutive_failures(), 1);
  EXPECT_LT(Since(t), 1.0);
  int attempts = 1;
  const auto end = Clock::now() + seconds(4);
  while (Clock::now() < end) {
    auto r = pool.Acquire();
    EXPECT_EQ(r.status().code(), absl::StatusCode::kUnavailable);
    attempts = pool.consecutive_failures();
    std::this_thread::sleep_for(milliseconds(5));
  }
  // ~800 calls in 4 s, but only a handful of connection attempts:
  // 100, 200, 400, 800, 800 … ms apart (±20 %).
  EXPECT_GE(attempts, 4);
  EXPECT_LE(attempts, 10);
  EXPECT_EQ(pool.in_use(), 0);
  std::printf("[fault] pool against a dead database: %d connection attempts in 4 s of continuous calls\n", attempts);
}

}  // namespace
}  // namespace pledgebook::testing

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  std::filesystem::create_directories(pledgebook::testing::BinaryDir() + "/tests/fault");
  ::testing::AddGlobalTestEnvironment(new pledgebook::testing::PostgresEnvironment());
  return RUN_ALL_TESTS();
}
