// `pledgebook documents` (ListDocuments, page by page or --all) and
// `pledgebook get DOCUMENT_ID` (GetDocument).
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <iostream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "commands/commands.h"
#include "connection.h"
#include "google/protobuf/util/time_util.h"
#include "output.h"
#include "pledgebook/v1/report_service.grpc.pb.h"

namespace pledgebook::cli {
namespace {

namespace v1 = ::pledgebook::v1;

// "2022-09-21", "2022-09" or "2022" (a partial date), "" when unset.
std::string DateText(const google::type::Date& d) {
  if (d.year() == 0) return "";
  char buf[16];
  if (d.month() == 0) {
    std::snprintf(buf, sizeof buf, "%04d", d.year());
  } else if (d.day() == 0) {
    std::snprintf(buf, sizeof buf, "%04d-%02d", d.year(), d.month());
  } else {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year(), d.month(), d.day());
  }
  return buf;
}

std::string TimeText(const v1::Document& d) {
  return d.has_create_time() ? google::protobuf::util::TimeUtil::ToString(d.create_time()) : "";
}

// CONTENT_FORMAT_PLAIN_TEXT → "plain-text".
std::string FormatName(v1::ContentFormat f) {
  std::string name = absl::AsciiStrToLower(v1::ContentFormat_Name(f).substr(std::string("CONTENT_FORMAT_").size()));
  std::replace(name.begin(), name.end(), '_', '-');
  return name;
}

// Writes documents (BASIC view) as they come, page after page.
class DocumentWriter {
 public:
  DocumentWriter(std::ostream& out, const std::string& format) : out_(out), format_(format) {}

  void Begin() {
    if (format_ == "csv") {
      WriteCsvRecord(out_, {"document_id", "title", "publisher", "published_date", "source_uri", "format",
                            "section_count", "initiative_count", "money_mention_count", "create_time",
                            "parser_version"});
    } else if (format_ == "table") {
      out_ << table_.Header() << "\n" << table_.Rule() << "\n";
    }
  }

  void Write(const v1::Document& d) {
    const v1::DocumentStats& s = d.stats();
    if (format_ == "jsonl") {
      out_ << ToJson(d, false) << "\n";
    } else if (format_ == "csv") {
      WriteCsvRecord(out_, {d.document_id(), d.title(), d.publisher(), DateText(d.published_date()), d.source_uri(),
                            FormatName(d.format()), std::to_string(s.section_count()),
                            std::to_string(s.initiative_count()), std::to_string(s.money_mention_count()),
                            TimeText(d), d.parser_version()});
    } else if (format_ == "table") {
      out_ << table_.Row({d.document_id(), DateText(d.published_date()), std::to_string(s.section_count()),
                          std::to_string(s.initiative_count()), std::to_string(s.money_mention_count()), d.title()})
           << "\n";
    }
  }

 private:
  static TableLayout MakeTable() {
    std::vector<Column> columns = {{"Document", Column::Align::kLeft, 0, 32},
                                   {"Published", Column::Align::kLeft, 0, 10},
                                   {"Sections", Column::Align::kRight, 0, 0},
                                   {"Initiatives", Column::Align::kRight, 0, 0},
                                   {"Money", Column::Align::kRight, 0, 0},
                                   {"Title", Column::Align::kLeft, 0, 0}};
    TableLayout fitted(columns);  // the titles set the widths of the counts
    columns = fitted.columns();
    int used = 0;  // by the other columns and their separators
    for (size_t i = 0; i + 1 < columns.size(); ++i) used += columns[i].width + 2;
    columns.back().width = std::max(20, TerminalColumns(STDOUT_FILENO, 140) - used);
    return TableLayout(columns);
  }

  std::ostream& out_;
  const std::string format_;
  TableLayout table_ = MakeTable();
};

int RunDocuments(const Args& args) {
  v1::ListDocumentsRequest request;
  request.set_page_size(static_cast<int>(args.GetInt("page-size", 1, 1000)));
  request.set_page_token(args.Get("page-token"));
  request.set_filter(args.Get("filter"));
  const bool all = args.GetBool("all");
  const std::string& format = args.Get("format");

  Connection connection(ConnectionOptionsFromArgs(args, Service::kReport));
  auto stub = v1::ReportService::NewStub(connection.channel());
  DocumentWriter writer(std::cout, format);
  writer.Begin();
  v1::ListDocumentsResponse merged;  // for --format=json: one response holding every page asked for
  while (true) {
    v1::ListDocumentsResponse page;
    auto context = connection.NewContext();  // the deadline is per page
    grpc::Status status = stub->ListDocuments(context.get(), request, &page);
    if (!status.ok()) {
      FlushStdout();
      return ReportRpcError("documents", status, connection);
    }
    for (const v1::Document& d : page.documents()) writer.Write(d);
    if (!FlushStdout()) return StdoutExitStatus();  // nobody reads any more: no more pages
    if (format == "json") {
      for (v1::Document& d : *page.mutable_documents()) *merged.add_documents() = std::move(d);
      merged.set_next_page_token(page.next_page_token());
    }
    if (!all || page.next_page_token().empty()) {
      if (!page.next_page_token().empty() && format != "json") {
        std::cerr << "pledgebook documents: more documents: --page-token=" << page.next_page_token()
                  << " (or --all)\n";
      }
      break;
    }
    request.set_page_token(page.next_page_token());
  }
  if (format == "json") std::cout << ToJson(merged, true) << "\n";
  return StdoutExitStatus();
}

void WriteDocumentTable(const v1::Document& d, std::ostream& out) {
  const v1::DocumentStats& s = d.stats();
  std::vector<std::pair<std::string, std::string>> fields = {
      {"Document", d.name()},
      {"Title", d.title()},
      {"Publisher", d.publisher()},
      {"Published", DateText(d.published_date())},
      {"Source", d.source_uri()},
      {"Format", FormatName(d.format())},
      {"Stored", TimeText(d)},
      {"Parser", d.parser_version()},
      {"SHA-256", d.content_sha256()},
      {"Counts", absl::StrCat(s.section_count(), " sections, ", s.initiative_count(), " initiatives, ",
                              s.money_mention_count(), " money mentions")},
  };
  for (const std::string& w : d.warnings()) fields.push_back({"Warning", w});
  for (const auto& [name, value] : fields) {
    if (!value.empty()) out << name << std::string(12 - name.size(), ' ') << SanitizeForTerminal(value) << "\n";
  }

  TableLayout sections({{"Section", Column::Align::kRight, 0, 0},
                        {"Heading", Column::Align::kLeft, 0, std::max(20, TerminalColumns(STDOUT_FILENO, 120) - 9)}});
  out << "\n" << sections.Header() << "\n" << sections.Rule() << "\n";
  if (d.has_preamble()) out << sections.Row({"0", "(preamble)"}) << "\n";
  for (const v1::Section& section : d.sections()) {
    out << sections.Row({std::to_string(section.index()), section.heading().empty() ? section.intro() : section.heading()})
        << "\n";
  }
  if (!d.normalized_text().empty()) {
    out << "\nText:\n";
    for (absl::string_view line : absl::StrSplit(d.normalized_text(), '\n')) {
      out << SanitizeForTerminal(std::string_view(line.data(), line.size())) << "\n";
    }
  }
}

int RunGet(const Args& args) {
  v1::GetDocumentRequest request;
  request.set_name(args.operands()[0]);
  request.set_view(args.Get("view") == "full" ? v1::DOCUMENT_VIEW_FULL : v1::DOCUMENT_VIEW_BASIC);
  Connection connection(ConnectionOptionsFromArgs(args, Service::kReport));
  auto stub = v1::ReportService::NewStub(connection.channel());
  v1::GetDocumentResponse response;
  auto context = connection.NewContext();
  grpc::Status status = stub->GetDocument(context.get(), request, &response);
  if (!status.ok()) return ReportRpcError("get", status, connection);
  const std::string& format = args.Get("format");
  if (format == "json" || format == "jsonl") {
    std::cout << ToJson(response.document(), format == "json") << "\n";
  } else {
    WriteDocumentTable(response.document(), std::cout);
  }
  return StdoutExitStatus();
}

}  // namespace

Command DocumentsCommand() {
  CommandSpec spec;
  spec.name = "documents";
  spec.summary = "list stored documents, newest first, page by page or --all";
  spec.description =
      "Lists stored documents from report-service, newest first, --page-size at a time. Without --all it "
      "prints one page and, when there are more, the flag that fetches the next one on stderr "
      "(--page-token=…); --all follows every page.\n\n"
      "Formats: table; csv (document_id, title, publisher, published_date, source_uri, format, section_count, "
      "initiative_count, money_mention_count, create_time, parser_version); json (a ListDocumentsResponse in "
      "proto3 JSON; with --all, one response holding every document); jsonl (one Document per line).";
  spec.flags = Concat(
      {
          {"page-size", "N", "Documents per page (1 to 1000).", "", "50", {}},
          {"page-token", "TOKEN", "Start at this page: the token a previous call printed.", "", "", {}},
          {"all", "", "Follow every page to the end.", "", "", {}},
          {"filter", "FILTER",
           "AIP-160 filter: documents with at least one matching initiative, e.g. 'publisher = \"The White "
           "House\"' (docs/filtering.md).",
           "", "", {}},
          FormatFlag({"table", "csv", "json", "jsonl"}, "Output format."),
      },
      ConnectionFlags(Service::kReport, "30"));
  spec.examples = {"pledgebook documents", "pledgebook documents --all --format=jsonl | wc -l",
                   "pledgebook documents --page-size=20 --page-token=TOKEN"};
  return {spec, RunDocuments};
}

Command GetCommand() {
  CommandSpec spec;
  spec.name = "get";
  spec.operands = "DOCUMENT_ID";
  spec.min_operands = spec.max_operands = 1;
  spec.summary = "show one stored document";
  spec.description =
      "Shows one stored document: its metadata, counts and sections (--view=full adds the normalized text "
      "every span refers to). DOCUMENT_ID is the id or the resource name \"documents/ID\", as ingest and "
      "documents print them. Exits 3 when there is no such document.";
  spec.flags = Concat(
      {
          {"view", "VIEW", "basic: metadata, counts and sections; full: also the normalized text.", "", "basic",
           {"basic", "full"}},
          FormatFlag({"table", "json", "jsonl"},
                     "table: for people; json: the Document in proto3 JSON, indented; jsonl: on one line."),
      },
      ConnectionFlags(Service::kReport, "30"));
  spec.examples = {"pledgebook get 3f2a9c…", "pledgebook get documents/3f2a9c… --view=full --format=json"};
  return {spec, RunGet};
}

}  // namespace pledgebook::cli
