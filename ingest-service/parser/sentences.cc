#include "sentences.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "byte_scan.h"
#include "text_util.h"

namespace pledgebook::parser {
namespace {

// Abbreviations that end with a period but rarely end a sentence. Compared
// without their final period, case-sensitively.
const absl::flat_hash_set<std::string>& Abbreviations() {
  static const auto* set = new absl::flat_hash_set<std::string>{
      "Mr", "Mrs", "Ms", "Dr", "Prof", "Sr", "Jr", "St", "No", "Nos", "Vol", "vs", "etc",
      "e.g", "i.e", "Inc", "Ltd", "Co", "Corp", "Gov", "Sen", "Rep", "Gen", "Lt", "Col",
      "Capt", "Adm", "Sgt", "Hon", "Amb", "Dept", "Fig", "approx", "est", "Jan", "Feb",
      "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "Mt", "Ft",
      "U.S", "U.K", "U.N", "E.U", "D.C", "U.S.A", "P.M", "A.M", "p.m", "a.m", "H.R", "S"};
  return *set;
}

// The word that ends just before position `dot` (the period itself excluded).
std::string_view WordBefore(std::string_view text, size_t begin, size_t dot) {
  size_t start = dot;
  while (start > begin && text[start - 1] != ' ' && text[start - 1] != '(' &&
         text[start - 1] != '"') {
    --start;
  }
  return text.substr(start, dot - start);
}

bool IsAbbreviation(std::string_view word) {
  if (word.empty()) return false;
  // Words longer than every abbreviation (most words) need no lookup.
  static const size_t longest = [] {
    size_t n = 0;
    for (const std::string& a : Abbreviations()) n = std::max(n, a.size());
    return n;
  }();
  if (word.size() <= longest && Abbreviations().contains(absl::string_view(word.data(), word.size()))) return true;
  // A single capital letter: an initial ("Joseph R. Biden").
  if (word.size() == 1 && IsAsciiUpper(static_cast<unsigned char>(word[0]))) return true;
  // Dotted initialisms such as "U.S" or "D.C" not in the list.
  size_t dots = 0;
  for (char c : word) dots += c == '.';
  return dots > 0 && word.size() <= 2 * dots + 1;
}

bool StartsSentence(unsigned char c) {
  return IsAsciiUpper(c) || IsAsciiDigit(c) || c == '"' || c == '\'' || c == '$' ||
         c == '(' || c >= 0x80;  // non-ASCII: an accented capital or a currency sign
}

// Bit k set where p[k] is '.', '?' or '!' (reads p[0] to p[15]).
uint32_t Terminators(const char* p) {
  const Bytes16 b = Load16(p);
  return BitMask((b == '.') | (b == '?') | (b == '!'));
}

}  // namespace

std::vector<TextRange> SplitSentences(std::string_view text, TextRange paragraph) {
  std::vector<TextRange> sentences;
  SplitSentences(text, paragraph, &sentences);
  return sentences;
}

void SplitSentences(std::string_view text, TextRange paragraph, std::vector<TextRange>* sentences) {
  sentences->clear();
  size_t start = paragraph.begin;
  // Most bytes end nothing: only '.', '?' and '!' are looked at.
  auto terminator = [&](size_t i) { return text[i] == '.' || text[i] == '?' || text[i] == '!'; };
  auto split_at = [&](size_t i) {
    const char c = text[i];
    size_t after = i + 1;
    // Closing quotes and brackets belong to the sentence they end.
    while (after < paragraph.end && (text[after] == '"' || text[after] == '\'' || text[after] == ')')) {
      ++after;
    }
    if (after >= paragraph.end || text[after] != ' ') return false;
    size_t next = after;
    while (next < paragraph.end && text[next] == ' ') ++next;
    if (next >= paragraph.end || !StartsSentence(static_cast<unsigned char>(text[next]))) return false;
    if (c == '.' && IsAbbreviation(WordBefore(text, start, i))) {
      // "U.S. President" continues; "... in the U.S. The" is ambiguous and
      // keeps going too: merging two sentences is safer than cutting one.
      return false;
    }
    TextRange sentence = Trim(text, {start, after});
    if (!sentence.empty()) sentences->push_back(sentence);
    start = next;
    return false;  // on to the next terminator
  };
  ScanCandidates(text.data(), paragraph.begin, paragraph.end, Terminators, terminator, split_at);
  TextRange last = Trim(text, {start, paragraph.end});
  if (!last.empty()) sentences->push_back(last);
}

}  // namespace pledgebook::parser
