#pragma once

// Progress of a batch of work (files being ingested), on stderr: on a
// terminal a bar redrawn in place, with the rate and the time left; when
// stderr is not a terminal (a log, CI) a plain line every few seconds, with
// no control characters. Not thread-safe: one thread reports.

#include <chrono>
#include <cstddef>
#include <ostream>
#include <string>

namespace pledgebook::cli {

class Progress {
 public:
  enum class Style { kBar, kLines, kNone };
  // kBar when `fd` is a terminal, kLines otherwise.
  static Style StyleFor(int fd);

  // `unit` names the items, plural: "documents".
  Progress(Style style, size_t total, std::ostream& err, std::string unit);
  ~Progress() { Finish(); }
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // One more item done.
  void Advance();
  // Redraws the bar (call a few times a second so the clock moves even while
  // no item finishes); for kLines, prints a line when one is due.
  void Tick();
  // Prints `line` and a newline to `out` (stdout), keeping the bar below it.
  void PrintLine(std::ostream& out, const std::string& line);
  // Clears the bar; later calls do nothing.
  void Finish();

  double ElapsedSeconds() const;

  // Pure formatting, for tests and for the summary line.
  //   "[########............]  45/120  37%  12.4 documents/s  ETA 0:06"
  static std::string FormatBar(size_t done, size_t total, double elapsed_seconds, int width,
                               const std::string& unit);
  //   "progress: 45/120 documents (37%), 12.4 documents/s, ETA 0:06"
  static std::string FormatLine(size_t done, size_t total, double elapsed_seconds, const std::string& unit);
  // "0:07", "12:03", "1:02:03"; "--:--" when unknown (negative or not finite).
  static std::string FormatDuration(double seconds);
  // "12.4" items per second; "--" before any item finished.
  static std::string FormatRate(size_t done, double elapsed_seconds);

 private:
  void Draw(bool force);
  int TerminalWidth() const;

  Style style_;
  size_t total_;
  size_t done_ = 0;
  std::ostream& err_;
  std::string unit_;
  bool finished_ = false;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace pledgebook::cli
