#include "actors.h"

#include <algorithm>
#include <cctype>

#include "absl/container/flat_hash_set.h"
#include "re2/re2.h"
#include "text_util.h"



namespace pledgebook::parser {
namespace {

struct Token {
  TextRange range;
  std::string_view text;
};

constexpr bool IsWordChar(unsigned char c) { return IsAsciiAlnum(c) || c >= 0x80; }

// IsWordChar as a table, for the tokenizer's inner loop.
struct WordBytes {
  bool word[256] = {};
  constexpr WordBytes() {
    for (int c = 0; c < 256; ++c) word[c] = IsWordChar(static_cast<unsigned char>(c));
  }
};
constexpr WordBytes kWordBytes;

// Words: letters and digits with inner periods, apostrophes, hyphens and
// ampersands ("U.S.", "Mexico's", "Public-Private", "AT&T"). Fills `tokens`
// (cleared first), so that one buffer serves every sentence.
void Tokenize(std::string_view text, TextRange range, std::vector<Token>* out) {
  std::vector<Token>& tokens = *out;
  tokens.clear();
  const char* t = text.data();
  auto word = [&](size_t k) { return kWordBytes.word[static_cast<unsigned char>(t[k])]; };
  size_t i = range.begin;
  while (i < range.end) {
    unsigned char c = static_cast<unsigned char>(t[i]);
    if (!kWordBytes.word[c]) {
      if (c != ' ') tokens.push_back({{i, i + 1}, std::string_view(t + i, 1)});
      ++i;
      continue;
    }
    size_t j = i + 1;
    while (true) {
      while (j < range.end && word(j)) ++j;
      if (j >= range.end) break;
      const char d = t[j];
      if ((d == '.' || d == '\'' || d == '-' || d == '&') && j + 1 < range.end && word(j + 1)) {
        ++j;
      } else if (d == '.' && j - i <= 3 && IsAsciiUpper(static_cast<unsigned char>(t[j - 1]))) {
        ++j;  // the last period of "U.S." or "D.C."
        // "U.S.-Mexico" stays one word.
        if (j + 1 < range.end && t[j] == '-' && word(j + 1)) {
          ++j;
          continue;
        }
        break;
      } else {
        break;
      }
    }
    tokens.push_back({{i, j}, std::string_view(t + i, j - i)});
    i = j;
  }
}

bool IsCapitalized(std::string_view w) {
  if (w.empty()) return false;
  unsigned char c = static_cast<unsigned char>(w[0]);
  if (IsAsciiUpper(c)) return true;
  // "Yucatán" style words start ASCII; words starting with a non-ASCII
  // capital (É, Á) are rare in names here and treated as capitalized.
  return c == 0xC3 && w.size() > 1 && static_cast<unsigned char>(w[1]) < 0x9F;
}

bool IsConnector(std::string_view w) {
  if (w.size() > 7) return false;  // the longest connector is "against"
  static const auto* set = new absl::flat_hash_set<std::string>{
      "of", "for", "and", "the", "on", "in", "de", "del", "la", "los", "las", "y", "et",
      "to", "against", "&", "du", "des", "at"};
  return set->contains(absl::string_view(w.data(), w.size()));
}

// IsConnector(ToLower(w)), without allocating.
bool IsLowercasedConnector(std::string_view w) {
  if (w.size() > 7) return false;
  char lower[7];
  for (size_t k = 0; k < w.size(); ++k) {
    const char c = w[k];
    lower[k] = IsAsciiUpper(static_cast<unsigned char>(c)) ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return IsConnector(std::string_view(lower, w.size()));
}

// Words that make a capitalized name an organization.
bool IsOrganizationWord(std::string_view w) {
  static const auto* set = new absl::flat_hash_set<std::string>{
      "Agency", "Agencies", "Administration", "Department", "Ministry", "Ministries",
      "Council", "Commission", "Committee", "Corporation", "Bank", "Fund", "Funds",
      "Foundation", "Institute", "Institution", "Institutions", "University", "College",
      "Law", "Act", "Program", "Programme", "Initiative", "Partnership", "Embassy",
      "Government", "Office", "Service", "Services", "Center", "Centre", "Centers",
      "Centres", "Authority", "Organization", "Organisation", "Group", "Association",
      "Alliance", "Facility", "Company", "Inc", "Inc.", "Corp", "Corp.", "LLC", "Ltd",
      "Treasury", "Congress", "Board", "Bureau", "Secretariat", "Coalition", "Network",
      "Consortium", "Society", "Trust", "Project", "Plan", "Forum", "Dialogue",
      "Federation", "Union", "Laboratory", "Laboratories", "Academy", "Mechanism",
      "Compact", "Consulate", "Parliament", "Senate", "Taskforce", "Deal", "Bill", "Force", "Corps", "Cluster",
      "Collaborative", "Challenge", "Fellowship", "Credit", "Facility", "Power", "Electric", "Technologies",
      "Industries", "Holdings", "Pharmaceuticals", "Motors", "Airlines", "Reserve", "Conference", "Summit",
      "Exchange", "Accelerator", "Hub", "Hubs", "Institutes", "Universities", "Ministry", "Commissions"};
  return set->contains(absl::string_view(w.data(), w.size()));
}

// Titles that start a person's name, not an organization's.
bool IsPersonTitle(std::string_view w) {
  static const auto* set = new absl::flat_hash_set<std::string>{
      "President", "Vice", "Prime", "Secretary", "Minister", "Ambassador", "Senator",
      "Governor", "Mayor", "Dr.", "Mr.", "Mrs.", "Ms.", "Chancellor", "King", "Queen",
      "Administrator", "Director", "Deputy", "Chairman", "Chair", "Representative", "Assistant",
      "Special", "Envoy", "Commissioner", "Leader", "Speaker", "Sen.", "Rep.", "Gov.", "Chief"};
  return set->contains(absl::string_view(w.data(), w.size()));
}

bool IsAcronym(std::string_view w) {
  if (w.size() < 2 || w.size() > 10) return false;
  int upper = 0;
  for (char c : w) {
    if (IsAsciiUpper(static_cast<unsigned char>(c))) ++upper;
    else if (c != '&' && c != '-' && c != 's' && !IsAsciiDigit(static_cast<unsigned char>(c))) return false;
  }
  return upper >= 2;
}

std::string_view StripPossessive(std::string_view w) {
  if (EndsWith(w, "'s")) w.remove_suffix(2);
  else if (EndsWith(w, "s'")) w.remove_suffix(1);
  return w;
}

bool IsPossessive(std::string_view w) { return EndsWith(w, "'s") || EndsWith(w, "s'"); }

// Sentence-initial words that are capitalized only because they start it.
bool IsCommonSentenceStart(std::string_view w) {
  static const auto* set = new absl::flat_hash_set<std::string>{
      "The", "This", "These", "That", "Those", "In", "On", "As", "At", "By", "For", "With",
      "Through", "Today", "Together", "Since", "During", "Under", "Over", "Its", "Their",
      "Our", "A", "An", "And", "But", "Also", "Additionally", "Finally", "Further",
      "Building", "Advancing", "Addressing", "Last", "Next", "New", "Both", "Each", "All"};
  return set->contains(absl::string_view(w.data(), w.size()));
}

// Headings and titles capitalize every word, so there a capitalized run
// with "Act" or "Partnership" in it proves nothing.
bool IsTitleCase(const std::vector<Token>& tokens) {
  int long_words = 0, capitalized = 0;
  for (const Token& t : tokens) {
    if (t.text.size() <= 3 || !IsAsciiAlpha(static_cast<unsigned char>(t.text[0]))) continue;
    ++long_words;
    if (IsCapitalized(t.text)) ++capitalized;
  }
  return long_words >= 3 && capitalized * 10 >= long_words * 7;
}

const GazetteerEntry* KnownOrganization(const Gazetteer& gazetteer, std::string_view name) {
  const GazetteerEntry* e = gazetteer.Find(name);
  return e && e->kind == GazetteerKind::kOrganization ? e : nullptr;
}

bool IsScaleWord(std::string_view w) {
  return w == "Million" || w == "Billion" || w == "Trillion" || w == "Thousand";
}

// A necessary condition for the anaphor pattern in FindActors ("the bill",
// "this Act"): "he " or "his " before b, l, d, a or A. Most sentences fail
// it, and then the pattern is not run.
bool MayHaveLawAnaphor(std::string_view text, TextRange sentence) {
  const std::string_view s = sentence.In(text);
  // From each "h" (found with memchr): "he " or "his ", then the letter.
  for (size_t h = s.find('h'); h != std::string_view::npos; h = s.find('h', h + 1)) {
    size_t k = h + 1;  // the space
    if (k < s.size() && s[k] == 'e') {
      ++k;
    } else if (k + 1 < s.size() && s[k] == 'i' && s[k + 1] == 's') {
      k += 2;
    } else {
      continue;
    }
    if (k + 1 >= s.size() || s[k] != ' ') continue;
    const char next = s[k + 1];
    if (next == 'b' || next == 'l' || next == 'd' || next == 'a' || next == 'A') return true;
  }
  return false;
}

// R"(\b(Act|Law|Deal|Bill|Plan)\b)" without running a pattern: one of the
// words with no ASCII word character (letter, digit, "_") on either side.
bool IsLawName(const std::string& name) {
  auto word = [](char c) { return IsAsciiAlnum(static_cast<unsigned char>(c)) || c == '_'; };
  for (std::string_view w : {"Act", "Law", "Deal", "Bill", "Plan"}) {
    for (size_t at = name.find(w); at != std::string::npos; at = name.find(w, at + 1)) {
      const size_t end = at + w.size();
      if ((at == 0 || !word(name[at - 1])) && (end == name.size() || !word(name[end]))) return true;
    }
  }
  return false;
}

}  // namespace

void AcronymTable::Define(const std::string& acronym, Expansion expansion) {
  by_name_.try_emplace(expansion.name, acronym);
  table_.try_emplace(acronym, std::move(expansion));
}

std::string AcronymTable::AcronymOf(const std::string& name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? "" : it->second;
}

const AcronymTable::Expansion* AcronymTable::Find(std::string_view acronym) const {
  auto it = table_.find(absl::string_view(acronym.data(), acronym.size()));
  return it == table_.end() ? nullptr : &it->second;
}

std::vector<ActorMention> FindActors(std::string_view text, TextRange sentence,
                                     const Gazetteer& gazetteer, AcronymTable* acronyms,
                                     const std::vector<TextRange>& exclude) {
  std::vector<ActorMention> actors;
  // One token buffer per thread, reused (a sentence's tokens used to cost an
  // allocation each time); a huge one is not kept.
  thread_local std::vector<Token> token_buffer;
  Tokenize(text, sentence, &token_buffer);
  struct Shrink {
    ~Shrink() {
      if (token_buffer.capacity() > (1 << 16)) std::vector<Token>().swap(token_buffer);
    }
  } shrink;
  const std::vector<Token>& tokens = token_buffer;
  const bool title_case = IsTitleCase(tokens);

  // Country code of a leading demonym or country word inside a name
  // ("Mexican National Water Council", "U.S. Department of Labor").
  auto country_of_prefix = [&](std::string_view word) -> std::string {
    const std::string_view w = StripPossessive(word);
    const GazetteerEntry* e = gazetteer.Find(w);
    if (e == nullptr) e = gazetteer.FindDemonym(w);
    return e && e->kind == GazetteerKind::kCountry ? e->country_code : "";
  };

  size_t i = 0;
  while (i < tokens.size()) {
    if (!IsCapitalized(tokens[i].text)) {
      ++i;
      continue;
    }
    // A capitalized run with inner connectors: "Ministry of Foreign Relations".
    size_t j = i + 1;
    while (j < tokens.size()) {
      if (IsCapitalized(tokens[j].text)) {
        ++j;
      } else if (IsConnector(tokens[j].text) && j + 1 < tokens.size() &&
                 IsCapitalized(tokens[j + 1].text) && !IsPossessive(tokens[j - 1].text)) {
        // "HHS and Treasury": two bodies, not one name.
        if (tokens[j].text == "and" && (IsAcronym(tokens[j - 1].text) || IsAcronym(tokens[j + 1].text) ||
                                        KnownOrganization(gazetteer, tokens[j + 1].text))) {
          break;
        }
        j += 2;
      } else {
        break;
      }
    }
    // Split at a possessive: "Mexico's Ministry of Economy" is the ministry
    // of the country Mexico; "President Biden's Bipartisan Infrastructure
    // Law" is the law.
    size_t start = i;
    std::string owner_country;
    for (size_t k = i; k + 1 < j; ++k) {
      if (IsPossessive(tokens[k].text)) {
        std::string code = country_of_prefix(tokens[k].text);
        if (!code.empty()) owner_country = code;
        start = k + 1;
      }
    }
    // Drop a sentence-initial common word ("The", "Today") and a scale word
    // left from an amount ("$10 Billion Homeowners Assistance Fund").
    while (start < j && (IsCommonSentenceStart(tokens[start].text) ||
                         IsLowercasedConnector(tokens[start].text) || IsScaleWord(tokens[start].text))) {
      ++start;
    }
    if (start >= j) {
      i = j;
      continue;
    }
    size_t end = j;
    // Trailing possessive belongs to the name as owner of what follows.
    bool possessive_end = IsPossessive(tokens[end - 1].text);

    bool has_org_word = false;
    for (size_t k = start; k < end; ++k) {
      std::string_view w = StripPossessive(tokens[k].text);
      if (IsOrganizationWord(w)) has_org_word = true;
    }
    TextRange name_range{tokens[start].range.begin, tokens[end - 1].range.end};
    if (possessive_end) name_range.end -= (EndsWith(tokens[end - 1].text, "'s") ? 2 : 1);
    std::string name(name_range.In(text));

    // An acronym in parentheses right after the name defines it.
    std::string acronym;
    if (end + 2 < tokens.size() && tokens[end].text == "(" && tokens[end + 2].text == ")" &&
        IsAcronym(tokens[end + 1].text)) {
      acronym = std::string(tokens[end + 1].text);
    }

    std::string country = country_of_prefix(tokens[start].text);
    if (country.empty()) country = owner_country;

    const GazetteerEntry* known = KnownOrganization(gazetteer, name);
    if (!known && !acronym.empty()) known = KnownOrganization(gazetteer, acronym);
    // A person's title ("Secretary of Commerce Gina Raimondo", "U.S.
    // Special Envoy …") is not a body, whatever words follow.
    size_t first_word = start;
    while (first_word + 1 < end && !country_of_prefix(tokens[first_word].text).empty()) ++first_word;
    const bool person = IsPersonTitle(tokens[first_word].text);
    // One organization word alone ("Administration", "Initiative") names
    // nothing in particular.
    const bool bare_org_word = end - start == 1 && IsOrganizationWord(StripPossessive(tokens[start].text));
    // A defined acronym makes a body only when the name reads as one
    // ("Stringent Regulatory Authorization (SRA)" is a defined term).
    // In Title Case text (headings, award lines) a name must end with its
    // organization word ("Wichita State University"); "Act That You May Not
    // Have Heard About" is a headline, not a body.
    const bool ends_with_org_word = IsOrganizationWord(StripPossessive(tokens[end - 1].text));
    // "U.S. Government", "the Mexican Government": the country itself.
    const bool country_government =
        end - first_word == 1 && first_word > start &&
        (tokens[first_word].text == "Government" || tokens[first_word].text == "Administration");
    const bool org_like = has_org_word && !bare_org_word && !person && !country_government &&
                          (!title_case || ends_with_org_word);
    if (known || org_like || (!acronym.empty() && has_org_word && !person)) {
      ActorMention a;
      a.kind = ActorKind::kOrganization;
      a.range = name_range;
      // The same body under one name: the gazetteer's canonical name, and
      // the acronym it goes by ("USAID" written alone is its own acronym).
      a.name = known ? known->name : name;
      a.acronym = acronym;
      if (a.acronym.empty() && IsAcronym(name)) a.acronym = name;
      if (a.acronym.empty()) a.acronym = acronyms->AcronymOf(a.name);

      // The gazetteer lends a country, not an acronym the text never used.
      if (known && known->kind == GazetteerKind::kOrganization && country.empty()) {
        country = known->country_code;
      }
      if (!acronym.empty()) {
        acronyms->Define(acronym, {a.name, country});
        a.range.end = tokens[end + 2].range.end;
      }
      a.country_code = country;
      if (IsLawName(a.name)) acronyms->RememberLaw(a.name, country);
      actors.push_back(std::move(a));
      i = acronym.empty() ? j : end + 3;
      continue;
    }
    // A bare acronym defined earlier, or known to the gazetteer.
    if (end - start == 1 && IsAcronym(StripPossessive(tokens[start].text))) {
      std::string_view acr = StripPossessive(tokens[start].text);
      const AcronymTable::Expansion* defined = acronyms->Find(acr);
      const GazetteerEntry* known_acronym = defined ? nullptr : KnownOrganization(gazetteer, acr);
      if (defined || known_acronym) {
        ActorMention a;
        a.range = {tokens[start].range.begin, tokens[start].range.begin + acr.size()};
        a.name = defined ? defined->name : known_acronym->name;
        a.acronym = std::string(acr);
        a.country_code = defined ? defined->country_code : known_acronym->country_code;
        actors.push_back(std::move(a));
      }
    }
    i = j;
  }

  // "The bill invests $8 billion": the law named last in the document.
  const AcronymTable::Expansion* law = acronyms->LastLaw();
  if (law != nullptr && MayHaveLawAnaphor(text, sentence)) {
    static const RE2 anaphor(R"(\b([Tt]he|[Tt]his) (bill|law|legislation|deal|[Aa]ct)\b)");
    re2::StringPiece input(text.data(), sentence.end);
    re2::StringPiece m[1];
    size_t pos = sentence.begin;
    while (pos < sentence.end && anaphor.Match(input, pos, sentence.end, RE2::UNANCHORED, m, 1)) {
      size_t b = static_cast<size_t>(m[0].data() - text.data());
      pos = b + m[0].size();
      bool inside_name = std::any_of(actors.begin(), actors.end(), [&](const ActorMention& a) {
        return b >= a.range.begin && b < a.range.end;
      });
      if (inside_name) continue;
      ActorMention a;
      a.range = {b, pos};
      a.name = law->name;
      a.country_code = law->country_code;
      a.coreference = true;
      actors.push_back(std::move(a));
    }
  }

  // Countries and places from the gazetteer, outside the organizations found.
  for (const GazetteerHit& hit : gazetteer.Scan(text, sentence)) {
    bool inside = std::any_of(actors.begin(), actors.end(), [&](const ActorMention& a) {
      return a.kind == ActorKind::kOrganization && hit.range.begin >= a.range.begin &&
             hit.range.end <= a.range.end;
    });
    bool excluded = std::any_of(exclude.begin(), exclude.end(), [&](const TextRange& r) {
      return hit.range.begin < r.end && r.begin < hit.range.end;
    });
    if (inside || excluded || hit.entry->kind == GazetteerKind::kOrganization) continue;
    ActorMention a;
    a.kind = hit.entry->kind == GazetteerKind::kCountry ? ActorKind::kCountry : ActorKind::kPlace;
    a.range = hit.range;
    a.name = hit.entry->name;
    a.country_code = hit.entry->country_code;
    a.place = hit.entry;
    actors.push_back(std::move(a));
  }
  std::sort(actors.begin(), actors.end(), [](const ActorMention& a, const ActorMention& b) {
    return a.range.begin < b.range.begin;
  });
  return actors;
}

}  // namespace pledgebook::parser
