// Page layouts the scrapers produce: title/date headers, bullets of several
// styles, nested and numbered items, and footers to drop.
#include <gtest/gtest.h>

#include "parser/parse_document.h"
#include "parser/sentences.h"

namespace {

namespace v1 = ::pledgebook::v1;

v1::Document Parse(const std::string& text) {
  v1::DocumentSource source;
  source.set_content(text);
  auto doc = pledgebook::parser::ParseDocument(source);
  EXPECT_TRUE(doc.ok()) << doc.status();
  return doc.ok() ? *doc : v1::Document();
}

TEST(LayoutTest, TitleDateChromeAndFooter) {
  auto doc = Parse(
      "Briefing Room\n\nFACT SHEET: Things Get Funded\n\nMarch 24, 2023\n\nStatements and Releases\n\n"
      "The agencies are working together on many programs this year across the country.\n\n"
      "- The Department of Energy will provide $5 million to Ohio.\n\n"
      "- The EPA awarded $2 million to cities.\n\n###\n\nStay Connected\n\nSign Up\n\nScroll to Top Scroll to Top\n");
  EXPECT_EQ(doc.title(), "FACT SHEET: Things Get Funded");
  EXPECT_EQ(doc.published_date().year(), 2023);
  EXPECT_EQ(doc.published_date().month(), 3);
  EXPECT_EQ(doc.published_date().day(), 24);
  ASSERT_EQ(doc.sections_size(), 1);
  EXPECT_EQ(doc.sections(0).initiatives_size(), 2);
  EXPECT_EQ(doc.stats().money_mention_count(), 2);
  EXPECT_EQ(doc.sections(0).initiatives(0).money(0).funders(0).name(), "Department of Energy");
}

TEST(LayoutTest, NestedAndNumberedItems) {
  auto doc = Parse(
      "Intro paragraph that opens the list of things.\n"
      "1. First item with $1 million.\n"
      "2. Second item:\n"
      "    ◦ nested one\n"
      "    ◦ nested two\n"
      "3. Third item.\n");
  ASSERT_EQ(doc.sections_size(), 1);
  const auto& items = doc.sections(0).initiatives();
  ASSERT_EQ(items.size(), 5);
  EXPECT_EQ(items[2].depth(), 1);
  EXPECT_EQ(items[2].parent_index(), items[1].index());
  EXPECT_EQ(items[4].depth(), 0);
  EXPECT_EQ(items[4].text(), "Third item.");
}

TEST(LayoutTest, ProseOnlyReadoutYieldsCommitmentSentences) {
  auto doc = Parse(
      "The leaders met today. The President announced a $13.5 million disbursement from the U.S. International "
      "Development Finance Corporation. They discussed the weather.\n");
  EXPECT_EQ(doc.sections_size(), 0);
  ASSERT_EQ(doc.preamble().initiatives_size(), 1);
  const auto& m = doc.preamble().initiatives(0).money(0);
  EXPECT_EQ(m.amount().units(), 13500000);
  ASSERT_EQ(m.funders_size(), 1);
  EXPECT_EQ(m.funders(0).name(), "U.S. International Development Finance Corporation");
}

TEST(SentencesTest, AbbreviationsAndDecimalsDoNotSplit) {
  std::string text = "U.S. President Joseph R. Biden met Dr. Smith. He gave $1.5 billion. No. 5 is next.";
  auto s = pledgebook::parser::SplitSentences(text, {0, text.size()});
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].In(text), "U.S. President Joseph R. Biden met Dr. Smith.");
  EXPECT_EQ(s[1].In(text), "He gave $1.5 billion.");
}

}  // namespace
