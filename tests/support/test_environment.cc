#include "support/test_environment.h"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>

#include <gtest/gtest.h>

#include "common/migrations.h"
#include "common/server_lifecycle.h"
#include "grpcpp/grpcpp.h"
#include "server/ingest_service.h"
#include "server/report_service.h"
#include "store/document_store.h"

namespace pledgebook::testing {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Replaces the database name at the end of a libpq URI.
std::string WithDatabase(const std::string& url, const std::string& db) {
  return url.substr(0, url.rfind('/') + 1) + db;
}

}  // namespace

struct Services::Impl {
  std::unique_ptr<ConnectionPool> write_pool;
  std::unique_ptr<ConnectionPool> read_pool;
  std::unique_ptr<ingest::DocumentStore> store;
  std::unique_ptr<ingest::IngestServiceImpl> ingest;
  std::unique_ptr<report::ReportServiceImpl> report;
  RunningServer ingest_server;
  RunningServer report_server;
  std::string admin_url;
  std::string db_name;
};

Services::Services() : impl_(std::make_unique<Impl>()) {
  const char* url_file = std::getenv("PLEDGEBOOK_TEST_PG_URL_FILE");
  std::string admin_url = Slurp(url_file ? url_file : PLEDGEBOOK_TEST_PG_URL_FILE_DEFAULT);
  while (!admin_url.empty() && (admin_url.back() == '\n' || admin_url.back() == ' ')) admin_url.pop_back();
  if (admin_url.empty()) {
    ADD_FAILURE() << "no test database: PLEDGEBOOK_TEST_PG_URL_FILE is unset or empty (run through ctest)";
    std::abort();
  }
  std::random_device rd;
  impl_->db_name = "pbtest_" + std::to_string(getpid()) + "_" + std::to_string(rd() % 100000);
  impl_->admin_url = admin_url;
  {
    pqxx::connection admin(admin_url);
    pqxx::nontransaction tx(admin);
    tx.exec("CREATE DATABASE " + tx.quote_name(impl_->db_name));
  }
  database_url_ = WithDatabase(admin_url, impl_->db_name);
  {
    pqxx::connection conn(database_url_);
    ApplyMigrations(conn);
  }
  impl_->write_pool = std::make_unique<ConnectionPool>(database_url_, 4);
  impl_->read_pool =
      std::make_unique<ConnectionPool>(database_url_, 8, "SET default_transaction_read_only = on");
  impl_->store = std::make_unique<ingest::DocumentStore>(impl_->write_pool.get());
  impl_->ingest = std::make_unique<ingest::IngestServiceImpl>(impl_->store.get(), parser::ParserLimits{});
  impl_->report = std::make_unique<report::ReportServiceImpl>(impl_->read_pool.get(), absl::Milliseconds(50));
  ServerSettings settings;
  settings.listen_address = "127.0.0.1:0";
  settings.transport.plaintext = true;  // loopback, in-process
  auto ingest_server = StartServer(settings, {impl_->ingest.get()});
  auto report_server = StartServer(settings, {impl_->report.get()});
  if (!ingest_server.ok() || !report_server.ok()) {
    ADD_FAILURE() << "cannot start the services";
    std::abort();
  }
  impl_->ingest_server = std::move(*ingest_server);
  impl_->report_server = std::move(*report_server);
  db_ = std::make_unique<pqxx::connection>(database_url_);
}

Services::~Services() {
  impl_->ingest_server.server->Shutdown(std::chrono::system_clock::now());
  impl_->report_server.server->Shutdown(std::chrono::system_clock::now());
  db_.reset();
  impl_->write_pool.reset();
  impl_->read_pool.reset();
  try {
    pqxx::connection admin(impl_->admin_url);
    pqxx::nontransaction tx(admin);
    tx.exec("DROP DATABASE IF EXISTS " + tx.quote_name(impl_->db_name) + " WITH (FORCE)");
  } catch (const std::exception&) {
  }
}

Services& Services::Get() {
  static Services* services = new Services();  // lives for the process
  return *services;
}

std::unique_ptr<v1::IngestService::Stub> Services::Ingest() const {
  return v1::IngestService::NewStub(grpc::CreateChannel(
      "127.0.0.1:" + std::to_string(impl_->ingest_server.port), grpc::InsecureChannelCredentials()));
}

std::unique_ptr<v1::ReportService::Stub> Services::Report() const {
  return v1::ReportService::NewStub(grpc::CreateChannel(
      "127.0.0.1:" + std::to_string(impl_->report_server.port), grpc::InsecureChannelCredentials()));
}

pqxx::connection& Services::Db() { return *db_; }

std::string ReadFixture(const std::string& name) {
  const char* dir = std::getenv("PLEDGEBOOK_TEST_FIXTURES");
  return Slurp(std::string(dir ? dir : PLEDGEBOOK_TEST_FIXTURES_DEFAULT) + "/" + name);
}

std::unique_ptr<grpc::ClientContext> ContextWithDeadline(int seconds) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(seconds));
  return context;
}

}  // namespace pledgebook::testing
