#include "dates.h"

#include <algorithm>
#include <map>
#include <string>

#include "re2/re2.h"
#include "text_util.h"

namespace pledgebook::parser {
namespace {

namespace v1 = ::pledgebook::v1;

constexpr char kMonth[] =
    "(January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan\\.|Feb\\.|Aug\\.|Sept?\\.|Oct\\.|Nov\\.|Dec\\.)";

int MonthNumber(std::string_view m) {
  static const char* kNames[] = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
  std::string lower = ToLower(m.substr(0, 3));
  for (int i = 0; i < 12; ++i) {
    if (lower == kNames[i]) return i + 1;
  }
  return 0;
}

// One combined pattern; the alternatives are tried leftmost-first, longer
// forms first. Groups are read by name.
const RE2& DatePattern() {
  const std::string m = kMonth;
  static const RE2 re(
      // month D - month D[, YYYY]
      "(?P<r1m1>" + m + ") (?P<r1d1>\\d{1,2}) ?- ?(?P<r1m2>" + m + ") (?P<r1d2>\\d{1,2})(?:, (?P<r1y>\\d{4}))?\\b|" +
      // month D-D, YYYY
      "(?P<r2m>" + m + ") (?P<r2d1>\\d{1,2}) ?- ?(?P<r2d2>\\d{1,2}), (?P<r2y>\\d{4})\\b|" +
      // month D, YYYY
      "(?P<fm>" + m + ") (?P<fd>\\d{1,2}),? (?P<fy>\\d{4})\\b|" +
      // month and month YYYY
      "(?P<r3m1>" + m + ") (?:and|to|through|-) (?P<r3m2>" + m + ")(?: of)? (?P<r3y>\\d{4})\\b|" +
      // month [of] YYYY
      "(?P<mm>" + m + ")(?: of)? (?P<my>\\d{4})\\b|" +
      // month D (year inferred)
      "(?P<dm>" + m + ") (?P<dd>\\d{1,2})\\b|" +
      // ISO date
      "\\b(?P<iy>\\d{4})-(?P<im>\\d{2})-(?P<id>\\d{2})\\b|" +
      // fiscal years
      "(?i:\\b(?:FY|fiscal year(?: \\(FY\\))?) ?(?P<fyy>(?:19|20)\\d\\d)\\b)|" +
      // decades/centuries: 1800's, 1990s
      "\\b(?P<cy>1[5-9]\\d0|20[0-9]0)'?s\\b|" +
      // YYYY-YYYY
      "\\b(?P<yy1>(?:19|20)\\d\\d) ?(?:-|to|through) ?(?P<yy2>(?:19|20)\\d\\d)\\b|" +
      // a month alone; kept only after a word that makes it a date
      "\\b(?P<bm>" + m + ")\\b|" +
      // a bare year
      "\\b(?P<y>(?:19|20)\\d\\d)\\b");
  return re;
}

int Int(const std::string& s) { return s.empty() ? 0 : std::atoi(s.c_str()); }

bool DeadlineBefore(std::string_view text, size_t begin, size_t floor) {
  static const RE2 re(R"((?i)\b(?:by|no later than|before|until|through) (?:the end of |end of |the )?$)");
  size_t from = begin > floor + 24 ? begin - 24 : floor;
  return RE2::PartialMatch(text.substr(from, begin - from), re);
}

// "in October", "by May", "last December", "the July meeting": words that
// make a lone month name a date.
bool DateWordBefore(std::string_view text, size_t begin, size_t floor) {
  static const RE2 re(
      R"((?i)\b(?:in|by|since|until|through|during|from|for|last|next|this|early|late|mid|the|of|and|or|to|on|before|after)[ -]$)");
  size_t from = begin > floor + 12 ? begin - 12 : floor;
  return RE2::PartialMatch(text.substr(from, begin - from), re);
}

}  // namespace

int InferReferenceYear(std::string_view text) {
  static const RE2 full(std::string(kMonth) + " \\d{1,2}, ((?:19|20)\\d\\d)\\b");
  static const RE2 year(R"(\b((?:19|20)\d\d)\b)");
  re2::StringPiece input(text.data(), text.size());
  std::string month;
  int y = 0, latest = 0;
  while (RE2::FindAndConsume(&input, full, &month, &y)) latest = std::max(latest, y);
  if (latest > 0) return latest;
  std::map<int, int> counts;
  input = re2::StringPiece(text.data(), text.size());
  while (RE2::FindAndConsume(&input, year, &y)) ++counts[y];
  int best = 0, best_count = 0;
  for (auto [yr, n] : counts) {
    if (n > best_count) best = yr, best_count = n;
  }
  return best;
}

std::vector<DateDraft> FindDates(std::string_view text, TextRange range, int reference_year) {
  std::vector<DateDraft> out;
  // Cheap test first: no digit and no month name, no date.
  static const RE2 maybe(
      "\\d|January|February|March|April|May|June|July|August|September|October|November|December|Jan\\.|Feb\\.|"
      "Aug\\.|Sept?\\.|Oct\\.|Nov\\.|Dec\\.");
  if (!RE2::PartialMatch(range.In(text), maybe)) return out;
  const RE2& re = DatePattern();
  const int groups = re.NumberOfCapturingGroups();
  const std::map<std::string, int>& names = re.NamedCapturingGroups();
  std::vector<re2::StringPiece> m(static_cast<size_t>(groups + 1));
  auto g = [&](const char* name) -> std::string {
    auto it = names.find(name);
    if (it == names.end()) return "";
    const re2::StringPiece& p = m[static_cast<size_t>(it->second)];
    return p.data() ? std::string(p.data(), p.size()) : "";
  };
  auto has = [&](const char* name) { return !g(name).empty(); };
  re2::StringPiece input(text.data(), range.end);
  size_t pos = range.begin;
  while (pos < range.end && re.Match(input, pos, range.end, RE2::UNANCHORED, m.data(), groups + 1)) {
    size_t begin = static_cast<size_t>(m[0].data() - text.data());
    size_t end = begin + m[0].size();
    pos = std::max(end, pos + 1);
    DateDraft d;
    d.range = {begin, end};
    auto infer = [&](int y) {
      if (y > 0) return y;
      d.year_inferred = true;
      return reference_year;
    };
    if (has("r1m1")) {
      int y = infer(Int(g("r1y")));
      d.kind = v1::DATE_KIND_RANGE;
      d.start_year = y, d.start_month = MonthNumber(g("r1m1")), d.start_day = Int(g("r1d1"));
      d.end_year = y, d.end_month = MonthNumber(g("r1m2")), d.end_day = Int(g("r1d2"));
    } else if (has("r2m")) {
      int y = Int(g("r2y")), month = MonthNumber(g("r2m"));
      d.kind = v1::DATE_KIND_RANGE;
      d.start_year = d.end_year = y, d.start_month = d.end_month = month;
      d.start_day = Int(g("r2d1")), d.end_day = Int(g("r2d2"));
    } else if (has("fm")) {
      d.start_year = Int(g("fy")), d.start_month = MonthNumber(g("fm")), d.start_day = Int(g("fd"));
    } else if (has("r3m1")) {
      int y = Int(g("r3y"));
      d.kind = v1::DATE_KIND_RANGE;
      d.start_year = d.end_year = y;
      d.start_month = MonthNumber(g("r3m1")), d.end_month = MonthNumber(g("r3m2"));
    } else if (has("mm")) {
      d.start_year = Int(g("my")), d.start_month = MonthNumber(g("mm"));
    } else if (has("dm")) {
      d.start_year = infer(0), d.start_month = MonthNumber(g("dm")), d.start_day = Int(g("dd"));
    } else if (has("iy")) {
      d.start_year = Int(g("iy")), d.start_month = Int(g("im")), d.start_day = Int(g("id"));
      if (d.start_month < 1 || d.start_month > 12 || d.start_day < 1 || d.start_day > 31) continue;
    } else if (has("fyy")) {
      d.kind = v1::DATE_KIND_FISCAL_YEAR;
      d.start_year = Int(g("fyy"));
    } else if (has("cy")) {
      int y = Int(g("cy"));
      d.kind = v1::DATE_KIND_RANGE;
      d.start_year = y;
      d.end_year = y % 100 == 0 ? y + 99 : y + 9;
    } else if (has("yy1")) {
      d.kind = v1::DATE_KIND_RANGE;
      d.start_year = Int(g("yy1")), d.end_year = Int(g("yy2"));
      if (d.end_year < d.start_year) continue;
    } else if (has("bm")) {
      if (!DateWordBefore(text, d.range.begin, range.begin)) continue;  // "May" the verb, a name
      d.start_year = infer(0), d.start_month = MonthNumber(g("bm"));
    } else if (has("y")) {
      d.start_year = Int(g("y"));
      // Not a year: part of a money amount, a count ("2000 people") or a name.
      char before = d.range.begin > 0 ? text[d.range.begin - 1] : ' ';
      char after = d.range.end < text.size() ? text[d.range.end] : ' ';
      if (before == '$' || before == ',' || before == '.' || after == ',' && d.range.end + 1 < text.size() &&
                                                                  IsAsciiDigit(static_cast<unsigned char>(text[d.range.end + 1])) ||
          after == '%' || before == '-') {
        continue;
      }
    }
    if (d.end_year == 0) {
      d.end_year = d.start_year, d.end_month = d.start_month, d.end_day = d.start_day;
    }
    if (d.start_year == 0) continue;  // a month-day with no year to infer
    if (d.kind == v1::DATE_KIND_POINT && DeadlineBefore(text, d.range.begin, range.begin)) {
      d.kind = v1::DATE_KIND_DEADLINE;
    }
    out.push_back(d);
  }
  return out;
}

}  // namespace pledgebook::parser
