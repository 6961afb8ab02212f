#include "normalize_text.h"

#include <utf8proc.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "absl/strings/str_cat.h"
#include "byte_scan.h"

namespace pledgebook::parser {
namespace {

// Length of the run of bytes of one class at the start of [p, end),
// sixteen bytes at a time (most documents are mostly ASCII): `block` marks
// the bytes outside the class among 16, `in` tells one byte.
template <class Block, class In>
size_t RunLength(const unsigned char* p, const unsigned char* end, Block block, In in) {
  const unsigned char* start = p;
  while (end - p >= 16) {
    const uint32_t outside = block(Load16(reinterpret_cast<const char*>(p)));
    if (outside != 0) return static_cast<size_t>(p - start) + static_cast<size_t>(__builtin_ctz(outside));
    p += 16;
  }
  while (p < end && in(*p)) ++p;
  return static_cast<size_t>(p - start);
}

// Length of the run of bytes in [0x01, 0x7F] at the start of [p, end).
size_t AsciiRun(const unsigned char* p, const unsigned char* end) {
  return RunLength(
      p, end, [](Bytes16 v) { return BitMask(~InRange(v, 0x01, 0x7F)); },
      [](unsigned char c) { return c >= 0x01 && c < 0x80; });
}

// Whether the mapping leaves ASCII byte c as it is: printable ASCII
// [0x20, 0x7E] and the line feed.
bool PassesThrough(unsigned char c) { return (c >= 0x20 && c < 0x7F) || c == '\n'; }

// Length of the run of bytes that pass through (PassesThrough) at the start
// of [p, end). The line feeds keep a run going, so a document is copied a
// paragraph at a time rather than a line at a time.
size_t PassThroughRun(const unsigned char* p, const unsigned char* end) {
  return RunLength(
      p, end, [](Bytes16 v) { return BitMask(~(InRange(v, 0x20, 0x7E) | static_cast<Bool16>(v == '\n'))); },
      PassesThrough);
}

// Appends the UTF-8 encoding of one code point.
void AppendCodePoint(std::string& out, utf8proc_int32_t cp) {
  utf8proc_uint8_t buf[4];
  utf8proc_ssize_t n = utf8proc_encode_char(cp, buf);
  out.append(reinterpret_cast<const char*>(buf), static_cast<size_t>(n));
}

// The replacement for one code point: -1 drops it, otherwise the code point
// to write. Typography that would make searching and matching fragile is
// mapped to ASCII.
utf8proc_int32_t MapCodePoint(utf8proc_int32_t cp) {
  switch (cp) {
    case 0x00A0: case 0x2007: case 0x202F:               // no-break spaces
    case 0x2000: case 0x2001: case 0x2002: case 0x2003:  // typographic spaces
    case 0x2004: case 0x2005: case 0x2006: case 0x2008:
    case 0x2009: case 0x200A: case 0x205F: case 0x3000:
    case '\t':
      return ' ';
    case 0x00AD:                                          // soft hyphen
    case 0x200B: case 0x200C: case 0x200D: case 0x2060:  // zero-width
    case 0xFEFF:                                          // byte-order mark
      return -1;
    case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032:
      return '\'';
    case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x2033:
      return '"';
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2212:
      return '-';  // hyphens, figure dash, en dash, minus; the em dash stays
    case 0x2028: case 0x2029: case 0x0085:
      return '\n';
    default:
      break;
  }
  // Other control characters carry no text.
  if (cp < 0x20 && cp != '\n') return -1;
  if (cp == 0x7F) return -1;
  return cp;
}

// True when NFC could change text holding code point `cp`: a combining
// mark, a character excluded from composition, or Hangul jamo. Most
// documents have none, and then the (costly) normalization is skipped.
bool MayChangeUnderNfc(utf8proc_int32_t cp) {
  const utf8proc_property_t* prop = utf8proc_get_property(cp);
  return prop->combining_class != 0 || prop->comp_exclusion || (cp >= 0x1100 && cp <= 0x11FF);
}

// Appends [p, p + len) to `out`, typography mapped (MapCodePoint, CR and
// CRLF to LF); true when done. With `check`, the bytes are untrusted and it
// stops (false) at invalid UTF-8, a NUL byte or a code point NFC could
// change: validation and the test for NFC ride along the mapping pass
// instead of taking a pass each.
bool AppendMapped(const utf8proc_uint8_t* p, utf8proc_ssize_t len, bool check, std::string& out) {
  utf8proc_ssize_t left = len;
  while (left > 0) {
    // Printable ASCII and line feeds pass through, a run at a time.
    if (const size_t run = PassThroughRun(p, p + left); run > 0) {
      out.append(reinterpret_cast<const char*>(p), run);
      p += run;
      left -= static_cast<utf8proc_ssize_t>(run);
      continue;
    }
    utf8proc_int32_t cp = *p;
    // An ASCII control byte ("\r", a tab) needs no decoding call.
    const utf8proc_ssize_t n = cp < 0x80 ? 1 : utf8proc_iterate(p, left, &cp);
    if (check && (n < 0 || cp == 0 || (cp >= 0x80 && MayChangeUnderNfc(cp)))) return false;
    p += n;
    left -= n;
    if (cp == '\r') {  // CRLF and lone CR both end a line
      if (left > 0 && *p == '\n') continue;
      out.push_back('\n');
      continue;
    }
    utf8proc_int32_t mapped = MapCodePoint(cp);
    if (mapped < 0) continue;
    if (mapped < 0x80) {
      out.push_back(static_cast<char>(mapped));
    } else {
      AppendCodePoint(out, mapped);
    }
  }
  return true;
}

// NFC (composes "e" + combining accent), then the typography mapping, for
// valid bytes.
absl::StatusOr<std::string> NormalizeNfc(std::string_view bytes) {
  utf8proc_uint8_t* composed = nullptr;
  const utf8proc_ssize_t len =
      utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(bytes.data()), static_cast<utf8proc_ssize_t>(bytes.size()),
                   &composed, static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
  if (len < 0) {
    return absl::InvalidArgumentError(absl::StrCat("content: cannot normalize: ", utf8proc_errmsg(len)));
  }
  std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> holder(composed, &std::free);
  std::string out;
  out.reserve(static_cast<size_t>(len));
  AppendMapped(composed, len, /*check=*/false, out);
  return out;
}

}  // namespace

absl::Status ValidateText(std::string_view bytes) {
  if (bytes.empty()) {
    return absl::InvalidArgumentError("content: the document is empty");
  }
  {
    const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(bytes.data());
    utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(bytes.size());
    size_t offset = 0;
    while (left > 0) {
      // ASCII: the common case, skipped in bulk.
      const size_t run = AsciiRun(p, p + left);
      p += run;
      left -= static_cast<utf8proc_ssize_t>(run);
      offset += run;
      if (left == 0) break;
      utf8proc_int32_t cp;
      utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
      if (n < 0) {
        return absl::InvalidArgumentError(absl::StrCat(
            "content: not valid UTF-8 at byte offset ", offset));
      }
      if (cp == 0) {
        return absl::InvalidArgumentError(absl::StrCat(
            "content: binary data (NUL byte) at byte offset ", offset));
      }
      p += n;
      left -= n;
      offset += static_cast<size_t>(n);
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> NormalizeText(std::string_view bytes) {
  // One pass validates and maps, as long as the bytes are valid and NFC
  // would change nothing.
  std::string out;
  out.reserve(bytes.size());
  if (!bytes.empty() && AppendMapped(reinterpret_cast<const utf8proc_uint8_t*>(bytes.data()),
                                     static_cast<utf8proc_ssize_t>(bytes.size()), /*check=*/true, out)) {
    return out;
  }
  // Empty or invalid (ValidateText names the first offending byte), or NFC
  // has work to do.
  if (absl::Status valid = ValidateText(bytes); !valid.ok()) return valid;
  return NormalizeNfc(bytes);
}

}  // namespace pledgebook::parser
