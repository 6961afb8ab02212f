#include "progress.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "absl/strings/str_cat.h"

namespace pledgebook::cli {
namespace {

constexpr auto kBarInterval = std::chrono::milliseconds(100);  // redraw at most 10 times a second
constexpr auto kLineInterval = std::chrono::seconds(2);        // a plain line at most every 2 s
constexpr char kClearLine[] = "\r\x1b[K";

int Percent(size_t done, size_t total) { return total == 0 ? 100 : static_cast<int>(done * 100 / total); }

std::string Eta(size_t done, size_t total, double elapsed) {
  if (done == 0 || elapsed <= 0) return Progress::FormatDuration(-1);
  return Progress::FormatDuration(static_cast<double>(total - std::min(done, total)) * elapsed / done);
}

}  // namespace

Progress::Style Progress::StyleFor(int fd) { return isatty(fd) ? Style::kBar : Style::kLines; }

Progress::Progress(Style style, size_t total, std::ostream& err, std::string unit)
    : style_(style), total_(total), err_(err), unit_(std::move(unit)) {
  last_draw_ = start_;  // the first plain line comes after kLineInterval: quick runs print none
}

double Progress::ElapsedSeconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

std::string Progress::FormatDuration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "--:--";
  long long s = std::llround(seconds);
  char buf[32];
  if (s >= 3600) {
    std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%lld:%02lld", s / 60, s % 60);
  }
  return buf;
}

std::string Progress::FormatRate(size_t done, double elapsed_seconds) {
  if (done == 0 || elapsed_seconds <= 0) return "--";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(done) / elapsed_seconds);
  return buf;
}

std::string Progress::FormatBar(size_t done, size_t total, double elapsed, int width, const std::string& unit) {
  const std::string counts = absl::StrCat(done, "/", total);
  std::string text = absl::StrCat("  ", counts, "  ", Percent(done, total), "%  ", FormatRate(done, elapsed), " ",
                                  unit, "/s  ETA ", Eta(done, total, elapsed));
  const int bar = width - static_cast<int>(text.size()) - 2;  // the brackets
  if (bar < 10) return text.substr(2);                          // too narrow for a bar
  const int filled = total == 0 ? bar : static_cast<int>(static_cast<double>(bar) * std::min(done, total) / total);
  return "[" + std::string(filled, '#') + std::string(bar - filled, '.') + "]" + text;
}

std::string Progress::FormatLine(size_t done, size_t total, double elapsed, const std::string& unit) {
  return absl::StrCat("progress: ", done, "/", total, " ", unit, " (", Percent(done, total), "%), ",
                      FormatRate(done, elapsed), " ", unit, "/s, ETA ", Eta(done, total, elapsed));
}

int Progress::TerminalWidth() const {
  winsize ws{};
  if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  return 80;
}

void Progress::Draw(bool force) {
  if (finished_ || style_ == Style::kNone) return;
  const auto now = std::chrono::steady_clock::now();
  if (style_ == Style::kBar) {
    if (!force && now - last_draw_ < kBarInterval) return;
    // One column short of the edge: some terminals wrap when the last column is written.
    err_ << kClearLine << FormatBar(done_, total_, ElapsedSeconds(), TerminalWidth() - 1, unit_) << std::flush;
    drawn_ = true;
  } else {
    // Plain lines only while there is something left to do; the caller's
    // summary reports the end.
    if (done_ >= total_ || now - last_draw_ < kLineInterval) return;
    err_ << FormatLine(done_, total_, ElapsedSeconds(), unit_) << "\n" << std::flush;
  }
  last_draw_ = now;
}

void Progress::Advance() {
  ++done_;
  Draw(false);
}

void Progress::Tick() { Draw(false); }

void Progress::PrintLine(std::ostream& out, const std::string& line) {
  if (style_ == Style::kBar && drawn_ && !finished_) err_ << kClearLine << std::flush;
  out << line << "\n" << std::flush;
  if (style_ == Style::kBar && !finished_) Draw(true);
}

void Progress::Finish() {
  if (finished_) return;
  if (style_ == Style::kBar && drawn_) err_ << kClearLine << std::flush;
  finished_ = true;
}

}  // namespace pledgebook::cli
