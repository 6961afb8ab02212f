#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "gazetteer.h"
#include "text_range.h"

namespace pledgebook::parser {

enum class ActorKind { kOrganization, kCountry, kPlace };

// An organization, government or place named in a sentence.
struct ActorMention {
  ActorKind kind = ActorKind::kOrganization;
  TextRange range;           // the written name, possessive owner excluded
  std::string name;          // canonical name (expansion of an acronym)
  std::string acronym;
  std::string country_code;  // CLDR code, when the text or gazetteer says
  const GazetteerEntry* place = nullptr;  // for kCountry and kPlace
  bool coreference = false;  // "the bill" standing for a law named earlier
};

// Acronyms defined so far in a document ("Environmental Protection Agency
// (EPA)"), so later bare uses ("EPA") resolve to the same body.
class AcronymTable {
 public:
  struct Expansion {
    std::string name;
    std::string country_code;
  };
  void Define(const std::string& acronym, Expansion expansion);
  const Expansion* Find(std::string_view acronym) const;
  // The acronym defined for a name, or "" — so that "the Environmental
  // Protection Agency" and "EPA" are one body.
  std::string AcronymOf(const std::string& name) const;

  // The latest law or plan named ("the Bipartisan Infrastructure Law"), for
  // "the bill", "the law", "the deal" later on.
  void RememberLaw(const std::string& name, const std::string& country) { last_law_ = {name, country}; }
  const Expansion* LastLaw() const { return last_law_.name.empty() ? nullptr : &last_law_; }

 private:
  absl::flat_hash_map<std::string, Expansion> table_;
  absl::flat_hash_map<std::string, std::string> by_name_;
  Expansion last_law_;
};

// Finds organizations (capitalized names with an organization word such as
// Agency, Ministry, Council, Law, Fund; names defined with an acronym;
// known acronyms), governments ("the United States", "the Government of
// Mexico") and places in one sentence. Records new acronym definitions.
// Names overlapping `exclude` (money amounts: the "US" of "US$77 million")
// are not actors.
std::vector<ActorMention> FindActors(std::string_view text, TextRange sentence,
                                     const Gazetteer& gazetteer, AcronymTable* acronyms,
                                     const std::vector<TextRange>& exclude = {});

}  // namespace pledgebook::parser
