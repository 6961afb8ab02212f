#include "document_outline.h"

#include <algorithm>
#include <array>
#include <iterator>
#include <vector>

#include "byte_scan.h"
#include "money.h"
#include "re2/re2.h"
#include "sentences.h"
#include "text_util.h"

namespace pledgebook::parser {
namespace {

void Extend(SectionDraft* s, TextRange r) {
  if (s->span.empty()) {
    s->span = r;
  } else {
    s->span.begin = std::min(s->span.begin, r.begin);
    s->span.end = std::max(s->span.end, r.end);
  }
}

// What IsCommitmentSentence's pattern looks for, for the hand matcher: words
// starting with a stem, and "will" followed by a verb (or a word, then a verb).
constexpr std::string_view kCommitmentStems[] = {
    "announc", "commit", "pledg", "award", "invest", "provid", "fund", "allocat", "dedicat",
    "launch", "contribut", "disburs", "deliver", "mobiliz", "donat", "financ", "establish", "expand"};
constexpr std::string_view kWillVerbs[] = {"support", "help", "build", "create", "train", "host"};

// Whether `s` from k starts with `lower` (ASCII lowercase) in any ASCII case.
bool HasPrefixAt(std::string_view s, size_t k, std::string_view lower) {
  return s.size() - k >= lower.size() && EqualsAsciiNoCase(s.substr(k, lower.size()), lower);
}

// The end of the run of RE2 word bytes (\w) from k.
size_t WordRunEnd(std::string_view s, size_t k) {
  while (k < s.size() && IsRe2WordByte(s[k])) ++k;
  return k;
}

// Whether the \w run from k is one of kWillVerbs (the verb then \b).
bool IsWillVerbAt(std::string_view s, size_t k) {
  const std::string_view word = s.substr(k, WordRunEnd(s, k) - k);
  return std::any_of(std::begin(kWillVerbs), std::end(kWillVerbs),
                     [&](std::string_view verb) { return EqualsAsciiNoCase(word, verb); });
}

// The pattern of IsCommitmentSentence at a word start k (every match starts
// at one: each alternative opens with \b and a letter). A stem then \w*\b
// matches whenever the word starts with the stem; "will (?:\w+ )?verb\b"
// needs the next word, or the one after it, to be exactly a verb.
bool CommitmentAt(std::string_view s, size_t k) {
  // kCommitmentStems by first letter: a word is compared only with the stems
  // its first letter starts (most letters start none).
  static const auto* const by_letter = [] {
    auto* table = new std::array<std::vector<std::string_view>, 26>;
    for (std::string_view stem : kCommitmentStems) (*table)[stem[0] - 'a'].push_back(stem);
    return table;
  }();
  const int letter = (s[k] | 0x20) - 'a';  // s[k] is an ASCII letter
  for (std::string_view stem : (*by_letter)[letter]) {
    if (HasPrefixAt(s, k, stem)) return true;
  }
  if (letter != 'w' - 'a') return false;
  if (!HasPrefixAt(s, k, "will") || k + 4 >= s.size() || s[k + 4] != ' ') return false;
  const size_t first = k + 5, first_end = WordRunEnd(s, first);
  if (first_end == first) return false;
  if (IsWillVerbAt(s, first)) return true;
  return first_end < s.size() && s[first_end] == ' ' && IsWillVerbAt(s, first_end + 1);
}

}  // namespace

bool IsCommitmentSentence(std::string_view sentence) {
  // The hand matcher is exact on ASCII letters; (?i) also folds U+017F (long
  // s) into "s" and U+212A (Kelvin sign) into "k", which it leaves to the
  // pattern.
  if (!HasFoldedLetter(sentence)) {
    const char* t = sentence.data();
    auto at = [&](size_t k) { return IsAsciiWordStartAt(t, k); };
    auto found = [&](size_t k) { return CommitmentAt(sentence, k); };
    return ScanCandidates(t, 0, sentence.size(), AsciiWordStarts, at, found) < sentence.size();
  }
  static const RE2 re(
      R"((?i)\b(announc\w*|commit\w*|pledg\w*|award\w*|invest\w*|provid\w*|fund\w*|allocat\w*|)"
      R"(dedicat\w*|launch\w*|contribut\w*|disburs\w*|deliver\w*|mobiliz\w*|donat\w*|)"
      R"(financ\w*|establish\w*|expand\w*|will (?:\w+ )?(?:support|help|build|create|train|host))\b)");
  return RE2::PartialMatch(sentence, re);
}

Outline BuildOutline(std::string_view text, TextRange title, TextRange date_line,
                     const std::vector<Block>& blocks, MoneyFinder* money) {
  Outline outline;
  MoneyFinder own_money;
  if (money == nullptr) money = &own_money;
  auto StatesAmount = [&](std::string_view t, TextRange r) { return !money->Find(t, r).amounts.empty(); };
  const bool has_lists = std::any_of(blocks.begin(), blocks.end(), [](const Block& b) {
    return b.kind == BlockKind::kListItem;
  });
  SectionDraft* current = &outline.preamble;
  int initiative_count = 0;
  std::vector<int> open_items;  // document index of the last item at each depth

  // Sentences that state an amount (or, with `commitments`, a commitment)
  // become initiatives; the others stay the section's prose.
  std::vector<TextRange> sentences;  // reused by every split
  auto split = [&](TextRange paragraph, bool commitments, bool summary) {
    SplitSentences(text, paragraph, &sentences);
    for (TextRange sentence : sentences) {
      if (StatesAmount(text, sentence) || (commitments && IsCommitmentSentence(sentence.In(text)))) {
        current->initiatives.push_back({pledgebook::v1::INITIATIVE_KIND_SENTENCE, sentence, 0, -1, summary, true});
        ++initiative_count;
      } else {
        current->prose.push_back(sentence);
      }
    }
    Extend(current, paragraph);
  };
  auto add_prose = [&](TextRange paragraph) { split(paragraph, !has_lists, false); };
  if (!title.empty() && StatesAmount(text, title)) {
    outline.preamble.initiatives.push_back({pledgebook::v1::INITIATIVE_KIND_SENTENCE, title, 0, -1, true});
    ++initiative_count;
  } else if (!title.empty()) {
    outline.preamble.prose.push_back(title);
  }
  if (!date_line.empty()) outline.preamble.prose.push_back(date_line);
  auto start_section = [&]() {
    outline.sections.emplace_back();
    current = &outline.sections.back();
    open_items.clear();
  };

  for (size_t i = 0; i < blocks.size(); ++i) {
    const Block& b = blocks[i];
    const bool list_follows = i + 1 < blocks.size() && blocks[i + 1].kind == BlockKind::kListItem;
    switch (b.kind) {
      case BlockKind::kHeading:
        start_section();
        current->heading = b.range;
        // A heading that states an amount ("Humanitarian Relief ($255M)")
        // keeps it as an initiative so the amount is not lost.
        split(b.range, false, true);
        break;
      case BlockKind::kParagraph: {
        if (b.table_row) {
          current->initiatives.push_back({pledgebook::v1::INITIATIVE_KIND_TABLE_ROW, b.range, 0, -1});
          ++initiative_count;
          Extend(current, b.range);
          break;
        }
        const bool fresh_heading = !current->heading.empty() && current->intro.empty() &&
                                   current->initiatives.empty();
        if (fresh_heading) {
          current->intro = b.range;
          split(b.range, false, true);  // an intro's amounts still count
        } else if (list_follows && has_lists) {
          start_section();
          current->intro = b.range;
          split(b.range, false, true);
        } else if (current == &outline.preamble && outline.preamble.intro.empty()) {
          current->intro = b.range;
          split(b.range, !has_lists, true);
        } else {
          add_prose(b.range);
        }
        break;
      }
      case BlockKind::kListItem: {
        InitiativeDraft item;
        item.kind = pledgebook::v1::INITIATIVE_KIND_BULLET;
        item.range = b.range;
        item.depth = b.depth;
        open_items.resize(static_cast<size_t>(b.depth), -1);
        item.parent = b.depth > 0 ? open_items.back() : -1;
        open_items.push_back(initiative_count);
        current->initiatives.push_back(item);
        ++initiative_count;
        Extend(current, b.range);
        break;
      }
    }
  }
  return outline;
}

}  // namespace pledgebook::parser
