#pragma once

#include <map>
#include <string_view>
#include <vector>

#include "actors.h"
#include "code_point_index.h"
#include "document_outline.h"
#include "money.h"
#include "money_roles.h"
#include "pledgebook/v1/records.pb.h"

namespace pledgebook::parser {

// Turns the outline into records: runs the entity finders sentence by
// sentence, in document order (acronyms defined early resolve later uses),
// and emits mentions with code point spans.
class RecordWriter {
 public:
  // `reference_year` completes dates written without a year.
  // `money`, when given, memoizes the amounts found (see MoneyFinder).
  RecordWriter(std::string_view text, int reference_year, pledgebook::v1::Document* doc,
               MoneyFinder* money = nullptr);

  void FillSection(const SectionDraft& draft, int index, pledgebook::v1::Section* section);

  // After the last section: decides the money roles across the document.
  void Finish();

 private:
  // The mentions of one sentence, appended to `out` (an Initiative or a
  // Section: both have quantities, dates, organizations and places).
  template <typename Record>
  void ExtractSentence(TextRange sentence, Record* out, pledgebook::v1::Initiative* money_owner);

  void FillInitiative(const InitiativeDraft& d, int section_index, const std::string& heading,
                      pledgebook::v1::Initiative* out);
  void SetSpan(TextRange r, pledgebook::v1::Span* span) const;
  void FillActor(const ActorMention& m, pledgebook::v1::Actor* out) const;

  std::string_view text_;
  MoneyFinder own_money_finder_;
  MoneyFinder* money_finder_;
  CodePointIndex index_;
  int reference_year_;
  pledgebook::v1::Document* doc_;
  AcronymTable acronyms_;
  int next_initiative_ = 0;
  int next_money_ = 0;
  // Funders stated once for a list below them ("EDA awarded …" then
  // "$65.1 million for …"): the last funders seen in this section and under
  // each list item, inherited by amounts whose sentence names none.
  // They point at the funders of the amount that named them (a mention's
  // funders do not change once it has some), instead of holding copies.
  using Funders = google::protobuf::RepeatedPtrField<pledgebook::v1::Actor>;
  std::vector<MoneyRef> money_;  // every amount, in document order
  const InitiativeDraft* current_draft_ = nullptr;
  const Funders* section_funders_ = nullptr;  // null: none in this section yet
  // The body the document names as administering its funding, for amounts
  // whose sentences and sections name no funder.
  std::vector<pledgebook::v1::Actor> document_agent_;
  bool in_preamble_ = false;
  std::map<int, const Funders*> item_funders_;
  int current_parent_ = -1;
  int current_item_ = -1;
  std::vector<TextRange> sentences_;  // of the current initiative, reused for each
  std::vector<TextRange> taken_;  // of the current sentence: amounts and dates, reused for each
};

}  // namespace pledgebook::parser
