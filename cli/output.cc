#include "output.h"

#include <poll.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>

#include "args.h"
#include "google/protobuf/util/json_util.h"
#include "utf8proc.h"

namespace pledgebook::cli {
namespace {

// Decodes the character at text[i]: its code point (-1 for an invalid
// byte) and its length in bytes (1 for an invalid byte).
int Next(std::string_view text, size_t i, int32_t* code_point) {
  utf8proc_ssize_t n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text.data() + i),
                                        static_cast<utf8proc_ssize_t>(text.size() - i), code_point);
  if (n <= 0) {
    *code_point = -1;
    return 1;
  }
  return static_cast<int>(n);
}

int CharWidth(int32_t code_point) { return code_point < 0 ? 1 : utf8proc_charwidth(code_point); }

bool IsUnsafeForTerminal(int32_t c) {
  return c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) ||
         (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);  // bidi overrides reorder the line
}

}  // namespace

int DisplayWidth(std::string_view text) {
  int width = 0;
  int32_t c;
  for (size_t i = 0; i < text.size();) {
    i += Next(text, i, &c);
    width += CharWidth(c);
  }
  return width;
}

std::string TruncateToWidth(std::string_view text, int width) {
  if (DisplayWidth(text) <= width) return std::string(text);
  if (width <= 0) return "";
  const int room = width - 1;  // one column for the ellipsis
  int used = 0;
  size_t end = 0;
  int32_t c;
  while (end < text.size()) {
    int n = Next(text, end, &c);
    int w = CharWidth(c);
    if (used + w > room) break;
    used += w;
    end += n;
  }
  return std::string(text.substr(0, end)) + "…";
}

std::string SanitizeForTerminal(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  int32_t c;
  for (size_t i = 0; i < text.size();) {
    int n = Next(text, i, &c);
    if (IsUnsafeForTerminal(c)) {
      out += ' ';
    } else {
      out.append(text.substr(i, n));
    }
    i += n;
  }
  return out;
}

int TerminalColumns(int fd, int fallback) {
  winsize ws{};
  if (isatty(fd) && ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  return fallback;
}

TableLayout::TableLayout(std::vector<Column> columns) : columns_(std::move(columns)) {
  for (Column& col : columns_) col.width = std::max(col.width, DisplayWidth(col.title));
}

void TableLayout::Fit(const std::vector<std::string>& cells) {
  for (size_t i = 0; i < columns_.size() && i < cells.size(); ++i) {
    Column& col = columns_[i];
    int w = DisplayWidth(SanitizeForTerminal(cells[i]));
    if (col.max_width > 0) w = std::min(w, col.max_width);
    col.width = std::max(col.width, w);
  }
}

std::string TableLayout::Row(const std::vector<std::string>& cells) const {
  std::string line;
  for (size_t i = 0; i < columns_.size(); ++i) {
    const Column& col = columns_[i];
    std::string cell = TruncateToWidth(SanitizeForTerminal(i < cells.size() ? cells[i] : ""), col.width);
    const std::string pad(static_cast<size_t>(std::max(0, col.width - DisplayWidth(cell))), ' ');
    if (i > 0) line += "  ";
    if (col.align == Column::Align::kRight) {
      line += pad + cell;
    } else {
      line += cell;
      if (i + 1 < columns_.size()) line += pad;
    }
  }
  // A last column that is empty (or right-aligned) leaves no trailing blanks.
  line.erase(line.find_last_not_of(' ') + 1);
  return line;
}

std::string TableLayout::Header() const {
  std::vector<std::string> titles;
  for (const Column& col : columns_) titles.push_back(col.title);
  return Row(titles);
}

int TableLayout::TotalWidth() const {
  int width = 0;
  for (const Column& col : columns_) width += col.width;
  return width + 2 * static_cast<int>(columns_.empty() ? 0 : columns_.size() - 1);
}

std::string TableLayout::Rule() const { return std::string(static_cast<size_t>(TotalWidth()), '-'); }

std::string CsvField(std::string_view text) {
  const bool quote = text.find_first_of(",\"\r\n") != std::string_view::npos ||
                     (!text.empty() && (text.front() == ' ' || text.back() == ' '));
  if (!quote) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

void WriteCsvRecord(std::ostream& out, const std::vector<std::string>& fields) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out << ',';
    out << CsvField(fields[i]);
  }
  out << '\n';
}

namespace {

bool stdout_write_error = false;

// True when stdout is a pipe or socket whose reader has gone. Asked of the
// kernel, because errno is long gone by the time the stream reports the
// failure (the failing write may have happened in any earlier <<).
bool ReaderGone() {
  pollfd p{STDOUT_FILENO, 0, 0};  // POLLERR and POLLHUP are reported whatever `events` says
  return poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLHUP)) != 0;
}

}  // namespace

bool FlushStdout() {
  static bool reported = false;
  std::cout.flush();
  if (std::cout) return true;
  if (!reported) {
    reported = true;
    const int error = errno;
    if (error != EPIPE && !ReaderGone()) {
      stdout_write_error = true;
      std::cerr << "pledgebook: cannot write to stdout: " << std::strerror(error ? error : EIO) << "\n";
    }
  }
  return false;
}

int StdoutExitStatus() {
  FlushStdout();
  return stdout_write_error ? kExitFailure : kExitOk;
}

std::string ToJson(const google::protobuf::Message& message, bool pretty) {
  std::string out;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = pretty;
  options.preserve_proto_field_names = false;  // canonical lowerCamelCase
  (void)google::protobuf::util::MessageToJsonString(message, &out, options);
  if (pretty && !out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

std::string JsonString(std::string_view text) {
  std::string out = "\"";
  int32_t c;
  for (size_t i = 0; i < text.size();) {
    const int n = Next(text, i, &c);
    switch (c) {
      case -1: out += "\\ufffd"; break;  // not UTF-8 (a file name can be anything)
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[16];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
          out += buf;
        } else {
          out.append(text.substr(i, n));
        }
    }
    i += n;
  }
  return out + "\"";
}

}  // namespace pledgebook::cli
