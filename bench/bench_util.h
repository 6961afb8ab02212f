// Small helpers shared by the benchmark tools in bench/: flag parsing,
// the loopback-only guard, percentiles, /proc readings and JSON output.
// Header-only on purpose: each tool is one .cc plus this file.
#pragma once

#include <arpa/inet.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace pledgebook::bench {

// --name=value or --name value; dashes and underscores alike. Unknown flags
// are an error (exit 2) so a typo never silently runs the wrong benchmark.
class Flags {
 public:
  Flags(int argc, char** argv, std::map<std::string, std::string> defaults, const char* usage)
      : values_(std::move(defaults)), usage_(usage) {
    for (int i = 1; i < argc; ++i) {
      std::string arg = argv[i];
      if (arg == "-h" || arg == "--help") Usage(0);
      if (arg.rfind("--", 0) != 0) Fail("unexpected argument " + arg);
      arg = arg.substr(2);
      std::string value;
      size_t eq = arg.find('=');
      if (eq != std::string::npos) {
        value = arg.substr(eq + 1);
        arg = arg.substr(0, eq);
      } else if (i + 1 < argc) {
        value = argv[++i];
      } else {
        Fail("flag --" + arg + " needs a value");
      }
      std::replace(arg.begin(), arg.end(), '-', '_');
      if (!values_.count(arg)) Fail("unknown flag --" + arg);
      values_[arg] = value;
    }
  }
  std::string Str(const std::string& name) const { return values_.at(name); }
  long long Int(const std::string& name) const { return std::atoll(values_.at(name).c_str()); }
  double Double(const std::string& name) const { return std::atof(values_.at(name).c_str()); }
  [[noreturn]] void Fail(const std::string& why) const {
    std::cerr << why << "\n";
    Usage(2);
  }
  [[noreturn]] void Usage(int code) const {
    std::cerr << usage_ << "\nflags (defaults):\n";
    for (const auto& [k, v] : values_) std::cerr << "  --" << k << "=" << v << "\n";
    std::exit(code);
  }

 private:
  std::map<std::string, std::string> values_;
  const char* usage_;
};

// True for a literal address in 127.0.0.0/8 or ::1 (IPv4-mapped ::ffff:127.x too).
inline bool IsLoopbackLiteral(const std::string& host) {
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (inet_pton(AF_INET6, host.c_str(), &v6) == 1) {
    if (IN6_IS_ADDR_LOOPBACK(&v6)) return true;
    if (IN6_IS_ADDR_V4MAPPED(&v6)) return v6.s6_addr[12] == 127;
  }
  return false;
}

// The benchmark tools generate load: they only ever aim at this machine.
// Accepts "127.x.y.z:port", "[::1]:port", "ipv4:…"/"ipv6:…" forms and
// "localhost:port" (rewritten to 127.0.0.1); anything else exits 2.
inline std::string LoopbackTargetOrDie(std::string target) {
  std::string scheme;
  for (const char* s : {"ipv4:", "ipv6:", "dns:///", "dns:"}) {
    if (target.rfind(s, 0) == 0) {
      scheme = s;
      target = target.substr(scheme.size());
      break;
    }
  }
  std::string host, port;
  if (!target.empty() && target[0] == '[') {
    size_t close = target.find(']');
    if (close != std::string::npos) {
      host = target.substr(1, close - 1);
      if (close + 1 < target.size() && target[close + 1] == ':') port = target.substr(close + 2);
    }
  } else {
    size_t colon = target.rfind(':');
    if (colon != std::string::npos && target.find(':') == colon) {
      host = target.substr(0, colon);
      port = target.substr(colon + 1);
    }
  }
  if (host == "localhost") host = "127.0.0.1";
  if (host.empty() || port.empty() || port.find_first_not_of("0123456789") != std::string::npos ||
      !IsLoopbackLiteral(host)) {
    std::cerr << "refusing target \"" << scheme << target
              << "\": benchmark tools only aim at loopback (127.0.0.0/8 or [::1]) with an explicit port\n";
    std::exit(2);
  }
  return host.find(':') != std::string::npos ? "[" + host + "]:" + port : host + ":" + port;
}

using Clock = std::chrono::steady_clock;

inline double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Nearest-rank percentile of an unsorted sample (sorted in place).
inline double Percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(v.size())));
  if (rank < 1) rank = 1;
  return v[std::min(rank, v.size()) - 1];
}

// utime + stime of a process, in seconds (0 when it cannot be read).
inline double ProcessCpuSeconds(long pid) {
  if (pid <= 0) return 0;
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t close = stat.rfind(')');  // the command name may hold spaces
  if (close == std::string::npos) return 0;
  std::istringstream fields(stat.substr(close + 2));
  std::string f;
  unsigned long long utime = 0, stime = 0;
  for (int k = 3; fields >> f; ++k) {  // field 3 is the state
    if (k == 14) utime = std::stoull(f);
    if (k == 15) {
      stime = std::stoull(f);
      break;
    }
  }
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// CPU of a whole PostgreSQL cluster: the postmaster with its reaped
// children (cutime/cstime: backends that exited) plus its living children.
inline double ClusterCpuSeconds(long postmaster_pid) {
  if (postmaster_pid <= 0) return 0;
  auto fields_of = [](const std::string& path, std::vector<unsigned long long>* out) -> long {
    std::ifstream in(path);
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    size_t close = stat.rfind(')');
    if (close == std::string::npos) return -1;
    std::istringstream fields(stat.substr(close + 2));
    std::string f;
    long ppid = -1;
    out->assign(18, 0);
    for (int k = 3; fields >> f && k <= 17; ++k) {
      if (k == 4) ppid = std::atol(f.c_str());
      if (k >= 14) (*out)[static_cast<size_t>(k)] = std::stoull(f);
    }
    return ppid;
  };
  std::vector<unsigned long long> f;
  if (fields_of("/proc/" + std::to_string(postmaster_pid) + "/stat", &f) < 0) return 0;
  unsigned long long ticks = f[14] + f[15] + f[16] + f[17];
  std::ifstream list("/proc/" + std::to_string(postmaster_pid) + "/task/" + std::to_string(postmaster_pid) + "/children");
  long child;
  while (list >> child) {
    if (fields_of("/proc/" + std::to_string(child) + "/stat", &f) == postmaster_pid) ticks += f[14] + f[15];
  }
  return static_cast<double>(ticks) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// A "VmRSS:"-style field of /proc/PID/status, in kB (-1 when absent).
inline long long ProcStatusKb(long pid, const std::string& field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::atoll(line.c_str() + field.size() + 1);
  }
  return -1;
}

// Resets the process's VmHWM to its current RSS ("5" > clear_refs, Linux
// >= 4.0), so the peak measured afterwards belongs to the benchmark alone.
inline bool ResetPeakRss(long pid) {
  std::ofstream out("/proc/" + std::to_string(pid) + "/clear_refs");
  out << "5";
  out.flush();
  return static_cast<bool>(out);
}

// A flat JSON object, written in insertion order.
class JsonOut {
 public:
  JsonOut& Num(const std::string& key, double v) {
    char buf[64];
    if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15) {
      std::snprintf(buf, sizeof buf, "%.0f", v);
    } else {
      std::snprintf(buf, sizeof buf, "%.6g", std::isfinite(v) ? v : 0.0);
    }
    return Raw(key, buf);
  }
  JsonOut& Str(const std::string& key, const std::string& v) {
    std::string q = "\"";
    for (char c : v) {
      if (c == '"' || c == '\\') q += '\\';
      if (static_cast<unsigned char>(c) < 0x20) {
        q += ' ';
        continue;
      }
      q += c;
    }
    return Raw(key, q + "\"");
  }
  JsonOut& Raw(const std::string& key, const std::string& v) {
    fields_.push_back("\"" + key + "\": " + v);
    return *this;
  }
  std::string ToString() const {
    std::string s = "{";
    for (size_t k = 0; k < fields_.size(); ++k) s += (k ? ", " : "") + fields_[k];
    return s + "}";
  }
  // Prints to stdout and, when `path` is set, writes the file too.
  void Emit(const std::string& path) const {
    std::cout << ToString() << std::endl;
    if (!path.empty()) std::ofstream(path) << ToString() << "\n";
  }

 private:
  std::vector<std::string> fields_;
};

// Latency summary fields (milliseconds) of a sample in seconds.
inline void AddLatencies(JsonOut& out, const std::string& prefix, std::vector<double> seconds) {
  double sum = 0;
  for (double s : seconds) sum += s;
  out.Num(prefix + "count", static_cast<double>(seconds.size()));
  out.Num(prefix + "mean_ms", seconds.empty() ? 0 : 1000 * sum / static_cast<double>(seconds.size()));
  out.Num(prefix + "p50_ms", 1000 * Percentile(seconds, 50));
  out.Num(prefix + "p90_ms", 1000 * Percentile(seconds, 90));
  out.Num(prefix + "p99_ms", 1000 * Percentile(seconds, 99));
  out.Num(prefix + "max_ms", seconds.empty() ? 0 : 1000 * seconds.back());
}

// Lines of a file, without empty ones.
inline std::vector<std::string> ReadLines(const std::string& path) {
  std::vector<std::string> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

}  // namespace pledgebook::bench
