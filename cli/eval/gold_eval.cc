#include "gold_eval.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "common/money_text.h"
#include "parser/code_point_index.h"
#include "parser/normalize_text.h"
#include "parser/parse_document.h"

namespace pledgebook::eval {
namespace {

namespace v1 = ::pledgebook::v1;
using nlohmann::json;

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Gold strings are written as on the page; compare them as the parser
// normalizes text.
std::string Norm(const std::string& s) {
  auto n = parser::NormalizeText(s);
  std::string out = n.ok() ? *n : s;
  std::string collapsed;
  for (char c : out) {
    if (c == ' ' && !collapsed.empty() && collapsed.back() == ' ') continue;
    collapsed.push_back(c);
  }
  return collapsed;
}

std::string Key(std::string s) {
  s = Norm(s);
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (s.rfind("the ", 0) == 0) s = s.substr(4);
  while (!s.empty() && (s.back() == '.' || s.back() == ',' || s.back() == ' ')) s.pop_back();
  return s;
}

std::string Str(const json& j) { return j.is_string() ? j.get<std::string>() : ""; }

struct Located {
  int start = -1, end = -1;  // code points
};

// The n-th occurrence (1-based) of `surface` in the normalized text.
Located Locate(const std::string& text, const parser::CodePointIndex& index, const std::string& surface,
               int occurrence) {
  const std::string needle = Norm(surface);
  if (needle.empty()) return {};
  size_t at = std::string::npos, from = 0;
  for (int k = 0; k < std::max(occurrence, 1); ++k) {
    at = text.find(needle, from);
    if (at == std::string::npos) return {};
    from = at + 1;
  }
  return {index.ToCodePoint(at), index.ToCodePoint(at + needle.size())};
}

bool Overlaps(const Located& g, const v1::Span& s) { return g.start < s.end() && s.start() < g.end; }

std::string ContentTypeFor(const std::string& file) {
  if (file.size() > 5 && file.substr(file.size() - 5) == ".html") return "text/html";
  if (file.size() > 3 && file.substr(file.size() - 3) == ".md") return "text/markdown";
  return "text/plain";
}

std::string DecimalOf(const std::string& value) {
  std::string v = value;
  if (v.find('.') != std::string::npos) {
    while (!v.empty() && v.back() == '0') v.pop_back();
    if (!v.empty() && v.back() == '.') v.pop_back();
  }
  return v;
}

std::string IsoOf(const v1::DatePeriod& p) {
  auto one = [](const google::type::Date& d) {
    char buf[16];
    if (d.day() > 0) std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year(), d.month(), d.day());
    else if (d.month() > 0) std::snprintf(buf, sizeof buf, "%04d-%02d", d.year(), d.month());
    else std::snprintf(buf, sizeof buf, "%04d", d.year());
    return std::string(buf);
  };
  std::string a = one(p.start()), b = one(p.end());
  return a == b ? a : a + "/" + b;
}

template <typename Mention, typename SameValue>
Score MatchMentions(const std::string& type, const json& gold, const std::vector<const Mention*>& predicted,
                    const std::string& text, const parser::CodePointIndex& index, SameValue same,
                    std::vector<std::string>* misses, std::vector<std::pair<const json*, const Mention*>>* pairs) {
  Score score;
  std::vector<bool> used(predicted.size(), false);
  for (const json& g : gold) {
    Located where = Locate(text, index, Str(g["surface"]), g.value("occurrence", 1));
    bool found = false;
    for (size_t k = 0; k < predicted.size() && where.start >= 0; ++k) {
      if (used[k] || !Overlaps(where, predicted[k]->span())) continue;
      if (!same(g, *predicted[k])) continue;
      used[k] = true;
      found = true;
      if (pairs) pairs->push_back({&g, predicted[k]});
      break;
    }
    if (found) {
      ++score.true_positives;
    } else {
      ++score.false_negatives;
      misses->push_back(type + " missed: \"" + Str(g["surface"]) + "\"" + (where.start < 0 ? " (not in text)" : ""));
    }
  }
  for (size_t k = 0; k < predicted.size(); ++k) {
    if (!used[k]) {
      ++score.false_positives;
      misses->push_back(type + " extra: \"" + predicted[k]->text() + "\"");
    }
  }
  return score;
}

// Organizations and places: document-level sets of bodies.
template <typename Mention>
Score MatchBodies(const std::string& type, const json& gold, const std::vector<const Mention*>& predicted,
                  std::vector<std::string>* misses) {
  std::vector<std::set<std::string>> gold_keys;
  for (const json& g : gold) {
    std::set<std::string> keys{Key(Str(g["name"]))};
    if (g.contains("acronym")) keys.insert(Key(Str(g["acronym"])));
    if (g.contains("surfaces")) {
      for (const json& s : g["surfaces"]) keys.insert(Key(Str(s)));
    }
    keys.erase("");
    gold_keys.push_back(keys);
  }
  // Distinct predicted bodies, by canonical name.
  std::map<std::string, std::set<std::string>> bodies;
  for (const Mention* m : predicted) {
    std::set<std::string>& keys = bodies[Key(m->name())];
    keys.insert(Key(m->name()));
    keys.insert(Key(m->text()));
    if constexpr (std::is_same_v<Mention, v1::OrganizationMention>) keys.insert(Key(m->acronym()));
    keys.erase("");
  }
  Score score;
  std::vector<bool> gold_hit(gold_keys.size(), false);
  for (const auto& [name, keys] : bodies) {
    bool hit = false;
    for (size_t g = 0; g < gold_keys.size(); ++g) {
      for (const std::string& k : keys) {
        if (gold_keys[g].count(k)) {
          gold_hit[g] = true;
          hit = true;
        }
      }
    }
    if (hit) {
      ++score.true_positives;
    } else {
      ++score.false_positives;
      misses->push_back(type + " extra: \"" + name + "\"");
    }
  }
  for (size_t g = 0; g < gold_keys.size(); ++g) {
    if (!gold_hit[g]) {
      ++score.false_negatives;
      misses->push_back(type + " missed: \"" + Str(gold[g]["name"]) + "\"");
    }
  }
  // Precision counts predicted bodies; recall counts gold bodies.
  score.true_positives = static_cast<int>(std::count(gold_hit.begin(), gold_hit.end(), true));
  return score;
}

// The text of a code point span (funders are written "as in the sentence").
std::string SpanText(const std::string& text, const v1::Span& span) {
  if (span.end() <= span.start()) return "";
  size_t byte = 0, begin = std::string::npos;
  int32_t cp = 0;
  for (; byte < text.size(); ++byte) {
    if ((static_cast<unsigned char>(text[byte]) & 0xC0) == 0x80) continue;
    if (cp == span.start()) begin = byte;
    if (cp == span.end()) break;
    ++cp;
  }
  return begin == std::string::npos ? "" : text.substr(begin, byte - begin);
}

bool FundersMatch(const json& gold_funders, const v1::MoneyMention& m, const std::string& text) {
  if (!gold_funders.is_array() || static_cast<int>(gold_funders.size()) != m.funders_size()) return false;
  for (const json& g : gold_funders) {
    const std::string want = Key(Str(g));
    bool ok = false;
    for (const v1::Actor& a : m.funders()) {
      const std::string name = Key(a.name()), acronym = Key(a.acronym());
      const std::string written = text.empty() ? "" : Key(SpanText(text, a.span()));
      if (want == name || want == acronym || (!name.empty() && want.find(name) != std::string::npos) ||
          (!want.empty() && name.find(want) != std::string::npos) || (!written.empty() && (want.find(written) != std::string::npos || written.find(want) != std::string::npos))) {
        ok = true;
      }
    }
    if (!ok) return false;
  }
  return true;
}

DocumentEval EvaluateOne(const std::string& gold_path, const std::string& docs_dir) {
  DocumentEval out;
  json gold = json::parse(Slurp(gold_path));
  out.file = Str(gold["file"]);
  v1::DocumentSource source;
  source.set_content(Slurp(docs_dir + "/" + out.file));
  source.set_content_type(ContentTypeFor(out.file));
  absl::StatusOr<v1::Document> doc = parser::ParseDocument(source);
  if (!doc.ok()) {
    out.misses.push_back("parse failed: " + std::string(doc.status().message()));
    return out;
  }
  const std::string& text = doc->normalized_text();
  parser::CodePointIndex index(text);
  std::vector<const v1::MoneyMention*> money;
  std::vector<const v1::QuantityMention*> quantities;
  std::vector<const v1::DateMention*> dates;
  std::vector<const v1::OrganizationMention*> orgs;
  std::vector<const v1::PlaceMention*> places;
  auto collect = [&](const v1::Section& s) {
    for (const auto& q : s.quantities()) quantities.push_back(&q);
    for (const auto& d : s.dates()) dates.push_back(&d);
    for (const auto& o : s.organizations()) orgs.push_back(&o);
    for (const auto& p : s.places()) places.push_back(&p);
    for (const auto& i : s.initiatives()) {
      for (const auto& m : i.money()) money.push_back(&m);
      for (const auto& q : i.quantities()) quantities.push_back(&q);
      for (const auto& d : i.dates()) dates.push_back(&d);
      for (const auto& o : i.organizations()) orgs.push_back(&o);
      for (const auto& p : i.places()) places.push_back(&p);
    }
  };
  collect(doc->preamble());
  for (const auto& s : doc->sections()) collect(s);

  std::vector<std::pair<const json*, const v1::MoneyMention*>> money_pairs;
  out.by_type["money"] = MatchMentions<v1::MoneyMention>(
      "money", gold["money"], money, text, index,
      [](const json& g, const v1::MoneyMention& m) {
        return DecimalOf(Str(g["value"])) == DecimalOf(MoneyToDecimal(m.amount())) &&
               Str(g["currency"]) == m.amount().currency_code();
      },
      &out.misses, &money_pairs);
  for (const auto& [g, m] : money_pairs) {
    ++out.money_funders_checked;
    if (FundersMatch((*g)["funders"], *m, "")) ++out.money_funders_correct_by_name;
    if (FundersMatch((*g)["funders"], *m, text)) {
      ++out.money_funders_correct;
    } else {
      std::string want, got;
      if ((*g)["funders"].is_array()) {
        for (const json& f : (*g)["funders"]) want += (want.empty() ? "" : "; ") + Str(f);
      }
      for (const v1::Actor& a : m->funders()) {
        got += (got.empty() ? "" : "; ") + a.name() + (a.acronym().empty() ? "" : " (" + a.acronym() + ")");
      }
      out.misses.push_back("money funders differ: \"" + m->text() + "\" gold [" + want + "] got [" + got + "]");
    }
  }
  out.by_type["quantities"] = MatchMentions<v1::QuantityMention>(
      "quantity", gold["quantities"], quantities, text, index,
      [](const json& g, const v1::QuantityMention& q) { return DecimalOf(Str(g["value"])) == DecimalOf(q.value()); },
      &out.misses, nullptr);
  out.by_type["dates"] = MatchMentions<v1::DateMention>(
      "date", gold["dates"], dates, text, index,
      [](const json& g, const v1::DateMention& d) { return Str(g["iso"]) == IsoOf(d.period()); }, &out.misses,
      nullptr);
  // Each dollar once: the sums of ITEM amounts per currency against the gold.
  std::map<std::string, google::type::Money> sums;
  for (const v1::MoneyMention* m : money) {
    if (m->role() != v1::AMOUNT_ROLE_ITEM) continue;
    google::type::Money& sum = sums[m->amount().currency_code()];
    long long nanos = static_cast<long long>(sum.nanos()) + m->amount().nanos();
    sum.set_currency_code(m->amount().currency_code());
    sum.set_units(sum.units() + m->amount().units() + nanos / 1000000000);
    sum.set_nanos(static_cast<int>(nanos % 1000000000));
  }
  std::map<std::string, std::string> computed, expected;
  for (const auto& [currency, sum] : sums) computed[currency] = DecimalOf(MoneyToDecimal(sum));
  for (const auto& [currency, value] : gold["expected_item_sum_by_currency"].items()) {
    expected[currency] = DecimalOf(Str(value));
  }
  out.item_sums_match = computed == expected;
  for (const auto& [currency, value] : computed) out.item_sums += currency + " " + value + " ";
  if (!out.item_sums_match) out.misses.push_back("item sums differ: computed " + out.item_sums);
  out.by_type["organizations"] = MatchBodies("organization", gold["organizations"], orgs, &out.misses);
  out.by_type["places"] = MatchBodies("place", gold["places"], places, &out.misses);
  return out;
}

}  // namespace

double Score::Precision() const {
  int d = true_positives + false_positives;
  return d == 0 ? 1.0 : static_cast<double>(true_positives) / d;
}
double Score::Recall() const {
  int d = true_positives + false_negatives;
  return d == 0 ? 1.0 : static_cast<double>(true_positives) / d;
}
double Score::F1() const {
  double p = Precision(), r = Recall();
  return p + r == 0 ? 0 : 2 * p * r / (p + r);
}
Score& Score::operator+=(const Score& o) {
  true_positives += o.true_positives;
  false_positives += o.false_positives;
  false_negatives += o.false_negatives;
  return *this;
}

absl::StatusOr<GoldEval> EvaluateGoldDir(const std::string& gold_dir) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(gold_dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.size() > 10 && name.substr(name.size() - 10) == ".gold.json") files.push_back(entry.path().string());
  }
  if (ec) return absl::NotFoundError("cannot read " + gold_dir + ": " + ec.message());
  if (files.empty()) return absl::NotFoundError("no *.gold.json in " + gold_dir);
  std::sort(files.begin(), files.end());
  GoldEval eval;
  for (const std::string& f : files) {
    DocumentEval d = EvaluateOne(f, gold_dir + "/docs");
    for (const auto& [type, score] : d.by_type) eval.totals[type] += score;
    eval.money_funders_checked += d.money_funders_checked;
    eval.money_funders_correct += d.money_funders_correct;
    eval.money_funders_correct_by_name += d.money_funders_correct_by_name;
    eval.item_sums_matching += d.item_sums_match ? 1 : 0;
    eval.documents.push_back(std::move(d));
  }
  return eval;
}

std::string FormatEval(const GoldEval& eval, bool verbose) {
  std::ostringstream out;
  char line[256];
  auto row = [&](const std::string& name, const std::map<std::string, Score>& scores) {
    std::snprintf(line, sizeof line, "%-58s", name.substr(0, 58).c_str());
    out << line;
    for (const char* type : {"money", "quantities", "dates", "organizations", "places"}) {
      auto it = scores.find(type);
      Score s = it == scores.end() ? Score() : it->second;
      std::snprintf(line, sizeof line, "  %5.3f", s.F1());
      out << line;
    }
    out << "\n";
  };
  std::snprintf(line, sizeof line, "%-58s  %5s  %5s  %5s  %5s  %5s\n", "F1 per document", "money", "quant",
                "dates", "orgs", "place");
  out << line;
  for (const DocumentEval& d : eval.documents) row(d.file, d.by_type);
  row("ALL (micro-average)", eval.totals);
  out << "\nper type           precision  recall     F1     TP    FP    FN\n";
  for (const auto& [type, s] : eval.totals) {
    std::snprintf(line, sizeof line, "%-18s %9.3f %7.3f %6.3f %6d %5d %5d\n", type.c_str(), s.Precision(),
                  s.Recall(), s.F1(), s.true_positives, s.false_positives, s.false_negatives);
    out << line;
  }
  std::snprintf(line, sizeof line,
                "money funders correct on matched amounts: %d / %d (by canonical name or acronym only: %d)\n",
                eval.money_funders_correct, eval.money_funders_checked, eval.money_funders_correct_by_name);
  out << line;
  std::snprintf(line, sizeof line, "documents whose counted-once sums (ITEM amounts per currency) equal the gold's: %d / %zu\n",
                eval.item_sums_matching, eval.documents.size());
  out << line;
  if (verbose) {
    for (const DocumentEval& d : eval.documents) {
      out << "\n## " << d.file << "\n";
      for (const std::string& m : d.misses) out << "  " << m << "\n";
    }
  }
  return out.str();
}

}  // namespace pledgebook::eval
