// libFuzzer target for the parser: any bytes, as a document whose format
// the parser sniffs (plain text, Markdown, HTML), must parse or be refused
// with a status, never crash, leak, overflow or hang; and every span of a
// parsed document must lie inside its normalized text and point at exactly
// the text it claims. Built and run by scripts/fuzz.sh (clang, ASan, UBSan).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "parser/parse_document.h"

namespace {

namespace v1 = ::pledgebook::v1;

// Byte offset of code point `cp` in UTF-8 `text` (text.size() past the end).
size_t ByteOffset(const std::string& text, int cp) {
  size_t i = 0;
  for (int seen = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (seen++ == cp) return i;
  }
  return text.size();
}

int CodePoints(const std::string& text) {
  int n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;
  return n;
}

[[noreturn]] void Fail(const char* what, const v1::Span& span, int length) {
  std::fprintf(stderr, "parser_fuzzer: %s span [%d, %d) outside/inconsistent with text of %d code points\n", what,
               span.start(), span.end(), length);
  std::abort();
}

void CheckSpan(const char* what, const std::string& text, int length, const v1::Span& span,
               const std::string* expected) {
  if (span.start() < 0 || span.end() < span.start() || span.end() > length) Fail(what, span, length);
  if (expected != nullptr) {
    size_t b = ByteOffset(text, span.start()), e = ByteOffset(text, span.end());
    if (text.compare(b, e - b, *expected) != 0) Fail(what, span, length);
  }
}

void CheckSection(const std::string& text, int length, const v1::Section& s) {
  CheckSpan("section", text, length, s.span(), nullptr);
  for (const v1::Initiative& i : s.initiatives()) {
    CheckSpan("initiative", text, length, i.span(), &i.text());
    for (const auto& m : i.money()) CheckSpan("money", text, length, m.span(), &m.text());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  v1::DocumentSource source;
  source.set_content(std::string(reinterpret_cast<const char*>(data), size));
  pledgebook::parser::ParserLimits limits;
  limits.max_document_bytes = 1 << 20;
  auto doc = pledgebook::parser::ParseDocument(source, limits);
  if (!doc.ok()) {
    // Refusals are INVALID_ARGUMENT, naming the field.
    if (doc.status().code() != absl::StatusCode::kInvalidArgument) std::abort();
    return 0;
  }
  const std::string& text = doc->normalized_text();
  const int length = CodePoints(text);
  CheckSection(text, length, doc->preamble());
  for (const v1::Section& s : doc->sections()) CheckSection(text, length, s);
  return 0;
}
