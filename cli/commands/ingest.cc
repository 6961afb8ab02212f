// `pledgebook ingest PATH...`: sends files to ingest-service.
//
// How: one unary IngestDocument call per file, a few calls at a time
// (--concurrency, default 4), rather than the client-streaming
// IngestDocuments RPC in batches, because
//   - each file's result (and the progress bar) arrives when that file is
//     done; IngestDocuments answers once, when its stream ends, so a batch
//     shows nothing until all of it is stored;
//   - a failure stays with its file: a message over the size limit, a
//     deadline or a dropped connection ends a whole IngestDocuments stream
//     and loses the results of every document in it;
//   - every file gets its own deadline, and gRPC retries UNAVAILABLE per
//     call (safe: ingestion is idempotent by content, a retried file can only
//     come back "already stored");
//   - the server ingests the documents of one stream one after another,
//     while a few concurrent calls use its threads and its database pool (8
//     connections by default; 4 calls stay well under that). The client
//     holds at most --concurrency files in memory.
// The cost, one HTTP/2 request per file on an open channel, is small next to
// parsing and storing a document.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "commands/commands.h"
#include "connection.h"
#include "inputs.h"
#include "interrupt.h"
#include "output.h"
#include "pledgebook/v1/ingest_service.grpc.pb.h"
#include "progress.h"

namespace pledgebook::cli {
namespace {

namespace v1 = ::pledgebook::v1;

// Larger files fail without being read: the services accept gRPC messages
// of up to 64 MiB (and documents of up to 16 MiB by default).
constexpr off_t kMaxFileBytes = 64 << 20;

enum class Result { kCreated, kAlreadyStored, kFailed };

struct Outcome {
  bool done = false;
  Result result = Result::kFailed;
  std::string error;  // for kFailed: "INVALID_ARGUMENT: content: …" or a local problem
  v1::IngestDocumentResponse response;
};

// Reads a file of at most kMaxFileBytes; on failure returns false and sets `error`.
bool ReadDocument(const std::string& path, std::string* content, std::string* error) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) {
    *error = absl::StrCat("cannot read: ", std::strerror(errno));
    return false;
  }
  if (st.st_size > kMaxFileBytes) {
    *error = absl::StrCat("larger than ", kMaxFileBytes >> 20, " MiB, the largest message the services accept");
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = absl::StrCat("cannot read: ", std::strerror(errno));
    return false;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) {
    *error = "cannot read: I/O error";
    return false;
  }
  *content = ss.str();
  return true;
}

std::string StatsText(const v1::DocumentStats& s) {
  return absl::StrCat(s.section_count(), " sections, ", s.initiative_count(), " initiatives, ",
                      s.money_mention_count(), " money mentions");
}

std::string TextLine(const std::string& path, const Outcome& o) {
  switch (o.result) {
    case Result::kCreated:
      return absl::StrCat(path, ": created ", o.response.name(), " (", StatsText(o.response.stats()), ")");
    case Result::kAlreadyStored:
      return absl::StrCat(path, ": already stored ", o.response.name(), " (", StatsText(o.response.stats()), ")");
    case Result::kFailed:
      break;
  }
  return absl::StrCat(path, ": failed: ", o.error);
}

std::string JsonLine(const std::string& path, const Outcome& o) {
  std::string line = absl::StrCat("{\"path\":", JsonString(path), ",\"result\":");
  if (o.result == Result::kFailed) {
    return absl::StrCat(line, "\"failed\",\"error\":", JsonString(o.error), "}");
  }
  return absl::StrCat(line, o.result == Result::kCreated ? "\"created\"" : "\"already_stored\"",
                      ",\"response\":", ToJson(o.response, false), "}");
}

class Ingestion {
 public:
  Ingestion(const Args& args, std::vector<Input> inputs) : args_(args), inputs_(std::move(inputs)),
                                                            outcomes_(inputs_.size()) {
    for (size_t i = 0; i < inputs_.size(); ++i) {
      if (!inputs_[i].error.empty()) Finish(i, Outcome{true, Result::kFailed, inputs_[i].error, {}});
    }
  }

  // From now on no new file is sent; each remaining one fails with `reason`.
  void Stop(const char* reason) {
    const char* expected = nullptr;
    stopping_.compare_exchange_strong(expected, reason);
    cv_.notify_all();
  }

  // Sends every file with `concurrency` calls at a time; prints each result
  // in input order as it becomes known; returns the exit status.
  int Run(const Connection& connection, int concurrency, const InterruptWatcher& interrupt) {
    connection_ = &connection;
    stub_ = v1::IngestService::NewStub(connection.channel());
    const bool jsonl = args_.Get("format") == "jsonl";
    const std::string& style = args_.Get("progress");
    Progress progress(style == "bar"     ? Progress::Style::kBar
                      : style == "lines" ? Progress::Style::kLines
                      : style == "none"  ? Progress::Style::kNone
                                         : Progress::StyleFor(STDERR_FILENO),
                      inputs_.size(), std::cerr, "documents");

    std::vector<std::thread> workers;
    const size_t n_workers = std::min<size_t>(static_cast<size_t>(concurrency), std::max<size_t>(inputs_.size(), 1));
    for (size_t w = 0; w < n_workers; ++w) workers.emplace_back([this] { Work(); });

    // This thread prints; the workers only record outcomes. Output is written
    // outside the lock, so a slow reader of stdout never holds up a worker.
    size_t printed = 0, advanced = 0, created = 0, existing = 0, failed = 0;
    while (printed < inputs_.size()) {
      std::vector<Outcome> ready;  // the next outcomes in input order
      size_t completed;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait_for(lock, std::chrono::milliseconds(200),
                     [&] { return completed_ > advanced || outcomes_[printed].done; });
        completed = completed_;
        while (printed + ready.size() < inputs_.size() && outcomes_[printed + ready.size()].done) {
          ready.push_back(std::move(outcomes_[printed + ready.size()]));
        }
      }
      for (; advanced < completed; ++advanced) progress.Advance();
      for (const Outcome& o : ready) {
        (o.result == Result::kCreated ? created : o.result == Result::kAlreadyStored ? existing : failed)++;
        const std::string& path = inputs_[printed++].path;
        progress.PrintLine(std::cout, jsonl ? JsonLine(path, o) : TextLine(path, o));
      }
      progress.Tick();
    }
    for (std::thread& t : workers) t.join();
    progress.Finish();

    const double seconds = progress.ElapsedSeconds();
    const std::string summary = absl::StrCat(
        "summary: ", created, " created, ", existing, " already stored, ", failed, " failed (", inputs_.size(),
        inputs_.size() == 1 ? " file in " : " files in ", absl::StrFormat("%.1f", seconds), " s, ",
        Progress::FormatRate(created + existing, seconds), " documents/s)");
    // In jsonl every stdout line is a file's result; the summary goes to stderr.
    (jsonl ? std::cerr : std::cout) << summary << "\n" << std::flush;
    // Ingestion goes on when stdout's reader leaves (`| grep -q created`):
    // the results are a report, the documents are the point.
    const int output_status = StdoutExitStatus();
    if (interrupt.interrupted()) return 128 + SIGINT;
    return failed == 0 ? output_status : kExitFailure;
  }

 private:
  void Work() {
    for (size_t i = next_++; i < inputs_.size(); i = next_++) {
      if (!inputs_[i].error.empty()) continue;  // already failed
      if (const char* reason = stopping_.load(); reason != nullptr) {
        Finish(i, Outcome{true, Result::kFailed, reason, {}});
        continue;
      }
      Finish(i, IngestOne(inputs_[i].path));
    }
  }

  Outcome IngestOne(const std::string& path) {
    Outcome o{true, Result::kFailed, "", {}};
    v1::IngestDocumentRequest request;
    v1::DocumentSource* source = request.mutable_source();
    if (!ReadDocument(path, source->mutable_content(), &o.error)) return o;
    source->set_content_type(args_.Given("content-type") ? args_.Get("content-type") : ContentTypeForPath(path));
    source->set_source_uri(path);
    source->set_publisher(args_.Get("publisher"));
    auto context = connection_->NewContext();
    grpc::Status status = stub_->IngestDocument(context.get(), request, &o.response);
    if (!status.ok()) {
      o.error = absl::StrCat(StatusCodeName(status.error_code()), ": ", status.error_message());
      // gRPC has already retried; the files after this one would fail the same way.
      if (status.error_code() == grpc::StatusCode::UNAVAILABLE) Stop("not sent: ingest-service unavailable");
      return o;
    }
    o.result = o.response.created() ? Result::kCreated : Result::kAlreadyStored;
    return o;
  }

  void Finish(size_t i, Outcome o) {
    std::lock_guard<std::mutex> lock(mu_);
    outcomes_[i] = std::move(o);
    ++completed_;
    cv_.notify_all();
  }

  const Args& args_;
  std::vector<Input> inputs_;
  const Connection* connection_ = nullptr;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Outcome> outcomes_;  // guarded by mu_; moved out (done stays true) once printed
  size_t completed_ = 0;           // guarded by mu_
  std::atomic<size_t> next_{0};
  std::atomic<const char*> stopping_{nullptr};  // why the remaining files are not sent
  std::unique_ptr<v1::IngestService::Stub> stub_;
};

int RunIngest(const Args& args) {
  const int concurrency = static_cast<int>(args.GetInt("concurrency", 1, 16));
  Ingestion ingestion(args, CollectInputs(args.operands()));
  // Ctrl-C: no new file is sent; the calls in flight finish (or hit their
  // deadline) and the summary says what happened. A second Ctrl-C quits.
  // Installed before the channel exists, so that gRPC's threads inherit the
  // blocked signals.
  InterruptWatcher interrupt([&ingestion](int) { ingestion.Stop("not sent: interrupted"); });
  Connection connection(ConnectionOptionsFromArgs(args, Service::kIngest));
  return ingestion.Run(connection, concurrency, interrupt);
}

}  // namespace

Command IngestCommand() {
  CommandSpec spec;
  spec.name = "ingest";
  spec.operands = "PATH...";
  spec.min_operands = 1;
  spec.max_operands = CommandSpec::kUnlimited;
  spec.summary = "send documents (files, directories, glob patterns) to ingest-service";
  spec.description =
      "Sends documents to ingest-service, which parses and stores each one (once: the same content ingested "
      "again is \"already stored\"). A PATH is a file (sent whatever its name), a directory (every *.txt, "
      "*.md, *.markdown, *.html and *.htm below it, recursively, hidden entries skipped) or a glob pattern "
      "such as 'docs/2022-*.html' (expanded by pledgebook when the shell did not). A file named twice is sent "
      "once.\n\n"
      "Prints one line per file, in the order given (created, already stored, or failed with the server's "
      "message), then a summary line. On a terminal, stderr shows a progress bar with documents per second "
      "and the time left; otherwise a plain progress line every few seconds.\n\n"
      "Exits 0 when every file was stored, 1 when any failed (including paths that do not exist), 2 on a "
      "usage error, 130 when interrupted (the first Ctrl-C lets the files in flight finish).";
  spec.flags = Concat(
      {
          {"content-type", "MIME_TYPE",
           "Format of every file: text/plain, text/markdown or text/html. By default it comes from each file's "
           "extension; other names are sniffed.",
           "", "", {}},
          {"publisher", "NAME", "Publisher to record for every file, e.g. \"The White House\".", "", "", {}},
          {"concurrency", "N", "Files sent at the same time (1 to 16).", "", "4", {}},
          {"progress", "WHEN",
           "Progress on stderr: auto (a bar on a terminal, plain lines otherwise), bar, lines or none.", "",
           "auto", {"auto", "bar", "lines", "none"}},
          FormatFlag({"text", "jsonl"},
                     "text: one line per file and a summary; jsonl: one JSON object per file on stdout "
                     "({\"path\", \"result\": created|already_stored|failed, \"response\" or \"error\"}), the "
                     "summary on stderr."),
      },
      ConnectionFlags(Service::kIngest, "60"));
  spec.examples = {"pledgebook ingest tests/gold/docs",
                   "pledgebook ingest --publisher='The White House' 'archive/2022-*.html' notes.md",
                   "pledgebook ingest --format=jsonl --progress=none docs/ > results.jsonl"};
  return {spec, RunIngest};
}

}  // namespace pledgebook::cli
