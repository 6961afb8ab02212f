#include "money.h"

#include <utility>

#include "absl/container/flat_hash_map.h"
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

// symbol + number [- number] + scale + optional suffix currency.
const RE2& SymbolAmount() {
  static const RE2 re(absl::StrCat(kPrefix, kNumber, R"((?: ?(?:-|to) ?(?:)", kPrefix, ")?",
                                   kNumber, ")?", kScale, kSuffix));
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

int ScaleExponent(std::string_view scale) {
  std::string s = ToLower(scale);
  if (s == "thousand" || s == "k") return 3;
  if (s == "million" || s == "m" || s == "mm" || s == "mn") return 6;
  if (s == "billion" || s == "b" || s == "bn") return 9;
  if (s == "trillion") return 12;
  return 0;
}

std::string CurrencyFromPrefix(std::string_view p) {
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

// Qualifier words directly before the amount, allowing a few filler words
// ("a combined", "an additional", "more than a historic").
AmountQualifier QualifierBefore(std::string_view text, size_t begin, size_t floor) {
  static const RE2 re(
      R"((?i)\b(at least|no less than|not less than|more than|over|in excess of|upwards of|)"
      R"(up to|as much as|nearly|almost|close to|approximately|about|around|roughly|some|)"
      R"(an estimated|estimated|combined|an additional|additional|a further|another|)"
      R"(less than|under|between) (?:(?:a|an|the|of|total|historic|new|record|estimated|)"
      R"(additional|nearly|approximately|roughly|almost) ){0,2}$)");
  size_t from = begin > floor + 48 ? begin - 48 : floor;
  std::string_view window = text.substr(from, begin - from);
  std::string word;
  if (!RE2::PartialMatch(window, re, &word)) return pledgebook::v1::AMOUNT_QUALIFIER_UNSPECIFIED;
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

RatePeriod RateAfter(std::string_view text, size_t end, size_t limit) {
  static const RE2 re(
      R"((?i)^(?: ?/ ?| per | a | each | every | an? )(year|annum|month|week|day)\b|)"
      R"(^ (annually|yearly|monthly|weekly|daily)\b)");
  std::string_view window = text.substr(end, std::min<size_t>(limit - end, 24));
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

// Tries the three patterns at the earliest position and returns the match.
bool NextMatch(std::string_view text, size_t pos, size_t end, Candidate* out, size_t* match_end,
               std::string* rejected) {
  re2::StringPiece input(text.data(), end);
  struct Hit { size_t begin = std::string_view::npos; int which = -1; };
  Hit best;
  re2::StringPiece sym[7], word[4], spelled[4];
  if (SymbolAmount().Match(input, pos, end, RE2::UNANCHORED, sym, 7)) {
    best = {static_cast<size_t>(sym[0].data() - text.data()), 0};
  }
  if (WordAmount().Match(input, pos, end, RE2::UNANCHORED, word, 4)) {
    size_t b = static_cast<size_t>(word[0].data() - text.data());
    if (b < best.begin) best = {b, 1};
  }
  if (SpelledAmount().Match(input, pos, end, RE2::UNANCHORED, spelled, 4)) {
    size_t b = static_cast<size_t>(spelled[0].data() - text.data());
    if (b < best.begin) best = {b, 2};
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
      out->ok = ParseDecimalAmount(std::to_string(numbers->at(count)), exp, &d.amount);
    }
  }
  if (!out->ok) *rejected = std::string(d.range.In(text));
  *match_end = d.range.end;
  return true;
}

// Cheap test first: most sentences state no money at all, and one DFA pass
// over them is much faster than the three capturing patterns.
bool MayStateMoney(std::string_view text, TextRange range) {
  static const RE2 re(
      R"([$€£¥₹]|(?i:dollar|peso|euro|pound|yen|yuan|rupee)|USD|EUR|GBP|CAD|AUD|MXN|JPY|CHF|NZD|INR|HKD|SGD|BRL)");
  return RE2::PartialMatch(range.In(text), re);
}

}  // namespace

MoneyScan FindMoney(std::string_view text, TextRange range) {
  MoneyScan scan;
  if (!MayStateMoney(text, range)) return scan;
  size_t pos = range.begin;
  while (pos < range.end) {
    Candidate c;
    size_t match_end = 0;
    std::string rejected;
    if (!NextMatch(text, pos, range.end, &c, &match_end, &rejected)) break;
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
