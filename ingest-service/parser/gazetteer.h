#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "re2/re2.h"
#include "text_range.h"

namespace pledgebook::parser {

enum class GazetteerKind { kCountry, kState, kCity, kRegion, kOrganization };

struct GazetteerEntry {
  GazetteerKind kind = GazetteerKind::kCountry;
  std::string name;          // canonical name
  std::string country_code;  // CLDR region code, or "" (multilateral, unknown)
  std::vector<std::string> aliases;
  std::vector<std::string> demonyms;  // "Mexican": attributes a country, is not a place
};

// A name from the gazetteer found in text.
struct GazetteerHit {
  TextRange range;
  const GazetteerEntry* entry = nullptr;
};

// The places and well-known organizations the project ships as a data file
// (data/gazetteer.tsv, compiled into the binary). Lookups are exact on the
// written form. Scanning looks up every run of up to `max_words_` words
// in a hash table — linear in the text, and much cheaper than one regular
// expression alternating thousands of names.
class Gazetteer {
 public:
  // The gazetteer built from the embedded data file, parsed once.
  static const Gazetteer& Default();

  // Parses TSV lines "kind \t name \t code \t alias|alias \t demonym|demonym";
  // '#' comments.
  static std::unique_ptr<Gazetteer> FromTsv(std::string_view tsv);

  const GazetteerEntry* Find(std::string_view written) const;

  // The country or region a demonym or adjective refers to ("Mexican").
  const GazetteerEntry* FindDemonym(std::string_view written) const;

  // Every gazetteer name in `range`, leftmost-longest, not inside a word.
  std::vector<GazetteerHit> Scan(std::string_view text, TextRange range) const;

  size_t size() const { return entries_.size(); }

 private:
  std::vector<std::unique_ptr<GazetteerEntry>> entries_;
  absl::flat_hash_map<std::string, const GazetteerEntry*> by_name_;
  absl::flat_hash_map<std::string, const GazetteerEntry*> by_demonym_;
  // First word of any name → the most words a name starting with it has.
  // Most words start no name, so most positions cost one lookup.
  struct FirstWord {
    int max_words = 0;
    bool continues = false;  // ContinuesName(the key): some name starts with it and a space
  };
  absl::flat_hash_map<std::string, FirstWord> first_words_;
  // A bit per (length, first byte, last byte) class of the keys above: a
  // clear bit proves a word starts no name, without hashing it.
  static size_t FirstWordKey(std::string_view word);
  bool MayStartName(std::string_view word) const;
  std::array<uint64_t, (1 << 16) / 64> first_word_filter_{};
  // The bytes the keys of first_words_ start with.
  std::array<bool, 256> first_bytes_{};
  // Every "name up to a space" of a name: extending a run of words past one
  // that is not such a prefix cannot reach a name.
  absl::flat_hash_set<std::string> continued_prefixes_;
  // Bit filters over the keys of by_name_, by_demonym_ and continued_prefixes_ (a clear
  // bit proves absence without hashing the string).
  static size_t NameKey(std::string_view s);
  static bool Test(const std::array<uint64_t, 1024>& filter, std::string_view s);
  static void Set(std::array<uint64_t, 1024>& filter, std::string_view s);
  std::array<uint64_t, 1024> name_filter_{};
  std::array<uint64_t, 1024> demonym_filter_{};
  std::array<uint64_t, 1024> prefix_filter_{};
  bool ContinuesName(std::string_view words) const;
  static thread_local std::vector<size_t> ends_scratch_;
};

}  // namespace pledgebook::parser
