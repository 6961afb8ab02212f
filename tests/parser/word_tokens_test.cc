#include "parser/word_tokens.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace pledgebook::parser {
namespace {

std::vector<std::string> Tokens(std::string_view text, TextRange range) {
  TokenList tokens;
  Tokenize(text, range, &tokens);
  std::vector<std::string> out;
  for (const Token& t : tokens) {
    EXPECT_EQ(t.text, t.range.In(text));
    out.emplace_back(t.text);
  }
  return out;
}

std::vector<std::string> Tokens(std::string_view text) { return Tokens(text, {0, text.size()}); }

TEST(WordTokensTest, WordsJoinedByInnerMarks) {
  EXPECT_EQ(Tokens("Mexico's Public-Private AT&T deal."),
            (std::vector<std::string>{"Mexico's", "Public-Private", "AT&T", "deal", "."}));
  // A mark not between two word bytes is a token of its own.
  EXPECT_EQ(Tokens("jobs' -- 'a' &"), (std::vector<std::string>{"jobs", "'", "-", "-", "'", "a", "'", "&"}));
}

TEST(WordTokensTest, ShortCapitalizedAbbreviationsKeepTheirPeriod) {
  EXPECT_EQ(Tokens("the U.S. and D.C. and EU. and Inc. in U.S.-Mexico ties"),
            (std::vector<std::string>{"the", "U.S.", "and", "D.C.", "and", "EU.", "and", "Inc", ".", "in",
                                      "U.S.-Mexico", "ties"}));
}

TEST(WordTokensTest, DashesEndWordsCurlyQuotesDoNot) {
  // U+2014 em dash, U+2019 right single quote, U+201C left double quote.
  EXPECT_EQ(Tokens("Health\xE2\x80\x94" "a Mexico\xE2\x80\x99s \xE2\x80\x9C" "Buy"),
            (std::vector<std::string>{"Health", "\xE2\x80\x94", "a", "Mexico\xE2\x80\x99s", "\xE2\x80\x9C" "Buy"}));
  EXPECT_EQ(Tokens("2022\xE2\x80\x93" "2024"), (std::vector<std::string>{"2022", "\xE2\x80\x93", "2024"}));
}

TEST(WordTokensTest, NewlinesAndPunctuationAreTokensSpacesAreNot) {
  EXPECT_EQ(Tokens("  (EPA)\n$5,000 | x"),
            (std::vector<std::string>{"(", "EPA", ")", "\n", "$", "5", ",", "000", "|", "x"}));
}

TEST(WordTokensTest, OnlyTheRangeIsRead) {
  const std::string text = "Before. U.S. Agency's plan-B. After";
  const size_t b = text.find("U.S."), e = text.find(" After");
  EXPECT_EQ(Tokens(text, {b, e}), (std::vector<std::string>{"U.S.", "Agency's", "plan-B", "."}));
  // A joiner at the range's end joins nothing past it.
  EXPECT_EQ(Tokens(text, {b, text.find("-B")+1}), (std::vector<std::string>{"U.S.", "Agency's", "plan", "-"}));
  EXPECT_TRUE(Tokens(text, {b, b}).empty());
}

TEST(WordTokensTest, LongSentencesCrossWordBoundaries) {
  // Tokens straddling the 64-byte words of the bit planes.
  std::string text;
  std::vector<std::string> expected;
  for (int i = 0; i < 40; ++i) {
    text += "U.S.-Mexico's A&B x.y ";
    expected.insert(expected.end(), {"U.S.-Mexico's", "A&B", "x.y"});
  }
  EXPECT_EQ(Tokens(text), expected);
}

}  // namespace
}  // namespace pledgebook::parser
