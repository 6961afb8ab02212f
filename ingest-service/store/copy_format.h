#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pledgebook::ingest {

// Text for PostgreSQL's array input syntax: {"a","b \"quoted\""}.
std::string ToPgTextArray(const std::vector<std::string>& items);

// Text for bytea input in hex format: \x0a1b….
std::string ToPgByteaHex(const std::string& bytes);

// Rows in COPY's text format (tab-separated, backslash escapes, \N for
// NULL), built in one buffer so a whole batch of rows goes to the server in
// one piece. Each value is written exactly as pqxx::stream_to would write
// the same C++ value.
class CopyRows {
 public:
  CopyRows& Text(std::string_view s);
  CopyRows& Int(long long v);
  CopyRows& Bool(bool v) { return Raw(v ? "t" : "f"); }
  CopyRows& Null() { return Raw("\\N"); }
  CopyRows& OptText(const std::optional<std::string>& s) { return s ? Text(*s) : Null(); }
  // bytea in hex format (\x…), the bytes as they are.
  CopyRows& Bytea(std::string_view bytes);
  // text[] in array input syntax, as ToPgTextArray.
  CopyRows& TextArray(const std::vector<std::string>& items);
  void EndRow();

  size_t rows() const { return rows_; }
  bool empty() const { return rows_ == 0; }
  // Every row, each ending in a newline.
  const std::string& data() const { return buf_; }

 private:
  CopyRows& Raw(std::string_view s);
  void Separate();
  void AppendEscaped(std::string_view s);

  std::string buf_;
  bool row_start_ = true;
  size_t rows_ = 0;
};

}  // namespace pledgebook::ingest
