#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

// Small string helpers on std::string_view. (Debian's abseil is built with
// its own absl::string_view, so its helpers do not take std::string_view.)
namespace pledgebook::parser {

// ASCII character classes. The parser runs in the "C" locale, where the
// <cctype> functions classify exactly these bytes; inlining them avoids a
// libc call per byte in the hot loops.
constexpr bool IsAsciiUpper(unsigned char c) { return c >= 'A' && c <= 'Z'; }
constexpr bool IsAsciiLower(unsigned char c) { return c >= 'a' && c <= 'z'; }
constexpr bool IsAsciiDigit(unsigned char c) { return c >= '0' && c <= '9'; }
constexpr bool IsAsciiAlpha(unsigned char c) { return IsAsciiUpper(c) || IsAsciiLower(c); }
constexpr bool IsAsciiAlnum(unsigned char c) { return IsAsciiAlpha(c) || IsAsciiDigit(c); }

// \w as RE2's \b sees it: an ASCII letter, digit or "_".
constexpr bool IsRe2WordByte(char c) { return IsAsciiAlnum(static_cast<unsigned char>(c)) || c == '_'; }

// A byte of a word for the tokenizer and the gazetteer: an ASCII letter or
// digit, or any byte of a non-ASCII character ("Yucatán", "Mexico’s").
constexpr bool IsWordByte(unsigned char c) { return IsAsciiAlnum(c) || c >= 0x80; }

// Whether `lower` is at s[i]: its ASCII lowercase letters in any ASCII
// case, its other bytes (spaces, "/", digits) as written.
inline bool AsciiNoCaseAt(std::string_view s, size_t i, std::string_view lower) {
  if (i > s.size() || s.size() - i < lower.size()) return false;
  for (size_t k = 0; k < lower.size(); ++k) {
    const char c = IsAsciiLower(static_cast<unsigned char>(lower[k])) ? static_cast<char>(s[i + k] | 0x20) : s[i + k];
    if (c != lower[k]) return false;
  }
  return true;
}

// Whether `s` is `lower` (ASCII lowercase letters only: no test per byte
// of what to compare, see AsciiNoCaseAt for the rest) in any ASCII case.
inline bool EqualsAsciiNoCase(std::string_view s, std::string_view lower) {
  if (s.size() != lower.size()) return false;
  for (size_t k = 0; k < s.size(); ++k) {
    if ((s[k] | 0x20) != lower[k]) return false;
  }
  return true;
}

// Whether `s` holds U+017F (long s) or U+212A (Kelvin sign), the non-ASCII
// letters RE2's (?i) folds into ASCII ones ("s", "k"): a hand matcher of a
// (?i) pattern that compares ASCII letters leaves such text to the pattern.
inline bool HasFoldedLetter(std::string_view s) {
  return s.find("\xC5\xBF") != std::string_view::npos || s.find("\xE2\x84\xAA") != std::string_view::npos;
}

inline bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

inline bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

inline std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// ToLower plus the two non-ASCII letters RE2's (?i) folds into ASCII ones:
// U+017F (long s) and U+212A (Kelvin sign). For looking up what a (?i)
// pattern matched ("ſix" matches "six").
inline std::string ToLowerFolded(std::string_view s) {
  std::string out = ToLower(s);
  for (auto [from, to] : {std::pair<std::string_view, char>{"\xC5\xBF", 's'}, {"\xE2\x84\xAA", 'k'}}) {
    for (size_t at = out.find(from); at != std::string::npos; at = out.find(from, at)) {
      out.replace(at, from.size(), 1, to);
    }
  }
  return out;
}

// Whether `s` contains `lower` (ASCII lowercase letters, no 'k' or 's',
// which RE2's (?i) also folds from non-ASCII letters) in any ASCII case. A
// prefilter for case-insensitive patterns.
inline bool ContainsAsciiNoCase(std::string_view s, std::string_view lower) {
  if (lower.empty()) return true;
  for (size_t i = 0; i + lower.size() <= s.size(); ++i) {
    if ((s[i] | 0x20) != lower[0]) continue;
    size_t k = 1;
    while (k < lower.size() && (s[i + k] | 0x20) == lower[k]) ++k;
    if (k == lower.size()) return true;
  }
  return false;
}

// Whether `s` is well-formed UTF-8 (RE2 matches no character in other bytes).
inline bool IsWellFormedUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    const size_t len = c >= 0xC2 && c < 0xE0 ? 2 : c >= 0xE0 && c < 0xF0 ? 3 : c >= 0xF0 && c < 0xF5 ? 4 : 0;
    if (len == 0 || i + len > s.size()) return false;
    for (size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    const unsigned char d = static_cast<unsigned char>(s[i + 1]);
    if ((c == 0xE0 && d < 0xA0) || (c == 0xED && d >= 0xA0) || (c == 0xF0 && d < 0x90) || (c == 0xF4 && d >= 0x90)) {
      return false;
    }
    i += len;
  }
  return true;
}

inline std::string_view StripWhitespace(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

// Splits at every `sep`; empty pieces are kept unless `skip_empty`.
inline std::vector<std::string_view> Split(std::string_view s, char sep, bool skip_empty = false) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t end = s.find(sep, start);
    std::string_view part = s.substr(start, end == std::string_view::npos ? end : end - start);
    if (!part.empty() || !skip_empty) parts.push_back(part);
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return parts;
}

}  // namespace pledgebook::parser
