#include "support/service_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "grpcpp/client_context.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"

extern char** environ;

namespace pledgebook::testing {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

std::string Capture(const std::string& command) {
  std::string out;
  FILE* p = popen(command.c_str(), "r");
  if (p == nullptr) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  return Trim(out);
}

}  // namespace

std::string SourceDir() { return PLEDGEBOOK_TEST_SOURCE_DIR; }
std::string BinaryDir() { return PLEDGEBOOK_TEST_BINARY_DIR; }

int Shell(const std::string& command) {
  int rc = std::system(command.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

ServiceProcess::ServiceProcess(std::vector<std::string> argv, std::string log_file) : log_file_(std::move(log_file)) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log_file_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  // The child must not inherit blocked signals (gtest threads may block some).
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
  std::vector<char*> args;
  for (auto& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  if (posix_spawn(&pid_, args[0], &actions, &attr, args.data(), environ) != 0) pid_ = -1;
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
}

ServiceProcess::~ServiceProcess() {
  if (Running()) {
    kill(pid_, SIGKILL);
    Wait(std::chrono::seconds(10));
  }
}

std::string ServiceProcess::WaitListening(const std::string& key, std::chrono::seconds timeout) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  const std::regex pattern("\"" + key + "\":\"([^\"]*)\"");
  while (std::chrono::steady_clock::now() < end) {
    std::istringstream log(Slurp(log_file_));
    for (std::string line; std::getline(log, line);) {
      if (line.find("listening") == std::string::npos) continue;
      std::smatch m;
      if (std::regex_search(line, m, pattern)) return m[1];
    }
    if (!Running()) return "";
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return "";
}

void ServiceProcess::Signal(int signal) {
  if (pid_ > 0) kill(pid_, signal);
}

bool ServiceProcess::Running() {
  if (pid_ <= 0 || status_ >= 0) return false;
  int status = 0;
  pid_t r = waitpid(pid_, &status, WNOHANG);
  if (r == 0) return true;
  status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return false;
}

int ServiceProcess::Wait(std::chrono::milliseconds timeout) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  while (Running()) {
    if (std::chrono::steady_clock::now() >= end) return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return status_;
}

std::string ServiceProcess::Log() const { return Slurp(log_file_); }

LocalPostgres::LocalPostgres(std::string dir) : dir_(std::move(dir)) {
  Shell("mkdir -p '" + dir_ + "' && chmod 755 '" + dir_ + "'");
  url_ = Capture(SourceDir() + "/scripts/pg-local.sh start '" + dir_ + "'");
  datadir_ = Trim(Slurp(dir_ + "/datadir"));
  std::smatch m;
  if (!std::regex_search(url_, m, std::regex(":([0-9]+)/"))) {
    throw std::runtime_error("pg-local.sh start failed: " + url_);
  }
  port_ = std::stoi(m[1]);
}

LocalPostgres::~LocalPostgres() {
  Shell("runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D '" + datadir_ +
        "' -m immediate -w stop >/dev/null 2>&1");
  Shell(SourceDir() + "/scripts/pg-local.sh stop '" + dir_ + "' >/dev/null 2>&1");
}

std::string LocalPostgres::CreateDatabase(const std::string& name) {
  Shell("psql '" + url_ + "' -qc 'CREATE DATABASE " + name + "' >/dev/null");
  return url_.substr(0, url_.rfind('/') + 1) + name;
}

void LocalPostgres::Stop() {
  Shell("runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D '" + datadir_ + "' -m fast -w stop >/dev/null");
}

void LocalPostgres::Start() {
  Shell("runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D '" + datadir_ + "' -l '" + dir_ +
        "/postgres.log' -w -t 60 -o '-p " + std::to_string(port_) + " -k " + datadir_ +
        " -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        " -c max_connections=200' start >/dev/null");
}

int HealthCheck(const std::shared_ptr<grpc::Channel>& channel, const std::string& service,
                std::chrono::milliseconds timeout) {
  // HealthCheckRequest{service}: field 1, length-delimited.
  std::string request;
  if (!service.empty()) {
    request.push_back('\x0a');
    request.push_back(static_cast<char>(service.size()));
    request += service;
  }
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + timeout);
  grpc::CompletionQueue cq;
  grpc::Slice slice(request);
  grpc::ByteBuffer in(&slice, 1), out;
  auto call = stub.PrepareUnaryCall(&context, "/grpc.health.v1.Health/Check", in, &cq);
  call->StartCall();
  grpc::Status status;
  call->Finish(&out, &status, reinterpret_cast<void*>(1));
  void* tag;
  bool ok;
  cq.Next(&tag, &ok);
  cq.Shutdown();
  while (cq.Next(&tag, &ok)) {
  }
  if (!status.ok()) return -static_cast<int>(status.error_code());
  std::vector<grpc::Slice> slices;
  out.Dump(&slices);
  std::string bytes;
  for (const auto& s : slices) bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  // HealthCheckResponse{status}: field 1, varint; absent = 0 (UNKNOWN).
  if (bytes.size() >= 2 && bytes[0] == '\x08') return bytes[1];
  return 0;
}

bool WaitForHealth(const std::shared_ptr<grpc::Channel>& channel, const std::string& service, int want,
                   std::chrono::seconds timeout) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < end) {
    if (HealthCheck(channel, service) == want) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

}  // namespace pledgebook::testing
