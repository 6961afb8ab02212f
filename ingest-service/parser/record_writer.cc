#include "record_writer.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "dates.h"
#include "funding_context.h"
#include "gazetteer.h"
#include "money.h"
#include "quantities.h"
#include "sentences.h"

namespace pledgebook::parser {
namespace {

namespace v1 = ::pledgebook::v1;

void SetDate(int y, int m, int d, google::type::Date* out) {
  out->set_year(y);
  out->set_month(m);
  out->set_day(d);
}

}  // namespace

RecordWriter::RecordWriter(std::string_view text, int reference_year, v1::Document* doc, MoneyFinder* money)
    : text_(text),
      money_finder_(money != nullptr ? money : &own_money_finder_),
      index_(text),
      reference_year_(reference_year),
      doc_(doc) {}

void RecordWriter::SetSpan(TextRange r, v1::Span* span) const {
  span->set_start(index_.ToCodePoint(r.begin));
  span->set_end(index_.ToCodePoint(r.end));
}

// Proto3 strings have no presence: an empty value reads and serializes like
// an unset field, yet setting one heap-allocates a std::string (the Document
// has no arena). Most acronyms, country codes, units and recipients are
// empty, so empty values are not set, here and below.
void RecordWriter::FillActor(const ActorMention& m, v1::Actor* out) const {
  if (!m.name.empty()) out->set_name(m.name);
  if (!m.acronym.empty()) out->set_acronym(m.acronym);
  if (!m.country_code.empty()) out->set_country_code(m.country_code);
  SetSpan(m.range, out->mutable_span());
}

void RecordWriter::FillSection(const SectionDraft& draft, int index, v1::Section* section) {
  section->set_index(index);
  if (!draft.heading.empty()) {
    section->set_heading(std::string(draft.heading.In(text_)));
    SetSpan(draft.heading, section->mutable_heading_span());
  }
  if (!draft.intro.empty()) {
    section->set_intro(std::string(draft.intro.In(text_)));
    SetSpan(draft.intro, section->mutable_intro_span());
  }
  SetSpan(draft.span, section->mutable_span());
  section_funders_ = nullptr;
  in_preamble_ = index <= 1;  // the preamble, or the first section when a subtitle opened one
  for (TextRange sentence : draft.prose) ExtractSentence(sentence, section, nullptr);
  for (const InitiativeDraft& d : draft.initiatives) {
    FillInitiative(d, index, section->heading(), section->add_initiatives());
  }
}

void RecordWriter::FillInitiative(const InitiativeDraft& d, int section_index, const std::string& heading,
                                  v1::Initiative* out) {
  out->set_section_index(section_index);
  out->set_index(next_initiative_++);
  out->set_kind(d.kind);
  out->set_depth(d.depth);
  out->set_parent_index(d.parent);
  out->set_text(std::string(d.range.In(text_)));
  if (!heading.empty()) out->set_section_heading(heading);
  SetSpan(d.range, out->mutable_span());
  current_item_ = out->index();
  current_parent_ = d.parent;
  current_draft_ = &d;
  // Funders are a matter of grammar, and a bullet often holds several
  // sentences: entities are resolved sentence by sentence.
  if (d.one_sentence) {  // already split by the outline
    ExtractSentence(d.range, out, out);
    return;
  }
  SplitSentences(text_, d.range, &sentences_);
  for (TextRange sentence : sentences_) ExtractSentence(sentence, out, out);
}

void RecordWriter::Finish() {
  for (MoneyRef& ref : money_) {
    if (ref.mention->funders().empty()) {
      for (const v1::Actor& a : document_agent_) *ref.mention->add_funders() = a;
    }
  }
  AssignMoneyRoles(text_, money_);
}

template <typename Record>
void RecordWriter::ExtractSentence(TextRange sentence, Record* out, v1::Initiative* money_owner) {
  const MoneyScan& scan = money_finder_->Find(text_, sentence);
  std::vector<TextRange>& taken = taken_;
  taken.clear();
  for (const MoneyDraft& m : scan.amounts) taken.push_back(m.range);
  std::vector<ActorMention> actors = FindActors(text_, sentence, Gazetteer::Default(), &acronyms_, taken);

  // Only the opening text speaks for the whole document; an agent named in
  // one section of a multi-topic statement does not fund the others.
  if (document_agent_.empty() && in_preamble_) {
    if (const ActorMention* agent = FindAdministeringAgent(text_, sentence, actors)) {
      FillActor(*agent, &document_agent_.emplace_back());
    }
  }
  if (money_owner != nullptr) {
    for (const std::string& bad : scan.rejected) {
      doc_->add_warnings(absl::StrCat("money \"", bad, "\" is too large to represent; skipped"));
    }
    std::vector<FundingContext> contexts = ResolveFundingContext(text_, sentence, scan.amounts, actors);
    // A table row names the recipient ("VA | Virginia | $5,589,242"); the
    // funder is the one the text above names.
    const bool table_row = money_owner->kind() == v1::INITIATIVE_KIND_TABLE_ROW;
    if (table_row) {
      for (FundingContext& ctx : contexts) ctx.funders.clear();
    }
    if (!scan.amounts.empty()) {
      money_owner->mutable_money()->Reserve(money_owner->money_size() + static_cast<int>(scan.amounts.size()));
    }
    for (size_t k = 0; k < scan.amounts.size(); ++k) {
      const MoneyDraft& m = scan.amounts[k];
      const FundingContext& ctx = contexts[k];
      v1::MoneyMention* mention = money_owner->add_money();
      mention->set_text(std::string(m.range.In(text_)));
      SetSpan(m.range, mention->mutable_span());
      mention->mutable_amount()->set_currency_code(m.currency_code);
      mention->mutable_amount()->set_units(m.amount.units);
      mention->mutable_amount()->set_nanos(m.amount.nanos);
      if (m.has_high) {
        mention->mutable_amount_high()->set_currency_code(m.currency_code);
        mention->mutable_amount_high()->set_units(m.high.units);
        mention->mutable_amount_high()->set_nanos(m.high.nanos);
      }
      mention->set_qualifier(m.qualifier);
      mention->set_rate(m.rate);
      mention->set_stage(ctx.stage);
      mention->set_role(v1::AMOUNT_ROLE_ITEM);
      mention->set_related_mention(-1);
      mention->set_index(next_money_++);
      if (!ctx.funders.empty()) mention->mutable_funders()->Reserve(static_cast<int>(ctx.funders.size()));
      for (const ActorMention* f : ctx.funders) FillActor(*f, mention->add_funders());
      const bool sentence_names_actors = !table_row && std::any_of(actors.begin(), actors.end(), [](const ActorMention& a) {
        return a.kind != ActorKind::kPlace;
      });
      if (mention->funders().empty() && !sentence_names_actors) {
        auto parent = item_funders_.find(current_parent_);
        const Funders* inherited = parent != item_funders_.end() ? parent->second : section_funders_;
        if (inherited != nullptr) *mention->mutable_funders() = *inherited;
      }
      if (!mention->funders().empty()) {
        section_funders_ = &mention->funders();
        item_funders_[current_item_] = section_funders_;
      }
      if (!ctx.recipient.empty()) mention->set_recipient(ctx.recipient);
      MoneyRef ref;
      ref.mention = mention;
      ref.range = m.range;
      ref.sentence = sentence;
      ref.section_index = money_owner->section_index();
      ref.summary = current_draft_ != nullptr && current_draft_->summary;
      ref.table_row = money_owner->kind() == v1::INITIATIVE_KIND_TABLE_ROW;
      ref.initiative = money_owner->index();
      ref.parent = money_owner->parent_index();
      money_.push_back(ref);
      if (ctx.period_start_year > 0) {
        mention->mutable_period()->mutable_start()->set_year(ctx.period_start_year);
        mention->mutable_period()->mutable_end()->set_year(ctx.period_end_year);
      }
    }
  }

  for (const DateDraft& d : FindDates(text_, sentence, reference_year_)) {
    taken.push_back(d.range);
    v1::DateMention* date = out->add_dates();
    date->set_text(std::string(d.range.In(text_)));
    SetSpan(d.range, date->mutable_span());
    SetDate(d.start_year, d.start_month, d.start_day, date->mutable_period()->mutable_start());
    SetDate(d.end_year, d.end_month, d.end_day, date->mutable_period()->mutable_end());
    date->set_kind(d.kind);
    date->set_year_inferred(d.year_inferred);
  }
  for (const QuantityDraft& q : FindQuantities(text_, sentence, taken)) {
    v1::QuantityMention* quantity = out->add_quantities();
    quantity->set_text(std::string(q.range.In(text_)));
    SetSpan(q.range, quantity->mutable_span());
    if (!q.value.empty()) quantity->set_value(q.value);
    if (!q.unit.empty()) quantity->set_unit(q.unit);
    if (!q.qualifier.empty()) quantity->set_qualifier(q.qualifier);
    quantity->set_spelled_out(q.spelled_out);
  }
  // The actors' last use: their names move into the records.
  for (ActorMention& a : actors) {
    if (a.kind == ActorKind::kOrganization) {
      v1::OrganizationMention* org = out->add_organizations();
      org->set_text(std::string(a.range.In(text_)));
      SetSpan(a.range, org->mutable_span());
      if (!a.name.empty()) org->set_name(std::move(a.name));
      if (!a.acronym.empty()) org->set_acronym(std::move(a.acronym));
      if (!a.country_code.empty()) org->set_country_code(std::move(a.country_code));
      continue;
    }
    v1::PlaceMention* place = out->add_places();
    place->set_text(std::string(a.range.In(text_)));
    SetSpan(a.range, place->mutable_span());
    if (!a.name.empty()) place->set_name(std::move(a.name));
    if (!a.country_code.empty()) place->set_country_code(std::move(a.country_code));
    switch (a.place ? a.place->kind : GazetteerKind::kRegion) {
      case GazetteerKind::kCountry: place->set_kind(v1::PLACE_KIND_COUNTRY); break;
      case GazetteerKind::kState: place->set_kind(v1::PLACE_KIND_STATE); break;
      case GazetteerKind::kCity: place->set_kind(v1::PLACE_KIND_CITY); break;
      default: place->set_kind(v1::PLACE_KIND_REGION); break;
    }
  }
}

}  // namespace pledgebook::parser
