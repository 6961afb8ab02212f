#include "money_roles.h"

#include <algorithm>

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

// A necessary condition for the `near` pattern of IsContext: a word (after
// an ASCII word boundary) that starts like one of its words, compared in
// ASCII case up to the first "s" or "k" (which (?i) also folds from U+017F
// and U+212A, and which are then tested as that letter or the lead byte).
bool MayBeContext(std::string_view s) {
  // U+017F may start a match of its own after a word character ("_ſales":
  // \b holds there, and (?i) reads it as "s"): leave such text to the pattern.
  if (s.find('\xC5') != std::string_view::npos) return true;
  auto has = [&](size_t i, std::string_view lower) { return EqualsAsciiNoCase(s.substr(i, lower.size()), lower); };
  // 's' at i, or the lead byte of U+017F; 'k' at i, or the lead byte of U+212A.
  auto ess = [&](size_t i) { return i < s.size() && ((s[i] | 0x20) == 's' || s[i] == '\xC5'); };
  auto kay = [&](size_t i) { return i < s.size() && ((s[i] | 0x20) == 'k' || s[i] == '\xE2'); };
  // The whole word `lower` at i, then an ASCII word boundary.
  auto word_at = [&](size_t i, std::string_view lower) {
    return has(i, lower) && (i + lower.size() == s.size() || !IsRe2WordByte(s[i + lower.size()]));
  };
  auto starts_context_word = [&](size_t i) {
    switch (s[i] | 0x20) {
      case 'a': if (has(i, "average")) return true; break;
      case 'b': if (word_at(i, "bill") || word_at(i, "bills")) return true; break;
      case 'c': if (has(i, "co") && ess(i + 2)) return true; break;
      case 'd':
        if (word_at(i, "damage") || word_at(i, "damages") || word_at(i, "debt") || word_at(i, "deficit")) return true;
        break;
      case 'e': if (word_at(i, "export") || word_at(i, "exports") || word_at(i, "economy")) return true; break;
      case 'f': if (word_at(i, "fine") || word_at(i, "fines")) return true; break;
      case 'g': if (word_at(i, "gdp") || has(i, "good")) return true; break;
      case 'i':
        if (word_at(i, "import") || word_at(i, "imports") || word_at(i, "income")) return true;
        break;
      case 'l': if (has(i, "lo") && ess(i + 2)) return true; break;
      case 'm': if (has(i, "mar") && kay(i + 3)) return true; break;
      case 'p': if (word_at(i, "price") || word_at(i, "prices") || has(i, "penalt")) return true; break;
      case 'r': if (word_at(i, "revenue") || word_at(i, "revenues")) return true; break;
      case 's':
        if (has(i, "sale") || word_at(i, "save") || word_at(i, "saved") || has(i, "saving") || has(i, "salar") ||
            has(i, "spen")) {
          return true;
        }
        break;
      case 't': if (word_at(i, "trade") || word_at(i, "trading")) return true; break;
      case 'v': if (has(i, "valued")) return true; break;
      case 'w': if (word_at(i, "worth") || word_at(i, "wage") || word_at(i, "wages")) return true; break;
      default: break;
    }
    return false;
  };
  // Only word starts can begin a word of the pattern.
  auto word_start = [&](size_t i) { return IsAsciiWordStartAt(s.data(), i); };
  return ScanCandidates(s.data(), 0, s.size(), AsciiWordStarts, word_start, starts_context_word) < s.size();
}

// PartialMatch(s, funding) for the `funding` pattern of IsContext,
// (?i)\b(invest\w*|provid\w*|...)\b[^.;]{0,30}$, by hand (its counted tail
// made RE2 slow): a whole ASCII word starting with a verb stem, followed to
// the end by at most 30 characters none of which is "." or ";". Text with
// U+017F (which (?i) folds into the "s" of "invest") or that is not
// well-formed UTF-8 is left to the pattern.
bool EndsWithFundingVerb(std::string_view s, const RE2& funding) {
  if (s.find('\xC5') != std::string_view::npos || !IsWellFormedUtf8(s)) return RE2::PartialMatch(s, funding);
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
          if (w.size() < lower.size()) return false;
          for (size_t k = 0; k < lower.size(); ++k) {
            if ((w[k] | 0x20) != lower[k]) return false;
          }
          return true;
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
  static const RE2 near(
      R"((?i)\b(damages?|cost of|costs? (?:of|to)|losses|market|trade|trading|exports?|imports?|GDP|economy|)"
      R"(revenues?|sales|worth|valued at|price|prices|savings|save|saved|salar(?:y|ies)|wages?|income|)"
      R"(goods and services|debt|deficit|fine|fines|penalt(?:y|ies)|bills?|spent on|spend on|average annual)\b)");
  const std::string_view before = Before(text, r, 60);
  const std::string_view after = After(text, r, 40);
  if ((MayBeContext(before) && RE2::PartialMatch(before, near)) || (MayBeContext(after) && RE2::PartialMatch(after, near))) {
    // "…invests $8 billion to reduce the cost of…": a funding verb right
    // before the amount keeps it funding.
    static const RE2 funding(R"((?i)\b(invest\w*|provid\w*|award\w*|fund\w*|commit\w*|allocat\w*|grant\w*|dedicat\w*|announc\w*|pledg\w*)\b[^.;]{0,30}$)");
    if (!EndsWithFundingVerb(before, funding)) return true;
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
