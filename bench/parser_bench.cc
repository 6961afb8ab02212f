// Parser throughput on the real fact-sheet corpus (tests/corpus), per
// format, single-threaded: bytes parsed per second of one core. The
// baseline in the same run is the cost of the first stage alone (UTF-8
// validation + normalization), so the figure reads as a ratio too.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "parser/normalize_text.h"
#include "parser/parse_document.h"

namespace {

struct Corpus {
  std::vector<pledgebook::v1::DocumentSource> docs;
  size_t bytes = 0;
};

const Corpus& Load(const std::string& extension) {
  static std::map<std::string, Corpus> cache;
  Corpus& c = cache[extension];
  if (!c.docs.empty()) return c;
  std::vector<std::filesystem::path> paths;
  for (const auto& e : std::filesystem::directory_iterator(PLEDGEBOOK_CORPUS_DIR)) {
    if (e.path().extension() == extension) paths.push_back(e.path());
  }
  std::sort(paths.begin(), paths.end());
  for (const auto& p : paths) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    pledgebook::v1::DocumentSource src;
    src.set_content(ss.str());
    src.set_content_type(extension == ".txt" ? "text/plain" : extension == ".md" ? "text/markdown" : "text/html");
    c.bytes += src.content().size();
    c.docs.push_back(std::move(src));
  }
  return c;
}

void BM_Parse(benchmark::State& state, const std::string& extension) {
  const Corpus& corpus = Load(extension);
  if (corpus.docs.empty()) {
    state.SkipWithError("corpus not found");
    return;
  }
  for (auto _ : state) {
    for (const auto& doc : corpus.docs) {
      auto parsed = pledgebook::parser::ParseDocument(doc);
      benchmark::DoNotOptimize(parsed);
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * corpus.bytes));
  state.counters["docs"] = static_cast<double>(corpus.docs.size());
}

void BM_NormalizeOnly(benchmark::State& state) {
  const Corpus& corpus = Load(".txt");
  for (auto _ : state) {
    for (const auto& doc : corpus.docs) {
      auto text = pledgebook::parser::NormalizeText(doc.content());
      benchmark::DoNotOptimize(text);
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * corpus.bytes));
}

BENCHMARK_CAPTURE(BM_Parse, plain_text, std::string(".txt"))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Parse, markdown, std::string(".md"))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Parse, html, std::string(".html"))->Unit(benchmark::kMillisecond);
BENCHMARK(BM_NormalizeOnly)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
