#include "gazetteer.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstring>

#include "byte_scan.h"
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

std::string_view StripTrailingPunctuation(std::string_view w) {
  while (!w.empty() && (w.back() == ',' || w.back() == '.' || w.back() == ';' || w.back() == ':' ||
                        w.back() == ')' || w.back() == '"' || w.back() == '\'' || w.back() == '!' || w.back() == '?')) {
    w.remove_suffix(1);
  }
  if (w.size() > 2 && w.substr(w.size() - 2) == "'s") w.remove_suffix(2);
  return w;
}

// The first ' ' or '\n' in [from, end) of `text`, or `end`: sixteen bytes
// at a time, so that nearly every word ends in the first block (its branch
// is then predictable). Blocks may read past `end`, never past the text.
__attribute__((always_inline)) inline size_t WordEnd(std::string_view text, size_t from, size_t end) {
  while (from < end && from + 16 <= text.size()) {
    const Bytes16 v = Load16(text.data() + from);
    const uint32_t found = BitMask((v == ' ') | (v == '\n'));
    if (found != 0) return std::min(end, from + static_cast<size_t>(__builtin_ctz(found)));
    from += 16;
  }
  while (from < end && text[from] != ' ' && text[from] != '\n') ++from;
  return std::min(from, end);
}


}  // namespace

thread_local std::vector<size_t> Gazetteer::ends_scratch_;

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
    for (const auto& demonym : ptr->demonyms) {
      g->by_demonym_.try_emplace(demonym, ptr);
      Set(g->demonym_filter_, demonym);
    }
    g->by_name_.try_emplace(ptr->name, ptr);
    names.push_back(ptr->name);
    for (const auto& alias : ptr->aliases) {
      g->by_name_.try_emplace(alias, ptr);
      names.push_back(alias);
    }
    g->entries_.push_back(std::move(entry));
  }
  for (const auto& n : names) {
    Set(g->name_filter_, n);
    for (size_t space = n.find(' '); space != std::string::npos; space = n.find(' ', space + 1)) {
      g->continued_prefixes_.insert(n.substr(0, space));
      Set(g->prefix_filter_, std::string_view(n).substr(0, space));
    }
  }
  for (const auto& n : names) {
    int words = 1;
    for (char c : n) words += c == ' ';
    std::string first = n.substr(0, n.find(' '));
    // Index the first word without trailing punctuation as well ("D.C.").
    for (std::string key : {first, std::string(StripTrailingPunctuation(first))}) {
      FirstWord& fw = g->first_words_[key];
      fw.max_words = std::max(fw.max_words, words);
      fw.continues = g->continued_prefixes_.contains(key);
      if (key.empty()) g->first_bytes_.fill(true);  // all punctuation: any byte may start it
      else g->first_bytes_[static_cast<unsigned char>(key[0])] = true;
      const size_t bit = FirstWordKey(key);
      g->first_word_filter_[bit / 64] |= uint64_t{1} << (bit % 64);
    }
  }
  return g;
}

const GazetteerEntry* Gazetteer::FindDemonym(std::string_view written) const {
  if (!Test(demonym_filter_, written)) return nullptr;
  auto it = by_demonym_.find(absl::string_view(written.data(), written.size()));
  return it == by_demonym_.end() ? nullptr : it->second;
}

const GazetteerEntry* Gazetteer::Find(std::string_view written) const {
  if (!Test(name_filter_, written)) return nullptr;
  auto it = by_name_.find(absl::string_view(written.data(), written.size()));
  return it == by_name_.end() ? nullptr : it->second;
}

size_t Gazetteer::NameKey(std::string_view s) {
  if (s.empty()) return 0;
  const size_t h = s.size() * 0x9E3779B1u + static_cast<unsigned char>(s.front()) * 0x85EBCA77u +
                   static_cast<unsigned char>(s.back()) * 0xC2B2AE3Du +
                   static_cast<unsigned char>(s[s.size() / 2]) * 0x27D4EB2Fu;
  return (h ^ (h >> 16)) & 0xFFFF;
}

bool Gazetteer::Test(const std::array<uint64_t, 1024>& filter, std::string_view s) {
  const size_t key = NameKey(s);
  return (filter[key / 64] >> (key % 64)) & 1;
}

void Gazetteer::Set(std::array<uint64_t, 1024>& filter, std::string_view s) {
  const size_t key = NameKey(s);
  filter[key / 64] |= uint64_t{1} << (key % 64);
}

bool Gazetteer::ContinuesName(std::string_view words) const {
  return Test(prefix_filter_, words) &&
         continued_prefixes_.contains(absl::string_view(words.data(), words.size()));
}

size_t Gazetteer::FirstWordKey(std::string_view word) {
  if (word.empty()) return 0;
  return ((word.size() & 15) << 12) | ((static_cast<unsigned char>(word.front()) & 0x3f) << 6) |
         (static_cast<unsigned char>(word.back()) & 0x3f);
}

bool Gazetteer::MayStartName(std::string_view word) const {
  const size_t key = FirstWordKey(word);
  return (first_word_filter_[key / 64] >> (key % 64)) & 1;
}

std::vector<GazetteerHit> Gazetteer::Scan(std::string_view text, TextRange range) const {
  std::vector<GazetteerHit> hits;
  auto is_space = [](char c) { return c == ' ' || c == '\n'; };
  auto lookup = [&](size_t b, size_t e) -> const GazetteerEntry* {
    if (!Test(name_filter_, text.substr(b, e - b))) return nullptr;
    auto it = by_name_.find(absl::string_view(text.data() + b, e - b));
    return it == by_name_.end() ? nullptr : it->second;
  };
  size_t pos = range.begin;
  while (pos < range.end) {
    // A name starts at a word: skip spaces and opening punctuation.
    while (pos < range.end && (is_space(text[pos]) || text[pos] == '(' || text[pos] == '"' || text[pos] == '\'')) ++pos;
    if (pos >= range.end) break;
    if (pos > range.begin && IsWordByte(static_cast<unsigned char>(text[pos - 1]))) {  // inside a word
      pos = WordEnd(text, pos, range.end);
      continue;
    }
    // Most words start with a byte no name starts with.
    if (!first_bytes_[static_cast<unsigned char>(text[pos])]) {
      pos = WordEnd(text, pos, range.end);
      continue;
    }
    // Try the longest run of words first; each word may end before
    // trailing punctuation or a possessive ("Mexico's", "Ohio,").
    size_t first_end = pos;
    first_end = WordEnd(text, first_end, range.end);
    std::string_view first(text.data() + pos, first_end - pos);
    // The filter rules out most words without hashing them.
    auto starts = first_words_.end();
    if (MayStartName(first)) starts = first_words_.find(absl::string_view(first.data(), first.size()));
    if (starts == first_words_.end()) {
      const char last = first.back();  // most words end in a letter: nothing to strip
      // A word ending in "s" loses only a possessive "'s" (plurals keep theirs).
      const bool strips = last == ',' || last == '.' || last == ';' || last == ':' || last == ')' || last == '"' ||
                          last == '\'' || last == '!' || last == '?' ||
                          (last == 's' && first.size() > 2 && first[first.size() - 2] == '\'');
      std::string_view stripped = strips ? StripTrailingPunctuation(first) : first;
      if (stripped.size() != first.size() && MayStartName(stripped)) starts = first_words_.find(absl::string_view(stripped.data(), stripped.size()));
    }
    if (starts == first_words_.end()) {  // no name starts with this word
      pos = first_end;
      continue;
    }
    size_t best_end = 0;
    const GazetteerEntry* best = nullptr;
    size_t end = pos;
    ends_scratch_.clear();
    std::vector<size_t>& ends = ends_scratch_;
    // The first word as written was looked up: whether it continues a name
    // is known without hashing it again.
    const bool found_as_written = starts->first.size() == first.size();
    for (int w = 0; w < starts->second.max_words && end < range.end; ++w) {
      end = WordEnd(text, end, range.end);
      size_t e = end;
      ends.push_back(e);
      while (e > pos && (text[e - 1] == ',' || text[e - 1] == '.' || text[e - 1] == ';' || text[e - 1] == ':' ||
                         text[e - 1] == ')' || text[e - 1] == '"' || text[e - 1] == '\'' || text[e - 1] == '!' ||
                         text[e - 1] == '?')) {
        --e;
        ends.push_back(e);
      }
      if (e >= pos + 2 && text.substr(e - 2, 2) == "'s") ends.push_back(e - 2);
      // A longer name would start with these words and a space.
      if (w == 0 && found_as_written ? !starts->second.continues : !ContinuesName(text.substr(pos, end - pos))) break;
      while (end < range.end && is_space(text[end])) ++end;
    }
    for (size_t e : ends) {
      if (e <= pos || e <= best_end) continue;
      if (const GazetteerEntry* hit = lookup(pos, e)) {
        best = hit;
        best_end = e;
      }
    }
    if (best != nullptr) {
      hits.push_back({{pos, best_end}, best});
      pos = best_end;
    } else {
      pos = WordEnd(text, pos, range.end);
    }
  }
  return hits;
}

}  // namespace pledgebook::parser
