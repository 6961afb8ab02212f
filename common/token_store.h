#pragma once

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace pledgebook {

// What a bearer token may do. A method's required role comes from the table
// in common/method_roles.cc; `admin` may call everything.
enum class Role { kIngest, kReport, kAdmin };

const char* RoleName(Role role);

struct TokenInfo {
  std::string name;             // for logs and per-client limits; the hash prefix when unnamed
  std::vector<Role> roles;
  std::optional<absl::Time> expires;  // none: does not expire

  bool HasRole(Role role) const;
};

// SHA-256 of `data` as 64 lowercase hex digits (OpenSSL libcrypto).
std::string Sha256Hex(std::string_view data);

// Bearer tokens, stored hashed, loaded from a file and reloaded when it
// changes (a Kubernetes Secret mounted as that file is updated in place).
//
// The file has one token per line:
//   <sha256 hex of the token> <role>[,<role>...] [expires=<RFC 3339>] [name=<name>]
// Roles: ingest, report, admin. Blank lines and lines starting with # are
// ignored; a malformed line is logged and skipped, the others still count.
// Hash a token with:  printf %s "$TOKEN" | sha256sum
class TokenStore {
 public:
  // Parses file content (for tests and for Load). `errors` gets one message
  // per skipped line.
  static std::map<std::string, TokenInfo> Parse(const std::string& content, std::vector<std::string>* errors);

  // Reads `path` now (failing when it cannot be read) and, when `reload` is
  // positive, re-reads it that often in a thread of its own.
  static absl::StatusOr<std::unique_ptr<TokenStore>> Load(const std::string& path, absl::Duration reload);

  // A store over fixed tokens (sha256 hex → info), for tests.
  explicit TokenStore(std::map<std::string, TokenInfo> tokens);
  ~TokenStore();

  enum class Verdict { kOk, kUnknown, kExpired };
  // Looks a presented token up by its hash; fills `info` when known.
  Verdict Check(std::string_view token, absl::Time now, TokenInfo* info) const;

  // Re-reads the file now; returns whether it changed. Kept: the previous
  // tokens when the file cannot be read.
  bool ReloadNow();
  size_t size() const;

 private:
  TokenStore() = default;
  void ReloadLoop(absl::Duration every);

  std::string path_;
  mutable std::mutex mu_;
  std::map<std::string, TokenInfo> tokens_;
  std::string content_;
  std::condition_variable stop_cv_;
  bool stop_ = false;
  std::thread reloader_;
};

}  // namespace pledgebook
