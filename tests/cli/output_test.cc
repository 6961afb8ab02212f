#include "output.h"

#include <sstream>
#include <string>
#include <vector>

#include "google/type/money.pb.h"
#include "gtest/gtest.h"

namespace pledgebook::cli {
namespace {

TEST(Csv, QuotesOnlyWhenNeeded) {
  EXPECT_EQ(CsvField("EPA + CONAGUA"), "EPA + CONAGUA");
  EXPECT_EQ(CsvField(""), "");
  EXPECT_EQ(CsvField("Société Générale"), "Société Générale");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(CsvField("cr\rhere"), "\"cr\rhere\"");
  EXPECT_EQ(CsvField(" padded"), "\" padded\"");
  EXPECT_EQ(CsvField("padded "), "\"padded \"");
  EXPECT_EQ(CsvField("\""), "\"\"\"\"");
}

TEST(Csv, Record) {
  std::ostringstream out;
  WriteCsvRecord(out, {"a", "b,c", "", "d\"e"});
  EXPECT_EQ(out.str(), "a,\"b,c\",,\"d\"\"e\"\n");
}

TEST(DisplayWidth, CountsColumnsNotBytes) {
  EXPECT_EQ(DisplayWidth(""), 0);
  EXPECT_EQ(DisplayWidth("abc"), 3);
  EXPECT_EQ(DisplayWidth("é"), 1);             // U+00E9, 2 bytes
  EXPECT_EQ(DisplayWidth("e\xCC\x81"), 1);     // e + combining acute: 1 column
  EXPECT_EQ(DisplayWidth("日本"), 4);          // wide characters
  EXPECT_EQ(DisplayWidth("€5"), 2);            // 3-byte euro sign, narrow
  EXPECT_EQ(DisplayWidth("\xF0\x9F\x98\x80"), 2);  // emoji
  EXPECT_EQ(DisplayWidth("a\xFF" "b"), 3);     // an invalid byte counts 1
}

TEST(TruncateToWidth, CutsAtCharacterBoundariesWithAnEllipsis) {
  EXPECT_EQ(TruncateToWidth("abcdef", 6), "abcdef");
  EXPECT_EQ(TruncateToWidth("abcdef", 4), "abc…");
  EXPECT_EQ(TruncateToWidth("日本語テキスト", 5), "日本…");
  EXPECT_EQ(TruncateToWidth("日本語テキスト", 6), "日本…");  // a wide char never half-fits
  EXPECT_EQ(DisplayWidth(TruncateToWidth("日本語テキスト", 6)), 5);
  EXPECT_EQ(TruncateToWidth("e\xCC\x81" "e\xCC\x81" "e\xCC\x81", 2), "e\xCC\x81…");  // keeps the combining mark
  EXPECT_EQ(TruncateToWidth("abc", 0), "");
  EXPECT_EQ(TruncateToWidth("abc", 1), "…");
  for (int w = 0; w < 12; ++w) EXPECT_LE(DisplayWidth(TruncateToWidth("Montréal 東京 Zürich", w)), w);
}

TEST(SanitizeForTerminal, RemovesControlsKeepsText) {
  EXPECT_EQ(SanitizeForTerminal("a\nb\tc"), "a b c");
  EXPECT_EQ(SanitizeForTerminal("red\x1b[31mtext"), "red [31mtext");
  EXPECT_EQ(SanitizeForTerminal("x\xC2\x85y"), "x y");           // C1 control NEL
  EXPECT_EQ(SanitizeForTerminal("abc\xE2\x80\xAE" "fed"), "abc fed");  // right-to-left override
  EXPECT_EQ(SanitizeForTerminal("Zürich 東京"), "Zürich 東京");
  EXPECT_EQ(SanitizeForTerminal("bad\xFF"), "bad ");
}

TEST(Table, AlignsUtf8TextByDisplayWidth) {
  TableLayout table({{"Funder", Column::Align::kLeft, 0, 0}, {"Amount", Column::Align::kRight, 0, 0},
                     {"Note", Column::Align::kLeft, 0, 0}});
  const std::vector<std::vector<std::string>> rows = {
      {"Zürich", "USD 1", "x"}, {"東京都", "USD 22", "日本"}, {"Montréal", "USD 333", ""}, {"e\xCC\x81te\xCC\x81", "1", "é"}};
  for (const auto& r : rows) table.Fit(r);
  EXPECT_EQ(table.columns()[0].width, 8);  // "Montréal"
  EXPECT_EQ(table.columns()[1].width, 7);  // "USD 333"
  // Padding counts display columns: the right-aligned Amount column ends at
  // column 17 on every line, whatever the bytes before it.
  EXPECT_EQ(table.Header(), "Funder     Amount  Note");
  EXPECT_EQ(table.Row(rows[0]), "Zürich      USD 1  x");
  EXPECT_EQ(table.Row(rows[1]), "東京都     USD 22  日本");
  EXPECT_EQ(table.Row(rows[2]), "Montréal  USD 333");  // an empty last cell leaves no trailing blanks
  EXPECT_EQ(table.Row(rows[3]), "e\xCC\x81te\xCC\x81             1  é");
  for (const auto& r : rows) {
    const std::string line = table.Row(r);
    EXPECT_EQ(DisplayWidth(line), 17 + (r[2].empty() ? 0 : 2 + DisplayWidth(r[2]))) << line;
  }
  EXPECT_EQ(table.Rule(), std::string(static_cast<size_t>(table.TotalWidth()), '-'));
  EXPECT_EQ(table.TotalWidth(), 8 + 2 + 7 + 2 + 4);
}

TEST(Table, MaxWidthTruncatesAndSanitizes) {
  TableLayout table({{"Section", Column::Align::kLeft, 10, 0}, {"N", Column::Align::kRight, 0, 0}});
  table.Fit({"Section 1: The United States and Mexico", "1"});
  EXPECT_EQ(table.columns()[0].width, 10);
  const std::string row = table.Row({"Section 1: The United States and Mexico", "1"});
  EXPECT_EQ(row, "Section 1…  1");
  EXPECT_EQ(table.Row({"a\nb", "2"}), "a b         2");
}

TEST(Table, FixedWidthsForStreaming) {
  TableLayout table({{"Doc", Column::Align::kLeft, 0, 4}, {"Text", Column::Align::kLeft, 0, 12}});
  EXPECT_EQ(table.Header(), "Doc   Text");
  // 12 columns: five wide characters and the ellipsis (a sixth would not leave room for it).
  EXPECT_EQ(table.Row({"abcdefgh", "日本語テキストです"}), "abc…  日本語テキ…");
  EXPECT_EQ(table.Row({"ab", "x"}), "ab    x");
}

TEST(Json, StringsAreEscapedAndValid) {
  EXPECT_EQ(JsonString("plain"), "\"plain\"");
  EXPECT_EQ(JsonString("a\"b\\c\nd\te"), "\"a\\\"b\\\\c\\nd\\te\"");
  EXPECT_EQ(JsonString(std::string("\x01", 1)), "\"\\u0001\"");
  EXPECT_EQ(JsonString("Zürich"), "\"Zürich\"");
  EXPECT_EQ(JsonString("bad\xFF"), "\"bad\\ufffd\"");
}

TEST(Json, Proto3Names) {
  google::type::Money money;
  money.set_currency_code("USD");
  money.set_units(474000000);
  EXPECT_EQ(ToJson(money, false), "{\"currencyCode\":\"USD\",\"units\":\"474000000\"}");
  const std::string pretty = ToJson(money, true);
  EXPECT_NE(pretty.find('\n'), std::string::npos);
  EXPECT_NE(pretty.back(), '\n');
}

}  // namespace
}  // namespace pledgebook::cli
