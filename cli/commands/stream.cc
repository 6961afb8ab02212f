// `pledgebook stream` (StreamInitiatives) and `pledgebook watch`
// (WatchInitiatives): server streams of initiatives, printed as they arrive
// in constant memory: JSON lines, a JSON array, CSV or a fixed-width table.
#include <unistd.h>

#include <algorithm>
#include <iostream>
#include <mutex>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "commands/commands.h"
#include "common/money_text.h"
#include "connection.h"
#include "interrupt.h"
#include "output.h"
#include "pledgebook/v1/report_service.grpc.pb.h"

namespace pledgebook::cli {
namespace {

namespace v1 = ::pledgebook::v1;

// INITIATIVE_KIND_TABLE_ROW → "table-row".
std::string KindName(v1::InitiativeKind kind) {
  std::string name = v1::InitiativeKind_Name(kind);
  name = absl::AsciiStrToLower(name.substr(std::string("INITIATIVE_KIND_").size()));
  std::replace(name.begin(), name.end(), '_', '-');
  return name;
}

// Writes initiatives in one of the formats, one at a time.
class InitiativeWriter {
 public:
  InitiativeWriter(std::ostream& out, const std::string& format) : out_(out), format_(format) {}

  void Begin() {
    if (format_ == "csv") {
      WriteCsvRecord(out_, {"document_id", "section_index", "index", "kind", "depth", "section_heading", "text",
                            "money", "funders", "organizations", "places", "ingest_sequence"});
    } else if (format_ == "json") {
      out_ << "[";
    } else if (format_ == "table") {
      out_ << table_.Header() << "\n" << table_.Rule() << "\n";
    }
  }

  // `watch_line`: the JSON line to print in jsonl (for watch, the response
  // with its cursor); empty to print the initiative itself.
  void Write(const v1::Initiative& i, const std::string& watch_line = "") {
    if (format_ == "jsonl") {
      out_ << (watch_line.empty() ? ToJson(i, false) : watch_line) << "\n";
    } else if (format_ == "json") {
      out_ << (count_ == 0 ? "\n" : ",\n") << ToJson(i, false);
    } else if (format_ == "csv") {
      std::vector<std::string> money, funders, organizations, places;
      std::set<std::string> seen_funders;
      for (const auto& m : i.money()) {
        money.push_back(absl::StrCat(m.amount().currency_code(), " ", MoneyToDecimal(m.amount())));
        for (const auto& f : m.funders()) {
          if (seen_funders.insert(f.name()).second) funders.push_back(f.name());
        }
      }
      for (const auto& o : i.organizations()) organizations.push_back(o.name().empty() ? o.text() : o.name());
      for (const auto& p : i.places()) places.push_back(p.name().empty() ? p.text() : p.name());
      WriteCsvRecord(out_, {i.document_id(), std::to_string(i.section_index()), std::to_string(i.index()),
                            KindName(i.kind()), std::to_string(i.depth()), i.section_heading(), i.text(),
                            absl::StrJoin(money, "; "), absl::StrJoin(funders, "; "),
                            absl::StrJoin(organizations, "; "), absl::StrJoin(places, "; "),
                            std::to_string(i.ingest_sequence())});
    } else {
      std::string money;
      if (i.money_size() > 0) money = FormatMoney(i.money(0).amount());
      if (i.money_size() > 1) absl::StrAppend(&money, " +", i.money_size() - 1);
      out_ << table_.Row({i.document_id().substr(0, 8), std::to_string(i.section_index()), std::to_string(i.index()),
                          money, std::string(i.depth() * 2, ' ') + i.text()})
           << "\n";
    }
    ++count_;
  }

  void End() {
    if (format_ == "json") out_ << (count_ == 0 ? "]\n" : "\n]\n");
  }

 private:
  static TableLayout MakeTable() {
    // Rows stream, so the widths are fixed: the text gets what is left of the
    // terminal (120 columns when stdout is not a terminal).
    const int width = TerminalColumns(STDOUT_FILENO, 120);
    std::vector<Column> columns = {{"Document", Column::Align::kLeft, 0, 8},
                                   {"Sec", Column::Align::kRight, 0, 3},
                                   {"#", Column::Align::kRight, 0, 4},
                                   {"Money", Column::Align::kRight, 0, 24},
                                   {"Text", Column::Align::kLeft, 0, 0}};
    int used = 0;  // by the other columns and their separators
    for (size_t i = 0; i + 1 < columns.size(); ++i) used += columns[i].width + 2;
    columns.back().width = std::max(20, width - used);
    return TableLayout(columns);
  }

  std::ostream& out_;
  const std::string format_;
  TableLayout table_ = MakeTable();
  size_t count_ = 0;
};

int RunStream(const Args& args) {
  v1::StreamInitiativesRequest request;
  request.set_filter(args.Get("filter"));
  request.set_order_by(args.Get("order-by"));
  request.set_limit(args.GetInt("limit", 0, INT64_MAX));
  Connection connection(ConnectionOptionsFromArgs(args, Service::kReport));
  auto stub = v1::ReportService::NewStub(connection.channel());
  auto context = connection.NewContext();
  auto reader = stub->StreamInitiatives(context.get(), request);

  InitiativeWriter writer(std::cout, args.Get("format"));
  writer.Begin();
  bool output_open = true;
  v1::StreamInitiativesResponse batch;
  while (reader->Read(&batch)) {
    if (!output_open) continue;  // cancelled: drain what is in flight
    for (const auto& initiative : batch.initiatives()) writer.Write(initiative);
    if (!FlushStdout()) {  // nobody reads any more (`| head`): stop the stream
      output_open = false;
      context->TryCancel();
    }
  }
  grpc::Status status = reader->Finish();
  if (!output_open) return StdoutExitStatus();
  if (!status.ok()) {
    // A partial JSON array is left unclosed, so that no reader takes it for the whole.
    FlushStdout();
    return ReportRpcError("stream", status, connection);
  }
  writer.End();
  return StdoutExitStatus();
}

int RunWatch(const Args& args) {
  v1::WatchInitiativesRequest request;
  request.set_filter(args.Get("filter"));
  request.set_resume_cursor(args.Get("resume-cursor"));

  // Ctrl-C (or SIGTERM) cancels the call; the cursor is printed below.
  std::mutex mu;
  grpc::ClientContext* active = nullptr;
  InterruptWatcher interrupt([&](int) {
    std::lock_guard<std::mutex> lock(mu);
    if (active != nullptr) active->TryCancel();
  });
  Connection connection(ConnectionOptionsFromArgs(args, Service::kReport));
  auto stub = v1::ReportService::NewStub(connection.channel());
  auto context = connection.NewContext();
  {
    std::lock_guard<std::mutex> lock(mu);
    active = context.get();
    if (interrupt.interrupted()) context->TryCancel();
  }
  if (isatty(STDERR_FILENO)) {
    std::cerr << "pledgebook watch: watching " << connection.Describe() << " for new initiatives; Ctrl-C to stop\n";
  }
  auto reader = stub->WatchInitiatives(context.get(), request);

  const std::string& format = args.Get("format");
  InitiativeWriter writer(std::cout, format);
  writer.Begin();
  std::string cursor = request.resume_cursor();  // of the last line delivered
  bool output_open = true;
  v1::WatchInitiativesResponse response;
  while (reader->Read(&response)) {
    if (!output_open) continue;  // cancelled: drain what is in flight
    writer.Write(response.initiative(), format == "jsonl" ? ToJson(response, false) : "");
    // Flushed line by line: a reader at the other end of a pipe sees each one at once.
    if (FlushStdout()) {
      cursor = response.cursor();
    } else {  // nobody reads any more: stop watching
      output_open = false;
      context->TryCancel();
    }
  }
  grpc::Status status = reader->Finish();
  {
    std::lock_guard<std::mutex> lock(mu);
    active = nullptr;
  }
  writer.End();

  // Stopping by Ctrl-C, at the deadline the user asked for, or because the
  // reader of stdout went away is the normal end.
  const bool normal_end = status.ok() || interrupt.interrupted() || !output_open ||
                          (status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED &&
                           connection.options().deadline_seconds > 0);
  int exit_code = normal_end ? StdoutExitStatus() : ReportRpcError("watch", status, connection);
  if (cursor.empty()) {
    std::cerr << "pledgebook watch: no initiative received, no cursor to resume from\n";
  } else {
    std::cerr << "pledgebook watch: resume with --resume-cursor=" << cursor << "\n";
  }
  return exit_code;
}

const std::vector<std::string> kInitiativeFormats = {"jsonl", "json", "csv", "table"};

}  // namespace

Command StreamCommand() {
  CommandSpec spec;
  spec.name = "stream";
  spec.summary = "stream the initiatives that match a filter (JSON lines, JSON, CSV, table)";
  spec.description =
      "Streams stored initiatives from report-service as they are read, in constant memory: one JSON object "
      "per line by default (the Initiative in proto3 JSON), or a JSON array, CSV (document_id, section_index, "
      "index, kind, depth, section_heading, text, money, funders, organizations, places, ingest_sequence; lists "
      "joined by \"; \") or a table.\n\n"
      "No deadline by default: a stream lasts as long as it has rows.";
  spec.flags = Concat(
      {
          {"filter", "FILTER",
           "AIP-160 filter, e.g. 'organization = \"USAID\" AND has_funding = true' (docs/filtering.md).", "", "", {}},
          {"order-by", "FIELDS", "Ordering, e.g. \"document_id, index\" (the default) or \"ingest_sequence desc\".",
           "", "", {}},
          {"limit", "N", "Stop after N initiatives; 0 for all.", "", "0", {}},
          FormatFlag(kInitiativeFormats, "Output format."),
      },
      ConnectionFlags(Service::kReport, "0"));
  spec.examples = {"pledgebook stream --filter='has_funding = true' --limit=10",
                   "pledgebook stream --filter='place = \"MX\"' --format=csv > mexico.csv",
                   "pledgebook stream --format=table --filter='text:\"clean energy\"'"};
  return {spec, RunStream};
}

Command WatchCommand() {
  CommandSpec spec;
  spec.name = "watch";
  spec.summary = "follow newly ingested initiatives as JSON lines, resumable";
  spec.description =
      "Streams initiatives as they are ingested, until interrupted: one JSON object per line, {\"initiative\": "
      "…, \"cursor\": \"…\"}. Without --resume-cursor it starts from now; with the cursor of a line it goes on "
      "right after that initiative, missing none (the cursor is data, valid on any report-service replica).\n\n"
      "Ctrl-C (or SIGTERM) ends it with status 0 after printing the last cursor to stderr (\"resume with "
      "--resume-cursor=…\"); so does reaching --deadline-seconds, if one is given.";
  spec.flags = Concat(
      {
          {"filter", "FILTER", "AIP-160 filter, as for stream (docs/filtering.md).", "", "", {}},
          {"resume-cursor", "CURSOR", "Start right after the initiative this cursor (from an earlier line) names.",
           "", "", {}},
          FormatFlag({"jsonl", "table"}, "jsonl: each line with its cursor; table: for people (no cursors)."),
      },
      ConnectionFlags(Service::kReport, "0"));
  spec.examples = {"pledgebook watch --filter='has_funding = true'",
                   "pledgebook watch --resume-cursor=\"$(cat last-cursor)\" >> initiatives.jsonl",
                   "pledgebook watch --deadline-seconds=60   # watch for a minute"};
  return {spec, RunWatch};
}

}  // namespace pledgebook::cli
