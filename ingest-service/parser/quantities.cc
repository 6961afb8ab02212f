#include "quantities.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "absl/container/flat_hash_set.h"
#include "byte_scan.h"
#include "money.h"
#include "re2/re2.h"
#include "text_util.h"

namespace pledgebook::parser {
namespace {

const std::map<std::string, int>& NumberWords() {
  static const auto* words = new std::map<std::string, int>{
      {"two", 2},      {"three", 3},     {"four", 4},      {"five", 5},      {"six", 6},
      {"seven", 7},    {"eight", 8},     {"nine", 9},      {"ten", 10},      {"eleven", 11},
      {"twelve", 12},  {"thirteen", 13}, {"fourteen", 14}, {"fifteen", 15},  {"sixteen", 16},
      {"seventeen", 17}, {"eighteen", 18}, {"nineteen", 19}, {"twenty", 20}, {"thirty", 30},
      {"forty", 40},   {"fifty", 50},    {"sixty", 60},    {"seventy", 70},  {"eighty", 80},
      {"ninety", 90},  {"hundred", 100}, {"dozen", 12}};
  return *words;
}

// Words after a number that show it counts nothing ("2 of", "three and").
// `w` as written: longer words than the longest stop word skip the
// lowercased copy and the lookup.
bool IsStopWord(std::string_view w) {
  static const auto* kStop = new absl::flat_hash_set<std::string>{
      "of", "and", "or", "to", "the", "a", "an", "in", "on", "at", "by", "for",
      "with", "from", "is", "are", "was", "were", "will", "have", "has", "as",
      "than", "that", "which", "who", "times", "more", "per", "p.m",
      "a.m", "am", "pm", "th", "st", "nd", "rd"};
  static const size_t kLongest = [] {
    size_t n = 0;
    for (const std::string& x : *kStop) n = std::max(n, x.size());
    return n;
  }();
  return w.size() <= kLongest && kStop->contains(ToLower(w));
}

// The counted noun phrase after the number: up to four words, stopping at
// punctuation, prepositions and verbs-like stop words.
TextRange UnitAfter(std::string_view text, size_t from, size_t limit, std::string* unit) {
  size_t i = from;
  if (i < limit && text[i] == '-') ++i;  // "three-year"
  while (i < limit && text[i] == ' ') ++i;
  size_t start = i, end = i;
  int words = 0;
  while (i < limit && words < 4) {
    size_t j = i;
    while (j < limit && (IsAsciiAlpha(static_cast<unsigned char>(text[j])) || text[j] == '-' || text[j] == '\'' ||
                         static_cast<unsigned char>(text[j]) >= 0x80)) {
      ++j;
    }
    if (j == i) break;
    const std::string_view w = text.substr(i, j - i);
    if (IsStopWord(w)) break;
    end = j;
    ++words;
    if (j >= limit || text[j] != ' ') break;
    i = j + 1;
    // A plural noun usually ends the phrase.
    if (w.size() > 3 && (w.back() | 0x20) == 's' && words >= 1) break;  // "s" or "S"
  }
  *unit = std::string(text.substr(start, end - start));
  return {start, end};
}

bool Inside(const std::vector<TextRange>& ranges, size_t begin, size_t end) {
  for (const TextRange& r : ranges) {
    if (begin < r.end && r.begin < end) return true;
  }
  return false;
}

// The qualifier words of the pattern below, in its order.
constexpr std::string_view kQualifierWords[] = {"at least", "more than", "over", "nearly", "almost", "up to",
                                                "approximately", "about", "around", "roughly", "some",
                                                "fewer than", "less than", "an estimated", "estimated"};

std::string QualifierBefore(std::string_view text, size_t begin, size_t floor) {
  size_t from = begin > floor + 20 ? begin - 20 : floor;
  const std::string_view window = text.substr(from, begin - from);
  // By hand (see WordsEndingWindow) unless (?i) could fold a letter.
  if (const std::optional<std::string_view> q =
          WordsEndingWindow(window, kQualifierWords, std::size(kQualifierWords), nullptr, 0, 0)) {
    return std::string(*q);
  }
  static const RE2 re(
      R"((?i)\b(at least|more than|over|nearly|almost|up to|approximately|about|around|roughly|some|)"
      R"(fewer than|less than|an estimated|estimated) $)");
  std::string q;
  RE2::PartialMatch(window, re, &q);
  return q;
}

// The next match of the quantity pattern below, with its groups: 1 digits,
// 2 scale word, 3 "%" or "+", 4 number word. The match alone is found
// without submatches (a DFA pass, much cheaper), and its groups follow from
// its shape: a match starting with a digit is the first alternative, digits
// then an optional " scale" then an optional sign, none of which contains
// the other parts' characters; any other match is a number word.
bool NextNumber(const RE2& re, const re2::StringPiece& input, size_t pos, size_t end, re2::StringPiece m[5]) {
  if (!re.Match(input, pos, end, RE2::UNANCHORED, m, 1)) return false;
  const re2::StringPiece match = m[0];
  for (int k = 1; k < 5; ++k) m[k] = re2::StringPiece();
  if (match.empty() || !IsAsciiDigit(static_cast<unsigned char>(match[0]))) {
    m[4] = match;
    return true;
  }
  re2::StringPiece digits = match;
  if (const char last = digits[digits.size() - 1]; last == '%' || last == '+') {
    m[3] = re2::StringPiece(digits.data() + digits.size() - 1, 1);
    digits.remove_suffix(1);
  }
  if (const size_t space = digits.find(' '); space != re2::StringPiece::npos) {
    m[2] = re2::StringPiece(digits.data() + space + 1, digits.size() - space - 1);
    digits = re2::StringPiece(digits.data(), space);
  }
  m[1] = digits;
  return true;
}

// The number words of the pattern below, lowercase.
bool IsNumberWord(std::string_view w) {
  switch (w.size()) {
    case 3: return w == "two" || w == "six" || w == "ten";
    case 4: return w == "four" || w == "five" || w == "nine";
    case 5: return w == "three" || w == "seven" || w == "eight" || w == "forty" || w == "fifty" || w == "sixty" ||
                   w == "dozen";
    case 6: return w == "eleven" || w == "twelve" || w == "twenty" || w == "thirty" || w == "eighty" || w == "ninety";
    case 7: return w == "fifteen" || w == "sixteen" || w == "seventy" || w == "hundred";
    case 8: return w == "thirteen" || w == "fourteen" || w == "eighteen" || w == "nineteen";
    case 9: return w == "seventeen";
    default: return false;
  }
}


// The first letters of the number words, lowercase.
constexpr bool IsNumberWordInitial(unsigned char lower) {
  switch (lower) {
    case 't': case 'f': case 's': case 'e': case 'n': case 'h': case 'd': return true;
    default: return false;
  }
}

// Where the quantity pattern can start: a digit, or a number word's first
// letter (any case) where \b opens a word.
bool MayStartNumber(const char* t, size_t i) {
  const unsigned char c = static_cast<unsigned char>(t[i]);
  return IsAsciiDigit(c) || (IsAsciiAlpha(c) && IsNumberWordInitial(c | 0x20) &&
                             (i == 0 || !IsRe2WordByte(t[i - 1])));
}

// MayStartNumber for the 16 positions at p (reads p[-1] to p[16]), and for
// a word start also the second letter of a number word (tw th te fo fi si se
// ei el ni hu do): most words begin with one of the initials, few with
// these pairs. Positions the pairs leave out are none MatchNumberWord takes.
uint32_t NumberStarts(const char* p) {
  const Bytes16 b = Load16(p), prev = Load16(p - 1), next = Load16(p + 1);
  // ASCII letters lowercased (no other byte becomes one of these letters).
  const Bytes16 lower = b | 0x20, l1 = next | 0x20;
  const Bool16 pair = ((lower == 't') & ((l1 == 'w') | (l1 == 'h') | (l1 == 'e'))) |
                      ((lower == 'f') & ((l1 == 'o') | (l1 == 'i'))) | ((lower == 's') & ((l1 == 'i') | (l1 == 'e'))) |
                      ((lower == 'e') & ((l1 == 'i') | (l1 == 'l'))) | ((lower == 'n') & (l1 == 'i')) |
                      ((lower == 'h') & (l1 == 'u')) | ((lower == 'd') & (l1 == 'o'));
  const Bool16 prev_word = Re2WordBytes(prev);
  return BitMask(InRange(b, '0', '9') | (pair & ~prev_word));
}

// Whether a number word can begin with these three lowercase letters: a
// cheap test before the whole word is read.
bool IsNumberWordPrefix(char a, char b, char c) {
  switch (a) {
    case 't':
      return (b == 'w' && (c == 'o' || c == 'e')) || (b == 'h' && (c == 'r' || c == 'i')) || (b == 'e' && c == 'n');
    case 'f': return (b == 'o' && (c == 'u' || c == 'r')) || (b == 'i' && (c == 'v' || c == 'f'));
    case 's': return (b == 'i' && c == 'x') || (b == 'e' && c == 'v');
    case 'e': return (b == 'i' && c == 'g') || (b == 'l' && c == 'e');
    case 'n': return b == 'i' && c == 'n';
    case 'h': return b == 'u' && c == 'n';
    case 'd': return b == 'o' && c == 'z';
    default: return false;
  }
}

// The digits alternative at t[i] (a digit): digits ("1,234,567.8": a run of
// at most three digits followed by ",ddd" groups, else the whole run, then
// ".d+" if present), " million"/" billion"/" thousand" if present, then "%"
// or "+" if present.
void MatchDigits(const char* t, size_t i, size_t end, re2::StringPiece m[5]) {
  size_t j = DecimalNumberEnd(t, i, end);
  for (int k = 1; k < 5; ++k) m[k] = re2::StringPiece();
  m[1] = re2::StringPiece(t + i, j - i);
  for (std::string_view scale : {std::string_view(" million"), std::string_view(" billion"),
                                 std::string_view(" thousand")}) {
    if (end - j >= scale.size() && std::string_view(t + j, scale.size()) == scale) {
      m[2] = re2::StringPiece(t + j + 1, scale.size() - 1);
      j += scale.size();
      break;
    }
  }
  if (j < end && (t[j] == '%' || t[j] == '+')) {
    m[3] = re2::StringPiece(t + j, 1);
    ++j;
  }
  m[0] = re2::StringPiece(t + i, j - i);
}

// Whether the word start t[i] begins like a number word (a cheap test, in
// line, before MatchNumberWord: most word starts the scan visits fail it).
inline bool MayBeNumberWordAt(const char* t, size_t i, size_t end) {
  return end - i >= 3 && IsNumberWordPrefix(static_cast<char>(t[i] | 0x20), static_cast<char>(t[i + 1] | 0x20),
                                            static_cast<char>(t[i + 2] | 0x20));
}

// The number-word alternative at the word start t[i] (MayBeNumberWordAt
// holds): \b after the word, so the whole \w run must be the number word
// (at most nine letters).
bool MatchNumberWord(const char* t, size_t i, size_t end, re2::StringPiece m[5]) {
  char lower[10];
  size_t len = 0;
  for (size_t k = i; len < 10 && k < end && IsRe2WordByte(t[k]); ++k) {
    lower[len++] = static_cast<char>(t[k] | 0x20);
  }
  if (len < 3 || len > 9 || !IsNumberWord(std::string_view(lower, len))) return false;
  for (int x = 0; x < 4; ++x) m[x] = re2::StringPiece();
  m[0] = m[4] = re2::StringPiece(t + i, len);
  return true;
}

// NextNumber written out by hand, for text where the pattern's (?i) can only
// fold ASCII letters (no U+017F long s, no U+212A Kelvin sign). The pattern
// is leftmost-first and everything after its number is optional, so the
// match is at the first digit, or the first word start (letters inside a
// word are none: \b fails there) that begins a number word, whichever
// comes first. The blocks may read up to `readable` (>= end, the end of the
// whole text), so that only the text's last bytes, not every sentence's,
// are tested one at a time; a candidate at or past `end` stops the scan.
bool ScanNumber(const re2::StringPiece& input, size_t pos, size_t end, size_t readable, re2::StringPiece m[5]) {
  const char* t = input.data();
  auto at = [t](size_t k) { return MayStartNumber(t, k); };
  auto match = [&](size_t k) {
    if (k >= end) return true;
    if (!IsAsciiDigit(static_cast<unsigned char>(t[k]))) return MayBeNumberWordAt(t, k, end) && MatchNumberWord(t, k, end, m);
    MatchDigits(t, k, end, m);
    return true;
  };
  return ScanCandidates(t, pos, BlockScanEnd(pos, end, readable), NumberStarts, at, match) < end;
}

// The quantity pattern: digits with an optional scale word or percent
// sign, or a number word. Built only for text ScanNumber leaves to it.
const RE2& QuantityPattern() {
  static const RE2 re(
      R"((\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?: (million|billion|thousand))?(%|\+)?|)"
      R"(\b((?i:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|)"
      R"(sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|dozen))\b)");
  return re;
}

}  // namespace

std::vector<QuantityDraft> FindQuantities(std::string_view text, TextRange range,
                                          const std::vector<TextRange>& exclude) {
  std::vector<QuantityDraft> out;
  re2::StringPiece input(text.data(), range.end);
  re2::StringPiece m[5];
  // The hand-written scan holds unless (?i) could fold a non-ASCII letter.
  const std::string_view sentence = range.In(text);
  const bool ascii_folds = !HasFoldedLetter(sentence);
  auto next = [&](size_t from) {
    return ascii_folds ? ScanNumber(input, from, range.end, text.size(), m)
                       : NextNumber(QuantityPattern(), input, from, range.end, m);
  };
  size_t pos = range.begin;
  while (pos < range.end && next(pos)) {
    size_t begin = static_cast<size_t>(m[0].data() - text.data());
    size_t end = begin + m[0].size();
    pos = std::max(end, pos + 1);
    if (Inside(exclude, begin, end)) continue;
    char before = begin > 0 ? text[begin - 1] : ' ';
    char after = end < text.size() ? text[end] : ' ';
    // Part of a word, a name or a code: "COVID-19", "5G", "G7", "H.R. 3684", "2nd".
    if (IsAsciiAlnum(static_cast<unsigned char>(before)) || before == '-' || before == '$' || before == '.' ||
        before == '/' || before == '#') {
      continue;
    }
    if (IsAsciiAlpha(static_cast<unsigned char>(after)) && m[4].empty() && m[3].empty()) continue;
    QuantityDraft q;
    std::string unit;
    if (!m[4].empty()) {  // a number word
      std::string word = ToLower(std::string(m[4].data(), m[4].size()));
      // "the two governments", "our two countries": parties already named.
      size_t from = begin > range.begin + 6 ? begin - 6 : range.begin;
      std::string prev = ToLower(text.substr(from, begin - from));
      if ((word == "two" || word == "three") &&
          (EndsWith(prev, "the ") || EndsWith(prev, "our ") || EndsWith(prev, "their ") || EndsWith(prev, "both ") ||
           EndsWith(prev, "these ") || EndsWith(prev, "those "))) {
        continue;
      }
      TextRange u = UnitAfter(text, end, range.end, &unit);
      if (unit.empty()) continue;
      // (?i) also matches "ſix" (long s): look the word up folded, and
      // skip what still is not one (at() would throw on hostile input).
      auto number = NumberWords().find(ToLowerFolded(std::string_view(m[4].data(), m[4].size())));
      if (number == NumberWords().end()) continue;
      q.value = std::to_string(number->second);
      q.spelled_out = true;
      q.range = {begin, u.end};
    } else {
      std::string digits(m[1].data(), m[1].size());
      std::string scale(m[2].data(), m[2].size());
      const bool percent = m[3].size() == 1 && m[3][0] == '%';
      int exponent = scale == "thousand" ? 3 : scale == "million" ? 6 : scale == "billion" ? 9 : 0;
      DecimalAmount value;
      if (!ParseDecimalAmount(digits, exponent, &value)) continue;
      q.value = ToDecimalString(value);
      if (percent) {
        q.unit = "percent";
        q.range = {begin, end};
      } else {
        // A year is a date, not a quantity (dates are excluded by the caller,
        // but "2000 people" with no comma is ambiguous: require a unit).
        TextRange u = UnitAfter(text, end, range.end, &unit);
        if (unit.empty()) {
          continue;
        }
        if (ToLower(unit) == "percent") unit = "percent";
        q.range = {begin, u.end};
      }
    }
    if (q.unit.empty()) q.unit = unit;
    q.qualifier = QualifierBefore(text, begin, range.begin);
    out.push_back(q);
    pos = std::max(pos, q.range.end);
  }
  return out;
}

}  // namespace pledgebook::parser
