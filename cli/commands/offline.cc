// Offline commands: `parse` and `eval` run the parser in-process, with no
// server.
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

#include "commands/commands.h"
#include "eval/gold_eval.h"
#include "inputs.h"
#include "output.h"
#include "parser/parse_document.h"
#include "pledgebook/v1/ingest_service.pb.h"

namespace pledgebook::cli {
namespace {

namespace v1 = ::pledgebook::v1;

int RunParse(const Args& args) {
  const std::string& path = args.operands()[0];
  std::string content;
  if (path == "-") {
    std::ostringstream ss;
    ss << std::cin.rdbuf();
    content = ss.str();
  } else {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      std::cerr << "pledgebook parse: cannot read " << path << ": " << std::strerror(errno) << "\n";
      return kExitFailure;
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    content = ss.str();
  }
  v1::DocumentSource source;
  source.set_content(content);
  source.set_content_type(args.Given("content-type") || path == "-" ? args.Get("content-type")
                                                                    : ContentTypeForPath(path));
  if (path != "-") source.set_source_uri(path);
  source.set_publisher(args.Get("publisher"));
  source.set_title(args.Get("title"));
  absl::StatusOr<v1::Document> doc = parser::ParseDocument(source);
  if (!doc.ok()) {
    std::cerr << "pledgebook parse: " << path << ": " << doc.status().message() << "\n";
    return kExitFailure;
  }
  v1::ParseDocumentResponse response;
  *response.mutable_document() = *std::move(doc);
  std::cout << ToJson(response, args.Get("format") == "json") << "\n";
  return StdoutExitStatus();
}

int RunEval(const Args& args) {
  absl::StatusOr<eval::GoldEval> result = eval::EvaluateGoldDir(args.operands()[0]);
  if (!result.ok()) {
    std::cerr << "pledgebook eval: " << result.status().message() << "\n";
    return kExitFailure;
  }
  std::cout << eval::FormatEval(*result, args.GetBool("verbose"));
  return StdoutExitStatus();
}

}  // namespace

Command ParseCommand() {
  CommandSpec spec;
  spec.name = "parse";
  spec.operands = "FILE";
  spec.min_operands = spec.max_operands = 1;
  spec.summary = "parse a document offline and print its records as JSON";
  spec.description =
      "Parses FILE (\"-\" reads standard input) with the same parser ingest-service uses and prints the "
      "ParseDocumentResponse as proto3 JSON: the document, its normalized text, sections, initiatives and "
      "mentions with their spans. Nothing is stored and no server is needed.\n\n"
      "The format comes from the file name (.txt, .md/.markdown, .html/.htm) unless --content-type says "
      "otherwise; for other names and for standard input the parser sniffs it.";
  spec.flags = {
      {"content-type", "MIME_TYPE", "The document's format: text/plain, text/markdown or text/html.", "", "", {}},
      {"publisher", "NAME", "Publisher to record, e.g. \"The White House\".", "", "", {}},
      {"title", "TITLE", "Title to record instead of the one the parser finds.", "", "", {}},
      FormatFlag({"json", "jsonl"}, "json: indented; jsonl: on one line."),
  };
  spec.examples = {"pledgebook parse tests/fixtures/hled-2022-factsheet.txt",
                   "curl -s https://example.org/page.html | pledgebook parse --content-type=text/html -"};
  return {spec, RunParse};
}

Command EvalCommand() {
  CommandSpec spec;
  spec.name = "eval";
  spec.operands = "GOLD_DIR";
  spec.min_operands = spec.max_operands = 1;
  spec.summary = "score the parser against a hand-annotated gold set (offline)";
  spec.description =
      "Parses every document of GOLD_DIR/docs and compares the records with GOLD_DIR/*.gold.json: precision, "
      "recall and F1 of money, dates, quantities, organizations and places, and whether the counted-once sums "
      "match. See tests/gold/README.md for the annotation rules.";
  spec.flags = {{"verbose", "", "Also list every miss and every spurious record.", "", "", {}}};
  spec.examples = {"pledgebook eval tests/gold", "pledgebook eval tests/gold --verbose"};
  return {spec, RunEval};
}

}  // namespace pledgebook::cli
