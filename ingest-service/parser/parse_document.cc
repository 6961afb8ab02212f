#include "parse_document.h"

#include <openssl/evp.h>

#include <string>
#include <vector>

#include "text_util.h"

#include "absl/strings/str_cat.h"
#include "dates.h"
#include "document_outline.h"
#include "html_layout.h"
#include "money.h"
#include "normalize_text.h"
#include "plain_text_layout.h"
#include "record_writer.h"

#ifndef PLEDGEBOOK_PARSER_VERSION
#define PLEDGEBOOK_PARSER_VERSION "dev"
#endif

namespace pledgebook::parser {
namespace {

namespace v1 = ::pledgebook::v1;

// SHA-256 as OpenSSL implements it. EVP_sha256() is a legacy handle that
// OpenSSL 3 resolves to a provider's implementation on every digest (a
// locked lookup costing more than hashing a small document); fetched once,
// it is resolved once per process.
const EVP_MD* Sha256() {
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
  static const EVP_MD* const fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  if (fetched != nullptr) return fetched;
#endif
  return EVP_sha256();
}

std::string Sha256Hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &len, Sha256(), nullptr);
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
  // Plain text is validated by its normalization, in the same pass.
  if (*format != v1::CONTENT_FORMAT_PLAIN_TEXT) {
    if (absl::Status valid = ValidateText(source.content()); !valid.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("source.", valid.message()));
    }
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

  MoneyFinder money;  // the outline and the records scan the same sentences
  Outline outline = BuildOutline(text, layout.title, layout.date_line, layout.blocks, &money);
  const int reference_year = doc.published_date().year() > 0 ? doc.published_date().year() : InferReferenceYear(text);
  RecordWriter writer(text, reference_year, &doc, &money);
  if (!outline.preamble.span.empty()) {
    writer.FillSection(outline.preamble, 0, doc.mutable_preamble());
  }
  for (size_t i = 0; i < outline.sections.size(); ++i) {
    writer.FillSection(outline.sections[i], static_cast<int>(i) + 1, doc.add_sections());
  }
  writer.Finish();

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
