// The CLI's connection layer against an in-process fake ReportService: the
// bearer token travels as "authorization" metadata, in plaintext and over
// TLS with the root CA given by --tls-ca-file; a client that does not trust
// the server's certificate (or speaks plaintext to it) cannot call it. The
// certificates are made for the test with the openssl command.
#include "connection.h"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <string>

#include "gtest/gtest.h"
#include "pledgebook/v1/report_service.grpc.pb.h"

namespace pledgebook::cli {
namespace {

namespace v1 = ::pledgebook::v1;
namespace fs = std::filesystem;

class FakeReportService final : public v1::ReportService::Service {
 public:
  grpc::Status GetDocument(grpc::ServerContext* context, const v1::GetDocumentRequest* request,
                           v1::GetDocumentResponse* response) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = context->client_metadata().find("authorization");
    authorization_ = it == context->client_metadata().end() ? "(none)" : std::string(it->second.data(), it->second.size());
    if (request->name() == "missing") return {grpc::StatusCode::NOT_FOUND, "no document \"missing\""};
    response->mutable_document()->set_document_id(request->name());
    return grpc::Status::OK;
  }
  std::string authorization() {
    std::lock_guard<std::mutex> lock(mu_);
    return authorization_;
  }

 private:
  std::mutex mu_;
  std::string authorization_;
};

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class ConnectionTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    char tmpl[] = "/tmp/pledgebook-tls-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    // Two throw-away self-signed certificates for 127.0.0.1: the server's, and
    // another one the server does not use.
    for (const char* name : {"server", "stranger"}) {
      const std::string cmd = "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1"
                              " -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1"
                              " -keyout " + (dir_ / (std::string(name) + ".key")).string() +
                              " -out " + (dir_ / (std::string(name) + ".pem")).string() + " 2>/dev/null";
      ASSERT_EQ(std::system(cmd.c_str()), 0) << "openssl could not make a certificate: " << cmd;
    }
  }
  static void TearDownTestSuite() { fs::remove_all(dir_); }

  // Starts the fake service on a free loopback port, with TLS or not.
  void Start(bool tls) {
    grpc::ServerBuilder builder;
    std::shared_ptr<grpc::ServerCredentials> credentials = grpc::InsecureServerCredentials();
    if (tls) {
      grpc::SslServerCredentialsOptions options;
      options.pem_key_cert_pairs.push_back({ReadFile(dir_ / "server.key"), ReadFile(dir_ / "server.pem")});
      credentials = grpc::SslServerCredentials(options);
    }
    builder.AddListeningPort("127.0.0.1:0", credentials, &port_);
    builder.RegisterService(&service_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    ASSERT_GT(port_, 0);
  }
  void TearDown() override {
    if (server_) server_->Shutdown(std::chrono::system_clock::now());
  }

  ConnectionOptions Options(const std::string& token, const std::string& ca_file) {
    ConnectionOptions o;
    o.address = "127.0.0.1:" + std::to_string(port_);
    o.token = token;
    o.tls_ca_file = ca_file;
    if (!ca_file.empty()) o.tls_root_pem = ReadFile(ca_file);
    o.deadline_seconds = 10;
    return o;
  }

  grpc::Status Call(const ConnectionOptions& options, const std::string& name = "abc") {
    Connection connection(options);
    auto stub = v1::ReportService::NewStub(connection.channel());
    auto context = connection.NewContext();
    v1::GetDocumentResponse response;
    grpc::Status status = stub->GetDocument(context.get(), [&] {
      v1::GetDocumentRequest r;
      r.set_name(name);
      return r;
    }(), &response);
    if (status.ok()) EXPECT_EQ(response.document().document_id(), name);
    return status;
  }

  static fs::path dir_;
  FakeReportService service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

fs::path ConnectionTest::dir_;

TEST_F(ConnectionTest, PlaintextSendsTheTokenAsMetadata) {
  Start(false);
  ASSERT_TRUE(Call(Options("s3cret-token", "")).ok());
  EXPECT_EQ(service_.authorization(), "Bearer s3cret-token");
  ASSERT_TRUE(Call(Options("", "")).ok());
  EXPECT_EQ(service_.authorization(), "(none)");
}

TEST_F(ConnectionTest, TlsWithTheGivenRootCa) {
  Start(true);
  grpc::Status status = Call(Options("tls-token", (dir_ / "server.pem").string()));
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(service_.authorization(), "Bearer tls-token");
  EXPECT_NE(Connection(Options("", (dir_ / "server.pem").string())).Describe().find("(TLS)"), std::string::npos);
}

TEST_F(ConnectionTest, TlsServerRefusesUntrustedOrPlaintextClients) {
  Start(true);
  ConnectionOptions stranger = Options("", (dir_ / "stranger.pem").string());
  stranger.deadline_seconds = 5;
  EXPECT_EQ(Call(stranger).error_code(), grpc::StatusCode::UNAVAILABLE);
  ConnectionOptions plaintext = Options("", "");
  plaintext.deadline_seconds = 5;
  grpc::StatusCode code = Call(plaintext).error_code();
  EXPECT_TRUE(code == grpc::StatusCode::UNAVAILABLE || code == grpc::StatusCode::DEADLINE_EXCEEDED)
      << StatusCodeName(code);
  EXPECT_EQ(service_.authorization(), "") << "no call reached the service";
}

TEST_F(ConnectionTest, NotFoundMapsToExitThree) {
  Start(false);
  grpc::Status status = Call(Options("", ""), "missing");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(ExitCodeFor(status.error_code()), kExitNotFound);
}

TEST(Connection, DeadlineIsSetPerCall) {
  ConnectionOptions o;
  o.address = "127.0.0.1:1";
  o.deadline_seconds = 2.5;
  Connection connection(o);
  const auto before = std::chrono::system_clock::now();
  auto context = connection.NewContext();
  const double seconds = std::chrono::duration<double>(context->deadline() - before).count();
  EXPECT_GT(seconds, 2.4);
  EXPECT_LT(seconds, 2.6);
  o.deadline_seconds = 0;  // none: the deadline is far away
  EXPECT_GT(Connection(o).NewContext()->deadline(), before + std::chrono::hours(24 * 365));
}

TEST(Connection, ExitCodes) {
  EXPECT_EQ(ExitCodeFor(grpc::StatusCode::OK), kExitOk);
  EXPECT_EQ(ExitCodeFor(grpc::StatusCode::INVALID_ARGUMENT), kExitUsage);
  EXPECT_EQ(ExitCodeFor(grpc::StatusCode::NOT_FOUND), kExitNotFound);
  EXPECT_EQ(ExitCodeFor(grpc::StatusCode::UNAVAILABLE), kExitUnavailable);
  EXPECT_EQ(ExitCodeFor(grpc::StatusCode::INTERNAL), kExitFailure);
  EXPECT_EQ(ExitCodeFor(grpc::StatusCode::DEADLINE_EXCEEDED), kExitFailure);
  EXPECT_EQ(StatusCodeName(grpc::StatusCode::NOT_FOUND), "NOT_FOUND");
}

// ConnectionOptionsFromArgs turns bad connection flags into usage errors.
class ConnectionFlagsTest : public ::testing::Test {
 protected:
  std::string UsageMessage(const std::vector<std::string>& argv) {
    CommandSpec spec;
    spec.name = "test";
    spec.flags = ConnectionFlags(Service::kReport, "30");
    try {
      ConnectionOptionsFromArgs(ParseArgs(spec, argv, [](const char*) -> const char* { return nullptr; }),
                                Service::kReport);
    } catch (const UsageError& e) {
      return e.what();
    }
    return "";
  }
};

TEST_F(ConnectionFlagsTest, BadValuesAreUsageErrors) {
  EXPECT_EQ(UsageMessage({}), "");
  EXPECT_NE(UsageMessage({"--token=a\nb"}).find("--token"), std::string::npos);
  EXPECT_NE(UsageMessage({"--tls-ca-file=/nonexistent/ca.pem"}).find("cannot read /nonexistent/ca.pem"),
            std::string::npos);
  char not_pem[] = "/tmp/pledgebook-not-pem-XXXXXX";
  const int fd = mkstemp(not_pem);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(write(fd, "hello\n", 6), 6);
  close(fd);
  EXPECT_NE(UsageMessage({std::string("--tls-ca-file=") + not_pem}).find("holds no PEM certificate"),
            std::string::npos);
  unlink(not_pem);
  EXPECT_NE(UsageMessage({"--deadline-seconds=soon"}).find("--deadline-seconds"), std::string::npos);
  EXPECT_NE(UsageMessage({"--report-addr="}).find("--report-addr is empty"), std::string::npos);
}

TEST_F(ConnectionFlagsTest, DefaultsAndEnvironment) {
  CommandSpec spec;
  spec.name = "test";
  spec.flags = ConnectionFlags(Service::kIngest, "60");
  std::map<std::string, std::string> env = {{"PLEDGEBOOK_INGEST_ADDR", "10.1.2.3:9"}, {"PLEDGEBOOK_TOKEN", "t0k"}};
  auto lookup = [&env](const char* name) -> const char* {
    auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  };
  ConnectionOptions o = ConnectionOptionsFromArgs(ParseArgs(spec, {"--tls-ca-file="}, lookup), Service::kIngest);
  EXPECT_EQ(o.address, "10.1.2.3:9");
  EXPECT_EQ(o.token, "t0k");
  EXPECT_EQ(o.deadline_seconds, 60);
  EXPECT_EQ(o.tls_root_pem, "");
}

}  // namespace
}  // namespace pledgebook::cli
