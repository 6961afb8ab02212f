#pragma once

#include <memory>
#include <string>

#include <pqxx/pqxx>

#include "common/db_pool.h"
#include "pledgebook/v1/ingest_service.grpc.pb.h"
#include "pledgebook/v1/report_service.grpc.pb.h"

namespace pledgebook::testing {

// Both services, running in this process on loopback ports chosen by the
// OS, over a fresh PostgreSQL database created for this test process on
// the server ctest started (tests/CMakeLists.txt). The wiring is the same
// library code the binaries use; only main() differs.
class Services {
 public:
  // Starts everything on first use. Fails the test (never skips) when the
  // database is not reachable.
  static Services& Get();

  std::unique_ptr<pledgebook::v1::IngestService::Stub> Ingest() const;
  std::unique_ptr<pledgebook::v1::ReportService::Stub> Report() const;

  // A direct connection, for checking what was written.
  pqxx::connection& Db();
  const std::string& database_url() const { return database_url_; }

  ~Services();

 private:
  Services();
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string database_url_;
  std::unique_ptr<pqxx::connection> db_;
};

// Reads a file from tests/fixtures.
std::string ReadFixture(const std::string& name);

// A client context with a deadline, as every real client should use.
std::unique_ptr<grpc::ClientContext> ContextWithDeadline(int seconds = 20);

}  // namespace pledgebook::testing
