#include "money.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <optional>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "byte_scan.h"
#include "text_util.h"
#include "absl/strings/str_cat.h"
#include "re2/re2.h"

namespace pledgebook::parser {
namespace {

using pledgebook::v1::AmountQualifier;
using pledgebook::v1::RatePeriod;

// Currency written before the number. Longer forms first so "US$" wins over "$".
constexpr char kPrefix[] =
    R"((US ?\$|U\.S\. ?\$|USD ?\$?|C\$|CA\$|Can\$|CAD ?\$?|A\$|AU\$|AUD ?\$?|NZ\$|NZD ?\$?|)"
    R"(MX\$|Mex\$|MXN ?\$?|HK\$|HKD ?\$?|S\$|SGD ?\$?|R\$|BRL ?|EUR ?|GBP ?|JPY ?|CHF ?|INR ?|)"
    R"(€|£|¥|₹|\$) ?)";
constexpr char kNumber[] = R"((\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?))";
// Scale word or abbreviation; \b after abbreviations keeps "$5 Main Street" out.
// Scale words may be glued to the next word by a typo ("$65 millionto").
constexpr char kScale[] =
    R"((?: ?((?i:thousand|million|billion|trillion)|(?:bn|mn|MM|[KkMB])\b))?)";
// Currency written after the number.
constexpr char kSuffix[] =
    R"((?: ((?:U\.S\. |US |American |Canadian |Australian |New Zealand |Mexican |Hong Kong |Singapore )?)"
    R"(dollars|Canadian|Australian|pesos|euros?|pounds(?: sterling)?|yen|yuan|rupees|)"
    R"(USD|EUR|GBP|CAD|AUD|MXN|JPY|CHF|NZD|INR)\b)?)";

// symbol + number [- number] + scale, before the suffix currency.
std::string SymbolAmountHead() {
  return absl::StrCat(kPrefix, kNumber, R"((?: ?(?:-|to) ?(?:)", kPrefix, ")?", kNumber, ")?", kScale);
}

// symbol + number [- number] + scale + optional suffix currency.
const RE2& SymbolAmount() {
  static const RE2 re(SymbolAmountHead() + kSuffix);
  return re;
}

// SymbolAmount's groups, read from one of its matches (anchored at both
// ends): the suffix group is whatever follows the head after a space. The
// match is SymbolAmount's preferred parse from its start; the suffix being
// optional, its head is the head's preferred parse, and the rest is empty or
// " " and the suffix. Reading the groups with this pattern is much faster:
// RE2 uses its BitState engine only for programs of at most 512
// instructions, and SymbolAmount's 180 suffix instructions take it past.
const RE2& SymbolAmountGroups() {
  static const RE2 re(SymbolAmountHead() + R"((?: (.+))?)");
  return re;
}

// number + scale + currency word, without a symbol: "500 million pesos".
const RE2& WordAmount() {
  static const RE2 re(absl::StrCat(
      kNumber, kScale,
      R"( ((?:U\.S\. |US |Canadian |Australian |Mexican )?(?:dollars|pesos|euros|pounds(?: sterling)?|yen|yuan|rupees)|)"
      R"(USD|EUR|GBP|CAD|AUD|MXN|JPY|CHF|NZD|INR)\b)"));
  return re;
}

// Spelled-out amounts: "half a billion dollars", "one million dollars".
const RE2& SpelledAmount() {
  static const RE2 re(
      R"((?i)\b(half an?|a half|an?|one|two|three|four|five|six|seven|eight|nine|ten|twenty|fifty|)"
      R"(one hundred|a hundred) (thousand|million|billion|trillion) (dollars|euros|pounds|pesos)\b)");
  return re;
}

// Compared in place rather than on a lowercased copy: no string per amount.
int ScaleExponent(std::string_view s) {
  auto is = [&](std::string_view lower) { return EqualsAsciiNoCase(s, lower); };
  if (is("thousand") || is("k")) return 3;
  if (is("million") || is("m") || is("mm") || is("mn")) return 6;
  if (is("billion") || is("b") || is("bn")) return 9;
  if (is("trillion")) return 12;
  return 0;
}

std::string CurrencyFromPrefix(std::string_view p) {
  if (p == "$") return "USD";  // the commonest prefix, without a lookup
  std::string s(StripWhitespace(p));
  static const auto* map = new absl::flat_hash_map<std::string, std::string>{
      {"$", "USD"},    {"US$", "USD"},  {"US $", "USD"}, {"U.S.$", "USD"}, {"U.S. $", "USD"},
      {"USD", "USD"},  {"USD$", "USD"}, {"USD $", "USD"}, {"C$", "CAD"},  {"CA$", "CAD"},
      {"Can$", "CAD"}, {"CAD", "CAD"},  {"CAD$", "CAD"}, {"CAD $", "CAD"}, {"A$", "AUD"},
      {"AU$", "AUD"},  {"AUD", "AUD"},  {"AUD$", "AUD"}, {"AUD $", "AUD"}, {"NZ$", "NZD"},
      {"NZD", "NZD"},  {"NZD$", "NZD"}, {"NZD $", "NZD"}, {"MX$", "MXN"}, {"Mex$", "MXN"},
      {"MXN", "MXN"},  {"MXN$", "MXN"}, {"MXN $", "MXN"}, {"HK$", "HKD"}, {"HKD", "HKD"},
      {"HKD$", "HKD"}, {"HKD $", "HKD"}, {"S$", "SGD"},  {"SGD", "SGD"},  {"R$", "BRL"},
      {"BRL", "BRL"},  {"EUR", "EUR"},  {"GBP", "GBP"},  {"JPY", "JPY"},  {"CHF", "CHF"},
      {"INR", "INR"},  {"€", "EUR"},    {"£", "GBP"},    {"¥", "JPY"},    {"₹", "INR"}};
  auto it = map->find(s);
  return it == map->end() ? "USD" : it->second;
}

// A currency word after the number overrides a bare "$" ("$1.21 billion
// Canadian" is CAD); returns "" when the word says nothing new.
std::string CurrencyFromSuffix(std::string_view w) {
  if (w.empty()) return "";  // most amounts have no currency word after them
  std::string s = ToLower(w);
  auto has = [&](std::string_view needle) { return s.find(needle) != std::string::npos; };
  if (has("canadian") || s == "cad") return "CAD";
  if (has("australian") || s == "aud") return "AUD";
  if (has("new zealand") || s == "nzd") return "NZD";
  if (has("hong kong")) return "HKD";
  if (has("singapore")) return "SGD";
  if (has("mexican") || has("peso") || s == "mxn") return "MXN";
  if (has("euro") || s == "eur") return "EUR";
  if (has("pound") || s == "gbp") return "GBP";
  if (has("yen") || s == "jpy") return "JPY";
  if (has("yuan")) return "CNY";
  if (has("rupee") || s == "inr") return "INR";
  if (s == "chf") return "CHF";
  if (has("dollar") || s == "usd") return "USD";
  return "";
}

// The qualifier words and the filler words of QualifierBefore's pattern,
// in its order.
constexpr std::string_view kQualifierWords[] = {
    "at least", "no less than", "not less than", "more than", "over", "in excess of", "upwards of", "up to",
    "as much as", "nearly", "almost", "close to", "approximately", "about", "around", "roughly", "some",
    "an estimated", "estimated", "combined", "an additional", "additional", "a further", "another", "less than",
    "under", "between"};
constexpr std::string_view kQualifierFillers[] = {"a",      "an",     "the",    "of",        "total",
                                                  "historic", "new",  "record", "estimated", "additional",
                                                  "nearly", "approximately", "roughly", "almost"};

// Whether `s` ends with `lower` (ASCII lowercase letters and spaces) with
// letters in any ASCII case.
bool EndsWithNoCase(std::string_view s, std::string_view lower) {
  return s.size() >= lower.size() && AsciiNoCaseAt(s, s.size() - lower.size(), lower);
}

}  // namespace

std::optional<std::string_view> WordsEndingWindow(std::string_view w, const std::string_view* words, size_t n_words,
                                                  const std::string_view* fillers, size_t n_fillers,
                                                  int max_fillers) {
  if (HasFoldedLetter(w)) return std::nullopt;
  if (w.empty() || w.back() != ' ') return std::string_view();
  // The match ends the window: a word, a space, and the fillers each
  // followed by a space. `head` ends where the word or the last filler ends.
  std::string_view head = w.substr(0, w.size() - 1);
  std::string_view best;
  size_t best_start = std::string_view::npos, best_index = 0;
  for (int stripped = 0;; ++stripped) {
    // The words and fillers end with a letter: most fail at the last byte.
    const char last = head.empty() ? '\0' : static_cast<char>(head.back() | 0x20);
    for (size_t k = 0; k < n_words; ++k) {
      if (words[k].back() != last || !EndsWithNoCase(head, words[k])) continue;
      const size_t start = head.size() - words[k].size();
      if (start > 0 && IsRe2WordByte(head[start - 1])) continue;  // \b before it
      // The leftmost start wins; at one start, the word first in the pattern.
      if (start < best_start || (start == best_start && k < best_index)) {
        best_start = start, best_index = k, best = head.substr(start);
      }
    }
    if (stripped == max_fillers) break;
    // Strip one filler, " FILLER", from the end: the text before the last
    // space is the only filler that can end there.
    bool found = false;
    for (size_t f = 0; f < n_fillers && !found; ++f) {
      const size_t n = fillers[f].size();
      if (fillers[f].back() == last && head.size() > n && head[head.size() - n - 1] == ' ' &&
          EndsWithNoCase(head, fillers[f])) {
        head = head.substr(0, head.size() - n - 1);
        found = true;
      }
    }
    if (!found) break;
  }
  return best;
}

namespace {

// Qualifier words directly before the amount, allowing a few filler words
// ("a combined", "an additional", "more than a historic").
AmountQualifier QualifierBefore(std::string_view text, size_t begin, size_t floor) {
  size_t from = begin > floor + 48 ? begin - 48 : floor;
  std::string_view window = text.substr(from, begin - from);
  std::string word;
  if (const std::optional<std::string_view> q =
          WordsEndingWindow(window, kQualifierWords, std::size(kQualifierWords), kQualifierFillers,
                            std::size(kQualifierFillers), 2)) {
    if (q->empty()) return pledgebook::v1::AMOUNT_QUALIFIER_UNSPECIFIED;
    word = *q;
  } else {
    // Built only for such windows (rare): its construction is costly.
    static const RE2 re(
        R"((?i)\b(at least|no less than|not less than|more than|over|in excess of|upwards of|)"
        R"(up to|as much as|nearly|almost|close to|approximately|about|around|roughly|some|)"
        R"(an estimated|estimated|combined|an additional|additional|a further|another|)"
        R"(less than|under|between) (?:(?:a|an|the|of|total|historic|new|record|estimated|)"
        R"(additional|nearly|approximately|roughly|almost) ){0,2}$)");
    if (!RE2::PartialMatch(window, re, &word)) return pledgebook::v1::AMOUNT_QUALIFIER_UNSPECIFIED;
  }
  word = ToLower(word);
  if (word == "at least" || word == "no less than" || word == "not less than")
    return pledgebook::v1::AMOUNT_QUALIFIER_AT_LEAST;
  if (word == "more than" || word == "over" || word == "in excess of" || word == "upwards of")
    return pledgebook::v1::AMOUNT_QUALIFIER_MORE_THAN;
  if (word == "up to" || word == "as much as") return pledgebook::v1::AMOUNT_QUALIFIER_UP_TO;
  if (word == "nearly" || word == "almost" || word == "close to")
    return pledgebook::v1::AMOUNT_QUALIFIER_NEARLY;
  if (word == "combined") return pledgebook::v1::AMOUNT_QUALIFIER_COMBINED;
  if (word == "an additional" || word == "additional" || word == "a further" || word == "another")
    return pledgebook::v1::AMOUNT_QUALIFIER_ADDITIONAL;
  if (word == "less than" || word == "under") return pledgebook::v1::AMOUNT_QUALIFIER_LESS_THAN;
  if (word == "between") return pledgebook::v1::AMOUNT_QUALIFIER_RANGE;
  return pledgebook::v1::AMOUNT_QUALIFIER_APPROXIMATELY;
}

// RateAfter's pattern by hand, for a window without U+212A (the Kelvin
// sign, which (?i) folds into the "k" of "week"; no other non-ASCII letter
// folds into its letters): the first prefix in the pattern's order after
// which a unit and \b follow, else " " and an adverb and \b.
RatePeriod RateAt(std::string_view w) {
  using pledgebook::v1::RATE_PERIOD_DAY, pledgebook::v1::RATE_PERIOD_MONTH, pledgebook::v1::RATE_PERIOD_WEEK,
      pledgebook::v1::RATE_PERIOD_YEAR;
  auto at = [&](size_t k, std::string_view lower) { return AsciiNoCaseAt(w, k, lower); };
  struct Word {
    std::string_view lower;
    RatePeriod period;
  };
  auto word_at = [&](size_t k, std::initializer_list<Word> words) {
    for (const Word& x : words) {
      if (at(k, x.lower) && (k + x.lower.size() == w.size() || !IsRe2WordByte(w[k + x.lower.size()]))) {
        return x.period;
      }
    }
    return pledgebook::v1::RATE_PERIOD_UNSPECIFIED;
  };
  auto unit_at = [&](size_t k) {
    return word_at(k, {{"year", RATE_PERIOD_YEAR}, {"annum", RATE_PERIOD_YEAR}, {"month", RATE_PERIOD_MONTH},
                       {"week", RATE_PERIOD_WEEK}, {"day", RATE_PERIOD_DAY}});
  };
  // " ?/ ?": the spaces are greedy, and a unit never starts with a space.
  if (const size_t slash = at(0, " /") ? 1 : 0; slash < w.size() && w[slash] == '/') {
    const size_t k = slash + 1;
    if (const RatePeriod p = unit_at(k < w.size() && w[k] == ' ' ? k + 1 : k)) return p;
  }
  for (std::string_view prefix : {" per ", " a ", " each ", " every ", " an ", " a "}) {
    if (!at(0, prefix)) continue;
    if (const RatePeriod p = unit_at(prefix.size())) return p;
  }
  if (w.empty() || w[0] != ' ') return pledgebook::v1::RATE_PERIOD_UNSPECIFIED;
  return word_at(1, {{"annually", RATE_PERIOD_YEAR}, {"yearly", RATE_PERIOD_YEAR}, {"monthly", RATE_PERIOD_MONTH},
                     {"weekly", RATE_PERIOD_WEEK}, {"daily", RATE_PERIOD_DAY}});
}

RatePeriod RateAfter(std::string_view text, size_t end, size_t limit) {
  std::string_view window = text.substr(end, std::min<size_t>(limit - end, 24));
  // Every alternative starts with a slash, or a space then a slash or the
  // first letter of per, a, an, each, every, annually, yearly, monthly,
  // weekly or daily (in any case: (?i) folds no non-ASCII letter into these).
  if (window.empty() || (window[0] != ' ' && window[0] != '/')) return pledgebook::v1::RATE_PERIOD_UNSPECIFIED;
  if (window[0] == ' ') {
    const char second = window.size() > 1 ? static_cast<char>(window[1] | 0x20) : '\0';
    if (second != '/' && second != 'p' && second != 'a' && second != 'e' && second != 'y' && second != 'm' &&
        second != 'w' && second != 'd') {
      return pledgebook::v1::RATE_PERIOD_UNSPECIFIED;
    }
  }
  if (window.find("\xE2\x84\xAA") == std::string_view::npos) return RateAt(window);
  static const RE2 re(
      R"((?i)^(?: ?/ ?| per | a | each | every | an? )(year|annum|month|week|day)\b|)"
      R"(^ (annually|yearly|monthly|weekly|daily)\b)");
  std::string unit, adverb;
  if (!RE2::PartialMatch(window, re, &unit, &adverb)) return pledgebook::v1::RATE_PERIOD_UNSPECIFIED;
  std::string w = ToLower(unit.empty() ? adverb : unit);
  if (w == "year" || w == "annum" || w == "annually" || w == "yearly") return pledgebook::v1::RATE_PERIOD_YEAR;
  if (w == "month" || w == "monthly") return pledgebook::v1::RATE_PERIOD_MONTH;
  if (w == "week" || w == "weekly") return pledgebook::v1::RATE_PERIOD_WEEK;
  return pledgebook::v1::RATE_PERIOD_DAY;
}

std::string_view Piece(const re2::StringPiece& p) { return {p.data(), p.size()}; }

struct Candidate {
  MoneyDraft draft;
  bool ok = true;
};

// Where each of the three patterns can match in a sentence, from one cheap
// pass (see MayStateMoney()): the positions, in order, of the signs, codes
// and currency words one of which every match holds.
using Marks = absl::InlinedVector<size_t, 4>;
struct PossiblePatterns {
  Marks symbol;   // SymbolAmount: a currency sign or code, at most kSymbolLead bytes into the match
  Marks word;     // WordAmount: a currency word or code
  Marks spelled;  // SpelledAmount: a currency word in any case
  bool any() const { return !symbol.empty() || !word.empty() || !spelled.empty(); }
};

// The furthest a SymbolAmount match holds its sign or code from its start:
// the "$" of "U.S. $".
constexpr size_t kSymbolLead = 5;

// The last match of each pattern in a sentence. A pattern's leftmost match
// from `pos` is also its leftmost match from any later position up to its
// start (RE2 reads \b and ^ from the whole text, not from the start
// position), so each pattern is searched again only once the scan has
// moved past its match, and never again once it found none.
struct MatchCache {
  PossiblePatterns possible;
  re2::StringPiece sym[7], word[4], spelled[4];
  size_t sym_begin = 0, word_begin = 0, spelled_begin = 0;  // npos: no more matches
  bool sym_valid = false, word_valid = false, spelled_valid = false;
};

// SymbolAmount's groups for its commonest matches, "$" digits [scale word],
// read without a pattern: "$" then a digit can only be the prefix "\$"; the
// run of digits, commas and dots is the number (nothing after a number
// starts with one of them); " million" (any ASCII case) can only be the
// scale: no range, no suffix. False for any other match (the pattern reads
// those), e.g. "$5M" or a scale word with U+017F in it.
bool DollarAmountGroups(const re2::StringPiece& match, re2::StringPiece groups[7]) {
  const char* p = match.data();
  const size_t n = match.size();
  auto numeric = [&](size_t k) { return IsAsciiDigit(static_cast<unsigned char>(p[k])) || p[k] == ',' || p[k] == '.'; };
  if (n < 2 || p[0] != '$' || !IsAsciiDigit(static_cast<unsigned char>(p[1]))) return false;
  size_t i = 2;
  while (i < n && numeric(i)) ++i;
  re2::StringPiece scale;
  if (i < n) {
    if (p[i] != ' ') return false;
    const std::string_view word(p + i + 1, n - i - 1);
    bool is_scale = false;
    for (std::string_view w : {"thousand", "million", "billion", "trillion"}) {
      is_scale = is_scale || EqualsAsciiNoCase(word, w);
    }
    if (!is_scale) return false;
    scale = re2::StringPiece(word.data(), word.size());
  }
  groups[0] = match;
  groups[1] = re2::StringPiece(p, 1);
  groups[2] = re2::StringPiece(p + 1, i - 1);
  groups[3] = groups[4] = groups[6] = re2::StringPiece();
  groups[5] = scale;
  return true;
}

// Whether `lower` (ASCII lowercase letters) is at t[i] in any ASCII case,
// within `end`; `*folded` tells a mismatch at a non-ASCII byte, which (?i)
// might fold into the letter.
bool WordNoCaseAt(const char* t, size_t i, size_t end, std::string_view lower, bool* folded) {
  for (size_t k = 0; k < lower.size(); ++k) {
    if (i + k >= end) return false;
    if ((t[i + k] | 0x20) != lower[k]) {
      *folded = *folded || static_cast<unsigned char>(t[i + k]) >= 0x80;
      return false;
    }
  }
  return true;
}

// kScale's group at t[q] (the space before it already read): the end of the
// scale, q when there is none, or npos when the pattern must decide (a
// non-ASCII byte (?i) might fold into "thousand").
size_t ScaleEnd(const char* t, size_t q, size_t end) {
  bool folded = false;
  for (std::string_view w : {"thousand", "million", "billion", "trillion"}) {
    if (WordNoCaseAt(t, q, end, w, &folded)) return q + w.size();
  }
  if (folded) return std::string_view::npos;
  // (?:bn|mn|MM|[KkMB])\b, case-sensitive, in the pattern's order.
  auto boundary = [&](size_t k) { return k == end || !IsRe2WordByte(t[k]); };
  for (std::string_view a : {"bn", "mn", "MM", "K", "k", "M", "B"}) {
    if (end - q >= a.size() && std::memcmp(t + q, a.data(), a.size()) == 0 && boundary(q + a.size())) {
      return q + a.size();
    }
  }
  return q;
}

// Whether SymbolAmount's range group, (?: ?(?:-|to) ?(?:PREFIX)?NUMBER),
// may match at t[n]: a space or not, "-" or "to", a space or not, then a
// digit or a byte a prefix starts with (a superset: "$5 toward" is no
// range, "$5 to $7" may be one).
bool MayStartRange(const char* t, size_t n, size_t end) {
  size_t x = n < end && t[n] == ' ' ? n + 1 : n;
  if (x < end && t[x] == '-') {
    ++x;
  } else if (end - x >= 2 && t[x] == 't' && t[x + 1] == 'o') {
    x += 2;
  } else {
    return false;
  }
  auto may_follow = [&](size_t y) {
    if (y >= end) return false;
    const unsigned char c = static_cast<unsigned char>(t[y]);
    return IsAsciiDigit(c) || c >= 0x80 || std::string_view("$UCANMHSRBEGJI").find(t[y]) != std::string_view::npos;
  };
  return may_follow(x) || (x < end && t[x] == ' ' && may_follow(x + 1));
}

// Whether SymbolAmount's suffix currency group (after its space) matches
// at t[q]: one of its words, case-sensitive, then \b.
bool SuffixCurrencyAt(const char* t, size_t q, size_t end) {
  static constexpr std::string_view kWords[] = {
      "U.S. dollars", "US dollars", "American dollars", "Canadian dollars", "Australian dollars",
      "New Zealand dollars", "Mexican dollars", "Hong Kong dollars", "Singapore dollars", "dollars", "Canadian",
      "Australian", "pesos", "euros", "euro", "pounds sterling", "pounds", "yen", "yuan", "rupees",
      "USD", "EUR", "GBP", "CAD", "AUD", "MXN", "JPY", "CHF", "NZD", "INR"};
  // The bytes the words start with: most text after an amount fails here.
  if (q >= end || std::string_view("UACNMHSdpeyrEGJI").find(t[q]) == std::string_view::npos) return false;
  for (std::string_view w : kWords) {
    if (end - q >= w.size() && std::memcmp(t + q, w.data(), w.size()) == 0 &&
        (q + w.size() == end || !IsRe2WordByte(t[q + w.size()]))) {
      return true;
    }
  }
  return false;
}

// SymbolAmount's leftmost match at or after `pos`, with its groups, when the
// first mark there (`mark`) is a "$" that starts it: the commonest amount,
// "$" [" "] number [" "scale], read without the pattern. False when the
// pattern must decide: a longer prefix may end at the "$" ("US$", "C$",
// "U.S. $"; every prefix holds a mark, and one that starts before `mark`
// can only hold this one), no number follows, or a range or a suffix
// currency may follow.
bool DollarMatch(std::string_view text, size_t pos, size_t mark, size_t end, re2::StringPiece groups[7]) {
  const char* t = text.data();
  if (t[mark] != '$') return false;
  if (mark > pos) {  // the prefixes' lead-ins end with a letter, "." or "US "/"U.S. "
    const char b = t[mark - 1];
    if (IsAsciiAlpha(static_cast<unsigned char>(b)) || b == '.') return false;
    if (b == ' ' && mark - 1 > pos && (t[mark - 2] == 'S' || t[mark - 2] == '.')) return false;
  }
  auto digit = [&](size_t k) { return k < end && IsAsciiDigit(static_cast<unsigned char>(t[k])); };
  size_t i = mark + 1;
  if (i < end && t[i] == ' ') ++i;  // "$ 5"
  if (!digit(i)) return false;
  const size_t number_end = DecimalNumberEnd(t, i, end);
  size_t n = number_end;
  if (MayStartRange(t, n, end)) return false;
  const size_t scale_at = n < end && t[n] == ' ' ? n + 1 : n;
  const size_t scale_end = ScaleEnd(t, scale_at, end);
  if (scale_end == std::string_view::npos) return false;
  if (scale_end > scale_at) n = scale_end;
  if (n < end && t[n] == ' ' && SuffixCurrencyAt(t, n + 1, end)) return false;
  groups[0] = re2::StringPiece(t + mark, n - mark);
  groups[1] = re2::StringPiece(t + mark, 1);
  groups[2] = re2::StringPiece(t + i, number_end - i);
  groups[3] = groups[4] = groups[6] = re2::StringPiece();
  groups[5] = scale_end > scale_at ? re2::StringPiece(t + scale_at, scale_end - scale_at) : re2::StringPiece();
  return true;
}

// Leftmost match of `re` at or after `pos`, reusing the cached one. Every
// match holds one of `marks`, at most `lead` bytes after its start (npos:
// anywhere): with no mark left there is no match, and none starts before
// the next mark's position minus `lead`. With `groups_re`, the match alone
// is found with `re` and its groups are read with `groups_re` (see
// SymbolAmountGroups()).
size_t CachedMatch(const RE2& re, const RE2* groups_re, std::string_view text, size_t pos, size_t end,
                   const Marks& marks, size_t lead, re2::StringPiece* groups, int n, size_t* begin, bool* valid) {
  if (*valid && (*begin == std::string_view::npos || *begin >= pos)) return *begin;
  *valid = true;
  *begin = std::string_view::npos;
  auto mark = std::lower_bound(marks.begin(), marks.end(), pos);
  if (groups_re != nullptr) {
    // A code glued to a letter ("USDA", "USDOT") starts no prefix ("USD"
    // needs a space, "$" or a digit after it), and a prefix holds a code
    // only at its start: no match starts at it or before it (from `pos`),
    // so the search goes on from the next mark.
    while (mark != marks.end() && *mark + 3 < end && IsAsciiUpper(static_cast<unsigned char>(text[*mark])) &&
           IsAsciiAlpha(static_cast<unsigned char>(text[*mark + 3]))) {
      pos = *mark + 1;
      ++mark;
    }
  }
  if (mark == marks.end()) return *begin;
  if (groups_re != nullptr && DollarMatch(text, pos, *mark, end, groups)) return *begin = *mark;
  const size_t from = lead != std::string_view::npos && *mark > pos + lead ? *mark - lead : pos;
  re2::StringPiece input(text.data(), end);
  if (!re.Match(input, from, end, RE2::UNANCHORED, groups, groups_re != nullptr ? 1 : n)) return *begin;
  *begin = static_cast<size_t>(groups[0].data() - text.data());
  if (groups_re != nullptr && !DollarAmountGroups(groups[0], groups)) {
    const size_t match_end = *begin + groups[0].size();
    if (!groups_re->Match(input, *begin, match_end, RE2::ANCHOR_BOTH, groups, n)) {
      re.Match(input, *begin, match_end, RE2::ANCHOR_BOTH, groups, n);  // not expected; the slow way
    }
  }
  return *begin;
}

// Tries the three patterns at the earliest position and returns the match.
bool NextMatch(std::string_view text, size_t pos, size_t end, MatchCache* cache, Candidate* out,
               size_t* match_end, std::string* rejected) {
  struct Hit { size_t begin = std::string_view::npos; int which = -1; };
  Hit best;
  re2::StringPiece* sym = cache->sym;
  re2::StringPiece* word = cache->word;
  re2::StringPiece* spelled = cache->spelled;
  if (size_t b = CachedMatch(SymbolAmount(), &SymbolAmountGroups(), text, pos, end, cache->possible.symbol, kSymbolLead, sym, 7,
                             &cache->sym_begin, &cache->sym_valid);
      b != std::string_view::npos) {
    best = {b, 0};
  }
  if (size_t b = CachedMatch(WordAmount(), nullptr, text, pos, end, cache->possible.word, std::string_view::npos, word, 4,
                             &cache->word_begin, &cache->word_valid);
      b != std::string_view::npos && b < best.begin) {
    best = {b, 1};
  }
  if (size_t b = CachedMatch(SpelledAmount(), nullptr, text, pos, end, cache->possible.spelled, std::string_view::npos,
                             spelled, 4,
                             &cache->spelled_begin, &cache->spelled_valid);
      b != std::string_view::npos && b < best.begin) {
    best = {b, 2};
  }
  if (best.which < 0) return false;

  MoneyDraft& d = out->draft;
  out->ok = true;
  if (best.which == 0) {
    // sym: 1 prefix, 2 number, 3 range prefix, 4 range number, 5 scale, 6 suffix
    d.range = {best.begin, best.begin + sym[0].size()};
    const int exp = ScaleExponent(Piece(sym[5]));
    d.currency_code = CurrencyFromPrefix(Piece(sym[1]));
    std::string from_suffix = CurrencyFromSuffix(Piece(sym[6]));
    if (!from_suffix.empty() && (d.currency_code == "USD" || Piece(sym[1]).empty())) {
      d.currency_code = from_suffix;
    }
    out->ok = ParseDecimalAmount(Piece(sym[2]), exp, &d.amount);
    if (!sym[4].empty()) {
      d.has_high = true;
      out->ok = out->ok && ParseDecimalAmount(Piece(sym[4]), exp, &d.high);
      d.qualifier = pledgebook::v1::AMOUNT_QUALIFIER_RANGE;
    }
  } else if (best.which == 1) {
    d.range = {best.begin, best.begin + word[0].size()};
    d.currency_code = CurrencyFromSuffix(Piece(word[3]));
    out->ok = ParseDecimalAmount(Piece(word[1]), ScaleExponent(Piece(word[2])), &d.amount);
  } else {
    d.range = {best.begin, best.begin + spelled[0].size()};
    d.currency_code = CurrencyFromSuffix(Piece(spelled[3]));
    std::string count = ToLower(Piece(spelled[1]));
    static const auto* numbers = new absl::flat_hash_map<std::string, int>{
        {"a", 1}, {"an", 1}, {"one", 1}, {"two", 2}, {"three", 3}, {"four", 4}, {"five", 5},
        {"six", 6}, {"seven", 7}, {"eight", 8}, {"nine", 9}, {"ten", 10}, {"twenty", 20},
        {"fifty", 50}, {"one hundred", 100}, {"a hundred", 100}};
    const int exp = ScaleExponent(Piece(spelled[2]));
    if (count.rfind("half", 0) == 0 || count == "a half") {
      out->ok = ParseDecimalAmount("0.5", exp, &d.amount);
    } else {
      // (?i) also matches "ſix" (long s): look the count up folded; what
      // still is not one is skipped (at() would throw on hostile input).
      auto number = numbers->find(ToLowerFolded(Piece(spelled[1])));
      out->ok = number != numbers->end() &&
                ParseDecimalAmount(std::to_string(number->second), exp, &d.amount);
    }
  }
  if (!out->ok) *rejected = std::string(d.range.In(text));
  *match_end = d.range.end;
  return true;
}

// Byte classes for MayStateMoney: the first byte of a currency sign, stem or
// code, and the second byte each needs, so that most bytes cost one load.
enum : uint8_t {
  kNextO = 1,       // d(o)llar, p(o)und
  kNextE = 2,       // p(e)so, y(e)n
  kNextU = 4,       // e(u)ro, y(u)an, r(u)pee
  kNextUpper = 8,   // a code: three capitals
  kSignLead = 16,   // $, or the lead byte of € ₹ £ ¥ (or of U+017F)
};

struct MoneyBytes {
  uint8_t first[256] = {};
  uint8_t second[256] = {};
  constexpr MoneyBytes() {
    for (char c : {'d', 'D'}) first[static_cast<uint8_t>(c)] |= kNextO;
    for (char c : {'p', 'P'}) first[static_cast<uint8_t>(c)] |= kNextO | kNextE;
    for (char c : {'y', 'Y'}) first[static_cast<uint8_t>(c)] |= kNextE | kNextU;
    for (char c : {'e', 'E', 'r', 'R'}) first[static_cast<uint8_t>(c)] |= kNextU;
    for (char c : {'U', 'E', 'G', 'C', 'A', 'M', 'J', 'N', 'I', 'H', 'S', 'B'}) {
      first[static_cast<uint8_t>(c)] |= kNextUpper;
    }
    for (uint8_t c : {uint8_t{'$'}, uint8_t{0xE2}, uint8_t{0xC2}, uint8_t{0xC5}}) first[c] |= kSignLead;
    second[static_cast<uint8_t>('o')] = second[static_cast<uint8_t>('O')] = kNextO;
    second[static_cast<uint8_t>('e')] = kNextE;
    second[static_cast<uint8_t>('E')] = kNextE | kNextUpper;
    second[static_cast<uint8_t>('u')] = kNextU;
    second[static_cast<uint8_t>('U')] = kNextU | kNextUpper;
    second[static_cast<uint8_t>('O')] |= kNextUpper;
    for (char c = 'A'; c <= 'Z'; ++c) second[static_cast<uint8_t>(c)] |= kNextUpper;
  }
};
constexpr MoneyBytes kMoneyBytes;

// What starts at a position: a currency sign, a code, a currency word
// (stem).
enum : uint8_t { kMarkSign = 1, kMarkCode = 2, kMarkStem = 4 };

// What starts at s[i] (kMark* bits).
uint8_t MoneyMarkAt(std::string_view s, size_t i) {
  const size_t n = s.size();
  // The byte at k with ASCII letters lowercased (other bytes never become
  // letters this way), or NUL past the end.
  auto lw = [&](size_t k) -> char { return k < n ? static_cast<char>(s[k] | 0x20) : '\0'; };
  auto byte = [&](size_t k) -> unsigned char { return k < n ? static_cast<unsigned char>(s[k]) : 0; };
  const unsigned char c = static_cast<unsigned char>(s[i]);
  const uint8_t cls = kMoneyBytes.first[c];
  if (cls == 0) return 0;
  if (cls & kSignLead) {
    bool sign = false, stem = false;
    if (c == '$') {
      sign = true;
    } else if (c == 0xE2) {  // € U+20AC, ₹ U+20B9
      sign = byte(i + 1) == 0x82 && (byte(i + 2) == 0xAC || byte(i + 2) == 0xB9);
    } else if (c == 0xC2) {  // £ U+00A3, ¥ U+00A5
      sign = byte(i + 1) == 0xA3 || byte(i + 1) == 0xA5;
    } else {  // 0xC5: U+017F long s, which (?i) folds with "s"
      stem = byte(i + 1) == 0xBF;  // let the patterns decide
    }
    return (sign ? kMarkSign : 0) | (stem ? kMarkStem : 0);
  }
  if ((kMoneyBytes.second[byte(i + 1)] & cls) == 0) return 0;
  bool stem = false;
  switch (c | 0x20) {
    case 'd':  // dollar
      stem = lw(i + 1) == 'o' && lw(i + 2) == 'l' && lw(i + 3) == 'l' && lw(i + 4) == 'a' && lw(i + 5) == 'r';
      break;
    case 'p':  // peso, pound
      stem = (lw(i + 1) == 'e' && lw(i + 2) == 's' && lw(i + 3) == 'o') ||
             (lw(i + 1) == 'o' && lw(i + 2) == 'u' && lw(i + 3) == 'n' && lw(i + 4) == 'd');
      break;
    case 'e':  // euro
      stem = lw(i + 1) == 'u' && lw(i + 2) == 'r' && lw(i + 3) == 'o';
      break;
    case 'y':  // yen, yuan
      stem = (lw(i + 1) == 'e' && lw(i + 2) == 'n') || (lw(i + 1) == 'u' && lw(i + 2) == 'a' && lw(i + 3) == 'n');
      break;
    case 'r':  // rupee
      stem = lw(i + 1) == 'u' && lw(i + 2) == 'p' && lw(i + 3) == 'e' && lw(i + 4) == 'e';
      break;
    default:
      break;
  }
  bool code = false;
  if (IsAsciiUpper(c) && IsAsciiUpper(byte(i + 1)) && IsAsciiUpper(byte(i + 2))) {
    static constexpr std::string_view kCodes[] = {"USD", "EUR", "GBP", "CAD", "AUD", "MXN", "JPY",
                                                  "CHF", "NZD", "INR", "HKD", "SGD", "BRL"};
    const std::string_view three = s.substr(i, 3);
    for (std::string_view k : kCodes) code = code || three == k;
  }
  return (stem ? kMarkStem : 0) | (code ? kMarkCode : 0);
}

// The positions among the 16 at p where MoneyMarkAt may find something (a
// superset): a sign's lead byte, the first two letters of a stem in any
// case, or two capitals. Reads p[0] to p[16].
uint32_t MaybeMoneyStarts(const char* p) {
  const Bytes16 b0 = Load16(p), b1 = Load16(p + 1);
  const Bytes16 l0 = b0 | 0x20, l1 = b1 | 0x20;  // ASCII letters lowercased
  const Bool16 stem = ((l1 == 'o') & ((l0 == 'd') | (l0 == 'p'))) | ((l1 == 'e') & ((l0 == 'p') | (l0 == 'y'))) |
                      ((l1 == 'u') & ((l0 == 'e') | (l0 == 'y') | (l0 == 'r')));
  const Bool16 sign = (b0 == '$') | (b0 == 0xE2) | (b0 == 0xC2) | (b0 == 0xC5);
  const Bool16 code = InRange(b0, 'A', 'Z') & InRange(b1, 'A', 'Z');
  return BitMask(stem | sign | code);
}

// Cheap test first: most sentences state no money at all, and one pass
// over their bytes is much cheaper than the three capturing patterns. The
// test is the old `[$€£¥₹]|(?i:dollar|peso|euro|pound|yen|yuan|rupee)|USD|
// EUR|GBP|CAD|AUD|MXN|JPY|CHF|NZD|INR|HKD|SGD|BRL` written out by hand, and
// it also tells which patterns cannot match: SymbolAmount needs a sign or a
// code (every prefix holds one), WordAmount a currency word or a code, and
// SpelledAmount a currency word; where they are tells where each pattern
// can match. Blocks of 16 bytes are tested at once; only their candidate
// positions are looked at one by one.
PossiblePatterns MayStateMoney(std::string_view text, TextRange range) {
  const std::string_view s = range.In(text);
  PossiblePatterns p;
  auto mark = [&](size_t i) {
    const uint8_t m = MoneyMarkAt(s, i);
    if (m == 0) return;
    const size_t at = range.begin + i;
    if (m & (kMarkSign | kMarkCode)) p.symbol.push_back(at);
    // WordAmount's and SpelledAmount's currency word follows a space, and
    // before it a number, a scale ("million" in any case, "K") or a country
    // ("US", "U.S.", "Canadian"), or for SpelledAmount a scale word (ending
    // in "d" or "n", any case): a mark after anything else ("the Euro…",
    // "compound") is in no match. A U+017F mark (inside a word) is kept.
    const char before = i >= 2 && s[i - 1] == ' ' ? s[i - 2] : '\0';
    const bool folded = s[i] == '\xC5';
    const bool after_amount = IsAsciiDigit(static_cast<unsigned char>(before)) ||
                              std::string_view(".SndNDMKkB").find(before) != std::string_view::npos;
    if ((m & (kMarkStem | kMarkCode)) && before != '\0' && after_amount) p.word.push_back(at);
    if ((m & kMarkStem) && (folded || (before != '\0' && ((before | 0x20) == 'd' || (before | 0x20) == 'n')))) {
      p.spelled.push_back(at);
    }
  };
  // Blocks may be read up to the end of the whole text (BlockScanEnd), so
  // that only its last bytes, not every sentence's, are looked at one at a
  // time; a candidate past the sentence ends the scan.
  auto at = [&](size_t k) { return kMoneyBytes.first[static_cast<unsigned char>(text[k])] != 0; };
  auto visit = [&](size_t k) {
    if (k >= range.end) return true;
    mark(k - range.begin);
    return false;
  };
  ScanCandidates(text.data(), range.begin, BlockScanEnd(range.begin, range.end, text.size()), MaybeMoneyStarts, at,
                 visit);
  return p;
}

}  // namespace

const MoneyScan& MoneyFinder::Find(std::string_view text, TextRange range) {
  static const MoneyScan kEmpty;
  auto [it, inserted] = memo_.try_emplace(std::pair<size_t, size_t>{range.begin, range.end}, nullptr);
  if (inserted) {
    MoneyScan scan = FindMoney(text, range);
    if (scan.amounts.empty() && scan.rejected.empty()) {
      it->second = &kEmpty;
    } else {
      it->second = &scans_.emplace_back(std::move(scan));
    }
  }
  return *it->second;
}

MoneyScan FindMoney(std::string_view text, TextRange range) {
  MoneyScan scan;
  MatchCache cache;
  cache.possible = MayStateMoney(text, range);
  if (!cache.possible.any()) return scan;
  size_t pos = range.begin;
  while (pos < range.end) {
    Candidate c;
    size_t match_end = 0;
    std::string rejected;
    if (!NextMatch(text, pos, range.end, &cache, &c, &match_end, &rejected)) break;
    pos = std::max(match_end, pos + 1);
    if (!c.ok) {
      scan.rejected.push_back(std::move(rejected));
      continue;
    }
    MoneyDraft& d = c.draft;
    if (d.qualifier == pledgebook::v1::AMOUNT_QUALIFIER_UNSPECIFIED) {
      d.qualifier = QualifierBefore(text, d.range.begin, range.begin);
    }
    d.rate = RateAfter(text, d.range.end, range.end);
    // "between $25 million and $65 million": one range.
    if (!scan.amounts.empty()) {
      MoneyDraft& prev = scan.amounts.back();
      std::string_view gap = text.substr(prev.range.end, d.range.begin - prev.range.end);
      if (prev.qualifier == pledgebook::v1::AMOUNT_QUALIFIER_RANGE && !prev.has_high &&
          (gap == " and " || gap == " to ") && prev.currency_code == d.currency_code) {
        prev.has_high = true;
        prev.high = d.amount;
        prev.range.end = d.range.end;
        continue;
      }
    }
    if (d.qualifier == pledgebook::v1::AMOUNT_QUALIFIER_RANGE && !d.has_high) {
      // "between" without a second amount is not a range after all.
      std::string_view rest = text.substr(d.range.end, range.end - d.range.end);
      if (rest.rfind(" and ", 0) != 0 && rest.rfind(" to ", 0) != 0) {
        d.qualifier = pledgebook::v1::AMOUNT_QUALIFIER_UNSPECIFIED;
      }
    }
    scan.amounts.push_back(std::move(d));
  }
  return scan;
}

}  // namespace pledgebook::parser
