#include "money_roles.h"

#include <algorithm>

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

bool IsContext(std::string_view text, const MoneyRef& r) {
  // Words that make an amount background rather than funding.
  static const RE2 near(
      R"((?i)\b(damages?|cost of|costs? (?:of|to)|losses|market|trade|trading|exports?|imports?|GDP|economy|)"
      R"(revenues?|sales|worth|valued at|price|prices|savings|save|saved|salar(?:y|ies)|wages?|income|)"
      R"(goods and services|debt|deficit|fine|fines|penalt(?:y|ies)|bills?|spent on|spend on|average annual)\b)");
  const std::string_view before = Before(text, r, 60);
  const std::string_view after = After(text, r, 40);
  if (RE2::PartialMatch(before, near) || RE2::PartialMatch(after, near)) {
    // "…invests $8 billion to reduce the cost of…": a funding verb right
    // before the amount keeps it funding.
    static const RE2 funding(R"((?i)\b(invest\w*|provid\w*|award\w*|fund\w*|commit\w*|allocat\w*|grant\w*|dedicat\w*|announc\w*|pledg\w*)\b[^.;]{0,30}$)");
    if (!RE2::PartialMatch(before, funding)) return true;
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
  // Sums: a run of later amounts in the same section that adds up to an
  // amount (within 0.1%, for "initial $240 million" = $240,000,002).
  constexpr size_t kMaxRun = 400;
  for (size_t t = 0; t < n; ++t) {
    MoneyRef& total = money[t];
    const v1::AmountRole role = total.mention->role();
    if (role != v1::AMOUNT_ROLE_ITEM && role != v1::AMOUNT_ROLE_TOTAL) continue;
    const __int128 target = Nanos(total.mention->amount());
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
        sum += Nanos(c.mention->amount());
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
      sum += Nanos(money[end].mention->amount());
      ++end;
    }
    for (size_t t = 0; t < k && end - k >= 2; ++t) {
      const __int128 target = Nanos(money[t].mention->amount());
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
      if (Nanos(earlier.mention->amount()) != Nanos(later.mention->amount()) ||
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
