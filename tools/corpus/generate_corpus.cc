// pledgebook-gen-corpus: writes a deterministic synthetic corpus and its
// known totals.
//
//   pledgebook-gen-corpus --out DIR --documents N [--seed S] [--bullets B]
//
// DIR receives the documents and totals.json (the totals a correct pipeline
// reports).
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include "corpus_generator.h"

namespace {

void WriteMap(std::ostream& out, const char* name, const std::map<std::string, int64_t>& m, bool last = false) {
  out << "  \"" << name << "\": {";
  bool first = true;
  for (const auto& [k, v] : m) {
    out << (first ? "" : ", ") << "\"" << k << "\": " << v;
    first = false;
  }
  out << "}" << (last ? "\n" : ",\n");
}

}  // namespace

int main(int argc, char** argv) {
  std::string out_dir;
  long documents = 100, seed = 1, bullets = 20;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--out") out_dir = argv[i + 1];
    else if (flag == "--documents") documents = std::atol(argv[i + 1]);
    else if (flag == "--seed") seed = std::atol(argv[i + 1]);
    else if (flag == "--bullets") bullets = std::atol(argv[i + 1]);
    else {
      std::cerr << "unknown flag " << flag << "\n";
      return 2;
    }
  }
  if (out_dir.empty() || documents <= 0) {
    std::cerr << "usage: pledgebook-gen-corpus --out DIR --documents N [--seed S] [--bullets B]\n";
    return 2;
  }
  std::filesystem::create_directories(out_dir);
  pledgebook::tools::CorpusGenerator gen(static_cast<uint64_t>(seed));
  for (long k = 0; k < documents; ++k) {
    pledgebook::tools::GeneratedDocument doc = gen.Next(static_cast<int>(bullets));
    std::ofstream(out_dir + "/" + doc.name, std::ios::binary) << doc.content;
  }
  const auto& t = gen.totals();
  std::ofstream out(out_dir + "/totals.json");
  out << "{\n  \"documents\": " << t.documents << ",\n  \"initiatives\": " << t.initiatives
      << ",\n  \"item_amounts\": " << t.item_amounts << ",\n  \"context_amounts\": " << t.context_amounts << ",\n";
  WriteMap(out, "grand", t.grand);
  WriteMap(out, "by_funder", t.by_funder);
  WriteMap(out, "by_country_split", t.by_country_split);
  WriteMap(out, "by_year", t.by_year, true);
  out << "}\n";
  std::cout << "wrote " << t.documents << " documents (" << t.initiatives << " initiatives) to " << out_dir << "\n";
  return 0;
}
