#include "funding_context.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "absl/container/inlined_vector.h"
#include "byte_scan.h"

#include "text_util.h"

#include "re2/re2.h"

namespace pledgebook::parser {
namespace {

using pledgebook::v1::FundingStage;

struct Cue {
  TextRange range;
  FundingStage stage = pledgebook::v1::FUNDING_STAGE_UNSPECIFIED;
};


// `w` is the cue in ASCII lowercase.
FundingStage StageOf(std::string_view w) {
  auto starts = [&](std::string_view p) { return StartsWith(w, p); };
  if (starts("commit")) return pledgebook::v1::FUNDING_STAGE_COMMITTED;
  if (starts("pledg") || starts("announc") || starts("unveil")) return pledgebook::v1::FUNDING_STAGE_ANNOUNCED;
  if (starts("appropriat") || starts("dedicat") || starts("allocat") || starts("authoriz"))
    return pledgebook::v1::FUNDING_STAGE_APPROPRIATED;
  if (starts("award") || starts("grant") || starts("obligat")) return pledgebook::v1::FUNDING_STAGE_AWARDED;
  if (starts("disburs") || starts("spen") || w == "invested" || w == "provided" || w == "delivered" ||
      w == "donated" || w == "contributed")
    return pledgebook::v1::FUNDING_STAGE_DISBURSED;
  if (starts("plan") || starts("propos") || starts("request")) return pledgebook::v1::FUNDING_STAGE_PLANNED;
  return pledgebook::v1::FUNDING_STAGE_UNSPECIFIED;  // invest, provide, fund: stage from context
}

// Whether `s` holds one of the bytes Cs (find_first_of calls memchr on the
// set for every byte of `s`).
template <char... Cs>
bool HasAnyOf(std::string_view s) {
  for (char c : s) {
    if (((c == Cs) || ...)) return true;
  }
  return false;
}


// A word of a (?i)\b(?:WORDS)\b pattern: a stem and its endings, as in the
// pattern ("|s|ed" for stem(?:s|ed)?); ASCII lowercase letters.
struct StemWord {
  std::string_view stem;
  std::string_view endings;
};

// The words of such a pattern (at most 32, stems of two letters or more,
// none the start of another), matched by hand at word starts. Outside text
// with U+017F or U+212A its matches are the whole ASCII words ([A-Za-z0-9_]
// runs) that are one of the words in any ASCII case.
class WordList {
 public:
  template <size_t N>
  explicit WordList(const StemWord (&words)[N]) : words_(words) {
    static_assert(N <= 32);
    for (size_t w = 0; w < N; ++w) by_pair_[(words[w].stem[0] - 'a') * 26 + (words[w].stem[1] - 'a')] |= uint32_t{1} << w;
  }

  // The end of the word of the list that starts at `i` (a word start) and
  // ends by `end`, or 0.
  size_t EndAt(std::string_view text, size_t i, size_t end) const {
    if (i + 2 > end) return 0;
    const unsigned char c0 = static_cast<unsigned char>(text[i] | 0x20), c1 = static_cast<unsigned char>(text[i + 1] | 0x20);
    if (!IsAsciiLower(c0) || !IsAsciiLower(c1)) return 0;
    // The words by their first two letters: most words are rejected here.
    for (uint32_t bits = by_pair_[(c0 - 'a') * 26 + (c1 - 'a')]; bits != 0; bits &= bits - 1) {
      const StemWord& c = words_[__builtin_ctz(bits)];
      if (i + c.stem.size() > end || !EqualsAsciiNoCase(text.substr(i, c.stem.size()), c.stem)) continue;
      size_t e = i + c.stem.size();
      while (e < end && IsRe2WordByte(text[e])) ++e;
      const std::string_view ending = text.substr(i + c.stem.size(), e - i - c.stem.size());
      for (size_t at = 0;;) {
        const size_t bar = c.endings.find('|', at);
        if (EqualsAsciiNoCase(ending, c.endings.substr(at, bar - at))) return e;
        if (bar == std::string_view::npos) break;
        at = bar + 1;
      }
      return 0;  // stems do not start one another
    }
    return 0;
  }

 private:
  const StemWord* words_;
  std::array<uint32_t, 26 * 26> by_pair_{};
};

// The words of CuePattern.
constexpr StemWord kCueWords[] = {
    {"commit", "|s|ted|ting|ment|ments"},
    {"pledg", "e|es|ed|ing"},
    {"announc", "e|es|ed|ing"},
    {"unveil", "|s|ed|ing"},
    {"appropriat", "e|es|ed|ing|ion|ions"},
    {"dedicat", "e|es|ed|ing"},
    {"allocat", "e|es|ed|ing"},
    {"authoriz", "e|es|ed|ing"},
    {"award", "|s|ed|ing"},
    {"grant", "|s|ed|ing"},
    {"obligat", "e|es|ed|ing"},
    {"disburs", "e|es|ed|ing|ement"},
    {"spen", "d|ds|t|ding"},
    {"invest", "|s|ed|ing|ment|ments"},
    {"provid", "e|es|ed|ing"},
    {"fund", "|s|ed|ing"},
    {"contribut", "e|es|ed|ing|ion|ions"},
    {"deliver", "|s|ed|ing"},
    {"mobiliz", "e|es|ed|ing"},
    {"plan", "|s|ned|ning"},
    {"propos", "e|es|ed|ing"},
    {"request", "|s|ed|ing"},
    {"donat", "e|es|ed|ing|ion"},
    {"loan", "|s|ed"},
    {"financ", "e|es|ed|ing"},
};

// The (?i) pattern a word list stands for, "\b(stem(?:ending|…)|…)\b" with
// "?" after the group when an ending is empty: the matcher for text the hand
// matcher leaves to RE2, made from the same list so the two cannot drift.
template <size_t N>
std::string WordListPattern(const StemWord (&words)[N], bool capture) {
  std::string alternatives;
  for (const StemWord& w : words) {
    if (!alternatives.empty()) alternatives += '|';
    const bool optional = !w.endings.empty() && w.endings.front() == '|';
    alternatives.append(w.stem).append("(?:").append(optional ? w.endings.substr(1) : w.endings).append(")");
    if (optional) alternatives += '?';
  }
  return std::string("(?i)\\b(") + (capture ? "" : "?:") + alternatives + ")\\b";
}

// Funding verbs and nouns, with the stage each implies (StageOf).
const RE2& CuePattern() {
  static const RE2 re(WordListPattern(kCueWords, true));
  return re;
}

// The matches of CuePattern in `range`. The pattern is \b(WORDS)\b over
// ASCII letters, so its matches are the whole ASCII words ([A-Za-z0-9_] runs,
// cut at range.end) that are one of the words in any ASCII case; found by
// hand, as RE2's setup per search dominated these short sentences.
std::vector<Cue> FindCues(std::string_view text, TextRange range) {
  std::vector<Cue> cues;
  cues.reserve(8);
  if (HasFoldedLetter(text.substr(range.begin, range.end - range.begin))) {
    re2::StringPiece input(text.data(), range.end);
    // Group 1 spans the whole match (only \b around it): asking for the
    // match alone spares RE2 the submatch pass.
    re2::StringPiece m[1];
    size_t pos = range.begin;
    while (pos < range.end && CuePattern().Match(input, pos, range.end, RE2::UNANCHORED, m, 1)) {
      size_t b = static_cast<size_t>(m[0].data() - text.data());
      cues.push_back({{b, b + m[0].size()}, StageOf(ToLower(std::string_view(m[0].data(), m[0].size())))});
      pos = b + m[0].size();
    }
    return cues;
  }
  static const WordList words(kCueWords);
  auto at = [&](size_t k) { return IsAsciiWordStartAt(text.data(), k); };
  ScanCandidates(text.data(), range.begin, range.end, AsciiWordStarts, at, [&](size_t k) {
    if (const size_t e = words.EndAt(text, k, range.end)) {
      char lower[16];  // no cue word is longer
      for (size_t j = k; j < e; ++j) lower[j - k] = static_cast<char>(text[j] | 0x20);
      cues.push_back({{k, e}, StageOf(std::string_view(lower, e - k))});
    }
    return false;
  });
  return cues;
}

// Start of the clause that holds position `pos`: after the last ";" or a
// relative/adverbial clause opener before it.
size_t ClauseStart(std::string_view text, size_t floor, size_t pos) {
  size_t start = floor;
  const std::string_view window = text.substr(floor, pos > floor ? pos - floor : 0);
  if (HasFoldedLetter(window)) {
    static const RE2 breaks(R"((?i)(; |, which |, who |, while |, whereas |: ))");
    re2::StringPiece input(text.data(), pos);
    re2::StringPiece m[1];  // group 1 is the whole match
    size_t at = floor;
    while (at < pos && breaks.Match(input, at, pos, RE2::UNANCHORED, m, 1)) {
      start = static_cast<size_t>(m[0].data() - text.data()) + m[0].size();
      at = start;
    }
    return start;
  }
  // The pattern by hand: its alternatives cannot overlap and at most one
  // matches at a position, so the last match of a left-to-right scan that
  // resumes after each match is the one the repeated search finds.
  auto break_at = [&](size_t i) -> size_t {  // the length of a break at window[i], or 0
    const char c = window[i];
    if (i + 1 >= window.size() || window[i + 1] != ' ') return 0;
    if (c == ';' || c == ':') return 2;
    if (c != ',') return 0;
    for (std::string_view w : {"which", "who", "while", "whereas"}) {  // then a space
      if (i + 3 + w.size() > window.size() || window[i + 2 + w.size()] != ' ') continue;
      if (EqualsAsciiNoCase(window.substr(i + 2, w.size()), w)) return 3 + w.size();
    }
    return 0;
  };
  // Sixteen positions at a time: only a ";", ":" or "," before a space can
  // start a break. A break resumes the scan after it.
  if (window.size() < 2) return start;
  auto block = [](const char* p) {
    const Bytes16 b = Load16(p);
    return BitMask(((b == ';') | (b == ':') | (b == ',')) & (Load16(p + 1) == ' '));
  };
  size_t resume = 0;
  auto visit = [&](size_t i) {
    if (i < resume) return false;
    if (const size_t n = break_at(i)) {
      resume = i + n;
      start = floor + resume;
    }
    return false;  // on to the last break
  };
  const size_t end = window.size() - 1;  // a break needs a byte after its first
  ScanCandidates(window.data(), 0, end, block, [&](size_t i) { return break_at(i) != 0; }, visit);
  return start;
}

bool IsFunderCandidate(const ActorMention& a) { return a.kind != ActorKind::kPlace; }

// "homes in the United States", "working with the University of
// California": an actor after a preposition is not the clause's subject.
bool AfterPreposition(std::string_view text, const ActorMention& a, size_t floor) {
  size_t from = a.range.begin > floor + 24 ? a.range.begin - 24 : floor;
  const std::string_view window = text.substr(from, a.range.begin - from);
  if (window.empty() || window.back() != ' ') return false;  // the pattern ends with a space
  // The pattern below is "WORD (the )?" at the end: by hand (see
  // WordsEndingWindow) unless (?i) could fold a letter.
  static constexpr std::string_view kWords[] = {
      "in",    "across", "throughout", "within", "into",    "to",      "for",    "with",
      "between", "of",   "on",         "at",     "around",  "outside", "among",  "under",
      "than",  "like",   "about",      "against", "toward", "towards"};
  static constexpr std::string_view kThe[] = {"the"};
  if (const std::optional<std::string_view> w =
          WordsEndingWindow(window, kWords, std::size(kWords), kThe, std::size(kThe), 1)) {
    return !w->empty();
  }
  static const RE2 re(
      R"((?i)\b(?:in|across|throughout|within|into|to|for|with|between|of|on|at|around|outside|among|under|than|like|about|against|toward|towards)(?: the)? $)");
  return RE2::PartialMatch(window, re);
}

// The actors of a sentence that may fund (no places), in order: a few per
// sentence, kept without a heap allocation.
using Candidates = absl::InlinedVector<const ActorMention*, 16>;

// "X and Y", "X, Y and Z": the actors coordinated with actors[last].
std::vector<const ActorMention*> Coordinated(std::string_view text,
                                             const Candidates& candidates,
                                             size_t last) {
  std::vector<const ActorMention*> group{candidates[last]};
  for (size_t k = last; k > 0; --k) {
    const ActorMention* prev = candidates[k - 1];
    const ActorMention* cur = candidates[k];
    if (prev->range.end > cur->range.begin) break;
    std::string_view gap = text.substr(prev->range.end, cur->range.begin - prev->range.end);
    if (gap == " and " || gap == ", " || gap == ", and " || gap == " and the " || gap == ", and the " ||
        gap == " and  ") {
      group.insert(group.begin(), prev);
    } else {
      break;
    }
  }
  return group;
}

// Whether a recipient phrase may end at `i` of `w`: the terminator group of
// the pattern in FindRecipientAfter.
bool RecipientEndsAt(std::string_view w, size_t i) {
  const std::string_view r = w.substr(i);
  if (r.empty()) return true;                                         // $
  // Every other end starts with one of these: most positions fail here.
  if (r[0] != '.' && r[0] != ',' && r[0] != ';' && r[0] != ' ') return false;
  if (r == ".") return true;                                          // \.$
  if (StartsWith(r, ", ") || StartsWith(r, "; ")) return true;        // ", " "; "
  if (r.size() >= 3 && r[0] == '.' && r[1] == ' ' && IsAsciiUpper(static_cast<unsigned char>(r[2]))) return true;
  if (StartsWith(r, " and ") && r.size() > 5 && IsAsciiUpper(static_cast<unsigned char>(r[5]))) {
    // " and [A-Z][^ ]*'s"
    for (size_t j = 6; j < r.size() && r[j] != ' '; ++j) {
      if (r[j] == '\'' && j + 1 < r.size() && r[j + 1] == 's') return true;
    }
  }
  if (StartsWith(r, " to ")) {
    // " to [a-z]+ ": the whole run of lowercase letters, then a space.
    size_t k = 4;
    while (k < r.size() && IsAsciiLower(static_cast<unsigned char>(r[k]))) ++k;
    if (k > 4 && k < r.size() && r[k] == ' ') return true;
  }
  return false;
}

// The lazy group ([^,;:()]{3,160}?) from `t` of well-formed UTF-8 `w`, up
// to the first end that RecipientEndsAt accepts; false when there is none.
bool RecipientFrom(std::string_view w, size_t t, size_t* end) {
  size_t i = t;
  for (int chars = 0;; ++chars) {
    if (chars >= 3 && RecipientEndsAt(w, i)) {
      *end = i;
      return true;
    }
    if (chars == 160 || i >= w.size()) return false;
    const unsigned char c = static_cast<unsigned char>(w[i]);
    if (c == ',' || c == ';' || c == ':' || c == '(' || c == ')') return false;
    i += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;  // one character
  }
}

std::string FindRecipientAfter(std::string_view text, size_t from, size_t limit) {
  std::string_view window = text.substr(from, limit - from);
  // The pattern starts with " to " or " for ".
  if (!StartsWith(window, " to ") && !StartsWith(window, " for ")) return "";
  std::string recipient;
  // The pattern by hand (its counted lazy group made RE2 slow here), in its
  // order of preference: with "the " skipped first, then with it kept.
  // Text that is not well-formed UTF-8 is left to the pattern.
  if (!IsWellFormedUtf8(window)) {
    // Compiled only if needed: the counted group makes it costly to build.
    static const RE2 re(R"(^ (?:to|for) (?:the )?([^,;:()]{3,160}?)(?: and [A-Z][^ ]*'s| to [a-z]+ |, |; |\. [A-Z]|\.$|$))");
    if (!RE2::PartialMatch(window, re, &recipient)) return "";
  } else {
    const size_t p = StartsWith(window, " to ") ? 4 : 5;
    size_t t = p + 4, end = 0;
    bool found = StartsWith(window.substr(p), "the ") && RecipientFrom(window, t, &end);
    if (!found) {
      t = p;
      found = RecipientFrom(window, t, &end);
    }
    if (!found) return "";
    recipient = std::string(window.substr(t, end - t));
  }
  {
    // Keep it short: a recipient, not the rest of the sentence.
    if (std::count(recipient.begin(), recipient.end(), ' ') <= 15) return recipient;
  }
  return "";
}

// "administered by the", "allocated through the" right before a name.
const RE2& AgentBefore() {
  static const RE2 re(
      R"((?i)\b(?:(?:administered|funded|provided|awarded|managed|financed|supported|made available|disbursed|allocated|distributed|channell?ed) by|(?:administered|allocated|distributed|channell?ed|disbursed) through)(?: the)? (?:[A-Z][\w.'-]* ){0,6}$)");
  return re;
}

// The phrases of AgentBefore's pattern ("VERB by", "VERB through").
constexpr std::string_view kAgentPhrases[] = {
    "administered by", "funded by",         "provided by",      "awarded by",          "managed by",
    "financed by",     "supported by",      "made available by", "disbursed by",       "allocated by",
    "distributed by",  "channeled by",      "channelled by",    "administered through", "allocated through",
    "distributed through", "channeled through", "channelled through", "disbursed through"};

// The phrases of FindAdministeringAgent's pattern.
constexpr std::string_view kAdministeringPhrases[] = {
    "administered by", "allocated by", "distributed by", "channeled by", "channelled by", "managed by",
    "disbursed by", "administered through", "allocated through", "distributed through", "channeled through",
    "channelled through", "managed through", "disbursed through"};

// PartialMatch(window, R"((?i)\b(?:PHRASE|…)(?: the)? (?:[A-Z][\w.'-]* ){0,6}$)")
// by hand, the agent patterns, whose counted tail made RE2 slow (a DFA
// rebuilt per call): the phrase, " the" or not, a space, then up to six
// words, each an ASCII letter ((?i) makes [A-Z] any case) then [\w.'-]*,
// each followed by a space, end the window. Words are stripped from the end
// one at a time, and the phrase tested after each (see WordsEndingWindow).
// nullopt for a window with U+017F or U+212A, which (?i) folds into ASCII
// letters: the pattern decides.
template <size_t N>
std::optional<bool> EndsWithAgentPhrase(std::string_view window, const std::string_view (&phrases)[N]) {
  static constexpr std::string_view kThe[] = {"the"};
  std::string_view head = window;
  for (int words = 0;; ++words) {
    const std::optional<std::string_view> phrase = WordsEndingWindow(head, phrases, N, kThe, 1, 1);
    if (!phrase) return std::nullopt;
    if (!phrase->empty()) return true;
    if (words == 6 || head.empty() || head.back() != ' ') return false;
    // Strip the last word: [A-Za-z][\w.'-]* after a space (or the window
    // start, where no phrase can come before it).
    size_t b = head.size() - 1;
    auto word_byte = [](char c) { return IsRe2WordByte(c) || c == '.' || c == '\'' || c == '-'; };
    while (b > 0 && word_byte(head[b - 1])) --b;
    if (b == head.size() - 1 || !IsAsciiAlpha(static_cast<unsigned char>(head[b])) || b == 0 || head[b - 1] != ' ') {
      return false;
    }
    head = head.substr(0, b);
  }
}

// "the U.S. Commerce Department's Economic Development Administration":
// the body owned, not its owner.
const ActorMention* OwnedBody(std::string_view text, const ActorMention* a, const std::vector<ActorMention>& actors) {
  for (const ActorMention& b : actors) {
    if (b.kind == ActorKind::kOrganization && b.range.begin == a->range.end + 3 &&
        text.substr(a->range.end, 3) == "'s ") {
      return &b;
    }
  }
  return a;
}

// Whether `s` holds "by " or "through " in any case (the agent pattern
// needs one of them). Sixteen positions at a time: only a "b" before a "y"
// or a "t" before an "h" (any case) is looked at.
bool MayNameAnAgent(std::string_view s) {
  if (s.size() < 3) return false;
  auto by_or_through = [&](size_t i) {
    const char c = static_cast<char>(s[i] | 0x20);
    if (c == 'b') return (s[i + 1] | 0x20) == 'y' && s[i + 2] == ' ';
    if (c != 't' || i + 8 > s.size()) return false;
    for (size_t k = 1; k < 7; ++k) {
      if ((s[i + k] | 0x20) != "through"[k]) return false;
    }
    return s[i + 7] == ' ';
  };
  auto block = [](const char* p) {
    const Bytes16 l0 = Load16(p) | 0x20, l1 = Load16(p + 1) | 0x20;
    return BitMask(((l0 == 'b') & (l1 == 'y')) | ((l0 == 't') & (l1 == 'h')));
  };
  const size_t end = s.size() - 2;  // the positions a "by " fits after
  return ScanCandidates(s.data(), 0, end, block, by_or_through, by_or_through) < end;
}

// Whether `s` holds "19dd" or "20dd" twice (the period pattern needs two
// years; they cannot overlap). Sixteen positions at a time: only a "19" or
// "20" is looked at.
bool HasTwoYears(std::string_view s) {
  if (s.size() < 4) return false;
  auto century = [&](size_t i) { return IsCenturyAt(s.data() + i); };
  auto block = [](const char* p) { return BitMask(CenturyStarts(p)); };
  int years = 0;
  size_t free_from = 0;  // where a year may start that does not overlap the last one
  auto year = [&](size_t i) {
    if (i < free_from || !century(i) || !IsAsciiDigit(static_cast<unsigned char>(s[i + 2])) ||
        !IsAsciiDigit(static_cast<unsigned char>(s[i + 3]))) {
      return false;
    }
    free_from = i + 4;
    return ++years == 2;
  };
  const size_t end = s.size() - 3;  // the positions a year fits after
  return ScanCandidates(s.data(), 0, end, block, century, year) < end;
}

// The patterns EndsWithPreposition stands for, compiled only if text needs
// them: their counted prefixes make them costly to build.
const RE2& SourceBefore() {
  static const RE2 re(R"((?i)^[^,;.]{0,40}?\b(?:from|by|through|via)(?: the)? $)");
  return re;
}
const RE2& InLawBefore() {
  static const RE2 re(R"((?i)^[^,;.]{0,80}?\b(?:in|under|from|through|by)(?: the)? $)");
  return re;
}

// FullMatch(gap, re()) for re() = (?i)^[^,;.]{0,max_chars}?\b(?:WORDS)(?: the)? $
// (WORDS lowercase ASCII letters without "s" or "k"), by hand: the counted
// prefix made RE2 slow. The gap ends with one of the words and a space, or
// with one of them and " the ", the word at a word boundary after at most
// `max_chars` characters none of which is ",", ";" or ".". Text that is not
// well-formed UTF-8 is left to the pattern.
bool EndsWithPreposition(std::string_view gap, size_t max_chars, std::initializer_list<std::string_view> words,
                         const RE2& (*re)()) {
  if (gap.empty() || gap.back() != ' ' || HasAnyOf<',', ';', '.'>(gap)) return false;
  if (!IsWellFormedUtf8(gap)) return RE2::FullMatch(gap, re());
  auto ends_with_word = [&](std::string_view head) {  // head ends with a word of the list
    for (std::string_view w : words) {
      if (head.size() < w.size()) continue;
      const size_t b = head.size() - w.size();
      if (!EqualsAsciiNoCase(head.substr(b), w) || (b > 0 && IsRe2WordByte(head[b - 1]))) continue;
      size_t chars = 0;
      for (size_t k = 0; k < b; ++k) chars += (static_cast<unsigned char>(head[k]) & 0xC0) != 0x80;
      if (chars <= max_chars) return true;
    }
    return false;
  };
  const std::string_view head = gap.substr(0, gap.size() - 1);  // without the final space
  if (ends_with_word(head)) return true;
  if (head.size() >= 4 && head[head.size() - 4] == ' ' && EqualsAsciiNoCase(head.substr(head.size() - 3), "the")) {
    return ends_with_word(head.substr(0, head.size() - 4));
  }
  return false;
}

// The words of the spending-verb pattern (SpendsVerbWithin).
constexpr StemWord kSpendsWords[] = {
    {"us", "e|es|ed|ing"},       {"leverag", "e|es|ed|ing"},   {"invest", "|s|ed|ing"},  {"commit", "|s|ted|ting"},
    {"award", "|s|ed|ing"},      {"provid", "e|es|ed|ing"},    {"spen", "d|ds|t|ding"},  {"budget", "|s|ed|ing"},
    {"allocat", "e|es|ed|ing"},  {"dedicat", "e|es|ed|ing"},   {"pledg", "e|es|ed|ing"}, {"contribut", "e|es|ed|ing"},
    {"grant", "|s|ed|ing"},      {"fund", "|s|ed|ing"},        {"announc", "e|es|ed|ing"},
};

// Whether the leftmost match of spends_verb in `gap` starts within its first
// `max` bytes: whether a word of the list starts there (see WordList).
bool SpendsVerbWithin(std::string_view gap, size_t max) {
  if (HasFoldedLetter(gap)) {
    static const RE2 spends_verb(WordListPattern(kSpendsWords, false));
    re2::StringPiece verb;
    return spends_verb.Match(re2::StringPiece(gap.data(), gap.size()), 0, gap.size(), RE2::UNANCHORED, &verb, 1) &&
           static_cast<size_t>(verb.data() - gap.data()) <= max;
  }
  static const WordList words(kSpendsWords);
  const size_t starts_end = std::min(gap.size(), max + 1);
  auto at = [&](size_t k) { return IsAsciiWordStartAt(gap.data(), k); };
  return ScanCandidates(gap.data(), 0, starts_end, AsciiWordStarts, at,
                        [&](size_t k) { return words.EndAt(gap, k, gap.size()) != 0; }) < starts_end;
}

// Whether the clause text `before` an actor leaves it opening the clause:
// PartialMatch(before, R"((?:^[\s•*-]*|, )(?:[Tt]he )?(?:(?:State|City|
// Commonwealth|County|Town|Government|Province) of )?$)"), or with
// after_comma false FullMatch(before, R"([\s•*-]*(?:[Tt]he )?(?:(?:State|
// …|Province) of )?)"). By hand: the patterns are case-sensitive literals,
// so `before` is tried without each optional suffix that it ends with.
bool OpensClause(std::string_view before, bool after_comma) {
  // ^[\s•*-]*: RE2's \s is [\t\n\f\r ].
  auto bullets_only = [](std::string_view r) {
    for (size_t i = 0; i < r.size();) {
      const char c = r[i];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == '*' || c == '-') {
        ++i;
      } else if (r.substr(i, 3) == "\xE2\x80\xA2") {  // •
        i += 3;
      } else {
        return false;
      }
    }
    return true;
  };
  auto opens = [&](std::string_view r) { return bullets_only(r) || (after_comma && EndsWith(r, ", ")); };
  auto opens_after_the = [&](std::string_view r) {  // (?:[Tt]he )? then `opens`
    if (opens(r)) return true;
    return (EndsWith(r, "The ") || EndsWith(r, "the ")) && opens(r.substr(0, r.size() - 4));
  };
  if (opens_after_the(before)) return true;
  for (std::string_view place : {"State", "City", "Commonwealth", "County", "Town", "Government", "Province"}) {
    const size_t n = place.size() + 4;  // "<place> of "
    if (before.size() >= n && EndsWith(before, " of ") && before.substr(before.size() - n, place.size()) == place) {
      return opens_after_the(before.substr(0, before.size() - n));
    }
  }
  return false;
}

}  // namespace

const ActorMention* FindAdministeringAgent(std::string_view text, TextRange sentence,
                                           const std::vector<ActorMention>& actors) {
  for (const ActorMention& a : actors) {
    if (a.kind != ActorKind::kOrganization || a.range.begin < sentence.begin) continue;
    size_t from = a.range.begin > sentence.begin + 80 ? a.range.begin - 80 : sentence.begin;
    // The pattern ends with a space and needs "by " or "through ".
    const std::string_view window = text.substr(from, a.range.begin - from);
    if (window.empty() || window.back() != ' ' || !MayNameAnAgent(window)) continue;
    if (const std::optional<bool> agent = EndsWithAgentPhrase(window, kAdministeringPhrases)) {
      if (*agent) return OwnedBody(text, &a, actors);
      continue;
    }
    // Built only for windows the hand matcher leaves to it (rare).
    static const RE2 administering(
        R"((?i)\b(?:administered|allocated|distributed|channell?ed|managed|disbursed) (?:by|through)(?: the)? (?:[A-Z][\w.'-]* ){0,6}$)");
    if (RE2::PartialMatch(window, administering)) return OwnedBody(text, &a, actors);
  }
  return nullptr;
}

std::vector<FundingContext> ResolveFundingContext(std::string_view text, TextRange sentence,
                                                  const std::vector<MoneyDraft>& amounts,
                                                  const std::vector<ActorMention>& actors) {
  std::vector<FundingContext> out(amounts.size());
  if (amounts.empty()) return out;
  Candidates candidates;
  for (const auto& a : actors) {
    if (IsFunderCandidate(a)) candidates.push_back(&a);
  }
  // Tests on one candidate that do not depend on the amount, computed once
  // per sentence (0 unknown, 1 false, 2 true).
  absl::InlinedVector<char, 16> agent_cache(candidates.size(), 0), preposition_cache(candidates.size(), 0);
  auto cached = [](char& slot, auto compute) {
    if (slot == 0) slot = compute() ? 2 : 1;
    return slot == 2;
  };
  // Words inside names are not cues: the "Plan" of "American Rescue Plan",
  // the "Fund" of "Capital Projects Fund".
  std::vector<Cue> cues = FindCues(text, sentence);
  cues.erase(std::remove_if(cues.begin(), cues.end(),
                            [&](const Cue& c) {
                              return std::any_of(actors.begin(), actors.end(), [&](const ActorMention& a) {
                                return a.kind == ActorKind::kOrganization && c.range.begin >= a.range.begin &&
                                       c.range.end <= a.range.end;
                              });
                            }),
             cues.end());
  // "…, funded by President Biden's American Rescue Plan and administered
  // by the Economic Development Administration (EDA)": the body that
  // administers or funds, further along the sentence.
  static const RE2 period_re(
      R"((?i)\b(?:between|from|in|during|over|for)? ?(?:FY ?)?((?:19|20)\d\d) ?(?:-|to|through|and) ?(?:FY ?)?((?:19|20)\d\d)\b)");

  for (size_t n = 0; n < amounts.size(); ++n) {
    const MoneyDraft& money = amounts[n];
    FundingContext& ctx = out[n];
    size_t floor = n == 0 ? sentence.begin : amounts[n - 1].range.end;
    floor = std::max(floor, sentence.begin);
    const size_t clause = ClauseStart(text, floor, money.range.begin);
    const size_t next_money = n + 1 < amounts.size() ? amounts[n + 1].range.begin : sentence.end;

    // The governing cue: the leftmost one in the clause before the amount
    // ("committing to invest" is a commitment), else the first after it.
    const Cue* cue = nullptr;
    for (const Cue& c : cues) {
      if (c.range.begin >= clause && c.range.end <= money.range.begin) {
        cue = &c;
        break;
      }
    }
    if (cue == nullptr) {
      for (const Cue& c : cues) {
        if (c.range.begin >= money.range.end && c.range.end <= next_money) {
          cue = &c;
          break;
        }
      }
    }
    if (cue) {
      ctx.stage = cue->stage;
      if (ctx.stage == pledgebook::v1::FUNDING_STAGE_UNSPECIFIED) {
        // invest/provide/fund: later cues in the clause may be more precise.
        for (const Cue& c : cues) {
          if (c.range.begin > cue->range.begin && c.range.end <= money.range.begin &&
              c.stage != pledgebook::v1::FUNDING_STAGE_UNSPECIFIED) {
            ctx.stage = c.stage;
            break;
          }
        }
      }
    }

    // 0. The subject that opens the clause and governs a funding or
    // spending verb before the amount: "the Biden Administration is
    // investing $1.7 billion from the American Rescue Plan" (the plan is the
    // source, the administration the funder), "The State of Vermont has
    // committed $150 million", "Yavapai County, Arizona is using $20 million".
    {
      // The gap must be (?i)^[^;:()]{0,80}?\b(VERB)\b[^;:()]*$, tested below as
      // no ";:()" and a VERB starting within 80 bytes.
      const ActorMention* subject = nullptr;
      for (const ActorMention& a : actors) {
        if (a.range.begin < clause || a.range.end > money.range.begin) continue;
        if (a.kind == ActorKind::kCountry && a.place == nullptr) continue;
        std::string_view before = text.substr(clause, a.range.begin - clause);
        std::string_view gap = text.substr(a.range.end, money.range.begin - a.range.end);
        if (gap.size() > 120) continue;
        // Cheap test before the expressions: the subject opens the clause or
        // follows a comma.
        if (before.size() > 40 && !EndsWith(before, ", ") && !EndsWith(before, ", the ") &&
            !EndsWith(before, ", The ") && !EndsWith(before, " of ")) {
          continue;
        }
        if (!OpensClause(before, /*after_comma=*/true)) continue;
        // A place after a comma is mostly a location ("its Bowie, Maryland
        // facility"); a place is a subject only where the sentence starts.
        if (a.kind == ActorKind::kPlace && !OpensClause(before, /*after_comma=*/false)) continue;
        // FullMatch(gap, spends) without the counted prefix, which made the
        // DFA large enough to be rebuilt on every call: every byte of the gap
        // is outside ";:()" (the verbs hold none), and the leftmost verb
        // starts within the first 80 bytes.
        if (HasAnyOf<';', ':', '(', ')'>(gap)) continue;
        if (!SpendsVerbWithin(gap, 80)) continue;
        // The nearest such subject; a state after its county or city ("Boone
        // County, Kentucky") qualifies it and is not a subject of its own.
        if (subject != nullptr && a.kind != ActorKind::kOrganization &&
            text.substr(subject->range.end, a.range.begin - subject->range.end) == ", ") {
          continue;
        }
        subject = &a;
      }
      if (subject != nullptr) {
        // Only actors that are not places coordinate ("the United States and Canada").
        if (subject->kind == ActorKind::kPlace) {
          ctx.funders.push_back(subject);
        } else {
          for (size_t k = 0; k < candidates.size(); ++k) {
            if (candidates[k] != subject) continue;
            // The subject opens its group ("EPA and CONAGUA will invest a
            // combined …"): take the group up to its last member before the
            // amount, then Coordinated collects it back to the subject.
            size_t last = k;
            while (last + 1 < candidates.size() && candidates[last + 1]->range.end <= money.range.begin &&
                   Coordinated(text, candidates, last + 1).size() > last + 1 - k) {
              ++last;
            }
            for (const ActorMention* a : Coordinated(text, candidates, last)) {
              if (a->range.begin >= subject->range.begin) ctx.funders.push_back(a);
            }
          }
          if (ctx.funders.empty()) ctx.funders.push_back(subject);
        }
      }
    }

    // 0. A donor list: "Japan ($1.08 billion)", "Germany (€1.3 billion)".
    if (ctx.funders.empty() && money.range.begin >= 2 && text.substr(money.range.begin - 2, 2) == " (") {
      for (const ActorMention* a : candidates) {
        if (a->range.end + 2 == money.range.begin) ctx.funders.push_back(a);
      }
    }

    // 1. An explicit source after the amount: "$5 million from USAID".
    for (size_t k = 0; k < candidates.size() && ctx.funders.empty(); ++k) {
      const ActorMention* a = candidates[k];
      if (a->range.begin < money.range.end || a->range.begin >= next_money) continue;
      std::string_view gap = text.substr(money.range.end, a->range.begin - money.range.end);
      // The pattern ends with a space and has no ",;." anywhere.
      if (EndsWithPreposition(gap, 40, {"from", "by", "through", "via"}, SourceBefore)) {
        ctx.funders.push_back(a);
        // "from X and Y"
        size_t m = k + 1;
        while (m < candidates.size() && candidates[m]->range.begin < next_money) {
          std::string_view g = text.substr(candidates[m - 1]->range.end,
                                           candidates[m]->range.begin - candidates[m - 1]->range.end);
          if (g != " and " && g != ", " && g != ", and ") break;
          ctx.funders.push_back(candidates[m]);
          ++m;
        }
      }
      break;
    }

    // 1b. An agent named later in the sentence ("administered by the EDA").
    if (ctx.funders.empty()) {
      for (size_t k = 0; k < candidates.size(); ++k) {
        const ActorMention* a = candidates[k];
        if (a->kind != ActorKind::kOrganization || a->range.begin < sentence.begin) continue;
        size_t from = a->range.begin > sentence.begin + 80 ? a->range.begin - 80 : sentence.begin;
        if (cached(agent_cache[k], [&] {
              const std::string_view window = text.substr(from, a->range.begin - from);
              if (!MayNameAnAgent(window)) return false;
              if (const std::optional<bool> agent = EndsWithAgentPhrase(window, kAgentPhrases)) return *agent;
              return RE2::PartialMatch(window, AgentBefore());
            })) {
          ctx.funders.push_back(OwnedBody(text, a, actors));
          break;
        }
      }
    }

    // 2. The subject of the governing cue: the nearest actor before it.
    const size_t verb_at = cue && cue->range.end <= money.range.begin ? cue->range.begin : money.range.begin;
    if (ctx.funders.empty()) {
      for (size_t k = candidates.size(); k > 0; --k) {
        const ActorMention* a = candidates[k - 1];
        if (a->range.end <= verb_at && a->range.begin >= sentence.begin &&
            !cached(preposition_cache[k - 1], [&] { return AfterPreposition(text, *a, sentence.begin); })) {
          // Skip an actor that sits between a previous amount and this one
          // only as the object of "for"/"to" (it is that amount's recipient).
          ctx.funders = Coordinated(text, candidates, k - 1);
          break;
        }
      }
    }

    // 3. No subject: a law the amount is in or under funds it ("$65 billion
    // investment in high-speed Internet access in the Bipartisan
    // Infrastructure Law", "drawing on $7.5 billion in the U.S. Bipartisan
    // Infrastructure Law").
    if (ctx.funders.empty()) {
      static const RE2 law_name(R"(\b(?:Act|Law|Deal|Bill|Plan)\b)");
      for (const ActorMention* a : candidates) {
        if (a->range.begin < money.range.end || a->range.begin >= next_money) continue;
        const std::string_view gap = text.substr(money.range.end, a->range.begin - money.range.end);
        if (a->kind == ActorKind::kOrganization && !gap.empty() && gap.back() == ' ' &&
            !HasAnyOf<',', ';', '.'>(gap) && RE2::PartialMatch(a->name, law_name) &&
            EndsWithPreposition(gap, 80, {"in", "under", "from", "through", "by"}, InLawBefore)) {
          ctx.funders.push_back(a);
        }
        break;
      }
    }

    // Recipient: an actor between the verb and the amount ("awarded FUMEC
    // $38,000"), else a "to"/"for" phrase after the amount.
    if (cue && cue->range.end <= money.range.begin) {
      for (const ActorMention* a : candidates) {
        if (a->range.begin >= cue->range.end && a->range.end <= money.range.begin) {
          std::string_view between = text.substr(a->range.end, money.range.begin - a->range.end);
          if (between.size() <= 3) ctx.recipient = std::string(a->range.In(text));
        }
      }
    }
    if (ctx.recipient.empty()) {
      ctx.recipient = FindRecipientAfter(text, money.range.end, next_money);
    }

    // A stated period after the amount: "between 2022-2024".
    int y1 = 0, y2 = 0;
    std::string_view after = text.substr(money.range.end, next_money - money.range.end);
    if (HasTwoYears(after) && RE2::PartialMatch(after, period_re, &y1, &y2) && y1 <= y2) {
      ctx.period_start_year = y1;
      ctx.period_end_year = y2;
    }
  }
  return out;
}

}  // namespace pledgebook::parser
