#include "common/token_store.h"

#include <openssl/evp.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/logging.h"
#include "common/metrics.h"

namespace pledgebook {
namespace {

bool ReadFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return !in.bad();
}

bool IsSha256Hex(const std::string& s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

}  // namespace

const char* RoleName(Role role) {
  switch (role) {
    case Role::kIngest: return "ingest";
    case Role::kReport: return "report";
    case Role::kAdmin: return "admin";
  }
  return "?";
}

bool TokenInfo::HasRole(Role role) const {
  for (Role r : roles) {
    if (r == role || r == Role::kAdmin) return true;
  }
  return false;
}

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr);
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 15]);
  }
  return out;
}

std::map<std::string, TokenInfo> TokenStore::Parse(const std::string& content, std::vector<std::string>* errors) {
  std::map<std::string, TokenInfo> tokens;
  int line_number = 0;
  for (absl::string_view raw : absl::StrSplit(content, '\n')) {
    ++line_number;
    std::string line(absl::StripAsciiWhitespace(raw));
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> words = absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    auto fail = [&](const std::string& why) {
      if (errors) errors->push_back(absl::StrCat("line ", line_number, ": ", why));
    };
    std::string hash = absl::AsciiStrToLower(words[0]);
    if (!IsSha256Hex(hash)) {
      fail("the first word is not a SHA-256 in hex (64 digits)");
      continue;
    }
    if (words.size() < 2) {
      fail("no roles");
      continue;
    }
    TokenInfo info;
    bool ok = true;
    for (absl::string_view role : absl::StrSplit(words[1], ',', absl::SkipEmpty())) {
      if (role == "ingest") info.roles.push_back(Role::kIngest);
      else if (role == "report") info.roles.push_back(Role::kReport);
      else if (role == "admin") info.roles.push_back(Role::kAdmin);
      else {
        fail(absl::StrCat("unknown role \"", role, "\" (ingest, report, admin)"));
        ok = false;
      }
    }
    for (size_t i = 2; ok && i < words.size(); ++i) {
      const std::string& w = words[i];
      if (w.rfind("expires=", 0) == 0) {
        absl::Time t;
        std::string err;
        if (!absl::ParseTime(absl::RFC3339_full, w.substr(8), &t, &err)) {
          fail("expires= is not an RFC 3339 time: " + err);
          ok = false;
        } else {
          info.expires = t;
        }
      } else if (w.rfind("name=", 0) == 0) {
        info.name = w.substr(5);
      } else {
        fail("unknown attribute \"" + w + "\" (expires=, name=)");
        ok = false;
      }
    }
    if (!ok) continue;
    if (info.roles.empty()) {
      fail("no roles");
      continue;
    }
    if (info.name.empty()) info.name = "sha256:" + hash.substr(0, 12);
    tokens[hash] = std::move(info);
  }
  return tokens;
}

TokenStore::TokenStore(std::map<std::string, TokenInfo> tokens) : tokens_(std::move(tokens)) {}

absl::StatusOr<std::unique_ptr<TokenStore>> TokenStore::Load(const std::string& path, absl::Duration reload) {
  std::unique_ptr<TokenStore> store(new TokenStore());
  store->path_ = path;
  std::string content;
  if (!ReadFile(path, &content)) return absl::NotFoundError("token_file: cannot read " + path);
  std::vector<std::string> errors;
  store->tokens_ = Parse(content, &errors);
  store->content_ = content;
  for (const auto& e : errors) Log("warning", "token file line skipped", {{"file", path}, {"error", e}});
  Log("info", "tokens loaded", {{"file", path}, {"tokens", std::to_string(store->tokens_.size())}});
  ServiceMetrics::Get().tokens_loaded->Set(static_cast<double>(store->tokens_.size()));
  if (reload > absl::ZeroDuration()) {
    TokenStore* self = store.get();
    store->reloader_ = std::thread([self, reload] { self->ReloadLoop(reload); });
  }
  return store;
}

TokenStore::~TokenStore() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  stop_cv_.notify_all();
  if (reloader_.joinable()) reloader_.join();
}

void TokenStore::ReloadLoop(absl::Duration every) {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_cv_.wait_for(lock, absl::ToChronoNanoseconds(every), [this] { return stop_; })) {
    lock.unlock();
    ReloadNow();
    lock.lock();
  }
}

bool TokenStore::ReloadNow() {
  if (path_.empty()) return false;
  std::string content;
  if (!ReadFile(path_, &content)) {
    Log("warning", "token file unreadable; keeping the tokens loaded before", {{"file", path_}});
    return false;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (content == content_) return false;
  }
  std::vector<std::string> errors;
  auto tokens = Parse(content, &errors);
  for (const auto& e : errors) Log("warning", "token file line skipped", {{"file", path_}, {"error", e}});
  size_t n = tokens.size();
  {
    std::lock_guard<std::mutex> lock(mu_);
    tokens_ = std::move(tokens);
    content_ = std::move(content);
  }
  ServiceMetrics::Get().tokens_loaded->Set(static_cast<double>(n));
  Log("info", "tokens reloaded", {{"file", path_}, {"tokens", std::to_string(n)}});
  return true;
}

TokenStore::Verdict TokenStore::Check(std::string_view token, absl::Time now, TokenInfo* info) const {
  const std::string hash = Sha256Hex(token);
  std::lock_guard<std::mutex> lock(mu_);
  auto it = tokens_.find(hash);
  if (it == tokens_.end()) return Verdict::kUnknown;
  if (it->second.expires && now >= *it->second.expires) return Verdict::kExpired;
  *info = it->second;
  return Verdict::kOk;
}

size_t TokenStore::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return tokens_.size();
}

}  // namespace pledgebook
