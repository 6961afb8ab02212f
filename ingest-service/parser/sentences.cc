#include "sentences.h"

#include <cctype>
#include <cstdint>
#include <cstring>
#include <string>

#include "absl/container/flat_hash_set.h"
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
  if (Abbreviations().contains(absl::string_view(word.data(), word.size()))) return true;
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

// Whether any of the eight bytes at p is '.', '?' or '!'.
bool HasTerminator(const char* p) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHigh = 0x8080808080808080ULL;
  uint64_t w;
  std::memcpy(&w, p, 8);
  auto has_zero = [&](uint64_t v) { return ((v - kOnes) & ~v & kHigh) != 0; };
  return has_zero(w ^ (kOnes * '.')) || has_zero(w ^ (kOnes * '?')) || has_zero(w ^ (kOnes * '!'));
}

}  // namespace

std::vector<TextRange> SplitSentences(std::string_view text, TextRange paragraph) {
  std::vector<TextRange> sentences;
  size_t start = paragraph.begin;
  for (size_t i = paragraph.begin; i < paragraph.end; ++i) {
    // Most bytes end nothing: skip eight at a time.
    while (i + 8 <= paragraph.end && !HasTerminator(text.data() + i)) i += 8;
    if (i >= paragraph.end) break;
    char c = text[i];
    if (c != '.' && c != '?' && c != '!') continue;
    size_t after = i + 1;
    // Closing quotes and brackets belong to the sentence they end.
    while (after < paragraph.end && (text[after] == '"' || text[after] == '\'' || text[after] == ')')) {
      ++after;
    }
    if (after >= paragraph.end || text[after] != ' ') continue;
    size_t next = after;
    while (next < paragraph.end && text[next] == ' ') ++next;
    if (next >= paragraph.end || !StartsSentence(static_cast<unsigned char>(text[next]))) continue;
    if (c == '.' && IsAbbreviation(WordBefore(text, start, i))) {
      // "U.S. President" continues; "... in the U.S. The" is ambiguous and
      // keeps going too: merging two sentences is safer than cutting one.
      continue;
    }
    TextRange sentence = Trim(text, {start, after});
    if (!sentence.empty()) sentences.push_back(sentence);
    start = next;
  }
  TextRange last = Trim(text, {start, paragraph.end});
  if (!last.empty()) sentences.push_back(last);
  return sentences;
}

}  // namespace pledgebook::parser
