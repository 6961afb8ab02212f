#include "quantities.h"

#include <cctype>
#include <map>

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
bool IsStopWord(const std::string& w) {
  static const char* kStop[] = {"of", "and", "or", "to", "the", "a", "an", "in", "on", "at", "by", "for",
                                "with", "from", "is", "are", "was", "were", "will", "have", "has", "as",
                                "than", "that", "which", "who", "times", "more", "per", "p.m",
                                "a.m", "am", "pm", "th", "st", "nd", "rd"};
  for (const char* s : kStop) {
    if (w == s) return true;
  }
  return false;
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
    std::string w = ToLower(text.substr(i, j - i));
    if (IsStopWord(w)) break;
    end = j;
    ++words;
    if (j >= limit || text[j] != ' ') break;
    i = j + 1;
    // A plural noun usually ends the phrase.
    if (w.size() > 3 && w.back() == 's' && words >= 1) break;
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

std::string QualifierBefore(std::string_view text, size_t begin, size_t floor) {
  static const RE2 re(
      R"((?i)\b(at least|more than|over|nearly|almost|up to|approximately|about|around|roughly|some|)"
      R"(fewer than|less than|an estimated|estimated) $)");
  size_t from = begin > floor + 20 ? begin - 20 : floor;
  std::string q;
  RE2::PartialMatch(text.substr(from, begin - from), re, &q);
  return q;
}

}  // namespace

std::vector<QuantityDraft> FindQuantities(std::string_view text, TextRange range,
                                          const std::vector<TextRange>& exclude) {
  std::vector<QuantityDraft> out;
  // Digits with an optional scale word or percent sign, or a number word.
  static const RE2 re(
      R"((\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?: (million|billion|thousand))?(%|\+)?|)"
      R"(\b((?i:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|)"
      R"(sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|dozen))\b)");
  re2::StringPiece input(text.data(), range.end);
  re2::StringPiece m[5];
  size_t pos = range.begin;
  while (pos < range.end && re.Match(input, pos, range.end, RE2::UNANCHORED, m, 5)) {
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
      q.value = std::to_string(NumberWords().at(word));
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
