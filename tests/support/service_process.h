#pragma once

// Helpers for tests that run the real binaries and their own PostgreSQL:
// start a process with its output in a log file, find the port it logged,
// signal it, wait for it; a throw-away PostgreSQL that can be stopped and
// restarted on the same port with its data; grpc.health.v1 checks without
// generated health stubs.
#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "grpcpp/channel.h"

namespace pledgebook::testing {

class ServiceProcess {
 public:
  // Starts `argv` (argv[0] is the binary's path) with stdout and stderr in
  // `log_file`.
  ServiceProcess(std::vector<std::string> argv, std::string log_file);
  ~ServiceProcess();  // SIGKILLs it if still running

  // Waits for the "listening" log line and returns the value of `key`
  // there (e.g. "port"); "" when the process exited or the time ran out.
  std::string WaitListening(const std::string& key = "port", std::chrono::seconds timeout = std::chrono::seconds(30));
  void Signal(int signal);
  // Waits for the process to exit; its exit status, or -1 on time-out
  // (WEXITSTATUS; 128+N when killed by signal N).
  int Wait(std::chrono::milliseconds timeout);
  bool Running();
  pid_t pid() const { return pid_; }
  std::string Log() const;

 private:
  pid_t pid_ = -1;
  std::string log_file_;
  int status_ = -1;
};

// A PostgreSQL of the test's own (scripts/pg-local.sh in `dir`), which can be
// stopped and started again on the same port with its data.
class LocalPostgres {
 public:
  explicit LocalPostgres(std::string dir);
  ~LocalPostgres();  // stops it (immediate)
  const std::string& admin_url() const { return url_; }
  // A URL of a new database of this server.
  std::string CreateDatabase(const std::string& name);
  void Stop();   // pg_ctl stop -m fast: connections break, data stays
  void Start();  // same data, same port

 private:
  std::string dir_, url_, datadir_;
  int port_ = 0;
};

// grpc.health.v1.Health/Check: 1 SERVING, 2 NOT_SERVING, 3 SERVICE_UNKNOWN,
// -(status code) when the call itself failed.
int HealthCheck(const std::shared_ptr<grpc::Channel>& channel, const std::string& service,
                std::chrono::milliseconds timeout = std::chrono::milliseconds(2000));
// Polls HealthCheck until it returns `want`; whether it did in time.
bool WaitForHealth(const std::shared_ptr<grpc::Channel>& channel, const std::string& service, int want,
                   std::chrono::seconds timeout);

// Runs a shell command; its exit status.
int Shell(const std::string& command);

// The repository's root and the build directory (for binaries and scripts).
std::string SourceDir();
std::string BinaryDir();

}  // namespace pledgebook::testing
