#include "gazetteer.h"

#include <algorithm>
#include <cctype>

#include "absl/strings/str_join.h"
#include "text_util.h"

#include "common/embedded_file.h"

namespace pledgebook {
extern const EmbeddedFile kGazetteerData[];
extern const std::size_t kGazetteerDataCount;
}  // namespace pledgebook

namespace pledgebook::parser {
namespace {

bool ParseKind(std::string_view s, GazetteerKind* kind) {
  if (s == "country") *kind = GazetteerKind::kCountry;
  else if (s == "state") *kind = GazetteerKind::kState;
  else if (s == "city") *kind = GazetteerKind::kCity;
  else if (s == "region") *kind = GazetteerKind::kRegion;
  else if (s == "org") *kind = GazetteerKind::kOrganization;
  else return false;
  return true;
}

bool IsWordByte(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || (static_cast<unsigned char>(c) >= 0x80);
}

}  // namespace

const Gazetteer& Gazetteer::Default() {
  static const Gazetteer* gazetteer = [] {
    std::string all;
    for (size_t i = 0; i < kGazetteerDataCount; ++i) all += kGazetteerData[i].content;
    return FromTsv(all).release();
  }();
  return *gazetteer;
}

std::unique_ptr<Gazetteer> Gazetteer::FromTsv(std::string_view tsv) {
  auto g = std::make_unique<Gazetteer>();
  std::vector<std::string> names;
  for (std::string_view line : Split(tsv, '\n')) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string_view> cols = Split(line, '\t');
    GazetteerKind kind;
    if (cols.size() < 2 || !ParseKind(cols[0], &kind)) continue;
    auto entry = std::make_unique<GazetteerEntry>();
    entry->kind = kind;
    entry->name = std::string(cols[1]);
    if (cols.size() > 2) entry->country_code = std::string(cols[2]);
    if (cols.size() > 3 && !cols[3].empty()) {
      for (std::string_view alias : Split(cols[3], '|', true)) {
        entry->aliases.emplace_back(alias);
      }
    }
    if (cols.size() > 4 && !cols[4].empty()) {
      for (std::string_view demonym : Split(cols[4], '|', true)) entry->demonyms.emplace_back(demonym);
    }
    const GazetteerEntry* ptr = entry.get();
    for (const auto& demonym : ptr->demonyms) g->by_demonym_.try_emplace(demonym, ptr);
    g->by_name_.try_emplace(ptr->name, ptr);
    names.push_back(ptr->name);
    for (const auto& alias : ptr->aliases) {
      g->by_name_.try_emplace(alias, ptr);
      names.push_back(alias);
    }
    g->entries_.push_back(std::move(entry));
  }
  // Longest names first: RE2 alternation is leftmost-first.
  std::sort(names.begin(), names.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  std::vector<std::string> quoted;
  quoted.reserve(names.size());
  for (const auto& n : names) quoted.push_back(RE2::QuoteMeta(n));
  RE2::Options options;
  options.set_max_mem(64 << 20);
  g->pattern_ = std::make_unique<RE2>("(" + absl::StrJoin(quoted, "|") + ")", options);
  return g;
}

const GazetteerEntry* Gazetteer::FindDemonym(std::string_view written) const {
  auto it = by_demonym_.find(std::string(written));
  return it == by_demonym_.end() ? nullptr : it->second;
}

const GazetteerEntry* Gazetteer::Find(std::string_view written) const {
  auto it = by_name_.find(std::string(written));
  return it == by_name_.end() ? nullptr : it->second;
}

std::vector<GazetteerHit> Gazetteer::Scan(std::string_view text, TextRange range) const {
  std::vector<GazetteerHit> hits;
  re2::StringPiece input(text.data(), range.end);
  size_t pos = range.begin;
  re2::StringPiece m[2];
  while (pos < range.end &&
         pattern_->Match(input, pos, range.end, RE2::UNANCHORED, m, 2)) {
    size_t b = static_cast<size_t>(m[1].data() - text.data());
    size_t e = b + m[1].size();
    bool starts_word = b == range.begin || !IsWordByte(text[b - 1]);
    bool ends_word = e >= range.end || !IsWordByte(text[e]) || text[e - 1] == '.';
    if (starts_word && ends_word) {
      hits.push_back({{b, e}, Find(m[1].as_string())});
      pos = e;
    } else {
      pos = b + 1;
    }
  }
  return hits;
}

}  // namespace pledgebook::parser
