#include "copy_format.h"

#include <charconv>

namespace pledgebook::ingest {

std::string ToPgTextArray(const std::vector<std::string>& items) {
  std::string out = "{";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out.push_back(',');
    out.push_back('"');
    for (char c : items[i]) {
      if (c == '"' || c == '\\') out.push_back('\\');
      out.push_back(c);
    }
    out.push_back('"');
  }
  out.push_back('}');
  return out;
}

std::string ToPgByteaHex(const std::string& bytes) {
  static const char* kHex = "0123456789abcdef";
  std::string out = "\\x";
  out.reserve(2 + bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

void CopyRows::Separate() {
  if (!row_start_) buf_.push_back('\t');
  row_start_ = false;
}

CopyRows& CopyRows::Raw(std::string_view s) {
  Separate();
  buf_.append(s);
  return *this;
}

void CopyRows::AppendEscaped(std::string_view s) {
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const char* esc = nullptr;
    switch (c) {
      case '\\': esc = "\\\\"; break;
      case '\n': esc = "\\n"; break;
      case '\r': esc = "\\r"; break;
      case '\t': esc = "\\t"; break;
      case '\b': esc = "\\b"; break;
      case '\f': esc = "\\f"; break;
      case '\v': esc = "\\v"; break;
      default: continue;
    }
    buf_.append(s.data() + start, i - start);
    buf_.append(esc);
    start = i + 1;
  }
  buf_.append(s.data() + start, s.size() - start);
}

CopyRows& CopyRows::Text(std::string_view s) {
  Separate();
  AppendEscaped(s);
  return *this;
}

CopyRows& CopyRows::Int(long long v) {
  char tmp[24];
  auto [end, ec] = std::to_chars(tmp, tmp + sizeof tmp, v);
  (void)ec;
  return Raw(std::string_view(tmp, static_cast<size_t>(end - tmp)));
}

CopyRows& CopyRows::Bytea(std::string_view bytes) {
  static const char* kHex = "0123456789abcdef";
  Separate();
  buf_.append("\\\\x");  // the hex format's leading backslash, escaped for COPY
  const size_t at = buf_.size();
  buf_.resize(at + bytes.size() * 2);
  char* out = buf_.data() + at;
  for (unsigned char c : bytes) {
    *out++ = kHex[c >> 4];
    *out++ = kHex[c & 15];
  }
  return *this;
}

CopyRows& CopyRows::TextArray(const std::vector<std::string>& items) {
  Separate();
  buf_.push_back('{');
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) buf_.push_back(',');
    buf_.push_back('"');
    for (char c : items[i]) {
      // Array syntax escapes " and \ with a backslash; COPY then escapes
      // every backslash once more.
      if (c == '"') {
        buf_.append("\\\\\"");
      } else if (c == '\\') {
        buf_.append("\\\\\\\\");
      } else {
        AppendEscaped(std::string_view(&c, 1));
      }
    }
    buf_.push_back('"');
  }
  buf_.push_back('}');
  return *this;
}

void CopyRows::EndRow() {
  buf_.push_back('\n');
  row_start_ = true;
  ++rows_;
}

}  // namespace pledgebook::ingest
