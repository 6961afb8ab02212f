#include "dates.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "byte_scan.h"
#include "money.h"
#include "re2/re2.h"
#include "text_util.h"

namespace pledgebook::parser {
namespace {

namespace v1 = ::pledgebook::v1;

constexpr char kMonth[] =
    "(January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan\\.|Feb\\.|Aug\\.|Sept?\\.|Oct\\.|Nov\\.|Dec\\.)";

// kMonth's alternatives (MonthLength lists them by first letter).
constexpr std::string_view kMonthAlternatives[] = {
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December", "Jan.", "Feb.", "Aug.", "Sep.", "Sept.", "Oct.", "Nov.", "Dec."};

int MonthNumber(std::string_view m) {
  static const char* kNames[] = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
  std::string lower = ToLower(m.substr(0, 3));
  for (int i = 0; i < 12; ++i) {
    if (lower == kNames[i]) return i + 1;
  }
  return 0;
}

// The date forms, longer first. Groups are read by name. MatchShape::MayBe
// knows them by index: keep the two in step.
const std::vector<std::string>& DateAlternatives() {
  static const std::vector<std::string>* alternatives = [] {
    const std::string m = kMonth;
    return new std::vector<std::string>{
        // month D - month D[, YYYY]
        "(?P<r1m1>" + m + ") (?P<r1d1>\\d{1,2}) ?- ?(?P<r1m2>" + m + ") (?P<r1d2>\\d{1,2})(?:, (?P<r1y>\\d{4}))?\\b",
        // month D-D, YYYY
        "(?P<r2m>" + m + ") (?P<r2d1>\\d{1,2}) ?- ?(?P<r2d2>\\d{1,2}), (?P<r2y>\\d{4})\\b",
        // month D, YYYY
        "(?P<fm>" + m + ") (?P<fd>\\d{1,2}),? (?P<fy>\\d{4})\\b",
        // month and month YYYY
        "(?P<r3m1>" + m + ") (?:and|to|through|-) (?P<r3m2>" + m + ")(?: of)? (?P<r3y>\\d{4})\\b",
        // month [of] YYYY
        "(?P<mm>" + m + ")(?: of)? (?P<my>\\d{4})\\b",
        // month D (year inferred)
        "(?P<dm>" + m + ") (?P<dd>\\d{1,2})\\b",
        // ISO date
        "\\b(?P<iy>\\d{4})-(?P<im>\\d{2})-(?P<id>\\d{2})\\b",
        // fiscal years
        "(?i:\\b(?:FY|fiscal year(?: \\(FY\\))?) ?(?P<fyy>(?:19|20)\\d\\d)\\b)",
        // decades/centuries: 1800's, 1990s
        "\\b(?P<cy>1[5-9]\\d0|20[0-9]0)'?s\\b",
        // YYYY-YYYY
        "\\b(?P<yy1>(?:19|20)\\d\\d) ?(?:-|to|through) ?(?P<yy2>(?:19|20)\\d\\d)\\b",
        // a month alone; kept only after a word that makes it a date
        "\\b(?P<bm>" + m + ")\\b",
        // a bare year
        "\\b(?P<y>(?:19|20)\\d\\d)\\b"};
  }();
  return *alternatives;
}

// One combined pattern: the alternatives tried leftmost-first.
const RE2& DatePattern() {
  static const RE2 re([] {
    std::string all;
    for (const std::string& a : DateAlternatives()) all += (all.empty() ? "" : "|") + a;
    return all;
  }());
  return re;
}

// Each alternative alone, with its named groups mapped to DatePattern()'s.
struct DateAlternative {
  std::unique_ptr<RE2> re;
  std::vector<std::pair<int, int>> groups;  // (group in `re`, group in DatePattern())
};

const std::vector<DateAlternative>& SplitDatePattern() {
  static const std::vector<DateAlternative>* split = [] {
    auto* out = new std::vector<DateAlternative>;
    const std::map<std::string, int>& all = DatePattern().NamedCapturingGroups();
    for (const std::string& a : DateAlternatives()) {
      DateAlternative alt;
      alt.re = std::make_unique<RE2>(a);
      for (const auto& [name, index] : alt.re->NamedCapturingGroups()) {
        auto it = all.find(name);
        if (it != all.end()) alt.groups.emplace_back(index, it->second);
      }
      out->push_back(std::move(alt));
    }
    return out;
  }();
  return *split;
}

// The groups of DatePattern() by name, looked up once.
struct DateGroups {
  int bm, cy, dd, dm, fd, fm, fy, fyy, id, im, iy, mm, my, r1d1, r1d2, r1m1, r1m2, r1y, r2d1, r2d2, r2m, r2y, r3m1, r3m2, r3y, y, yy1, yy2;
};

const DateGroups& Groups() {
  static const DateGroups groups = [] {
    const std::map<std::string, int>& names = DatePattern().NamedCapturingGroups();
    auto at = [&](const char* name) {
      auto it = names.find(name);
      return it == names.end() ? -1 : it->second;
    };
    DateGroups g;
    g.bm = at("bm");
    g.cy = at("cy");
    g.dd = at("dd");
    g.dm = at("dm");
    g.fd = at("fd");
    g.fm = at("fm");
    g.fy = at("fy");
    g.fyy = at("fyy");
    g.id = at("id");
    g.im = at("im");
    g.iy = at("iy");
    g.mm = at("mm");
    g.my = at("my");
    g.r1d1 = at("r1d1");
    g.r1d2 = at("r1d2");
    g.r1m1 = at("r1m1");
    g.r1m2 = at("r1m2");
    g.r1y = at("r1y");
    g.r2d1 = at("r2d1");
    g.r2d2 = at("r2d2");
    g.r2m = at("r2m");
    g.r2y = at("r2y");
    g.r3m1 = at("r3m1");
    g.r3m2 = at("r3m2");
    g.r3y = at("r3y");
    g.y = at("y");
    g.yy1 = at("yy1");
    g.yy2 = at("yy2");
    return g;
  }();
  return groups;
}

// The bytes a date can start with (see NextDateCandidate): most bytes are
// none of them.
struct DateStartBytes {
  bool start[256] = {};
  constexpr DateStartBytes() {
    for (char c : {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'f', 'F', 'J', 'M', 'A', 'S', 'O', 'N', 'D'}) {
      start[static_cast<unsigned char>(c)] = true;
    }
  }
};
constexpr DateStartBytes kDateStart;

// Whether the fiscal-year alternative, (?i:\b(?:FY|fiscal year…)…), can
// start at t[i] (an "f" or "F"): \b before it, then "y", or "i" and "scal".
// (?i) folds no non-ASCII letter into "f", "y", "i", "c", "a" or "l"; it
// folds U+017F (long s, 0xC5 0xBF) into "s", left to the pattern.
bool FiscalYearAt(const char* t, size_t i, size_t end) {
  auto lower = [&](size_t k) { return k < end ? static_cast<char>(t[k] | 0x20) : '\0'; };
  if ((i > 0 && IsRe2WordByte(t[i - 1])) || i + 1 >= end) return false;
  if (lower(i + 1) == 'y') return true;
  if (lower(i + 1) != 'i') return false;
  if (i + 2 < end && t[i + 2] == '\xC5') return true;
  return lower(i + 2) == 's' && lower(i + 3) == 'c' && lower(i + 4) == 'a' && lower(i + 5) == 'l';
}

// The length of the one of kMonth's alternatives that starts at t[i], ends
// by `end` and is followed by what every date alternative needs after it (0
// for none): a space or \b, so after a name that ends with a letter no word
// byte ("Market", "Mayor", "Junior" are no months); an abbreviation ends
// with "." and may be followed by anything. kMonthAlternatives by first
// letter, so that a candidate costs a few compares.
size_t MonthLength(const char* t, size_t i, size_t end) {
  size_t n = 0;
  auto is = [&](std::string_view m) {
    if (end - i < m.size() || std::memcmp(t + i, m.data(), m.size()) != 0) return false;
    if (m.back() != '.' && i + m.size() != end && IsRe2WordByte(t[i + m.size()])) return false;
    n = m.size();
    return true;
  };
  switch (t[i]) {
    case 'J': is("January") || is("June") || is("July") || is("Jan."); break;
    case 'F': is("February") || is("Feb."); break;
    case 'M': is("March") || is("May"); break;
    case 'A': is("April") || is("August") || is("Aug."); break;
    case 'S': is("September") || is("Sep.") || is("Sept."); break;
    case 'O': is("October") || is("Oct."); break;
    case 'N': is("November") || is("Nov."); break;
    case 'D': is("December") || is("Dec."); break;
    default: break;
  }
  return n;
}

// Whether a date can start at t[i] (see NextDateCandidate).
bool DateCandidateAt(const char* t, size_t i, size_t end) {
  const char c = t[i];
  if (IsAsciiDigit(static_cast<unsigned char>(c))) {
    if (i > 0 && IsRe2WordByte(t[i - 1])) return false;  // inside a word or a longer number
    size_t j = i;
    while (j < end && IsAsciiDigit(static_cast<unsigned char>(t[j]))) ++j;
    if (j - i != 4) return false;
    // Four digits start a date only as a year (19dd, 20dd), a decade or
    // century (1[5-9]d0), or an ISO date (dddd-).
    return IsCenturyAt(t + i) || (c == '1' && t[i + 3] == '0') ||
           (j < end && t[j] == '-');
  }
  if ((c | 0x20) == 'f' && FiscalYearAt(t, i, end)) return true;
  return MonthLength(t, i, end) != 0;
}

// Whether DatePattern()'s match at the candidate t[i] (four digits that \b
// opens) is the bare year t[i, i + 4), told from the bytes after it: the
// other alternatives that start with a digit need "-" (ISO date, year
// range), "'" or "s" (decade), or a space then "-" or "t" (year range)
// there; the bare year needs 19 or 20 and \b after it.
bool BareYearAt(const char* t, size_t i, size_t end) {
  if (!IsCenturyAt(t + i)) return false;
  const size_t j = i + 4;
  if (j == end) return true;
  const char c = t[j];
  if (IsRe2WordByte(c) || c == '-' || c == '\'') return false;
  return c != ' ' || j + 1 == end || (t[j + 1] != '-' && t[j + 1] != 't');
}

// The positions among the 16 at p where DateCandidateAt may hold (a
// superset; reads p[-1] to p[16]): a digit that \b opens, an f with \b
// before and y or i after (any case), or a month's first two letters. Most
// capitals and digits are none of these, and are not visited.
uint32_t DateStarts(const char* p) {
  const Bytes16 b = Load16(p), prev = Load16(p - 1), next = Load16(p + 1);
  const Bytes16 l1 = next | 0x20;  // ASCII letters lowercased
  const Bool16 prev_word = Re2WordBytes(prev);
  const Bool16 digit = InRange(b, '0', '9');
  const Bool16 fiscal = ((b | 0x20) == 'f') & ((l1 == 'y') | (l1 == 'i'));
  const Bool16 month = ((b == 'J') & ((next == 'a') | (next == 'u'))) | ((b == 'F') & (next == 'e')) |
                       ((b == 'M') & (next == 'a')) | ((b == 'A') & ((next == 'p') | (next == 'u'))) |
                       ((b == 'S') & (next == 'e')) | ((b == 'O') & (next == 'c')) | ((b == 'N') & (next == 'o')) |
                       ((b == 'D') & (next == 'e'));
  return BitMask(((digit | fiscal) & ~prev_word) | month);
}

// The first position in [pos, end) of `input` where a date can start, or
// npos: every alternative of DatePattern() starts with a month name (its
// first three letters are those of a month, capitalized), "FY" or "fiscal"
// in any case after \b (see FiscalYearAt), or a run of exactly four digits
// that \b opens (no letter, digit or "_" before). The blocks may read up
// to `readable` (>= end, the end of the whole text), so that only the
// text's last bytes, not every sentence's, are tested one at a time.
size_t NextDateCandidate(const re2::StringPiece& input, size_t pos, size_t end, size_t readable) {
  const char* t = input.data();
  auto at = [t](size_t i) { return kDateStart.start[static_cast<unsigned char>(t[i])]; };
  auto visit = [t, end](size_t i) { return i >= end || DateCandidateAt(t, i, end); };
  const size_t i = ScanCandidates(t, pos, BlockScanEnd(pos, end, readable), DateStarts, at, visit);
  return i < end ? i : std::string_view::npos;
}

// What a date match holds (digits, dashes, commas, spaces, capitals):
// enough to skip the alternatives of DateAlternatives() that cannot span
// it, each an RE2 call, by what every match of an alternative holds.
struct MatchShape {
  bool upper_first, digit_first, fiscal_first, digits = false, dash = false, comma = false, ends_with_year;
  int spaces = 0, uppers = 0;

  explicit MatchShape(std::string_view s) {
    for (char c : s) {
      digits = digits || IsAsciiDigit(static_cast<unsigned char>(c));
      dash = dash || c == '-';
      comma = comma || c == ',';
      spaces += c == ' ';
      uppers += IsAsciiUpper(static_cast<unsigned char>(c));
    }
    upper_first = IsAsciiUpper(static_cast<unsigned char>(s[0]));
    digit_first = IsAsciiDigit(static_cast<unsigned char>(s[0]));
    fiscal_first = (s[0] | 0x20) == 'f';
    ends_with_year = s.size() >= 4 && std::all_of(s.end() - 4, s.end(), [](char c) {
      return IsAsciiDigit(static_cast<unsigned char>(c));
    });
  }

  // Whether alternative k (in DateAlternatives()'s order) may span the
  // match: a necessary condition only.
  bool MayBe(size_t k) const {
    switch (k) {
      case 0: return upper_first && uppers >= 2 && dash && digits;  // month D - month D[, YYYY]
      case 1: return upper_first && dash && comma;                   // month D-D, YYYY
      case 2: return upper_first && spaces >= 2 && ends_with_year;   // month D, YYYY
      case 3: return upper_first && uppers >= 2 && ends_with_year;   // month and month YYYY
      case 4: return upper_first && ends_with_year;                  // month [of] YYYY
      case 5: return upper_first && digits;                          // month D
      case 6: return digit_first && dash;                            // ISO date
      case 7: return fiscal_first;                                   // fiscal year
      case 8: return digit_first && !dash;                           // 1990s
      case 9: return digit_first;                                    // YYYY-YYYY
      case 10: return upper_first && !digits;                        // a month alone
      case 11: return digit_first;                                   // a bare year
      default: return true;
    }
  }
};

// DatePattern()'s anchored match at the month name t[i] (a candidate), with
// its groups in `m`, for its commonest forms, told from the bytes after the
// name; false when the pattern must decide. The month alternatives need a
// space after the name, except the month alone (\bMONTH\b); after the
// space, a run of digits:
//  - four, then \b: "month YYYY" (the day forms need 1-2 digits, then "-",
//    ",", " " or \b);
//  - one or two, then ", " and four digits and \b: "month D, YYYY";
//  - one or two, then \b and no "-" (a range), no " -" or " " and a digit
//    (a range, "month D YYYY"): "month D".
// A name followed by neither a space nor a word byte is the month alone if
// \b opens it (not for "Jan." and the like, whose \b after depends on the
// next byte).
bool MonthDateAt(const char* t, size_t i, size_t end, std::vector<re2::StringPiece>& m) {
  const size_t e = i + MonthLength(t, i, end);
  if (e == i) return false;
  const DateGroups& G = Groups();
  auto word = [&](size_t k) { return k < end && IsRe2WordByte(t[k]); };
  auto digits_from = [&](size_t k) {
    while (k < end && IsAsciiDigit(static_cast<unsigned char>(t[k]))) ++k;
    return k;
  };
  auto piece = [&](size_t b, size_t e2) { return re2::StringPiece(t + b, e2 - b); };
  std::fill(m.begin(), m.end(), re2::StringPiece());
  if (e == end || t[e] != ' ') {
    if (t[e - 1] == '.' || (i > 0 && IsRe2WordByte(t[i - 1]))) return false;
    m[0] = m[G.bm] = piece(i, e);
    return true;
  }
  const size_t d = e + 1, r = digits_from(d);
  if (r - d == 4 && !word(r)) {
    m[0] = piece(i, r), m[G.mm] = piece(i, e), m[G.my] = piece(d, r);
    return true;
  }
  if (r - d != 1 && r - d != 2) return false;
  if (word(r) || (r < end && t[r] == '-')) return false;
  if (r + 1 < end && t[r] == ' ' && (t[r + 1] == '-' || IsAsciiDigit(static_cast<unsigned char>(t[r + 1])))) return false;
  if (r + 1 < end && t[r] == ',' && t[r + 1] == ' ') {
    const size_t y = r + 2, ye = digits_from(y);
    if (ye - y == 4 && !word(ye)) {
      m[0] = piece(i, ye), m[G.fm] = piece(i, e), m[G.fd] = piece(d, r), m[G.fy] = piece(y, ye);
      return true;
    }
  }
  m[0] = piece(i, r), m[G.dm] = piece(i, e), m[G.dd] = piece(d, r);
  return true;
}

// The next match of the date pattern in [pos, end) of `input`, with its
// groups in `m`. Finding the match and reading its groups are two steps:
// the first is a DFA pass, the second runs on the match alone, and is
// skipped for a bare year — four digits can only be the `year_group`
// alternative (every other one holds a month name, a dash, "FY" or "s").
// The groups are those the one-step search gives: the preferred parse
// among all matches at a start is also the preferred one among those that
// end where it ends.
bool NextDate(const RE2& re, const re2::StringPiece& input, size_t pos, size_t end, size_t readable,
              std::vector<re2::StringPiece>& m, int year_group) {
  // The leftmost match starts at the first candidate where the pattern
  // matches anchored; RE2 reads \b from the whole input, so the anchored
  // match there is the one an unanchored search would find.
  // A bare year and the commonest month forms are told without the pattern
  // (BareYearAt, MonthDateAt).
  re2::StringPiece match;
  size_t begin = NextDateCandidate(input, pos, end, readable);
  for (; begin != std::string_view::npos; begin = NextDateCandidate(input, begin + 1, end, readable)) {
    if (IsAsciiDigit(static_cast<unsigned char>(input[begin])) && BareYearAt(input.data(), begin, end)) {
      match = re2::StringPiece(input.data() + begin, 4);
      break;
    }
    if (IsAsciiUpper(static_cast<unsigned char>(input[begin])) && MonthDateAt(input.data(), begin, end, m)) return true;
    if (re.Match(input, begin, end, RE2::ANCHOR_START, &match, 1)) break;
  }
  if (begin == std::string_view::npos) return false;
  const bool bare_year = match.size() == 4 && std::all_of(match.begin(), match.end(), [](char c) {
                           return IsAsciiDigit(static_cast<unsigned char>(c));
                         });
  if (bare_year && year_group > 0) {
    std::fill(m.begin(), m.end(), re2::StringPiece());
    m[0] = match;
    m[static_cast<size_t>(year_group)] = match;
    return true;
  }
  // The groups: the first alternative that spans exactly the match is the
  // one the combined pattern took (an earlier one matching at `begin` at all
  // would have been taken instead), and its preferred parse ending there is
  // the combined pattern's. Alone, each alternative is a small program, much
  // cheaper to run for submatches than the combined one.
  std::fill(m.begin(), m.end(), re2::StringPiece());
  re2::StringPiece sub[16];
  const std::vector<DateAlternative>& alternatives = SplitDatePattern();
  const MatchShape shape(std::string_view(match.data(), match.size()));
  for (size_t k = 0; k < alternatives.size(); ++k) {
    if (!shape.MayBe(k)) continue;
    const DateAlternative& alt = alternatives[k];
    const int n = std::min(16, alt.re->NumberOfCapturingGroups() + 1);
    if (!alt.re->Match(input, begin, begin + match.size(), RE2::ANCHOR_BOTH, sub, n)) continue;
    m[0] = match;
    for (auto [from, to] : alt.groups) {
      if (from < n && static_cast<size_t>(to) < m.size()) m[static_cast<size_t>(to)] = sub[from];
    }
    return true;
  }
  return re.Match(input, begin, begin + match.size(), RE2::ANCHOR_BOTH, m.data(), static_cast<int>(m.size()));
}


// The value of a group of digits (every group read as a number is one);
// 0 when the group did not match.
int Int(std::string_view s) {
  int value = 0;
  for (char c : s) {
    if (!IsAsciiDigit(static_cast<unsigned char>(c))) break;
    value = value * 10 + (c - '0');
  }
  return value;
}

// The ASCII letters right before the last byte of `window`, lowercased, when
// that byte is one of `ends` ("" otherwise), and whether a non-ASCII byte
// (a letter (?i) might fold into an ASCII one) is in the window.
std::string LastWordBefore(std::string_view window, std::string_view ends, bool* non_ascii) {
  *non_ascii = std::any_of(window.begin(), window.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
  if (window.empty() || ends.find(window.back()) == std::string_view::npos) return "";
  size_t b = window.size() - 1;
  while (b > 0 && IsAsciiAlpha(static_cast<unsigned char>(window[b - 1]))) --b;
  return ToLower(window.substr(b, window.size() - 1 - b));
}

bool DeadlineBefore(std::string_view text, size_t begin, size_t floor) {
  size_t from = begin > floor + 24 ? begin - 24 : floor;
  const std::string_view window = text.substr(from, begin - from);
  // The pattern ends with one of these words and a space.
  bool non_ascii = false;
  const std::string last = LastWordBefore(window, " ", &non_ascii);
  if (!non_ascii && last != "by" && last != "than" && last != "before" && last != "until" && last != "through" &&
      last != "of" && last != "the") {
    return false;
  }
  // The pattern by hand (see WordsEndingWindow): a word, then at most one
  // of the optional phrases; "the end of" is tried before "end of", the
  // only order in which both could end the window with a word before them.
  static constexpr std::string_view kWords[] = {"by", "no later than", "before", "until", "through"};
  static constexpr std::string_view kPhrases[] = {"the end of", "end of", "the"};
  if (const std::optional<std::string_view> w =
          WordsEndingWindow(window, kWords, std::size(kWords), kPhrases, std::size(kPhrases), 1)) {
    return !w->empty();
  }
  static const RE2 re(R"((?i)\b(?:by|no later than|before|until|through) (?:the end of |end of |the )?$)");
  return RE2::PartialMatch(window, re);
}

// "in October", "by May", "last December", "the July meeting": words that
// make a lone month name a date.
bool DateWordBefore(std::string_view text, size_t begin, size_t floor) {
  size_t from = begin > floor + 12 ? begin - 12 : floor;
  const std::string_view window = text.substr(from, begin - from);
  // The pattern ends with one of its words and a space or hyphen.
  static const auto* words = new absl::flat_hash_set<std::string>{
      "in", "by", "since", "until", "through", "during", "from", "for", "last", "next", "this",
      "early", "late", "mid", "the", "of", "and", "or", "to", "on", "before", "after"};
  bool non_ascii = false;
  const std::string last = LastWordBefore(window, " -", &non_ascii);
  if (!non_ascii && !words->contains(last)) return false;
  // The pattern by hand (see WordsEndingWindow), on a copy ending with a
  // space for one that ends with "-" ([ -]$ takes either).
  static constexpr std::string_view kWords[] = {"in",    "by",   "since", "until", "through", "during",
                                                "from",  "for",  "last",  "next",  "this",    "early",
                                                "late",  "mid",  "the",   "of",    "and",     "or",
                                                "to",    "on",   "before", "after"};
  std::string spaced(window);
  if (!spaced.empty() && spaced.back() == '-') spaced.back() = ' ';
  if (const std::optional<std::string_view> w = WordsEndingWindow(spaced, kWords, std::size(kWords), nullptr, 0, 0)) {
    return !w->empty();
  }
  static const RE2 re(
      R"((?i)\b(?:in|by|since|until|through|during|from|for|last|next|this|early|late|mid|the|of|and|or|to|on|before|after)[ -]$)");
  return RE2::PartialMatch(window, re);
}

// Whether "19dd" or "20dd" is at text[i] with \b after it.
bool YearAt(std::string_view text, size_t i) {
  if (i + 4 > text.size()) return false;
  return IsCenturyAt(text.data() + i) && IsAsciiDigit(static_cast<unsigned char>(text[i + 2])) &&
         IsAsciiDigit(static_cast<unsigned char>(text[i + 3])) && (i + 4 == text.size() || !IsRe2WordByte(text[i + 4]));
}

// The positions among the 16 at p where "19" or "20" starts and \b opens
// it (a superset of the years YearAt finds there). Reads p[-1] to p[16].
uint32_t YearStarts(const char* p) {
  return BitMask(CenturyStarts(p) & ~Re2WordBytes(Load16(p - 1)));
}

// Whether `head` ends with one of kMonth's alternatives.
bool EndsWithMonth(std::string_view head) {
  for (std::string_view m : kMonthAlternatives) {
    if (EndsWith(head, m)) return true;
  }
  return false;
}

// The year of each match of kMonth + " \d{1,2}, ((?:19|20)\d\d)\b", found
// from its ", ": matches cannot overlap, so these are the matches a scan
// from the start consumes one after the other.
int LatestFullDateYear(std::string_view text) {
  int latest = 0;
  for (size_t p = text.find(", "); p != std::string_view::npos; p = text.find(", ", p + 1)) {
    if (!YearAt(text, p + 2)) continue;
    size_t digits = 0;
    while (digits < 3 && digits < p && IsAsciiDigit(static_cast<unsigned char>(text[p - 1 - digits]))) ++digits;
    if (digits == 0 || digits > 2 || p < digits + 1 || text[p - digits - 1] != ' ') continue;
    if (!EndsWithMonth(text.substr(0, p - digits - 1))) continue;
    latest = std::max(latest, (text[p + 2] - '0') * 1000 + (text[p + 3] - '0') * 100 + (text[p + 4] - '0') * 10 +
                                  (text[p + 5] - '0'));
  }
  return latest;
}

}  // namespace

// By hand rather than with RE2 (the two patterns scanned whole documents):
// the latest year of a full date (month D, YYYY), else the most frequent
// \b(19|20)dd\b year, the earliest on a tie.
int InferReferenceYear(std::string_view text) {
  if (const int latest = LatestFullDateYear(text); latest > 0) return latest;
  std::map<int, int> counts;
  // A year's digits after its first have a digit before them: no \b opens
  // them, so years cannot overlap.
  auto at = [&](size_t i) { return (i == 0 || !IsRe2WordByte(text[i - 1])) && YearAt(text, i); };
  auto count = [&](size_t i) {
    if (YearAt(text, i)) {
      ++counts[(text[i] - '0') * 1000 + (text[i + 1] - '0') * 100 + (text[i + 2] - '0') * 10 + (text[i + 3] - '0')];
    }
    return false;  // on to the next
  };
  ScanCandidates(text.data(), 0, text.size(), YearStarts, at, count);
  int best = 0, best_count = 0;
  for (auto [yr, n] : counts) {
    if (n > best_count) best = yr, best_count = n;
  }
  return best;
}

std::vector<DateDraft> FindDates(std::string_view text, TextRange range, int reference_year) {
  std::vector<DateDraft> out;
  // Cheap test first: no position where a date can start, no date (the
  // common case); else the search starts at the first such position.
  const size_t first = NextDateCandidate(re2::StringPiece(text.data(), range.end), range.begin, range.end, text.size());
  if (first == std::string_view::npos) return out;
  const RE2& re = DatePattern();
  const int groups = re.NumberOfCapturingGroups();
  const DateGroups& G = Groups();
  std::vector<re2::StringPiece> m(static_cast<size_t>(groups + 1));
  auto g = [&](int group) -> std::string_view {
    if (group < 0) return {};
    const re2::StringPiece& p = m[static_cast<size_t>(group)];
    return p.data() ? std::string_view(p.data(), p.size()) : std::string_view();
  };
  auto has = [&](int group) { return !g(group).empty(); };
  re2::StringPiece input(text.data(), range.end);
  size_t pos = first;
  while (pos < range.end && NextDate(re, input, pos, range.end, text.size(), m, G.y)) {
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
    if (has(G.r1m1)) {
      int y = infer(Int(g(G.r1y)));
      d.kind = v1::DATE_KIND_RANGE;
      d.start_year = y, d.start_month = MonthNumber(g(G.r1m1)), d.start_day = Int(g(G.r1d1));
      d.end_year = y, d.end_month = MonthNumber(g(G.r1m2)), d.end_day = Int(g(G.r1d2));
    } else if (has(G.r2m)) {
      int y = Int(g(G.r2y)), month = MonthNumber(g(G.r2m));
      d.kind = v1::DATE_KIND_RANGE;
      d.start_year = d.end_year = y, d.start_month = d.end_month = month;
      d.start_day = Int(g(G.r2d1)), d.end_day = Int(g(G.r2d2));
    } else if (has(G.fm)) {
      d.start_year = Int(g(G.fy)), d.start_month = MonthNumber(g(G.fm)), d.start_day = Int(g(G.fd));
    } else if (has(G.r3m1)) {
      int y = Int(g(G.r3y));
      d.kind = v1::DATE_KIND_RANGE;
      d.start_year = d.end_year = y;
      d.start_month = MonthNumber(g(G.r3m1)), d.end_month = MonthNumber(g(G.r3m2));
    } else if (has(G.mm)) {
      d.start_year = Int(g(G.my)), d.start_month = MonthNumber(g(G.mm));
    } else if (has(G.dm)) {
      d.start_year = infer(0), d.start_month = MonthNumber(g(G.dm)), d.start_day = Int(g(G.dd));
    } else if (has(G.iy)) {
      d.start_year = Int(g(G.iy)), d.start_month = Int(g(G.im)), d.start_day = Int(g(G.id));
      if (d.start_month < 1 || d.start_month > 12 || d.start_day < 1 || d.start_day > 31) continue;
    } else if (has(G.fyy)) {
      d.kind = v1::DATE_KIND_FISCAL_YEAR;
      d.start_year = Int(g(G.fyy));
    } else if (has(G.cy)) {
      int y = Int(g(G.cy));
      d.kind = v1::DATE_KIND_RANGE;
      d.start_year = y;
      d.end_year = y % 100 == 0 ? y + 99 : y + 9;
    } else if (has(G.yy1)) {
      d.kind = v1::DATE_KIND_RANGE;
      d.start_year = Int(g(G.yy1)), d.end_year = Int(g(G.yy2));
      if (d.end_year < d.start_year) continue;
    } else if (has(G.bm)) {
      if (!DateWordBefore(text, d.range.begin, range.begin)) continue;  // "May" the verb, a name
      d.start_year = infer(0), d.start_month = MonthNumber(g(G.bm));
    } else if (has(G.y)) {
      d.start_year = Int(g(G.y));
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
