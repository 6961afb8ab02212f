#include "money_roles.h"

#include <algorithm>
#include <initializer_list>
#include <optional>

#include "byte_scan.h"
#include "re2/re2.h"
#include "text_util.h"

namespace pledgebook::parser {
namespace {

namespace v1 = ::pledgebook::v1;

__int128 Nanos(const google::type::Money& m) {
  return static_cast<__int128>(m.units()) * 1'000'000'000 + m.nanos();
}

std::string_view Before(std::string_view text, const MoneyRef& r, size_t bytes) {
  size_t from = r.range.begin > r.sentence.begin + bytes ? r.range.begin - bytes : r.sentence.begin;
  return text.substr(from, r.range.begin - from);
}

std::string_view After(std::string_view text, const MoneyRef& r, size_t bytes) {
  size_t to = std::min(r.sentence.end, r.range.end + bytes);
  return text.substr(r.range.end, to - r.range.end);
}

// PartialMatch(s, near) for the `near` pattern of IsContext, by hand: a
// word start (a letter after no ASCII word byte; every alternative starts
// with a letter after \b) where one of its alternatives follows in any
// ASCII case, then \b. nullopt for text with U+017F or U+212A, which (?i)
// folds into the "s" and "k" of its words: the pattern decides.
std::optional<bool> HasContextWord(std::string_view s) {
  if (HasFoldedLetter(s)) return std::nullopt;
  // The alternative `lower` (ASCII lowercase letters and spaces) at i, then
  // an ASCII word boundary. Its first letter is the one the switch below
  // has matched.
  auto word_at = [&](size_t i, std::string_view lower) {
    return AsciiNoCaseAt(s, i + 1, lower.substr(1)) &&
           (i + lower.size() == s.size() || !IsRe2WordByte(s[i + lower.size()]));
  };
  auto any_at = [&](size_t i, std::initializer_list<std::string_view> words) {
    for (std::string_view w : words) {
      if (word_at(i, w)) return true;
    }
    return false;
  };
  // The pattern's alternatives by first letter, optional endings spelled out.
  auto context_word_at = [&](size_t i) {
    switch (s[i] | 0x20) {
      case 'a': return any_at(i, {"average annual"});
      case 'b': return any_at(i, {"bill", "bills"});
      case 'c': return any_at(i, {"cost of", "costs of", "cost to", "costs to"});
      case 'd': return any_at(i, {"damage", "damages", "debt", "deficit"});
      case 'e': return any_at(i, {"export", "exports", "economy"});
      case 'f': return any_at(i, {"fine", "fines"});
      case 'g': return any_at(i, {"gdp", "goods and services"});
      case 'i': return any_at(i, {"import", "imports", "income"});
      case 'l': return any_at(i, {"losses"});
      case 'm': return any_at(i, {"market"});
      case 'p': return any_at(i, {"price", "prices", "penalty", "penalties"});
      case 'r': return any_at(i, {"revenue", "revenues"});
      case 's':
        return any_at(i, {"sales", "savings", "save", "saved", "salary", "salaries", "spent on", "spend on"});
      case 't': return any_at(i, {"trade", "trading"});
      case 'v': return any_at(i, {"valued at"});
      case 'w': return any_at(i, {"worth", "wage", "wages"});
      default: return false;
    }
  };
  auto word_start = [&](size_t i) { return IsAsciiWordStartAt(s.data(), i); };
  return ScanCandidates(s.data(), 0, s.size(), AsciiWordStarts, word_start, context_word_at) < s.size();
}

// PartialMatch(s, funding) for the `funding` pattern of IsContext,
// (?i)\b(invest\w*|provid\w*|...)\b[^.;]{0,30}$, by hand (its counted tail
// made RE2 slow): a whole ASCII word starting with a verb stem, followed to
// the end by at most 30 characters none of which is "." or ";". Text with
// U+017F (which (?i) folds into the "s" of "invest") or that is not
// well-formed UTF-8 is left to the pattern.
bool EndsWithFundingVerb(std::string_view s) {
  if (s.find('\xC5') != std::string_view::npos || !IsWellFormedUtf8(s)) {
    // Built only for such text (rare).
    static const RE2 funding(
        R"((?i)\b(invest\w*|provid\w*|award\w*|fund\w*|commit\w*|allocat\w*|grant\w*|dedicat\w*|announc\w*|pledg\w*)\b[^.;]{0,30}$)");
    return RE2::PartialMatch(s, funding);
  }
  const size_t stop = s.find_last_of(".;");
  const size_t from = stop == std::string_view::npos ? 0 : stop + 1;
  // Characters from each position to the end, counted from the end.
  size_t chars_after = 0;  // characters in s[i, end)
  size_t i = s.size();
  while (i > from) {
    // The ASCII word that ends at i, if any.
    size_t b = i;
    while (b > from && IsRe2WordByte(s[b - 1])) --b;
    if (b < i) {
      // A word run [b, i): a whole word when nothing word-like precedes it
      // (b == from means s[b - 1] is "." or ";" or b is 0).
      if (b == 0 || !IsRe2WordByte(s[b - 1])) {
        if (chars_after > 30) return false;
        const std::string_view w = s.substr(b, i - b);
        auto stem = [&](std::string_view lower) {
          return w.size() >= lower.size() && EqualsAsciiNoCase(w.substr(0, lower.size()), lower);
        };
        if (stem("invest") || stem("provid") || stem("award") || stem("fund") || stem("commit") ||
            stem("allocat") || stem("grant") || stem("dedicat") || stem("announc") || stem("pledg")) {
          return true;
        }
      }
      chars_after += i - b;  // ASCII
      i = b;
      continue;
    }
    // One character (not a word byte) before i.
    --i;
    while (i > from && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) --i;
    ++chars_after;
  }
  return false;
}

bool IsContext(std::string_view text, const MoneyRef& r) {
  // Words that make an amount background rather than funding.
  const std::string_view before = Before(text, r, 60);
  const std::string_view after = After(text, r, 40);
  auto near_context = [&](std::string_view w) {
    if (const std::optional<bool> hand = HasContextWord(w)) return *hand;
    // Built only for the text HasContextWord leaves to it (rare).
    static const RE2 near(
        R"((?i)\b(damages?|cost of|costs? (?:of|to)|losses|market|trade|trading|exports?|imports?|GDP|economy|)"
        R"(revenues?|sales|worth|valued at|price|prices|savings|save|saved|salar(?:y|ies)|wages?|income|)"
        R"(goods and services|debt|deficit|fine|fines|penalt(?:y|ies)|bills?|spent on|spend on|average annual)\b)");
    return RE2::PartialMatch(w, near);
  };
  if (near_context(before) || near_context(after)) {
    // "…invests $8 billion to reduce the cost of…": a funding verb right
    // before the amount keeps it funding.
    if (!EndsWithFundingVerb(before)) return true;
  }
  // A per-person or per-household rate: a benefit level, not a sum of money.
  const v1::MoneyMention& m = *r.mention;
  return m.rate() != v1::RATE_PERIOD_UNSPECIFIED && m.amount().units() < 100'000;
}

bool SaysTotal(std::string_view text, const MoneyRef& r) {
  static const RE2 before(R"((?i)\b(a total of|totall?ing|in total|bringing (?:the|its|our) (?:total|commitment) to|total(?:s)? of|raised|combined total of)\s+(?:\w+\s+){0,2}$)");
  static const RE2 after(R"((?i)^\s*(in total|in all|altogether|overall)\b)");
  // Necessary for `before`: "total", "raised" or "bringing"; for `after`: an
  // i, a or o after the leading white space.
  const std::string_view b = Before(text, r, 48);
  if ((ContainsAsciiNoCase(b, "total") || ContainsAsciiNoCase(b, "rai") || ContainsAsciiNoCase(b, "bringing")) &&
      RE2::PartialMatch(b, before)) {
    return true;
  }
  const std::string_view a = After(text, r, 16);
  size_t k = 0;
  while (k < a.size() && (a[k] == ' ' || a[k] == '\t' || a[k] == '\n' || a[k] == '\f' || a[k] == '\r')) ++k;
  if (k == a.size()) return false;
  const char c = static_cast<char>(a[k] | 0x20);
  return (c == 'i' || c == 'a' || c == 'o') && RE2::PartialMatch(a, after);
}

}  // namespace

void AssignMoneyRoles(std::string_view text, std::vector<MoneyRef>& money) {
  const size_t n = money.size();
  for (MoneyRef& r : money) {
    r.mention->set_role(v1::AMOUNT_ROLE_ITEM);
    r.mention->set_related_mention(-1);
  }
  // Currency pairs: "C$2 billion (US$1.5 billion)".
  for (size_t k = 1; k < n; ++k) {
    MoneyRef& a = money[k - 1];
    MoneyRef& b = money[k];
    std::string_view gap = a.range.end <= b.range.begin ? text.substr(a.range.end, b.range.begin - a.range.end) : "";
    if ((gap == " (" || gap == " (or " || gap == " (about " || gap == " (approximately ") &&
        a.mention->amount().currency_code() != b.mention->amount().currency_code()) {
      b.mention->set_role(v1::AMOUNT_ROLE_CURRENCY_EQUIVALENT);
      b.mention->set_related_mention(a.mention->index());
    }
  }
  for (MoneyRef& r : money) {
    if (r.mention->role() != v1::AMOUNT_ROLE_ITEM) continue;
    if (IsContext(text, r)) r.mention->set_role(v1::AMOUNT_ROLE_CONTEXT);
    else if (SaysTotal(text, r)) r.mention->set_role(v1::AMOUNT_ROLE_TOTAL);
  }
  // Each amount in nanos, read once for the quadratic loops below.
  std::vector<__int128> nanos(n);
  for (size_t k = 0; k < n; ++k) nanos[k] = Nanos(money[k].mention->amount());
  // Sums: a run of later amounts in the same section that adds up to an
  // amount (within 0.1%, for "initial $240 million" = $240,000,002).
  constexpr size_t kMaxRun = 400;
  for (size_t t = 0; t < n; ++t) {
    MoneyRef& total = money[t];
    const v1::AmountRole role = total.mention->role();
    if (role != v1::AMOUNT_ROLE_ITEM && role != v1::AMOUNT_ROLE_TOTAL) continue;
    const __int128 target = nanos[t];
    if (target < static_cast<__int128>(1'000'000) * 1'000'000'000) continue;  // ≥ 1 million
    const __int128 tolerance = target / 1000;
    for (size_t start = t + 1; start < std::min(n, t + 4); ++start) {
      __int128 sum = 0;
      size_t end = start;
      for (; end < n && end < start + kMaxRun; ++end) {
        const MoneyRef& c = money[end];
        if (c.mention->role() != v1::AMOUNT_ROLE_ITEM) continue;
        if (c.mention->amount().currency_code() != total.mention->amount().currency_code()) continue;
        // A body amount's parts sit in its own bullet or the bullets nested
        // under it; elsewhere a matching sum is a coincidence.
        if (!total.summary && c.initiative != total.initiative && c.parent != total.initiative) break;
        if (total.summary && c.section_index != total.section_index && total.section_index != 0) break;
        sum += nanos[end];
        if (sum + tolerance >= target) break;
      }
      if (end >= n || end == start || sum > target + tolerance || sum + tolerance < target) continue;
      // Found: money[start..end] adds up to the total.
      if (total.summary || total.mention->role() == v1::AMOUNT_ROLE_TOTAL) {
        total.mention->set_role(v1::AMOUNT_ROLE_TOTAL);  // a headline sum; components stay items
      } else {
        for (size_t k = start; k <= end; ++k) {
          if (money[k].mention->role() != v1::AMOUNT_ROLE_ITEM) continue;
          money[k].mention->set_role(v1::AMOUNT_ROLE_PART);
          money[k].mention->set_related_mention(total.mention->index());
        }
      }
      break;
    }
  }
  // A table whose rows add up to an amount stated before it: the rows are
  // its breakdown ("initial $240 million" = 64 state rows).
  for (size_t k = 0; k < n;) {
    if (!money[k].table_row) {
      ++k;
      continue;
    }
    size_t end = k;
    __int128 sum = 0;
    const std::string& currency = money[k].mention->amount().currency_code();
    while (end < n && money[end].table_row && money[end].mention->amount().currency_code() == currency) {
      sum += nanos[end];
      ++end;
    }
    for (size_t t = 0; t < k && end - k >= 2; ++t) {
      const __int128 target = nanos[t];
      if (money[t].mention->amount().currency_code() != currency || target == 0) continue;
      if (sum > target + target / 1000 || sum + target / 1000 < target) continue;
      for (size_t r = k; r < end; ++r) {
        money[r].mention->set_role(v1::AMOUNT_ROLE_PART);
        money[r].mention->set_related_mention(money[t].mention->index());
      }
      break;
    }
    k = end;
  }
  // Restatements: the same amount again, when one of the two stands in a
  // summary position (title, heading, intro).
  for (size_t k = 0; k < n; ++k) {
    MoneyRef& later = money[k];
    if (later.mention->role() == v1::AMOUNT_ROLE_CURRENCY_EQUIVALENT ||
        later.mention->role() == v1::AMOUNT_ROLE_CONTEXT || later.table_row) {
      continue;
    }
    for (size_t e = 0; e < k; ++e) {
      const MoneyRef& earlier = money[e];
      if (nanos[e] != nanos[k] ||
          earlier.mention->amount().currency_code() != later.mention->amount().currency_code() ||
          earlier.mention->role() == v1::AMOUNT_ROLE_CONTEXT) {
        continue;
      }
      if (!earlier.summary && !later.summary) continue;
      // The first statement counts (as item or total); the repeat does not.
      if (later.summary && !earlier.summary && earlier.mention->role() == v1::AMOUNT_ROLE_ITEM) continue;
      later.mention->set_role(v1::AMOUNT_ROLE_RESTATEMENT);
      later.mention->set_related_mention(earlier.mention->index());
      break;
    }
  }
}

}  // namespace pledgebook::parser
