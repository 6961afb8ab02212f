// pledgebook: the command-line client.
//
//   pledgebook parse FILE                       parse offline, print JSON
//   pledgebook ingest FILE...                   send files to ingest-service
//   pledgebook report [--group-by=section,funder] [--filter=F] [--format=table|csv|json]
//   pledgebook stream [--filter=F] [--limit=N]  stream initiatives as JSON lines
//   pledgebook documents [--page-size=N]        list documents
//
// Servers: --ingest-addr / PLEDGEBOOK_INGEST_ADDR (127.0.0.1:50051) and
// --report-addr / PLEDGEBOOK_REPORT_ADDR (127.0.0.1:50052).
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "args.h"
#include "eval/gold_eval.h"
#include "common/config.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/grpcpp.h"
#include "parser/parse_document.h"
#include "pledgebook/v1/ingest_service.grpc.pb.h"
#include "pledgebook/v1/report_service.grpc.pb.h"
#include "report_format.h"

namespace {

namespace v1 = ::pledgebook::v1;
using pledgebook::cli::Args;

constexpr char kUsage[] =
    "usage: pledgebook COMMAND [options]\n"
    "commands:\n"
    "  parse FILE             parse a document offline and print it as JSON\n"
    "  ingest FILE...         ingest documents (--content-type, --publisher)\n"
    "  report                 funding report (--group-by=section,funder --filter=F --format=table|csv|json)\n"
    "  stream                 stream initiatives as JSON lines (--filter=F --order-by=O --limit=N)\n"
    "  documents              list documents (--page-size=N --filter=F)\n"
    "  eval GOLD_DIR          precision/recall/F1 of the parser on a gold set (--verbose lists misses)\n"
    "common options: --ingest-addr=HOST:PORT --report-addr=HOST:PORT --deadline-seconds=N\n";

bool ReadFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return true;
}

std::string ContentTypeFor(const std::string& path, const Args& args) {
  if (args.Has("content-type")) return args.Get("content-type");
  auto ends = [&](const char* ext) {
    std::string e(ext);
    return path.size() >= e.size() && path.compare(path.size() - e.size(), e.size(), e) == 0;
  };
  if (ends(".html") || ends(".htm")) return "text/html";
  if (ends(".md")) return "text/markdown";
  if (ends(".txt")) return "text/plain";
  return "";
}

std::string ToJson(const google::protobuf::Message& m, bool pretty) {
  std::string out;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = pretty;
  options.preserve_proto_field_names = false;  // canonical lowerCamelCase
  (void)google::protobuf::util::MessageToJsonString(m, &out, options);
  return out;
}

int Fail(const std::string& what, const grpc::Status& status) {
  std::cerr << "pledgebook: " << what << ": " << status.error_message() << " (code " << status.error_code()
            << ")\n";
  return 1;
}

std::unique_ptr<grpc::ClientContext> ContextWithDeadline(const Args& args, int default_seconds) {
  auto context = std::make_unique<grpc::ClientContext>();
  int seconds = std::atoi(args.Get("deadline-seconds", nullptr, std::to_string(default_seconds)).c_str());
  if (seconds > 0) context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(seconds));
  return context;
}

std::shared_ptr<grpc::Channel> Channel(const std::string& address) {
  return grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
}

int Parse(const Args& args) {
  if (args.operands.size() != 1) {
    std::cerr << "usage: pledgebook parse FILE\n";
    return 2;
  }
  v1::DocumentSource source;
  std::string content;
  if (!ReadFile(args.operands[0], &content)) {
    std::cerr << "pledgebook: cannot read " << args.operands[0] << "\n";
    return 1;
  }
  source.set_content(content);
  source.set_content_type(ContentTypeFor(args.operands[0], args));
  source.set_source_uri(args.operands[0]);
  absl::StatusOr<v1::Document> doc = pledgebook::parser::ParseDocument(source);
  if (!doc.ok()) {
    std::cerr << "pledgebook: " << args.operands[0] << ": " << doc.status().message() << "\n";
    return 1;
  }
  v1::ParseDocumentResponse response;
  *response.mutable_document() = *doc;
  std::cout << ToJson(response, true) << "\n";
  return 0;
}

int Ingest(const Args& args) {
  if (args.operands.empty()) {
    std::cerr << "usage: pledgebook ingest FILE...\n";
    return 2;
  }
  auto stub = v1::IngestService::NewStub(
      Channel(args.Get("ingest-addr", pledgebook::kIngestAddressEnv, pledgebook::kDefaultIngestAddress)));
  int failed = 0;
  for (const std::string& path : args.operands) {
    v1::IngestDocumentRequest request;
    std::string content;
    if (!ReadFile(path, &content)) {
      std::cerr << path << ": cannot read\n";
      ++failed;
      continue;
    }
    request.mutable_source()->set_content(content);
    request.mutable_source()->set_content_type(ContentTypeFor(path, args));
    request.mutable_source()->set_source_uri(path);
    request.mutable_source()->set_publisher(args.Get("publisher"));
    v1::IngestDocumentResponse response;
    auto context = ContextWithDeadline(args, 60);
    grpc::Status status = stub->IngestDocument(context.get(), request, &response);
    if (!status.ok()) {
      std::cerr << path << ": " << status.error_message() << " (code " << status.error_code() << ")\n";
      ++failed;
      continue;
    }
    std::cout << path << ": " << (response.created() ? "created " : "already stored ") << response.name() << " ("
              << response.stats().section_count() << " sections, " << response.stats().initiative_count()
              << " initiatives, " << response.stats().money_mention_count() << " money mentions)\n";
  }
  std::cout << args.operands.size() - failed << " ingested, " << failed << " failed\n";
  return failed == 0 ? 0 : 1;
}

bool ParseDimension(std::string name, v1::FundingDimension* out) {
  name = absl::AsciiStrToUpper(name);
  for (char& c : name) if (c == '-') c = '_';
  return v1::FundingDimension_Parse("FUNDING_DIMENSION_" + name, out) && *out != v1::FUNDING_DIMENSION_UNSPECIFIED;
}

int Report(const Args& args) {
  v1::GetFundingReportRequest request;
  request.set_filter(args.Get("filter"));
  const std::vector<std::string> names = absl::StrSplit(args.Get("group-by"), ',', absl::SkipEmpty());
  for (const std::string& name : names) {
    v1::FundingDimension dim;
    if (!ParseDimension(name, &dim)) {
      std::cerr << "pledgebook: unknown --group-by dimension \"" << name << "\"\n";
      return 2;
    }
    request.add_group_by(dim);
  }
  if (args.Get("joint") == "split") request.set_joint_funding(v1::JOINT_FUNDING_SPLIT_EVENLY);
  request.set_top_n(std::atoi(args.Get("top", nullptr, "0").c_str()));
  auto stub = v1::ReportService::NewStub(
      Channel(args.Get("report-addr", pledgebook::kReportAddressEnv, pledgebook::kDefaultReportAddress)));
  v1::GetFundingReportResponse response;
  auto context = ContextWithDeadline(args, 30);
  grpc::Status status = stub->GetFundingReport(context.get(), request, &response);
  if (!status.ok()) return Fail("report", status);
  const std::string format = args.Get("format", nullptr, "table");
  if (format == "json") {
    std::cout << ToJson(response, true) << "\n";
  } else if (format == "csv") {
    pledgebook::cli::PrintReportCsv(response, std::cout);
  } else {
    pledgebook::cli::PrintReportTable(response, std::cout);
  }
  return 0;
}

int Stream(const Args& args) {
  v1::StreamInitiativesRequest request;
  request.set_filter(args.Get("filter"));
  request.set_order_by(args.Get("order-by"));
  request.set_limit(std::atoll(args.Get("limit", nullptr, "0").c_str()));
  auto stub = v1::ReportService::NewStub(
      Channel(args.Get("report-addr", pledgebook::kReportAddressEnv, pledgebook::kDefaultReportAddress)));
  auto context = ContextWithDeadline(args, 0);
  auto reader = stub->StreamInitiatives(context.get(), request);
  v1::StreamInitiativesResponse batch;
  while (reader->Read(&batch)) {
    for (const auto& initiative : batch.initiatives()) std::cout << ToJson(initiative, false) << "\n";
  }
  grpc::Status status = reader->Finish();
  return status.ok() ? 0 : Fail("stream", status);
}

int Documents(const Args& args) {
  v1::ListDocumentsRequest request;
  request.set_page_size(std::atoi(args.Get("page-size", nullptr, "50").c_str()));
  request.set_filter(args.Get("filter"));
  request.set_page_token(args.Get("page-token"));
  auto stub = v1::ReportService::NewStub(
      Channel(args.Get("report-addr", pledgebook::kReportAddressEnv, pledgebook::kDefaultReportAddress)));
  v1::ListDocumentsResponse response;
  auto context = ContextWithDeadline(args, 30);
  grpc::Status status = stub->ListDocuments(context.get(), request, &response);
  if (!status.ok()) return Fail("documents", status);
  std::cout << ToJson(response, true) << "\n";
  return 0;
}

int Eval(const Args& args) {
  if (args.operands.size() != 1) {
    std::cerr << "usage: pledgebook eval GOLD_DIR [--verbose]\n";
    return 2;
  }
  absl::StatusOr<pledgebook::eval::GoldEval> eval = pledgebook::eval::EvaluateGoldDir(args.operands[0]);
  if (!eval.ok()) {
    std::cerr << "pledgebook: " << eval.status().message() << "\n";
    return 1;
  }
  std::cout << pledgebook::eval::FormatEval(*eval, args.Has("verbose"));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "help") {
    std::cout << kUsage;
    return argc < 2 ? 2 : 0;
  }
  const std::string command = argv[1];
  const Args args = pledgebook::cli::ParseArgs(argc, argv, 2, {"help", "verbose"});
  if (args.Has("help")) {
    std::cout << kUsage;
    return 0;
  }
  if (command == "parse") return Parse(args);
  if (command == "ingest") return Ingest(args);
  if (command == "report") return Report(args);
  if (command == "stream") return Stream(args);
  if (command == "documents") return Documents(args);
  if (command == "eval") return Eval(args);
  std::cerr << "pledgebook: unknown command \"" << command << "\"\n" << kUsage;
  return 2;
}
