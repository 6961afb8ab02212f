#include "actors.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <memory>

#include "byte_scan.h"
#include "re2/re2.h"
#include "text_util.h"
#include "word_tokens.h"

namespace pledgebook::parser {
namespace {

// A set of words with a cheap test first: the length together with the
// first byte, and with the last byte, must occur among the words (most tokens
// fail it). Then one slot of a collision-free table, found when the set is
// built, holds the only word it can be: a general hash set's hashing,
// probing and comparison call cost more than the rest of these tests.
class WordSet {
 public:
  WordSet(std::initializer_list<const char*> words) {
    for (const char* w : words) {
      const std::string_view v(w);
      if (std::find(words_.begin(), words_.end(), v) != words_.end()) continue;
      words_.emplace_back(v);
      if (v.empty() || v.size() > 31) {
        long_ok_ = true;
        continue;
      }
      by_first_[static_cast<unsigned char>(v.front())] |= 1u << v.size();
      by_last_[static_cast<unsigned char>(v.back())] |= 1u << v.size();
    }
    // A multiplier under which no two words share a slot (tried in turn; the
    // table doubles when none of the first few hundred works).
    slot_bits_ = 4;
    while ((size_t{1} << slot_bits_) < 4 * words_.size()) ++slot_bits_;
    for (uint32_t attempt = 0;; ++attempt) {
      if (attempt == 256) {
        ++slot_bits_;
        attempt = 0;
      }
      multiplier_ = 0x9E3779B1u + 2 * attempt;
      slots_.assign(size_t{1} << slot_bits_, -1);
      bool collision = false;
      for (size_t k = 0; k < words_.size() && !collision; ++k) {
        int16_t& slot = slots_[Slot(words_[k])];
        collision = slot >= 0;
        slot = static_cast<int16_t>(k);
      }
      if (!collision) break;
    }
  }
  bool contains(std::string_view w) const {
    if (w.empty() || w.size() > 31) {
      if (!long_ok_) return false;
    } else if (!((by_first_[static_cast<unsigned char>(w.front())] & by_last_[static_cast<unsigned char>(w.back())]) >>
                 w.size() & 1u)) {
      return false;
    }
    const int16_t k = slots_[Slot(w)];
    if (k < 0) return false;
    const std::string& word = words_[static_cast<size_t>(k)];
    if (word.size() != w.size()) return false;
    for (size_t i = 0; i < w.size(); ++i) {  // short words: no call
      if (word[i] != w[i]) return false;
    }
    return true;
  }

 private:
  size_t Slot(std::string_view w) const {
    uint32_t h = 2166136261u;  // FNV-1a over the word, then a multiplicative spread
    for (char c : w) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
    return (h * multiplier_) >> (32 - slot_bits_);
  }
  std::vector<std::string> words_;
  std::vector<int16_t> slots_;  // index into words_, or -1
  uint32_t multiplier_ = 0;
  int slot_bits_ = 0;
  uint32_t by_first_[256] = {};
  uint32_t by_last_[256] = {};
  bool long_ok_ = false;
};

bool IsCapitalized(std::string_view w) {
  if (w.empty()) return false;
  unsigned char c = static_cast<unsigned char>(w[0]);
  if (IsAsciiUpper(c)) return true;
  // "Yucatán" style words start ASCII; words starting with a non-ASCII
  // capital (É, Á) are rare in names here and treated as capitalized.
  return c == 0xC3 && w.size() > 1 && static_cast<unsigned char>(w[1]) < 0x9F;
}

bool IsConnector(std::string_view w) {
  if (w.empty() || w.size() > 7) return false;  // the longest connector is "against"
  // Every connector starts with a lowercase ASCII letter or is "&".
  if (!IsAsciiLower(static_cast<unsigned char>(w[0])) && w[0] != '&') return false;
  static const auto* set = new WordSet{
      "of", "for", "and", "the", "on", "in", "de", "del", "la", "los", "las", "y", "et",
      "to", "against", "&", "du", "des", "at"};
  return set->contains(w);
}

// Words that make a capitalized name an organization.
bool IsOrganizationWord(std::string_view w) {
  // Every entry starts with an ASCII capital.
  if (w.empty() || !IsAsciiUpper(static_cast<unsigned char>(w[0]))) return false;
  static const auto* set = new WordSet{
      "Agency", "Agencies", "Administration", "Department", "Ministry", "Ministries",
      "Council", "Commission", "Committee", "Corporation", "Bank", "Fund", "Funds",
      "Foundation", "Institute", "Institution", "Institutions", "University", "College",
      "Law", "Act", "Program", "Programme", "Initiative", "Partnership", "Embassy",
      "Government", "Office", "Service", "Services", "Center", "Centre", "Centers",
      "Centres", "Authority", "Organization", "Organisation", "Group", "Association",
      "Alliance", "Facility", "Company", "Inc", "Inc.", "Corp", "Corp.", "LLC", "Ltd",
      "Treasury", "Congress", "Board", "Bureau", "Secretariat", "Coalition", "Network",
      "Consortium", "Society", "Trust", "Project", "Plan", "Dialogue",
      "Federation", "Union", "Laboratory", "Laboratories", "Academy", "Mechanism",
      "Compact", "Consulate", "Parliament", "Senate", "Taskforce", "Deal", "Bill", "Force", "Corps", "Cluster",
      "Collaborative", "Challenge", "Fellowship", "Credit", "Facility", "Power", "Electric", "Technologies",
      "Industries", "Holdings", "Pharmaceuticals", "Motors", "Airlines", "Reserve", "Police",
      "Exchange", "Accelerator", "Hub", "Hubs", "Institutes", "Universities", "Ministry", "Commissions"};
  return set->contains(w);
}

// Organization words that are also common modifiers ("Electric Buses",
// "Power Infrastructure", "Credit Card"): they make a body only as its head,
// the last word.
bool IsHeadOnlyOrganizationWord(std::string_view w) {
  return w == "Electric" || w == "Power" || w == "Credit" || w == "Exchange" || w == "Hub" || w == "Hubs" ||
         w == "Network" || w == "Service" || w == "Services" || w == "Technologies" || w == "Industries" ||
         w == "Reserve" || w == "Trust" || w == "Union" || w == "Motors" || w == "Holdings";
}

// Titles that start a person's name, not an organization's.
bool IsPersonTitle(std::string_view w) {
  // Every entry starts with an ASCII capital.
  if (w.empty() || !IsAsciiUpper(static_cast<unsigned char>(w[0]))) return false;
  static const auto* set = new WordSet{
      "President", "Vice", "Prime", "Secretary", "Minister", "Ambassador", "Senator",
      "Governor", "Mayor", "Dr.", "Mr.", "Mrs.", "Ms.", "Chancellor", "King", "Queen",
      "Administrator", "Director", "Deputy", "Chairman", "Chair", "Representative", "Assistant",
      "Special", "Envoy", "Commissioner", "Leader", "Speaker", "Sen.", "Rep.", "Gov.", "Chief"};
  return set->contains(w);
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

inline std::string_view StripPossessive(std::string_view w) {
  const size_t n = w.size();
  if (n >= 2 && w[n - 2] == '\'' && w[n - 1] == 's') w.remove_suffix(2);
  else if (n >= 2 && w[n - 2] == 's' && w[n - 1] == '\'') w.remove_suffix(1);
  return w;
}

// IsOrganizationWord of the token, its possessive 's aside, computed once.
bool IsOrganizationWordToken(const Token& t) {
  if (t.organization_word < 0) t.organization_word = IsOrganizationWord(StripPossessive(t.text)) ? 1 : 0;
  return t.organization_word == 1;
}

inline bool IsPossessive(std::string_view w) {
  const size_t n = w.size();
  return n >= 2 && ((w[n - 2] == '\'' && w[n - 1] == 's') || (w[n - 2] == 's' && w[n - 1] == '\''));
}

// Sentence-initial words that are capitalized only because they start it.
bool IsCommonSentenceStart(std::string_view w) {
  // Every entry starts with an ASCII capital.
  if (w.empty() || !IsAsciiUpper(static_cast<unsigned char>(w[0]))) return false;
  static const auto* set = new WordSet{
      "The", "This", "These", "That", "Those", "In", "On", "As", "At", "By", "For", "With",
      "Through", "Today", "Together", "Since", "During", "Under", "Over", "Its", "Their",
      "Our", "A", "An", "And", "But", "Also", "Additionally", "Finally", "Further",
      "Building", "Advancing", "Addressing", "Last", "Next", "New", "Both", "Each", "All"};
  return set->contains(w);
}

// Headings and titles capitalize every word, so there a capitalized run
// with "Act" or "Partnership" in it proves nothing. Counted token by token:
// words of four letters or more, and how many of them are capitalized.
struct TitleCaseCount {
  int long_words = 0, capitalized = 0;
  void Add(const Token& t) {  // without branches: whether a word counts is unpredictable
    const unsigned char c = static_cast<unsigned char>(t.text[0]);
    const int counts = (t.text.size() > 3) & IsAsciiAlpha(c);
    long_words += counts;
    capitalized += counts & IsAsciiUpper(c);
  }
  bool IsTitleCase() const { return long_words >= 3 && capitalized * 10 >= long_words * 7; }
};

// The words FindActors' first pass looks for, by first byte and length: most
// tokens are none of them, which a table lookup says without a branch on
// their first letter (a switch on it mispredicted on nearly every token).
enum CueWord : uint8_t {
  kNoCue, kQuote, kDollar, kColon, kDepartments, kMinistries, kSecretariats, kFor, kFrom, kSuch, kIncluding, kLike,
  kLed
};
struct CueWords {
  uint8_t id[256][16] = {};
  std::string_view word[kLed + 1] = {};
  constexpr CueWords() {
    const std::pair<CueWord, std::string_view> cues[] = {
        {kQuote, "\""},  {kDollar, "$"},     {kColon, ":"},  {kDepartments, "Departments"},
        {kMinistries, "Ministries"}, {kSecretariats, "Secretariats"}, {kFor, "for"}, {kFrom, "from"},
        {kSuch, "such"}, {kIncluding, "including"}, {kLike, "like"}, {kLed, "led"}};
    for (const auto& [cue, w] : cues) {
      id[static_cast<unsigned char>(w[0])][w.size()] = cue;
      word[cue] = w;
    }
  }
  CueWord Of(std::string_view w) const {
    if (w.size() >= 16) return kNoCue;
    const CueWord cue = static_cast<CueWord>(id[static_cast<unsigned char>(w[0])][w.size()]);
    if (cue == kNoCue) return kNoCue;
    for (size_t k = 1; k < w.size(); ++k) {  // same length and first byte; short: no memcmp call
      if (w[k] != word[cue][k]) return kNoCue;
    }
    return cue;
  }
};
constexpr CueWords kCueWords;

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
  // At an "h": "he " or "his ", then the letter.
  auto matches_at = [&](size_t h) {
    size_t k = h + 1;  // the space
    if (k < s.size() && s[k] == 'e') {
      ++k;
    } else if (k + 1 < s.size() && s[k] == 'i' && s[k + 1] == 's') {
      k += 2;
    } else {
      return false;
    }
    if (k + 1 >= s.size() || s[k] != ' ') return false;
    const char next = s[k + 1];
    return next == 'b' || next == 'l' || next == 'd' || next == 'a' || next == 'A';
  };
  // Only the "he" and "hi" of each 16-byte block are looked at.
  auto he_or_hi = [](const char* p) {
    const Bytes16 v = Load16(p), next = Load16(p + 1);
    return BitMask(static_cast<Bool16>(v == 'h') & static_cast<Bool16>((next == 'e') | (next == 'i')));
  };
  return ScanCandidates(s.data(), 0, s.size(), he_or_hi, [&](size_t k) { return s[k] == 'h'; }, matches_at) <
         s.size();
}

// R"(\b(Act|Law|Deal|Bill|Plan)\b)" without running a pattern: one of the
// words with no ASCII word character (letter, digit, "_") on either side.
bool IsLawName(const std::string& name) {
  auto word = IsRe2WordByte;
  // One pass over the runs of word characters: a match is a whole run.
  for (size_t i = 0; i < name.size();) {
    if (!word(name[i])) {
      ++i;
      continue;
    }
    size_t end = i + 1;
    while (end < name.size() && word(name[end])) ++end;
    const std::string_view run(name.data() + i, end - i);
    if (run == "Act" || run == "Law" || run == "Deal" || run == "Bill" || run == "Plan") return true;
    i = end;
  }
  return false;
}

bool IsMonthOrWeekday(std::string_view w) {
  // Every entry starts with an ASCII capital.
  if (w.empty() || !IsAsciiUpper(static_cast<unsigned char>(w[0]))) return false;
  static const auto* set = new WordSet{
      "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
      "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
  return set->contains(w);
}

// Last words of agreements, declarations and pledges: documents, not bodies.
bool IsAgreementWord(std::string_view w) {
  // Every entry starts with an ASCII capital.
  if (w.empty() || !IsAsciiUpper(static_cast<unsigned char>(w[0]))) return false;
  static const auto* set = new WordSet{
      "Agreement", "Agreements", "Treaty", "Treaties", "Declaration", "Pledge", "Accord", "Accords",
      "Memorandum", "Protocol", "Communique", "Communiqué", "Authorization", "Listing", "Listings", "Standard",
      "Standards"};
  return set->contains(w);
}

// Verbs of headlines: "Biden-Harris Administration Announces American
// Climate Corps" is two names and a verb, not one name.
bool IsHeadlineVerb(std::string_view w) {
  // Cheap test first: these all end in -s or -d, or are "Will"/"Can".
  if (w.size() < 3 || !IsAsciiUpper(static_cast<unsigned char>(w[0]))) return false;  // std::isupper in the C locale
  const char last = w.back();
  if (last != 's' && last != 'd' && w != "Will" && w != "Can") return false;
  static const auto* set = new WordSet{
      "Announces", "Announced", "Launches", "Launched", "Unveils", "Unveiled", "Releases", "Delivers",
      "Provides", "Invests", "Takes", "Signs", "Celebrates", "Convenes", "Commits", "Expands", "Proposes",
      "Builds", "Will", "Can", "Helps", "Deploys", "Approves", "Selects", "Secures", "Raises", "Urges", "Joins",
      "Continues", "Finalizes", "Creates", "Applauds", "Welcomes", "Praises", "Hails", "Directs", "Encourages",
      "Instructs", "Establishes", "Requires", "Orders"};
  return set->contains(w);
}

// Lowercase words that make the capitalized name before them a programme
// or body ("the Bioinformatics Fellowship program").
bool IsLowercaseHead(std::string_view w) {
  return w == "program" || w == "programme" || w == "initiative" || w == "forum" || w == "project" ||
         w == "facility";
}

bool IsCompanySuffix(std::string_view w) {
  return w == "Inc" || w == "Inc." || w == "LLC" || w == "Ltd" || w == "Ltd." || w == "Corp" || w == "Corp." ||
         w == "PLC" || w == "plc" || w == "L.P." || w == "LP" || w == "Co" || w == "Co.";
}

std::string_view LastWord(std::string_view s) {
  size_t at = s.rfind(' ');
  return at == std::string_view::npos ? s : s.substr(at + 1);
}

// Whether an acronym spells the initials of the name's capitalized words
// ("Emergency Rental Assistance" → ERA; connectors may or may not count).
bool InitialsMatch(const TokenList& tokens, size_t start, size_t end, std::string_view acronym) {
  std::string letters;
  for (char c : acronym) {
    if (std::isupper(static_cast<unsigned char>(c))) letters.push_back(c);
  }
  std::string all, capitals;
  for (size_t k = start; k < end; ++k) {
    std::string_view w = tokens[k].text;
    if (w.empty() || !std::isalpha(static_cast<unsigned char>(w[0]))) continue;
    // "Build-Back": each part of a hyphenated word may count.
    for (std::string_view part : Split(w, '-', true)) {
      char c = static_cast<char>(std::toupper(static_cast<unsigned char>(part[0])));
      all.push_back(c);
      if (std::isupper(static_cast<unsigned char>(part[0]))) capitals.push_back(c);
    }
  }
  if (letters.size() < 2 || all.empty()) return false;
  if (letters == all || letters == capitals) return true;
  // "Foundational Infrastructure for Responsible Use of Small Modular
  // Reactor Technology (FIRST)": initials of some words, in order, from the
  // first word to the last.
  if (letters.front() != all.front() || letters.back() != all.back()) return false;
  size_t at = 0;
  for (char c : all) {
    if (at < letters.size() && c == letters[at]) ++at;
  }
  return at == letters.size();
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
  thread_local TokenList token_buffer;
  Tokenize(text, sentence, &token_buffer);
  struct Trim {
    ~Trim() { token_buffer.Trim(); }
  } trim;
  const TokenList& tokens = token_buffer;

  // Country code of a leading demonym or country word inside a name
  // ("Mexican National Water Council", "U.S. Department of Labor").
  auto country_entry = [&](std::string_view word) -> const GazetteerEntry* {
    const std::string_view w = StripPossessive(word);
    const GazetteerEntry* e = gazetteer.Find(w);
    if (e == nullptr) e = gazetteer.FindDemonym(w);
    return e && e->kind == GazetteerKind::kCountry ? e : nullptr;
  };
  auto country_of_prefix = [&](std::string_view word) -> std::string {
    const GazetteerEntry* e = country_entry(word);
    return e ? e->country_code : "";
  };
  auto has_country_prefix = [&](std::string_view word) {
    const GazetteerEntry* e = country_entry(word);
    return e != nullptr && !e->country_code.empty();
  };

  // Gazetteer names in the sentence: a known body is never split at its
  // inner "and" ("Department of Health and Human Services", "CHIPS and
  // Science Act"), and known bodies the capitalized runs miss are added below.
  const std::vector<GazetteerHit> gazetteer_hits = gazetteer.Scan(text, sentence);
  auto inside_known_org = [&](size_t byte) {
    return std::any_of(gazetteer_hits.begin(), gazetteer_hits.end(), [&](const GazetteerHit& h) {
      return h.entry->kind == GazetteerKind::kOrganization && h.range.begin < byte && byte < h.range.end;
    });
  };
  auto known_org_starts_at = [&](size_t byte) {
    return std::any_of(gazetteer_hits.begin(), gazetteer_hits.end(), [&](const GazetteerHit& h) {
      return h.entry->kind == GazetteerKind::kOrganization && h.range.begin == byte;
    });
  };
  // Ranges taken by the list and layout rules below; the run scanner skips them.
  std::vector<TextRange> claimed;
  auto is_claimed = [&](const Token& t) {
    return std::any_of(claimed.begin(), claimed.end(),
                       [&](const TextRange& r) { return t.range.begin < r.end && r.begin < t.range.end; });
  };
  auto overlaps_exclude = [&](TextRange r) {
    return std::any_of(exclude.begin(), exclude.end(), [&](const TextRange& x) { return r.begin < x.end && x.begin < r.end; });
  };
  auto add_org = [&](TextRange range, std::string name, std::string country) {
    const GazetteerEntry* known = KnownOrganization(gazetteer, name);
    ActorMention a;
    a.kind = ActorKind::kOrganization;
    a.range = range;
    a.name = known ? known->name : name;
    if (IsAcronym(name)) a.acronym = name;
    if (a.acronym.empty()) a.acronym = acronyms->AcronymOf(a.name);
    a.country_code = !country.empty() ? country : known ? known->country_code : "";
    if (IsLawName(a.name)) acronyms->RememberLaw(a.name, a.country_code);
    actors.push_back(std::move(a));
  };
  const std::string_view sentence_text = sentence.In(text);
  // One pass over the tokens says which of the rules below can apply.
  bool has_quote = false, has_plural_head = false, may_list = false, has_dollar = false, has_for = false;
  // Run-in headings end with a colon ("State and Local Fiscal Recovery Fund
  // Can Help Families Ineligible for Other Support: States, ..."): whether
  // the text is Title Case is judged before and after the colon apart.
  size_t heading_end = 0;
  bool colon_seen = false;
  TitleCaseCount head_count, all_count;
  for (size_t k = 0; k < tokens.size(); ++k) {
    const Token& t = tokens[k];
    all_count.Add(t);
    // An opening curly quote starts a word (0xE2 is a word byte).
    if (t.text[0] == '\xE2') has_quote = has_quote || StartsWith(t.text, "\xE2\x80\x9C");
    switch (kCueWords.Of(t.text)) {
      case kNoCue: break;
      case kQuote: has_quote = true; break;
      case kDollar: has_dollar = true; break;
      case kColon:  // the first colon only (at the start, it opens no heading)
        if (!colon_seen) {
          colon_seen = true;
          heading_end = k;
          head_count = all_count;
        }
        break;
      case kDepartments: case kMinistries: case kSecretariats: has_plural_head = true; break;
      case kFor: has_for = true; break;
      case kFrom: case kSuch: case kIncluding: case kLike: case kLed: may_list = true; break;
    }
  }
  const bool table_row = tokens.size() <= 12 && (sentence_text.find(" | ") != std::string_view::npos ||
                                                 (has_dollar && tokens.size() <= 8));
  const TitleCaseCount rest_count{all_count.long_words - head_count.long_words,
                                  all_count.capitalized - head_count.capitalized};
  const bool title_case_head = heading_end > 0 && head_count.IsTitleCase();
  const bool title_case_rest = rest_count.IsTitleCase();
  auto title_case_at = [&](size_t k) { return heading_end > 0 && k < heading_end ? title_case_head : title_case_rest; };

  // Award lists lay out one recipient per line, "Recipient Name (State)",
  // and one award per line, "$65 million for the Project Name".
  {
    static const RE2 recipient_line(R"(^((?:The )?[A-Z0-9][^()$]{2,120}?) \(([A-Z][A-Za-z .'-]{2,40})\)$)");
    static const RE2 award_line(
        R"(^(?:(?:about|over|nearly|approximately|more than|up to) )?(?:[A-Z]{0,3}\$|€|£)[0-9][0-9.,]*(?: ?(?:million|billion|thousand|[MBK]))? for (?:the |The )?([A-Z0-9][^$]{1,150}?)\.?$)");
    std::string name, where;
    const bool short_line = sentence_text.size() <= 200;
    // The award line's currency sign comes within its first 18 bytes
    // ("approximately " and a code before it at most).
    auto MayOpenWithAmount = [](std::string_view line) {
      const std::string_view head = line.substr(0, 20);
      return head.find('$') != std::string_view::npos || head.find("\xE2\x82\xAC") != std::string_view::npos ||
             head.find("\xC2\xA3") != std::string_view::npos;
    };
    if (short_line && !sentence_text.empty() && sentence_text.back() == ')' &&
        RE2::FullMatch(sentence_text, recipient_line, &name, &where)) {
      const GazetteerEntry* place = gazetteer.Find(where);
      const GazetteerEntry* whole = gazetteer.Find(name);
      const bool government = StartsWith(name, "City of") || StartsWith(name, "County of") ||
                              StartsWith(name, "State of") || StartsWith(name, "Town of");
      if (place && place->kind != GazetteerKind::kOrganization && !government &&
          (whole == nullptr || whole->kind == GazetteerKind::kOrganization)) {
        size_t b = sentence.begin + (StartsWith(name, "The ") ? 4 : 0);
        TextRange r{b, sentence.begin + name.size()};
        add_org(r, std::string(r.In(text)), place->country_code);
        claimed.push_back(r);
      }
    } else if (short_line && has_for && MayOpenWithAmount(sentence_text) &&
               RE2::FullMatch(sentence_text, award_line, &name)) {
      const size_t b = static_cast<size_t>(sentence_text.rfind(name)) + sentence.begin;
      const GazetteerEntry* whole = gazetteer.Find(name);
      if (whole == nullptr || whole->kind == GazetteerKind::kOrganization) {
        TextRange r{b, b + name.size()};
        add_org(r, name, "");
        claimed.push_back(r);
      }
    }
  }

  // A quoted name before a programme word: the "Safe Streets for All"
  // program, the "Buy Clean" initiative.
  {
    static const RE2 quoted(
        R"(["\x{201C}]([A-Z][^"\x{201C}\x{201D}]{1,80}?)["\x{201D}] (?:program|programme|initiative|fund|grant program|challenge|prize)\b)");
    re2::StringPiece input(text.data(), sentence.end);
    re2::StringPiece m[2];
    // The pattern by hand (its counted lazy group made RE2 slow here) when
    // the sentence is well-formed UTF-8: from each opening quote, a capital,
    // then 1 to 80 characters up to the first quote, which must close.
    const bool by_hand = has_quote && IsWellFormedUtf8(sentence_text);
    auto word = IsRe2WordByte;
    auto at = [&](size_t i, std::string_view lit) { return i + lit.size() <= sentence.end && text.substr(i, lit.size()) == lit; };
    // The match end of a quoted name opening at q (its name in *name), or 0.
    auto quoted_at = [&](size_t q, TextRange* name) -> size_t {
      size_t i;
      if (text[q] == '"') i = q + 1;
      else if (at(q, "\xE2\x80\x9C")) i = q + 3;
      else return 0;
      if (i >= sentence.end || !IsAsciiUpper(static_cast<unsigned char>(text[i]))) return 0;
      const size_t b = i++;
      size_t close = 0;
      for (int chars = 0; i < sentence.end; ++chars) {
        if (text[i] == '"') {
          close = 1;
        } else if (at(i, "\xE2\x80\x9D")) {
          close = 3;
        } else if (at(i, "\xE2\x80\x9C") || chars == 80) {
          return 0;
        }
        if (close != 0) {
          if (chars == 0) return 0;
          break;
        }
        const unsigned char c = static_cast<unsigned char>(text[i]);
        i += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
      }
      if (close == 0) return 0;
      *name = {b, i};
      size_t k = i + close;
      if (!at(k, " ")) return 0;
      ++k;
      for (std::string_view w : {"program", "programme", "initiative", "fund", "grant program", "challenge", "prize"}) {
        if (at(k, w) && (k + w.size() == sentence.end || !word(text[k + w.size()]))) return k + w.size();
      }
      return 0;
    };
    auto next_match = [&](size_t from, size_t* end, TextRange* name) {
      if (!by_hand) {
        if (!quoted.Match(input, from, sentence.end, RE2::UNANCHORED, m, 2)) return false;
        *end = static_cast<size_t>(m[0].data() - text.data()) + m[0].size();
        const size_t b = static_cast<size_t>(m[1].data() - text.data());
        *name = {b, b + m[1].size()};
        return true;
      }
      for (size_t q = from; q < sentence.end; ++q) {
        if (text[q] != '"' && text[q] != '\xE2') continue;
        if ((*end = quoted_at(q, name)) != 0) return true;
      }
      return false;
    };
    size_t pos = sentence.begin;
    size_t match_end = 0;
    TextRange name_range;
    while (has_quote && pos < sentence.end && next_match(pos, &match_end, &name_range)) {
      pos = match_end;
      const TextRange r = name_range;
      const GazetteerEntry* e = gazetteer.Find(r.In(text));
      if ((e && e->kind != GazetteerKind::kOrganization) || overlaps_exclude(r)) continue;
      add_org(r, std::string(r.In(text)), "");
      claimed.push_back(r);
    }
  }

  // "the Departments of State, Commerce, Defense, and Energy", "Mexico's
  // Ministries of Economy and Labor": one body per member.
  {
    static const RE2 plural_head(
        R"(\b(Departments|Ministries|Secretariats) of ((?:the (?:Interior|Treasury)|[A-Z][\w&'-]*(?: [A-Z][\w&'-]*){0,3})(?:,(?: and)? (?:the (?:Interior|Treasury)|[A-Z][\w&'-]*(?: [A-Z][\w&'-]*){0,3}))*,? and (?:the (?:Interior|Treasury)|[A-Z][\w&'-]*(?: [A-Z][\w&'-]*){0,3}))\b)");
    re2::StringPiece input(text.data(), sentence.end);
    re2::StringPiece m[3];
    size_t pos = sentence.begin;
    while (has_plural_head && pos < sentence.end && plural_head.Match(input, pos, sentence.end, RE2::UNANCHORED, m, 3)) {
      const size_t b = static_cast<size_t>(m[0].data() - text.data());
      const size_t e = b + m[0].size();
      pos = e;
      const std::string_view head(m[1].data(), m[1].size());
      const std::string singular = head == "Departments" ? "Department" : head == "Ministries" ? "Ministry" : "Secretariat";
      // The owner before the head: "U.S. Departments", "Mexico's Ministries".
      size_t range_begin = b;
      std::string country, country_name;
      for (const Token& t : tokens) {
        if (t.range.end + 1 == b && t.range.begin >= sentence.begin) {
          if (const GazetteerEntry* c = country_entry(t.text)) {
            country = c->country_code;
            country_name = c->name;
          }
        }
      }
      std::string members(m[2].data(), m[2].size());
      for (std::string_view sep : {", and ", ", ", " and "}) {
        for (size_t at; (at = members.find(sep)) != std::string::npos;) members.replace(at, sep.size(), "|");
      }
      // Members with their own "and": "Health and Human Services".
      std::vector<std::string> merged;
      for (std::string_view member : Split(members, '|', true)) {
        if (!merged.empty() && KnownOrganization(gazetteer, singular + " of " + merged.back() + " and " + std::string(member))) {
          merged.back() += " and " + std::string(member);
        } else {
          merged.emplace_back(member);
        }
      }
      if (merged.size() < 2) continue;
      for (const std::string& member : merged) {
        std::string name = singular + " of " + member;
        if (singular == "Ministry" && !country_name.empty()) name += " (" + country_name + ")";
        add_org({b, e}, name, country);
      }
      claimed.push_back({range_begin, e});
    }
  }

  // "utility companies including DTE Energy, Eversource, and National Grid":
  // the names listed after a plural noun for companies or organizations.
  {
    static const auto* list_nouns = new WordSet{
        "companies", "company", "utilities", "firms", "businesses", "corporations", "manufacturers", "banks",
        "insurers", "retailers", "employers", "organizations", "organisations", "foundations", "universities",
        "partners", "providers", "automakers", "carmakers", "developers", "philanthropies", "nonprofits",
        "non-profits"};
    for (size_t t = 1; may_list && t + 1 < tokens.size(); ++t) {
      const std::string_view w = tokens[t].text;
      size_t k;  // the first listed name
      if (w == "including" || w == "like" || w == "from") {
        k = t + 1;
      } else if ((w == "such" && tokens[t + 1].text == "as") || (w == "led" && tokens[t + 1].text == "by")) {
        k = t + 2;
      } else {
        continue;
      }
      size_t noun = t - 1;
      if (tokens[noun].text == "," && noun > 0) --noun;
      if (!list_nouns->contains(ToLower(tokens[noun].text))) continue;
      std::vector<TextRange> names;
      bool more = true;
      while (more && k < tokens.size()) {
        while (k < tokens.size() && (tokens[k].text == "*" || tokens[k].text == "the")) ++k;
        size_t s = k;
        while (k < tokens.size() && (IsCapitalized(tokens[k].text) || std::isdigit(static_cast<unsigned char>(tokens[k].text[0])) ||
                                     (k > s && k + 1 < tokens.size() && IsCapitalized(tokens[k + 1].text) &&
                                      (tokens[k].text == "&" || tokens[k].text == "of" || tokens[k].text == "for" ||
                                       tokens[k].text == "on"))) ) {
          ++k;
        }
        if (k == s) break;
        names.push_back({tokens[s].range.begin, tokens[k - 1].range.end});
        while (k < tokens.size() && tokens[k].text == "*") ++k;
        more = false;
        if (k < tokens.size() && (tokens[k].text == "," || tokens[k].text == "and")) {
          more = true;
          ++k;
          if (k < tokens.size() && tokens[k].text == "and") ++k;
        }
      }
      // A list of one is a phrase, not a list ("partners like Japan").
      if (names.size() < 2) continue;
      for (const TextRange& r : names) {
        const GazetteerEntry* e = gazetteer.Find(r.In(text));
        if (e && e->kind != GazetteerKind::kOrganization) continue;  // a place
        if (overlaps_exclude(r) || IsOrganizationWord(r.In(text))) continue;  // "..., the Department launched"
        add_org(r, std::string(r.In(text)), "");
        claimed.push_back(r);
      }
    }
  }

  // Evaluates the capitalized name tokens[start, end) and records it when it
  // names a body. Returns the token index after what it consumed, or 0 when
  // the name is not a body.
  std::function<size_t(size_t, size_t, std::string, std::string)> consider_fn;
  auto consider = [&](size_t start, size_t end, std::string owner_country, std::string owner_name) -> size_t {
    // Drop a sentence-initial common word ("The", "Today") and a scale word
    // left from an amount ("$10 Billion Homeowners Assistance Fund").
    // ("Los Angeles County" keeps its article.)
    auto english_connector = [](std::string_view w) {
      if (w.empty() || w.size() > 7) return false;
      char l[8];
      for (size_t k = 0; k < w.size(); ++k) l[k] = IsAsciiUpper(static_cast<unsigned char>(w[k])) ? static_cast<char>(w[k] + 32) : w[k];
      const std::string_view lw(l, w.size());
      return lw == "of" || lw == "for" || lw == "and" || lw == "the" || lw == "on" || lw == "in" || lw == "to" ||
             lw == "at" || lw == "against" || lw == "&";
    };
    while (start < end && (IsCommonSentenceStart(tokens[start].text) || english_connector(tokens[start].text) ||
                           IsScaleWord(tokens[start].text))) {
      ++start;
    }
    while (end > start + 1 && IsConnector(tokens[end - 1].text)) --end;
    if (start >= end) return 0;
    // Most runs are one word ("President", "Biden"). Unless an acronym in
    // parentheses or a company suffix follows, or it is "Act" (of 2022), a
    // single word names a body only when it is a known one or an acronym:
    // what the rules below conclude, without their lookups.
    if (end - start == 1) {
      const std::string_view word = tokens[start].text;
      const bool more_follows = end < tokens.size() && (tokens[end].text == "(" || tokens[end].text == ",");
      if (!more_follows && word != "Act" && !IsAcronym(StripPossessive(word)) &&
          KnownOrganization(gazetteer, StripPossessive(word)) == nullptr) {
        return 0;
      }
    }
    // "Strengthening the United States-Canada Partnership" is a headline;
    // "the Building Central Florida's ... Cluster" is a name.
    const bool defines_acronym = end + 2 < tokens.size() && tokens[end].text == "(" && tokens[end + 2].text == ")";
    if (EndsWith(tokens[start].text, "ing") && tokens[start].text.size() > 5 && !defines_acronym &&
        !(start > 0 && ToLower(tokens[start - 1].text) == "the")) {
      return 0;
    }
    // A two-letter code in a table row is a state or country code ("VA |
    // Virginia | $5,589,242"), not an agency.
    if (end - start == 1 && tokens[start].text.size() <= 2 && table_row) return 0;
    const bool title_case = title_case_at(start);
    // Trailing possessive belongs to the name as owner of what follows.
    const bool possessive_end = IsPossessive(tokens[end - 1].text);
    bool has_org_word = false, any_org_word = false;
    for (size_t k = start; k < end; ++k) {
      if (!IsOrganizationWordToken(tokens[k])) continue;
      const std::string_view w = StripPossessive(tokens[k].text);
      any_org_word = true;
      if (k + 1 == end || !IsHeadOnlyOrganizationWord(w)) has_org_word = true;
    }
    // A law with its year: "United States-Ecuador Partnership Act of 2022".
    if (!possessive_end && tokens[end - 1].text == "Act" && end + 1 < tokens.size() && tokens[end].text == "of" &&
        tokens[end + 1].text.size() == 4 && std::isdigit(static_cast<unsigned char>(tokens[end + 1].text[0]))) {
      end += 2;
    }
    // A company suffix after a comma: "Greater St. Louis, Inc.".
    bool company = false;
    if (!possessive_end && end + 1 < tokens.size() && tokens[end].text == "," &&
        IsCompanySuffix(tokens[end + 1].text)) {
      end += 2;
      if (end < tokens.size() && tokens[end].text == "." && tokens[end].range.begin == tokens[end - 1].range.end) ++end;
      company = true;
    }
    // A lowercase head after a name: "the Bioinformatics Fellowship program",
    // "the Asia Pacific Economic Cooperation forum".
    bool lowercase_head = false, head_possessive = false;
    if (!possessive_end && !company && end - start >= 2 && end < tokens.size() &&
        IsLowercaseHead(StripPossessive(tokens[end].text))) {
      head_possessive = IsPossessive(tokens[end].text);
      ++end;
      lowercase_head = true;
    }
    // "Johnson & Johnson", "Procter & Gamble": a company.
    if (!title_case && end - start == 3 && tokens[start + 1].text == "&" && !has_org_word) company = true;
    TextRange name_range{tokens[start].range.begin, tokens[end - 1].range.end};
    if (possessive_end || head_possessive) name_range.end -= (EndsWith(tokens[end - 1].text, "'s") ? 2 : 1);
    // The canonical name leaves out a lowercase head ("the Help to Heat
    // programme" is "Help to Heat"); the written range keeps it.
    const std::string_view name =
        TextRange{name_range.begin, lowercase_head ? tokens[end - 2].range.end : name_range.end}.In(text);

    // An acronym in parentheses right after the name defines it.
    std::string acronym;
    if (end + 2 < tokens.size() && tokens[end].text == "(" && tokens[end + 2].text == ")" &&
        IsAcronym(tokens[end + 1].text)) {
      acronym = std::string(tokens[end + 1].text);
    }

    std::string country = country_of_prefix(tokens[start].text);
    if (country.empty()) country = owner_country;

    // A person's title ("Secretary of Commerce Gina Raimondo", "U.S.
    // Special Envoy …") is not a body, whatever words follow.
    size_t first_word = start;
    while (first_word + 1 < end && has_country_prefix(tokens[first_word].text)) ++first_word;
    const GazetteerEntry* known = KnownOrganization(gazetteer, name);
    if (!known && !acronym.empty()) known = KnownOrganization(gazetteer, acronym);
    // "U.S. Inflation Reduction Act": the known law, with a country word.
    if (!known && first_word > start) {
      known = KnownOrganization(gazetteer, std::string_view(text).substr(
                                               tokens[first_word].range.begin,
                                               name_range.end - tokens[first_word].range.begin));
    }
    const bool person = IsPersonTitle(tokens[first_word].text);
    // One organization word alone ("Administration", "Initiative") names
    // nothing in particular.
    const bool bare_org_word = end - start == 1 && IsOrganizationWordToken(tokens[start]);
    // In Title Case text (headings, award lines) a name must end with its
    // organization word ("Wichita State University"); "Act That You May Not
    // Have Heard About" is a headline, not a body.
    const bool ends_with_org_word =
        IsOrganizationWordToken(tokens[end - 1]) || lowercase_head || company;
    // "U.S. Government", "the United States Government": the country itself.
    const std::string_view last = StripPossessive(tokens[end - 1].text);
    bool country_government = false;
    if ((last == "Government" || last == "Administration") && end - start >= 2) {
      const std::string_view before(text.data() + tokens[start].range.begin,
                                    tokens[end - 2].range.end - tokens[start].range.begin);
      const GazetteerEntry* e = gazetteer.Find(StripPossessive(before));
      if (e == nullptr) e = gazetteer.FindDemonym(before);
      country_government = e && e->kind == GazetteerKind::kCountry;
    }
    // Agreements, declarations and pledges are not bodies.
    const bool agreement =
        IsAgreementWord(last) || (start + 1 < end && IsConnector(tokens[start + 1].text) && IsAgreementWord(tokens[start].text));
    // A name defined with an acronym of its initials ("Emergency Rental
    // Assistance (ERA)", "Long Duration Storage Shot (LDSS)") is a named
    // programme or body.
    // Plural acronyms ("Small Modular Reactors (SMRs)") name kinds of things.
    const bool initialism = !acronym.empty() && end - start >= 2 && acronym.size() >= 3 && acronym.back() != 's' &&
                            InitialsMatch(tokens, start, end, acronym);
    // A known body followed by words that are not part of it: "the Global
    // Fund Seventh Replenishment Conference" names the Global Fund.
    if (!known && acronym.empty() && !lowercase_head && !company && end - start >= 2 &&
        known_org_starts_at(tokens[start].range.begin)) {
      for (size_t p = end - 1; p > start; --p) {
        if (IsOrganizationWordToken(tokens[p])) break;
        if (IsConnector(tokens[p].text) || IsConnector(tokens[p - 1].text)) continue;
        const std::string_view prefix(text.data() + tokens[start].range.begin,
                                      tokens[p - 1].range.end - tokens[start].range.begin);
        if (KnownOrganization(gazetteer, prefix)) {
          const size_t done = consider_fn(start, p, owner_country, owner_name);
          return done != 0 ? end : 0;
        }
      }
    }
    const bool org_like = (has_org_word || lowercase_head || company) && !bare_org_word && !person &&
                          !country_government && (!title_case || ends_with_org_word);
    if (agreement || person) known = known && !agreement ? known : nullptr;
    if ((known || org_like || (!acronym.empty() && (any_org_word || initialism) && !person)) && !agreement) {
      ActorMention a;
      a.kind = ActorKind::kOrganization;
      a.range = name_range;
      a.name = known ? known->name : std::string(name);
      a.acronym = acronym;
      if (a.acronym.empty() && IsAcronym(name)) a.acronym = std::string(name);
      if (a.acronym.empty()) a.acronym = acronyms->AcronymOf(a.name);
      // The gazetteer lends a country, not an acronym the text never used.
      if (known && country.empty()) country = known->country_code;
      // A ministry is one country's: "Ministry of Labor (Mexico)".
      if (!known && !owner_country.empty() && (StartsWith(a.name, "Ministry of") || StartsWith(a.name, "Ministries of"))) {
        if (!owner_name.empty()) a.name += " (" + owner_name + ")";
      }
      if (!acronym.empty()) {
        acronyms->Define(acronym, {a.name, country});
        a.range.end = tokens[end + 2].range.end;
      }
      a.country_code = country;
      if (IsLawName(a.name)) acronyms->RememberLaw(a.name, country);
      actors.push_back(std::move(a));
      return acronym.empty() ? end : end + 3;
    }
    // "Boone County", "Jefferson Parish": a county is a place (a region).
    const std::string_view last_word = StripPossessive(tokens[end - 1].text);
    if (end - start >= 2 && !title_case && !has_org_word &&
        (last_word == "County" || last_word == "Parish" || last_word == "Borough")) {
      ActorMention a;
      a.kind = ActorKind::kPlace;
      a.range = name_range;
      a.name = name;
      if (const GazetteerEntry* state = nullptr; state == nullptr && end + 1 < tokens.size() && tokens[end].text == ",") {
        // "Boone County, Kentucky": the state gives the country.
        const GazetteerEntry* e = gazetteer.Find(StripPossessive(tokens[end + 1].text));
        if (e && e->kind == GazetteerKind::kState) a.country_code = e->country_code;
      }
      actors.push_back(std::move(a));
      return end;
    }
    // A bare acronym defined earlier, or known to the gazetteer.
    if (end - start == 1 && IsAcronym(StripPossessive(tokens[start].text))) {
      std::string_view acr = StripPossessive(tokens[start].text);
      const AcronymTable::Expansion* defined = acronyms->Find(acr);
      const GazetteerEntry* known_acronym = defined ? nullptr : KnownOrganization(gazetteer, acr);
      // A two-letter code in a table row is a state or country code ("VA
      // Virginia"), not an agency.
      const bool table_code = known_acronym && acr.size() <= 2 && sentence_text.find('$') != std::string_view::npos &&
                              tokens.size() <= 8;
      if ((defined || known_acronym) && !table_code) {
        ActorMention a;
        a.range = {tokens[start].range.begin, tokens[start].range.begin + acr.size()};
        a.name = defined ? defined->name : known_acronym->name;
        a.acronym = std::string(acr);
        a.country_code = defined ? defined->country_code : known_acronym->country_code;
        actors.push_back(std::move(a));
        return end;
      }
    }
    return 0;
  };
  consider_fn = std::ref(consider);  // a reference: no copy of the closure on the heap

  size_t i = 0;
  while (i < tokens.size()) {
    if (!IsCapitalized(tokens[i].text) || is_claimed(tokens[i])) {
      ++i;
      continue;
    }
    // A capitalized run with inner connectors: "Ministry of Foreign Relations".
    size_t j = i + 1;
    bool previous_tested = false;  // tokens[j - 1] was tokens[j] last time round: no headline verb
    while (j < tokens.size() && !is_claimed(tokens[j])) {
      if (IsHeadlineVerb(tokens[j].text) || (!previous_tested && IsHeadlineVerb(tokens[j - 1].text))) break;
      previous_tested = true;  // (unless j moves past a connector below)
      // "Trump Administration Food and Drug Administration": a known body
      // starts after a name that has its organization word.
      if (IsCapitalized(tokens[j].text) && known_org_starts_at(tokens[j].range.begin) &&
          !inside_known_org(tokens[j].range.begin) && IsOrganizationWordToken(tokens[j - 1])) {
        break;
      }
      if (IsCapitalized(tokens[j].text)) {
        ++j;
      } else if (IsConnector(tokens[j].text) && j + 1 < tokens.size() &&
                 IsCapitalized(tokens[j + 1].text) && !IsPossessive(tokens[j - 1].text)) {
        // "... Commission in July", "... on August 3": a date, not the name.
        if (IsMonthOrWeekday(tokens[j + 1].text)) break;
        // "the Federal Trade Commission to Human Resource Professionals": a
        // body's name does not go on with "to" after its organization word.
        if (tokens[j].text == "to" && IsOrganizationWord(tokens[j - 1].text) && !inside_known_org(tokens[j].range.begin)) break;
        if (tokens[j].text == "and" && !inside_known_org(tokens[j].range.begin)) {
          // "HHS and Treasury": two bodies, not one name.
          if (IsAcronym(tokens[j - 1].text) || IsAcronym(tokens[j + 1].text) ||
              KnownOrganization(gazetteer, tokens[j + 1].text) || known_org_starts_at(tokens[j + 1].range.begin)) {
            break;
          }
          // "the Ministry of Public Education and National College of ...":
          // a body on each side.
          bool left_body = false;
          for (size_t k = i; k < j; ++k) left_body = left_body || IsOrganizationWord(tokens[k].text);
          // The right side starts a body: "Mexico's Ministry ...", "Office of
          // ...", "National College of ..." (an organization word then "of").
          bool right_body = has_country_prefix(tokens[j + 1].text);
          for (size_t r = j + 1; !right_body && r + 1 < tokens.size() && r < j + 5 && IsCapitalized(tokens[r].text); ++r) {
            right_body = IsOrganizationWord(tokens[r].text) && (tokens[r + 1].text == "of" || tokens[r + 1].text == "for");
          }
          if (left_body && right_body) break;
        }
        j += 2;
        previous_tested = false;
      } else {
        break;
      }
    }
    // Split at possessives. "Mexico's Ministry of Economy" is the ministry
    // of the country Mexico; "President Biden's Bipartisan Infrastructure
    // Law" is the law; "the Department of Energy's Weatherization Assistance
    // Program" names two bodies. "Western New York's Advanced Manufacturing
    // Cluster" is one name.
    size_t start = i;
    std::string owner_country, owner_name;
    for (size_t k = i; k + 1 < j; ++k) {
      if (!IsPossessive(tokens[k].text)) continue;
      const GazetteerEntry* owner = country_entry(tokens[k].text);
      std::string code = owner ? owner->country_code : "";
      size_t owner_begin = k;
      if (code.empty() && k > start) {
        // A two-word country: "United States'".
        const std::string_view two(text.data() + tokens[k - 1].range.begin,
                                   tokens[k].range.end - tokens[k - 1].range.begin);
        const GazetteerEntry* e = gazetteer.Find(StripPossessive(two));
        if (e && e->kind == GazetteerKind::kCountry) {
          owner = e;
          code = e->country_code;
          owner_begin = k - 1;
        }
      }
      if (!code.empty()) {
        // "the U.S. Department of Education and Mexico's Ministry ...": the
        // body before the country is a name of its own.
        if (owner_begin > start) consider(start, owner_begin, "", "");
        owner_country = code;
        owner_name = owner->name;
        start = k + 1;
        continue;
      }
      size_t first = start;
      while (first < k && (IsCommonSentenceStart(tokens[first].text) || has_country_prefix(tokens[first].text))) ++first;
      if (IsPersonTitle(StripPossessive(tokens[first].text)) ||
          (first == k && IsOrganizationWordToken(tokens[k]))) {
        start = k + 1;  // "President's", "the Administration's"
        continue;
      }
      // "Community College Administrator's Program": one name.
      if (k + 2 == j && IsOrganizationWord(tokens[k + 1].text)) continue;
      if (consider(start, k + 1, "", "") != 0) {
        start = k + 1;
        continue;
      }
      // "Biden's American Rescue Plan", "California's Department of Health".
      const std::string_view tail(text.data() + tokens[k + 1].range.begin,
                                  tokens[j - 1].range.end - tokens[k + 1].range.begin);
      const GazetteerEntry* owner_place = gazetteer.Find(StripPossessive(tokens[k].text));
      if (KnownOrganization(gazetteer, StripPossessive(tail)) || (first == k && owner_place == nullptr) ||
          (k + 2 < j && IsOrganizationWord(tokens[k + 1].text) && IsConnector(tokens[k + 2].text))) {
        start = k + 1;
      }
    }
    const size_t next = consider(start, j, owner_country, owner_name);
    i = next > j ? next : j;
  }

  // Known bodies the runs missed or cut short: "Global Fund to Fight AIDS,
  // Tuberculosis and Malaria" has a comma, "Unitaid" no organization word.
  for (const GazetteerHit& hit : gazetteer_hits) {
    if (hit.entry->kind != GazetteerKind::kOrganization || overlaps_exclude(hit.range)) continue;
    if (IsAgreementWord(LastWord(hit.entry->name))) continue;
    bool covered = false, contains_all = true, any = false;
    TextRange range = hit.range;
    std::string acronym;
    for (const ActorMention& a : actors) {
      if (a.kind != ActorKind::kOrganization) continue;
      if (!(a.range.begin < hit.range.end && hit.range.begin < a.range.end)) continue;
      any = true;
      if (a.range.begin <= hit.range.begin && hit.range.end <= a.range.end) covered = true;
      // "... Firearms and Explosives (ATF)": the tail of the known name with
      // its acronym.
      if (hit.range.begin <= a.range.begin && a.range.end > hit.range.end && !a.acronym.empty() &&
          text.substr(hit.range.end, a.range.end - hit.range.end) == " (" + a.acronym + ")") {
        range.end = a.range.end;
        acronym = a.acronym;
        continue;
      }
      if (!(hit.range.begin <= a.range.begin && a.range.end <= hit.range.end)) contains_all = false;
    }
    if (covered) continue;
    if (any && !contains_all) continue;
    // Bare acronyms ("WHO", "VA") are taken above only when the name reads as one.
    if (IsAcronym(hit.range.In(text))) continue;
    if (any) {
      actors.erase(std::remove_if(actors.begin(), actors.end(),
                                  [&](const ActorMention& a) {
                                    return a.kind == ActorKind::kOrganization && range.begin <= a.range.begin &&
                                           a.range.end <= range.end;
                                  }),
                   actors.end());
    }
    ActorMention a;
    a.kind = ActorKind::kOrganization;
    a.range = range;
    a.name = hit.entry->name;
    a.acronym = !acronym.empty() ? acronym : acronyms->AcronymOf(a.name);
    a.country_code = hit.entry->country_code;
    if (IsLawName(a.name)) acronyms->RememberLaw(a.name, a.country_code);
    actors.push_back(std::move(a));
  }
  // "The bill invests $8 billion": the law named last in the document.
  const AcronymTable::Expansion* law = acronyms->LastLaw();
  if (law != nullptr && MayHaveLawAnaphor(text, sentence)) {
    // \b([Tt]he|[Tt]his) (bill|law|legislation|deal|[Aa]ct)\b, matched by
    // hand from each "h" (the text past the sentence counts as its end).
    auto word = IsRe2WordByte;
    auto anaphor_at = [&](size_t p) -> size_t {  // the match end, or 0
      if (p < sentence.begin || (text[p] != 'T' && text[p] != 't') || (p > 0 && word(text[p - 1]))) return 0;
      const std::string_view rest = text.substr(p + 1, sentence.end - p - 1);
      size_t k;
      if (StartsWith(rest, "he ")) k = 3;
      else if (StartsWith(rest, "his ")) k = 4;
      else return 0;
      const std::string_view noun = rest.substr(k);
      for (std::string_view n : {"bill", "law", "legislation", "deal", "act", "Act"}) {
        if (StartsWith(noun, n) && (noun.size() == n.size() || !word(noun[n.size()]))) return p + 1 + k + n.size();
      }
      return 0;
    };
    size_t pos = sentence.begin;
    while (pos < sentence.end) {
      size_t b = 0, e = 0;
      const std::string_view upto = text.substr(0, sentence.end);
      for (size_t h = upto.find('h', pos + 1); h != std::string_view::npos; h = upto.find('h', h + 1)) {
        if ((e = anaphor_at(h - 1)) != 0) {
          b = h - 1;
          break;
        }
      }
      if (e == 0) break;
      pos = e;
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
  for (const GazetteerHit& hit : gazetteer_hits) {
    bool inside = std::any_of(actors.begin(), actors.end(), [&](const ActorMention& a) {
      return (a.kind == ActorKind::kOrganization || (a.kind == ActorKind::kPlace && a.place == nullptr)) &&
             hit.range.begin >= a.range.begin && hit.range.end <= a.range.end;
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
