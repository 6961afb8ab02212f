#include "progress.h"

#include <algorithm>
#include <sstream>
#include <string>

#include "gtest/gtest.h"

namespace pledgebook::cli {
namespace {

TEST(Progress, Durations) {
  EXPECT_EQ(Progress::FormatDuration(0), "0:00");
  EXPECT_EQ(Progress::FormatDuration(7), "0:07");
  EXPECT_EQ(Progress::FormatDuration(723), "12:03");
  EXPECT_EQ(Progress::FormatDuration(3723), "1:02:03");
  EXPECT_EQ(Progress::FormatDuration(-1), "--:--");
  EXPECT_EQ(Progress::FormatDuration(1.0 / 0.0), "--:--");
}

TEST(Progress, Rate) {
  EXPECT_EQ(Progress::FormatRate(0, 3), "--");
  EXPECT_EQ(Progress::FormatRate(10, 4), "2.5");
  EXPECT_EQ(Progress::FormatRate(5, 0), "--");
}

TEST(Progress, Bar) {
  // 45 of 120 in 10 s: 4.5 documents/s, 75 left → 16.7 s.
  const std::string bar = Progress::FormatBar(45, 120, 10, 80, "documents");
  EXPECT_EQ(bar.size(), 80u) << bar;
  EXPECT_EQ(bar.front(), '[');
  EXPECT_NE(bar.find("]  45/120  37%  4.5 documents/s  ETA 0:17"), std::string::npos) << bar;
  const size_t inside = bar.find(']') - 1;
  const size_t filled = static_cast<size_t>(std::count(bar.begin(), bar.end(), '#'));
  EXPECT_EQ(filled, inside * 45 / 120) << bar;
  // Done: full bar, no time left.
  const std::string done = Progress::FormatBar(120, 120, 10, 80, "documents");
  EXPECT_EQ(done.substr(0, done.find(']')).find('.'), std::string::npos) << done;  // no empty cell
  EXPECT_NE(done.find("100%"), std::string::npos);
  EXPECT_NE(done.find("ETA 0:00"), std::string::npos);
  // Nothing done yet: no rate, no ETA.
  EXPECT_NE(Progress::FormatBar(0, 10, 1, 80, "documents").find("-- documents/s  ETA --:--"), std::string::npos);
  // Too narrow for a bar: just the numbers.
  const std::string narrow = Progress::FormatBar(1, 2, 1, 30, "documents");
  EXPECT_EQ(narrow.find('['), std::string::npos) << narrow;
  EXPECT_EQ(narrow.substr(0, 3), "1/2");
}

TEST(Progress, PlainLineHasNoControlCharacters) {
  const std::string line = Progress::FormatLine(45, 120, 10, "documents");
  EXPECT_EQ(line, "progress: 45/120 documents (37%), 4.5 documents/s, ETA 0:17");
}

bool HasControl(const std::string& s) {
  for (char c : s) {
    if (c == '\r' || c == '\x1b') return true;
  }
  return false;
}

TEST(Progress, LinesStyleWritesNoControlCharacters) {
  std::ostringstream err, out;
  {
    Progress p(Progress::Style::kLines, 3, err, "documents");
    p.Advance();
    p.PrintLine(out, "a.txt: created documents/x");
    p.Tick();
    p.Finish();
  }
  EXPECT_EQ(out.str(), "a.txt: created documents/x\n");
  EXPECT_FALSE(HasControl(err.str())) << err.str();
}

TEST(Progress, BarStyleRedrawsInPlaceAndClearsItself) {
  std::ostringstream err, out;
  Progress p(Progress::Style::kBar, 2, err, "documents");
  p.PrintLine(out, "a.txt: created documents/x");  // draws the bar below the line
  EXPECT_NE(err.str().find("\r\x1b[K["), std::string::npos) << err.str();
  EXPECT_NE(err.str().find("0/2"), std::string::npos) << err.str();
  p.Finish();
  EXPECT_EQ(err.str().substr(err.str().size() - 4), "\r\x1b[K");  // the bar is gone
  const size_t before = err.str().size();
  p.Advance();
  p.Finish();
  EXPECT_EQ(err.str().size(), before) << "nothing after Finish";
  EXPECT_EQ(out.str(), "a.txt: created documents/x\n");
}

TEST(Progress, NoneStyleIsSilent) {
  std::ostringstream err, out;
  Progress p(Progress::Style::kNone, 1, err, "documents");
  p.PrintLine(out, "x");
  p.Advance();
  p.Finish();
  EXPECT_EQ(err.str(), "");
  EXPECT_EQ(out.str(), "x\n");
}

}  // namespace
}  // namespace pledgebook::cli
