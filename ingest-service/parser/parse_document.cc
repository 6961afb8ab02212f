#include "parse_document.h"

#include <openssl/evp.h>

#include <string>
#include <vector>

#include "text_util.h"

#include "absl/strings/str_cat.h"
#include "actors.h"
#include "code_point_index.h"
#include "document_outline.h"
#include "funding_context.h"
#include "gazetteer.h"
#include "html_layout.h"
#include "money.h"
#include "normalize_text.h"
#include "plain_text_layout.h"
#include "sentences.h"

#ifndef PLEDGEBOOK_PARSER_VERSION
#define PLEDGEBOOK_PARSER_VERSION "dev"
#endif

namespace pledgebook::parser {
namespace {

namespace v1 = ::pledgebook::v1;

std::string Sha256Hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &len, EVP_sha256(), nullptr);
  static const char* kHex = "0123456789abcdef";
  std::string hex;
  hex.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 15]);
  }
  return hex;
}

absl::StatusOr<v1::ContentFormat> DetectFormat(const v1::DocumentSource& source) {
  std::string type = ToLower(source.content_type());
  if (auto semi = type.find(';'); semi != std::string::npos) type.resize(semi);
  type = std::string(StripWhitespace(type));
  if (type == "text/plain") return v1::CONTENT_FORMAT_PLAIN_TEXT;
  if (type == "text/markdown" || type == "text/x-markdown") return v1::CONTENT_FORMAT_MARKDOWN;
  if (type == "text/html" || type == "application/xhtml+xml") return v1::CONTENT_FORMAT_HTML;
  if (!type.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "source.content_type: unsupported type \"", type,
        "\" (expected text/plain, text/markdown or text/html)"));
  }
  // Sniff: markup at the start means HTML; YAML front matter means Markdown.
  std::string_view head(source.content().data(), std::min<size_t>(source.content().size(), 512));
  std::string lower = ToLower(StripWhitespace(head));
  if (StartsWith(lower, "<!doctype html") || StartsWith(lower, "<html")) {
    return v1::CONTENT_FORMAT_HTML;
  }
  if (StartsWith(head, "---\n")) return v1::CONTENT_FORMAT_MARKDOWN;
  return v1::CONTENT_FORMAT_PLAIN_TEXT;
}

// Emits records with code point spans.
class RecordWriter {
 public:
  RecordWriter(std::string_view text, v1::Document* doc) : text_(text), index_(text), doc_(doc) {}

  void SetSpan(TextRange r, v1::Span* span) const {
    span->set_start(index_.ToCodePoint(r.begin));
    span->set_end(index_.ToCodePoint(r.end));
  }

  void FillSection(const SectionDraft& draft, int index, v1::Section* section) {
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
    for (const InitiativeDraft& d : draft.initiatives) {
      FillInitiative(d, index, section->heading(), section->add_initiatives());
    }
  }

 private:
  void FillInitiative(const InitiativeDraft& d, int section_index, const std::string& heading,
                      v1::Initiative* out) {
    out->set_section_index(section_index);
    out->set_index(next_initiative_++);
    out->set_kind(d.kind);
    out->set_depth(d.depth);
    out->set_parent_index(d.parent);
    out->set_text(std::string(d.range.In(text_)));
    out->set_section_heading(heading);
    SetSpan(d.range, out->mutable_span());
    // Entities are resolved sentence by sentence: funders are a matter of
    // grammar, and a bullet often holds several sentences.
    for (TextRange sentence : SplitSentences(text_, d.range)) {
      std::vector<ActorMention> actors = FindActors(text_, sentence, Gazetteer::Default(), &acronyms_);
      MoneyScan scan = FindMoney(text_, sentence);
      for (const std::string& bad : scan.rejected) {
        doc_->add_warnings(absl::StrCat("money \"", bad, "\" is too large to represent; skipped"));
      }
      std::vector<FundingContext> contexts =
          ResolveFundingContext(text_, sentence, scan.amounts, actors);
      for (size_t k = 0; k < scan.amounts.size(); ++k) {
        FillMoney(scan.amounts[k], contexts[k], out->add_money());
      }
      for (const ActorMention& a : actors) FillActor(a, out);
    }
  }

  void FillMoney(const MoneyDraft& m, const FundingContext& ctx, v1::MoneyMention* out) {
    out->set_text(std::string(m.range.In(text_)));
    SetSpan(m.range, out->mutable_span());
    out->mutable_amount()->set_currency_code(m.currency_code);
    out->mutable_amount()->set_units(m.amount.units);
    out->mutable_amount()->set_nanos(m.amount.nanos);
    if (m.has_high) {
      out->mutable_amount_high()->set_currency_code(m.currency_code);
      out->mutable_amount_high()->set_units(m.high.units);
      out->mutable_amount_high()->set_nanos(m.high.nanos);
    }
    out->set_qualifier(m.qualifier);
    out->set_rate(m.rate);
    out->set_stage(ctx.stage);
    out->set_role(v1::AMOUNT_ROLE_ITEM);
    out->set_related_mention(-1);
    out->set_index(next_money_++);
    for (const ActorMention* f : ctx.funders) {
      v1::Actor* actor = out->add_funders();
      actor->set_name(f->name);
      actor->set_acronym(f->acronym);
      actor->set_country_code(f->country_code);
      SetSpan(f->range, actor->mutable_span());
    }
    out->set_recipient(ctx.recipient);
    if (ctx.period_start_year > 0) {
      out->mutable_period()->mutable_start()->set_year(ctx.period_start_year);
      out->mutable_period()->mutable_end()->set_year(ctx.period_end_year);
    }
  }

  void FillActor(const ActorMention& a, v1::Initiative* out) const {
    if (a.kind == ActorKind::kOrganization) {
      v1::OrganizationMention* org = out->add_organizations();
      org->set_text(std::string(a.range.In(text_)));
      SetSpan(a.range, org->mutable_span());
      org->set_name(a.name);
      org->set_acronym(a.acronym);
      org->set_country_code(a.country_code);
      return;
    }
    v1::PlaceMention* place = out->add_places();
    place->set_text(std::string(a.range.In(text_)));
    SetSpan(a.range, place->mutable_span());
    place->set_name(a.name);
    place->set_country_code(a.country_code);
    switch (a.place ? a.place->kind : GazetteerKind::kRegion) {
      case GazetteerKind::kCountry: place->set_kind(v1::PLACE_KIND_COUNTRY); break;
      case GazetteerKind::kState: place->set_kind(v1::PLACE_KIND_STATE); break;
      case GazetteerKind::kCity: place->set_kind(v1::PLACE_KIND_CITY); break;
      default: place->set_kind(v1::PLACE_KIND_REGION); break;
    }
  }

  std::string_view text_;
  CodePointIndex index_;
  v1::Document* doc_;
  AcronymTable acronyms_;
  int next_initiative_ = 0;
  int next_money_ = 0;
};

}  // namespace

const char* ParserVersion() { return PLEDGEBOOK_PARSER_VERSION; }

absl::StatusOr<v1::Document> ParseDocument(const v1::DocumentSource& source,
                                           const ParserLimits& limits) {
  if (source.content().size() > limits.max_document_bytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "source.content: ", source.content().size(), " bytes exceeds the limit of ",
        limits.max_document_bytes, " bytes (max_document_bytes)"));
  }
  absl::StatusOr<v1::ContentFormat> format = DetectFormat(source);
  if (!format.ok()) return format.status();
  if (absl::Status valid = ValidateText(source.content()); !valid.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("source.", valid.message()));
  }
  // Every format ends as normalized text plus the blocks found in it.
  std::string text_out;
  PageLayout layout;
  std::string metadata_title;
  if (*format == v1::CONTENT_FORMAT_PLAIN_TEXT) {
    absl::StatusOr<std::string> normalized = NormalizeText(source.content());
    if (!normalized.ok()) return absl::InvalidArgumentError(absl::StrCat("source.", normalized.status().message()));
    text_out = std::move(*normalized);
    layout = AnalyzePlainText(text_out);
  } else {
    absl::StatusOr<RenderedPage> page = *format == v1::CONTENT_FORMAT_HTML
                                            ? RenderHtml(source.content(), limits.max_html_depth)
                                            : RenderMarkdown(source.content(), limits.max_html_depth);
    if (!page.ok()) return page.status();
    text_out = std::move(page->text);
    layout = std::move(page->layout);
    metadata_title = std::move(page->front_matter_title);
  }
  if (text_out.empty() || layout.blocks.empty() && layout.title.empty()) {
    return absl::InvalidArgumentError("source.content: the document has no text");
  }

  v1::Document doc;
  const std::string sha = Sha256Hex(source.content());
  doc.set_content_sha256(sha);
  doc.set_document_id(sha.substr(0, 32));
  doc.set_name("documents/" + doc.document_id());
  doc.set_format(*format);
  doc.set_source_uri(source.source_uri());
  doc.set_publisher(source.publisher());
  doc.set_parser_version(ParserVersion());
  doc.set_normalized_text(std::move(text_out));
  const std::string& text = doc.normalized_text();

  if (!source.title().empty()) {
    doc.set_title(source.title());
  } else if (!layout.title.empty()) {
    doc.set_title(std::string(layout.title.In(text)));
  } else {
    doc.set_title(metadata_title);
  }
  if (source.has_published_date()) {
    *doc.mutable_published_date() = source.published_date();
  } else if (layout.date.year > 0) {
    doc.mutable_published_date()->set_year(layout.date.year);
    doc.mutable_published_date()->set_month(layout.date.month);
    doc.mutable_published_date()->set_day(layout.date.day);
  }

  Outline outline = BuildOutline(text, layout.title, layout.blocks);
  RecordWriter writer(text, &doc);
  if (!outline.preamble.span.empty()) {
    writer.FillSection(outline.preamble, 0, doc.mutable_preamble());
  }
  for (size_t i = 0; i < outline.sections.size(); ++i) {
    writer.FillSection(outline.sections[i], static_cast<int>(i) + 1, doc.add_sections());
  }

  v1::DocumentStats* stats = doc.mutable_stats();
  stats->set_section_count(doc.sections_size());
  auto count = [&](const v1::Section& s) {
    stats->set_initiative_count(stats->initiative_count() + s.initiatives_size());
    for (const auto& i : s.initiatives()) {
      stats->set_money_mention_count(stats->money_mention_count() + i.money_size());
    }
  };
  count(doc.preamble());
  for (const auto& s : doc.sections()) count(s);
  return doc;
}

}  // namespace pledgebook::parser
