#pragma once

#include <string_view>
#include <vector>

#include "money.h"
#include "pledgebook/v1/records.pb.h"
#include "plain_text_layout.h"
#include "text_range.h"

namespace pledgebook::parser {

// An initiative before entity extraction: where it is and what kind.
struct InitiativeDraft {
  pledgebook::v1::InitiativeKind kind = pledgebook::v1::INITIATIVE_KIND_BULLET;
  TextRange range;
  int depth = 0;
  int parent = -1;  // index (within the document) of the enclosing list item
  bool summary = false;  // from the title, a heading, an intro or the preamble's first paragraph
  // A sentence SplitSentences cut from a paragraph: splitting it again gives
  // itself (its inner terminators did not split with more text after them).
  bool one_sentence = false;
};

struct SectionDraft {
  TextRange heading;  // empty when the section has none
  TextRange intro;    // empty when the section has none
  TextRange span;
  std::vector<InitiativeDraft> initiatives;
  std::vector<TextRange> prose;  // sentences of the section's own text that are not initiatives
};

// The document's outline: a preamble (section 0) and the sections.
struct Outline {
  SectionDraft preamble;
  std::vector<SectionDraft> sections;
};

// Groups body blocks into sections and initiatives:
//  - a heading starts a section; the first paragraph after it is the intro;
//  - a paragraph directly followed by a list starts a section and is its
//    intro (the layout of fact sheets whose headings were lost);
//  - list items are initiatives (nested items keep their parent);
//  - other prose is split into sentences, and the sentences that state an
//    amount — or, in a document without lists, a commitment — are
//    initiatives.
// A title that states an amount becomes the first initiative of the
// preamble; otherwise the title and date lines are preamble prose.
// `money`, when given, memoizes the amounts found (see MoneyFinder).
Outline BuildOutline(std::string_view text, TextRange title, TextRange date_line,
                     const std::vector<Block>& blocks, MoneyFinder* money = nullptr);

// True when the sentence reads as a commitment ("announced", "will
// provide", "committed", …) — used for prose-only documents.
bool IsCommitmentSentence(std::string_view sentence);

}  // namespace pledgebook::parser
