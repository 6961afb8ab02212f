#include "plain_text_layout.h"

#include <algorithm>
#include <cctype>
#include <string>

#include "text_util.h"
#include "boilerplate.h"
#include "re2/re2.h"

namespace pledgebook::parser {
namespace {

struct Line {
  TextRange content;  // without indentation and trailing spaces
  int indent = 0;     // leading spaces
  bool blank() const { return content.empty(); }
};

std::vector<Line> SplitLines(std::string_view text) {
  std::vector<Line> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    Line line;
    size_t b = start;
    while (b < end && text[b] == ' ') ++b;
    line.indent = static_cast<int>(b - start);
    line.content = Trim(text, {b, end});
    lines.push_back(line);
    if (end == text.size()) break;
    start = end + 1;
  }
  return lines;
}

// A list marker at the start of a line: a bullet symbol, a dash or star, or
// an enumerator ("1.", "(a)", "iv)"), followed by white space.
const RE2& ListMarker() {
  static const RE2 re(
      R"(^((?:[•●▪◦‣∙·○■□►▸➢✓\-\*+–—])|(?:\d{1,3}[.)])|(?:\([a-zA-Z0-9]{1,4}\))|)"
      R"((?:[a-z][.)])|(?:[ivxlc]{1,6}[.)])) +)");
  return re;
}

// Whether a line can start with a ListMarker(): a cheap test of its first
// bytes, which rules out most lines (those starting with a capital, say)
// before the pattern runs. Each alternative's first two bytes: a bullet
// (non-ASCII), "-", "*" or "+"; a digit then ".", ")" or more digits; "(";
// a lowercase letter then "." or ")"; two of "ivxlc".
bool MayStartListMarker(std::string_view s) {
  if (s.empty()) return false;
  const unsigned char c = static_cast<unsigned char>(s[0]);
  const char next = s.size() > 1 ? s[1] : '\0';
  auto roman = [](char x) { return x == 'i' || x == 'v' || x == 'x' || x == 'l' || x == 'c'; };
  if (c >= 0x80 || c == '-' || c == '*' || c == '+' || c == '(') return true;
  if (IsAsciiDigit(c)) return next == '.' || next == ')' || IsAsciiDigit(static_cast<unsigned char>(next));
  if (IsAsciiLower(c)) return next == '.' || next == ')' || (roman(static_cast<char>(c)) && roman(next));
  return false;
}

// ListMarker() on the commonest list lines, without the pattern: a "-",
// "*", "+" or "•" (the first alternative), or a run of one to three digits
// then "." or ")" (the second; no other alternative starts with these
// bytes), then spaces. A run of more than three digits matches no
// alternative. kUnknown for any other line: the pattern decides.
enum class Marker { kNone, kFound, kUnknown };
Marker MatchCommonListMarker(re2::StringPiece* input, re2::StringPiece* marker) {
  const std::string_view s(input->data(), input->size());
  size_t len = 0;
  if (s[0] == '-' || s[0] == '*' || s[0] == '+') {
    len = 1;
  } else if (StartsWith(s, "\xE2\x80\xA2")) {  // •
    len = 3;
  } else if (IsAsciiDigit(static_cast<unsigned char>(s[0]))) {
    while (len < s.size() && IsAsciiDigit(static_cast<unsigned char>(s[len]))) ++len;
    if (len > 3) return Marker::kNone;
    if (len == s.size() || (s[len] != '.' && s[len] != ')')) return Marker::kUnknown;
    ++len;
  } else {
    return Marker::kUnknown;
  }
  size_t end = len;
  while (end < s.size() && s[end] == ' ') ++end;
  if (end == len) return Marker::kUnknown;  // no space: left to the pattern
  *marker = re2::StringPiece(s.data(), len);
  input->remove_prefix(end);
  return Marker::kFound;
}

// RE2::Consume(input, ListMarker(), marker), after the cheap tests.
bool ConsumeListMarker(re2::StringPiece* input, re2::StringPiece* marker) {
  if (!MayStartListMarker(std::string_view(input->data(), input->size()))) return false;
  switch (MatchCommonListMarker(input, marker)) {
    case Marker::kFound: return true;
    case Marker::kNone: return false;
    case Marker::kUnknown: break;
  }
  return RE2::Consume(input, ListMarker(), marker);
}

bool IsNestedMarker(std::string_view marker) {
  return marker.rfind("◦", 0) == 0 || marker.rfind("○", 0) == 0 ||
         marker.rfind("▪", 0) == 0 || marker.rfind("■", 0) == 0;
}

const RE2& LongDate() {
  static const RE2 re(
      R"((January|February|March|April|May|June|July|August|September|October|November|December))"
      R"(\s+(\d{1,2}),\s+(\d{4}))");
  return re;
}

int MonthNumber(const std::string& name) {
  static const char* kMonths[] = {"January", "February", "March",     "April",
                                  "May",     "June",     "July",      "August",
                                  "September", "October", "November", "December"};
  for (int i = 0; i < 12; ++i) {
    if (name == kMonths[i]) return i + 1;
  }
  return 0;
}

bool EndsSentence(std::string_view s) {
  if (s.empty()) return false;
  char c = s.back();
  if (c == '"' || c == '\'' || c == ')') {
    s.remove_suffix(1);
    if (s.empty()) return false;
    c = s.back();
  }
  return c == '.' || c == '!' || c == '?' || c == ';' || c == ',';
}

bool IsUpperCaseLine(std::string_view s) {
  int letters = 0;
  for (char c : s) {
    if (IsAsciiLower(static_cast<unsigned char>(c))) return false;
    if (IsAsciiUpper(static_cast<unsigned char>(c))) ++letters;
  }
  return letters >= 3;
}

// A heading: a short line without sentence-ending punctuation whose words
// are mostly capitalized ("Building Back Together", "PILLAR I: …").
bool LooksLikeHeading(std::string_view s) {
  if (s.empty() || EndsSentence(s)) return false;
  const int words = CountWords(s);
  if (words == 0 || words > 20) return false;
  if (IsUpperCaseLine(s)) return true;
  if (s.back() == ':') return false;  // a lead-in to a list, not a heading
  int long_words = 0, capitalized = 0;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    size_t j = i;
    while (j < s.size() && s[j] != ' ') ++j;
    std::string_view word = s.substr(i, j - i);
    // Skip leading punctuation such as "(" or quotes.
    while (!word.empty() && !IsAsciiAlnum(static_cast<unsigned char>(word.front()))) {
      word.remove_prefix(1);
    }
    if (word.size() > 3) {
      ++long_words;
      if (IsAsciiUpper(static_cast<unsigned char>(word.front())) ||
          IsAsciiDigit(static_cast<unsigned char>(word.front()))) {
        ++capitalized;
      }
    }
    i = j;
  }
  return long_words > 0 && capitalized * 10 >= long_words * 7;
}

// Finds the header zone: a title line followed by a date line near the top.
// Returns the index of the first body line.
size_t AnalyzeHeader(std::string_view text, const std::vector<Line>& lines,
                     size_t end, PageLayout* layout) {
  std::vector<size_t> nonblank;
  for (size_t i = 0; i < end && nonblank.size() < 6; ++i) {
    if (!lines[i].blank()) nonblank.push_back(i);
  }
  for (size_t k = 0; k < nonblank.size(); ++k) {
    PageDate date;
    if (!ParseLongDate(lines[nonblank[k]].content.In(text), &date)) continue;
    layout->date = date;
    layout->date_line = lines[nonblank[k]].content;
    size_t body_start = nonblank[k] + 1;
    if (k > 0) {
      layout->title = lines[nonblank[k - 1]].content;
      layout->dropped_lines += static_cast<int>(k - 1);  // menu lines above the title
    }
    // One menu-like line right after the date is the site's section name
    // ("Statements and Releases") when a longer paragraph follows it.
    if (k + 2 < nonblank.size() || k + 1 < nonblank.size()) {
      size_t next = k + 1 < nonblank.size() ? nonblank[k + 1] : end;
      if (next < end && IsMenuLikeLine(lines[next].content.In(text))) {
        size_t after = next + 1;
        while (after < end && lines[after].blank()) ++after;
        if (after < end && CountWords(lines[after].content.In(text)) > 8) {
          body_start = next + 1;
          ++layout->dropped_lines;
        }
      }
    }
    return body_start;
  }
  // No date line: the first line is a title when it is short, has no
  // sentence punctuation at its end, and content follows it.
  if (!nonblank.empty() && nonblank.size() > 1) {
    std::string_view first = lines[nonblank[0]].content.In(text);
    PageDate unused;
    if (!(MayStartListMarker(first) && RE2::PartialMatch(first, ListMarker())) && CountWords(first) <= 30 &&
        !EndsSentence(first) && !ParseLongDate(first, &unused) &&
        lines[nonblank[0]].indent == 0 && LooksLikeHeading(first)) {
      layout->title = lines[nonblank[0]].content;
      return nonblank[0] + 1;
    }
  }
  return 0;
}

// Index one past the last body line: stops at the "###" end marker, then
// drops the footer (strong chrome signals, plus menu-like lines among them).
size_t FindBodyEnd(std::string_view text, const std::vector<Line>& lines, PageLayout* layout) {
  size_t end = lines.size();
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].content.In(text) == "###") {
      layout->dropped_lines += static_cast<int>(lines.size() - i);
      end = i;
      break;
    }
  }
  bool in_footer = false;
  while (end > 0) {
    const Line& line = lines[end - 1];
    if (line.blank()) {
      --end;
      continue;
    }
    std::string_view s = line.content.In(text);
    if (IsChromeLine(s) || (in_footer && IsMenuLikeLine(s))) {
      in_footer = true;
      ++layout->dropped_lines;
      --end;
      continue;
    }
    break;
  }
  return end;
}

}  // namespace

bool ParseLongDate(std::string_view line, PageDate* date) {
  // LongDate() must match the whole line, so the line starts with a month
  // name's capital and ends with the year's last digit: most lines fail
  // this test without running the pattern.
  if (line.empty() || std::string_view("JFMASOND").find(line.front()) == std::string_view::npos ||
      !IsAsciiDigit(static_cast<unsigned char>(line.back()))) {
    return false;
  }
  std::string month;
  int day = 0, year = 0;
  if (!RE2::FullMatch(line, LongDate(), &month, &day, &year)) return false;
  if (day < 1 || day > 31 || year < 1000) return false;
  date->year = year;
  date->month = MonthNumber(month);
  date->day = day;
  return true;
}

PageLayout AnalyzePlainText(std::string_view text) {
  PageLayout layout;
  std::vector<Line> lines = SplitLines(text);
  const size_t end = FindBodyEnd(text, lines, &layout);
  const size_t start = AnalyzeHeader(text, lines, end, &layout);

  std::vector<int> indent_stack;  // indentation of the open list levels
  bool previous_blank = true;
  for (size_t i = start; i < end; ++i) {
    const Line& line = lines[i];
    if (line.blank()) {
      previous_blank = true;
      continue;
    }
    std::string_view s = line.content.In(text);
    re2::StringPiece input(s.data(), s.size());
    re2::StringPiece marker;
    if (ConsumeListMarker(&input, &marker)) {
      Block block;
      block.kind = BlockKind::kListItem;
      block.line = static_cast<int>(i) + 1;
      size_t text_begin = line.content.begin + (input.data() - s.data());
      block.range = Trim(text, {text_begin, line.content.end});
      int indent = line.indent;
      while (!indent_stack.empty() && indent_stack.back() > indent) indent_stack.pop_back();
      if (indent_stack.empty() || indent_stack.back() < indent) indent_stack.push_back(indent);
      block.depth = static_cast<int>(indent_stack.size()) - 1;
      if (block.depth == 0 && IsNestedMarker(std::string_view(marker.data(), marker.size())) &&
          !layout.blocks.empty() && layout.blocks.back().kind == BlockKind::kListItem) {
        block.depth = 1;
      }
      layout.blocks.push_back(block);
      previous_blank = false;
      continue;
    }
    // A wrapped line continues the previous list item or paragraph when it
    // follows without a blank line and does not start a new sentence.
    if (!previous_blank && !layout.blocks.empty()) {
      Block& last = layout.blocks.back();
      std::string_view last_text = last.range.In(text);
      bool continues_item = last.kind == BlockKind::kListItem && line.indent > 0;
      bool wrapped = !EndsSentence(last_text) && IsAsciiLower(static_cast<unsigned char>(s[0]));
      if ((continues_item || wrapped) && last.kind != BlockKind::kHeading) {
        last.range.end = line.content.end;
        continue;
      }
    }
    Block block;
    block.kind = LooksLikeHeading(s) ? BlockKind::kHeading : BlockKind::kParagraph;
    block.range = line.content;
    block.line = static_cast<int>(i) + 1;
    layout.blocks.push_back(block);
    indent_stack.clear();
    previous_blank = false;
  }
  // A "heading" with nothing after it is a closing line of prose.
  if (!layout.blocks.empty() && layout.blocks.back().kind == BlockKind::kHeading) {
    layout.blocks.back().kind = BlockKind::kParagraph;
  }
  if (!layout.blocks.empty()) {
    layout.body = {layout.blocks.front().range.begin, layout.blocks.back().range.end};
  }
  return layout;
}

}  // namespace pledgebook::parser
