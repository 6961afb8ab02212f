// Robustness on the 400 real fact sheets in tests/corpus (text, Markdown,
// HTML): every one parses, yields initiatives and money, and every span
// points at exactly the text it claims.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "parser/parse_document.h"

namespace {

namespace v1 = ::pledgebook::v1;

// Byte offset of code point `cp` in UTF-8 `text`.
size_t ByteOffset(const std::string& text, int cp) {
  size_t i = 0;
  for (int seen = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (seen++ == cp) return i;
  }
  return text.size();
}

std::string Slice(const std::string& text, const v1::Span& span) {
  size_t b = ByteOffset(text, span.start()), e = ByteOffset(text, span.end());
  return text.substr(b, e - b);
}

TEST(CorpusTest, EveryFactSheetParsesWithConsistentSpans) {
  const std::string dir = std::string(PLEDGEBOOK_TEST_CORPUS_DEFAULT);
  int files = 0, with_money = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    v1::DocumentSource source;
    source.set_content(ss.str());  // format sniffed: no content type
    auto doc = pledgebook::parser::ParseDocument(source);
    ASSERT_TRUE(doc.ok()) << entry.path() << ": " << doc.status();
    ++files;
    EXPECT_GT(doc->stats().initiative_count(), 0) << entry.path();
    if (doc->stats().money_mention_count() > 0) ++with_money;
    const std::string& text = doc->normalized_text();
    auto check = [&](const v1::Section& s) {
      for (const auto& i : s.initiatives()) {
        EXPECT_EQ(Slice(text, i.span()), i.text()) << entry.path();
        for (const auto& m : i.money()) {
          EXPECT_EQ(Slice(text, m.span()), m.text()) << entry.path();
          EXPECT_FALSE(m.amount().currency_code().empty());
        }
        for (const auto& d : i.dates()) EXPECT_EQ(Slice(text, d.span()), d.text()) << entry.path();
        for (const auto& q : i.quantities()) EXPECT_EQ(Slice(text, q.span()), q.text()) << entry.path();
      }
    };
    check(doc->preamble());
    for (const auto& s : doc->sections()) check(s);
  }
  EXPECT_EQ(files, 400);
  // Every page has at least two "$" amounts in its body.
  EXPECT_EQ(with_money, files);
}

}  // namespace
