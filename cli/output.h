#pragma once

// Output writers shared by the commands: aligned text tables (UTF-8 aware),
// RFC 4180 CSV, proto3 JSON. Pure functions of their input; no I/O besides
// the stream they are given.

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "google/protobuf/message.h"

namespace pledgebook::cli {

// ---- Terminal text ----------------------------------------------------

// Columns `text` takes in a terminal: East Asian wide and fullwidth
// characters take 2, combining marks and other zero-width characters 0, the
// rest 1. Bytes that are not valid UTF-8 take 1 each.
int DisplayWidth(std::string_view text);

// `text` cut to at most `width` columns, ending in "…" when it was cut.
// Never splits a character.
std::string TruncateToWidth(std::string_view text, int width);

// `text` with every control character (line breaks, tabs, escape sequences,
// C1 controls) and invalid UTF-8 byte replaced by a space: a table cell stays
// on one line, and text from a document cannot drive the terminal.
std::string SanitizeForTerminal(std::string_view text);

// Columns of the terminal on `fd`, or `fallback` when `fd` is not a terminal.
int TerminalColumns(int fd, int fallback);

// ---- Tables -------------------------------------------------------------

struct Column {
  enum class Align { kLeft, kRight };
  std::string title;
  Align align = Align::kLeft;
  int max_width = 0;  // cells wider than this are truncated; 0 = no limit
  int width = 0;      // current width (at least the title's); Fit() widens it, or set it for a fixed layout
};

// Column widths and the formatting of header, rule and rows. Two ways to use
// it: call Fit() on every row first and then print (buffered, widths fit the
// content), or give fixed widths and print rows as they come (streaming).
// Cells are sanitized and measured in display columns; columns are
// separated by two spaces; the last column is not padded.
class TableLayout {
 public:
  explicit TableLayout(std::vector<Column> columns);

  // Widens the columns to fit `cells` (up to each column's max_width).
  void Fit(const std::vector<std::string>& cells);
  std::string Header() const;
  // A line of dashes as wide as the table.
  std::string Rule() const;
  std::string Row(const std::vector<std::string>& cells) const;
  int TotalWidth() const;
  const std::vector<Column>& columns() const { return columns_; }

 private:
  std::vector<Column> columns_;
};

// ---- CSV ---------------------------------------------------------------

// One RFC 4180 field: quoted when it holds a comma, a double quote, CR or
// LF, or starts or ends with a space; double quotes doubled. The text is
// otherwise written as is.
std::string CsvField(std::string_view text);

// One record: the fields joined by commas, then "\n".
void WriteCsvRecord(std::ostream& out, const std::vector<std::string>& fields);

// ---- stdout ------------------------------------------------------------

// Flushes std::cout. False once it takes no more output: the reader went
// away (EPIPE: `| head`, `| grep -q`; main() ignores SIGPIPE) or writing
// failed (a full disk; the error is printed once). A command that streams
// stops producing output then.
bool FlushStdout();

// The exit status stdout calls for, after a final FlushStdout(): kExitFailure
// after a write error, else kExitOk — a reader that went away is no error.
int StdoutExitStatus();

// ---- JSON --------------------------------------------------------------

// proto3 JSON (lowerCamelCase names, enums by name, int64 as strings,
// default values omitted); `pretty` adds indentation and line breaks.
std::string ToJson(const google::protobuf::Message& message, bool pretty);

// A JSON string literal for `text` (quotes and escapes added; bytes that
// are not UTF-8 become U+FFFD).
std::string JsonString(std::string_view text);

}  // namespace pledgebook::cli
