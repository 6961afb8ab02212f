// Security of the services: TLS and mutual TLS, bearer tokens and roles
// (missing, unknown, wrong role, expired, revoked by editing the token
// file), health and reflection without a token, the per-client stream
// limit, server-side default deadlines, request ids, metrics, the
// read-only database role, and the binaries refusing to start without
// transport security. Real gRPC on loopback, real PostgreSQL (the ctest
// fixture's), throw-away certificates made with openssl in a temp dir.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include <google/protobuf/descriptor.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <pqxx/pqxx>

#include "admin/admin_service.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "common/call_gate.h"
#include "common/grpc_status.h"
#include "common/method_roles.h"
#include "common/metrics.h"
#include "common/migrations.h"
#include "common/server_lifecycle.h"
#include "common/token_store.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/security/credentials.h"
#include "pledgebook/v1/admin_service.grpc.pb.h"
#include "server/ingest_service.h"
#include "server/report_service.h"
#include "store/document_store.h"
#include "support/service_process.h"

namespace pledgebook::testing {
namespace {

namespace v1 = ::pledgebook::v1;
using std::chrono::milliseconds;
using std::chrono::seconds;

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteFile(const std::string& path, const std::string& content) {
  std::string tmp = path + ".tmp";
  std::ofstream(tmp, std::ios::binary) << content;
  // Atomic replace, as a Kubernetes Secret update is.
  std::rename(tmp.c_str(), path.c_str());
}

std::string AdminUrl() {
  const char* file = std::getenv("PLEDGEBOOK_TEST_PG_URL_FILE");
  std::string url = Slurp(file ? file : PLEDGEBOOK_TEST_PG_URL_FILE_DEFAULT);
  while (!url.empty() && (url.back() == '\n' || url.back() == ' ')) url.pop_back();
  return url;
}

// Everything the tests share: certificates, a database, the service
// implementations. Servers are started per test with the settings at hand.
struct World {
  std::string dir;  // temp dir: certificates, token files
  std::string admin_url, db_name, url;
  std::unique_ptr<ConnectionPool> write_pool, read_pool;
  std::unique_ptr<ingest::DocumentStore> store;
  std::unique_ptr<ingest::IngestServiceImpl> ingest;
  std::unique_ptr<ingest::AdminServiceImpl> admin;
  std::unique_ptr<report::ReportServiceImpl> report;

  World() {
    char tmpl[] = "/tmp/pledgebook-security.XXXXXX";
    dir = mkdtemp(tmpl);
    // A CA, a server certificate for 127.0.0.1/localhost, a client
    // certificate it signs, and a client certificate of an unrelated CA.
    std::string script = "cd '" + dir + R"(' && set -e
      q() { "$@" >/dev/null 2>&1; }
      q openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=test-ca -keyout ca.key -out ca.crt
      q openssl req -newkey rsa:2048 -nodes -subj /CN=localhost -keyout server.key -out server.csr
      printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' > san.ext
      q openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -extfile san.ext -out server.crt
      q openssl req -newkey rsa:2048 -nodes -subj /CN=reporting-client -keyout client.key -out client.csr
      q openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -out client.crt
      q openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=rogue-ca -keyout rogue-ca.key -out rogue-ca.crt
      q openssl req -newkey rsa:2048 -nodes -subj /CN=rogue-client -keyout rogue.key -out rogue.csr
      q openssl x509 -req -in rogue.csr -CA rogue-ca.crt -CAkey rogue-ca.key -CAcreateserial -days 2 -out rogue.crt
    )";
    if (Shell(script) != 0) {
      ADD_FAILURE() << "openssl could not make the test certificates";
      std::abort();
    }
    admin_url = AdminUrl();
    if (admin_url.empty()) {
      ADD_FAILURE() << "no test database (run through ctest)";
      std::abort();
    }
    db_name = "pbsec_" + std::to_string(getpid());
    {
      pqxx::connection c(admin_url);
      pqxx::nontransaction tx(c);
      tx.exec("CREATE DATABASE " + tx.quote_name(db_name));
    }
    url = admin_url.substr(0, admin_url.rfind('/') + 1) + db_name;
    {
      pqxx::connection c(url);
      ApplyMigrations(c);
    }
    write_pool = std::make_unique<ConnectionPool>(url, 4);
    read_pool = std::make_unique<ConnectionPool>(url, 8, "SET default_transaction_read_only = on");
    store = std::make_unique<ingest::DocumentStore>(write_pool.get());
    ingest = std::make_unique<ingest::IngestServiceImpl>(store.get(), parser::ParserLimits{});
    admin = std::make_unique<ingest::AdminServiceImpl>(write_pool.get());
    report = std::make_unique<report::ReportServiceImpl>(read_pool.get(), absl::Milliseconds(50));
  }

  ~World() {
    write_pool.reset();
    read_pool.reset();
    try {
      pqxx::connection c(admin_url);
      pqxx::nontransaction tx(c);
      tx.exec("DROP DATABASE IF EXISTS " + tx.quote_name(db_name) + " WITH (FORCE)");
    } catch (const std::exception&) {
    }
    Shell("rm -rf '" + dir + "'");
  }

  std::string Path(const std::string& name) const { return dir + "/" + name; }

  static World& Get() {
    static World* world = new World();
    return *world;
  }
};

// A server hosting all three services with the given settings.
struct Server {
  RunningServer running;
  std::string address;
  Server(TransportSettings transport, GateSettings gate,
         milliseconds stream_deadline = std::chrono::hours(1)) {
    World& w = World::Get();
    ServerSettings settings;
    settings.listen_address = "127.0.0.1:0";
    settings.transport = std::move(transport);
    settings.gate = std::move(gate);
    settings.default_stream_deadline = stream_deadline;
    settings.health_service_names = {"pledgebook.v1.ReportService"};
    auto started = StartServer(settings, {w.ingest.get(), w.admin.get(), w.report.get()});
    if (!started.ok()) {
      ADD_FAILURE() << started.status();
      std::abort();
    }
    running = std::move(*started);
    address = "127.0.0.1:" + std::to_string(running.port);
  }
  ~Server() { running.server->Shutdown(std::chrono::system_clock::now()); }
};

TransportSettings Plaintext() {
  TransportSettings t;
  t.plaintext = true;
  return t;
}

TransportSettings Tls(bool mutual) {
  World& w = World::Get();
  TransportSettings t;
  t.cert_file = w.Path("server.crt");
  t.key_file = w.Path("server.key");
  if (mutual) t.client_ca_file = w.Path("ca.crt");
  return t;
}

std::shared_ptr<grpc::Channel> PlainChannel(const std::string& address) {
  return grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
}

std::shared_ptr<grpc::Channel> TlsChannel(const std::string& address, const std::string& cert = "",
                                          const std::string& key = "") {
  World& w = World::Get();
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = Slurp(w.Path("ca.crt"));
  if (!cert.empty()) {
    options.pem_cert_chain = Slurp(w.Path(cert));
    options.pem_private_key = Slurp(w.Path(key));
  }
  return grpc::CreateChannel(address, grpc::SslCredentials(options));
}

std::unique_ptr<grpc::ClientContext> Context(const std::string& token = "", int deadline_seconds = 10) {
  auto c = std::make_unique<grpc::ClientContext>();
  c->set_deadline(std::chrono::system_clock::now() + seconds(deadline_seconds));
  if (!token.empty()) c->AddMetadata("authorization", "Bearer " + token);
  return c;
}

grpc::Status ListDocuments(const std::shared_ptr<grpc::Channel>& ch, const std::string& token = "") {
  v1::ListDocumentsRequest request;
  v1::ListDocumentsResponse response;
  auto c = Context(token);
  return v1::ReportService::NewStub(ch)->ListDocuments(c.get(), request, &response);
}

grpc::Status ParseDocument(const std::shared_ptr<grpc::Channel>& ch, const std::string& token = "") {
  v1::ParseDocumentRequest request;
  request.mutable_source()->set_content("The United States will provide $5 million to Kenya.");
  request.mutable_source()->set_content_type("text/plain");
  v1::ParseDocumentResponse response;
  auto c = Context(token);
  return v1::IngestService::NewStub(ch)->ParseDocument(c.get(), request, &response);
}

grpc::Status DeleteDocument(const std::shared_ptr<grpc::Channel>& ch, const std::string& token) {
  v1::DeleteDocumentRequest request;
  request.set_name("documents/00000000000000000000000000000000");
  v1::DeleteDocumentResponse response;
  auto c = Context(token);
  return v1::AdminService::NewStub(ch)->DeleteDocument(c.get(), request, &response);
}

// A token file with tokens for each role, one expired.
struct Tokens {
  std::string path;
  std::shared_ptr<TokenStore> store;
  static constexpr char kIngest[] = "ingest-token-0123456789";
  static constexpr char kReport[] = "report-token-0123456789";
  static constexpr char kAdmin[] = "admin-token-0123456789";
  static constexpr char kExpired[] = "expired-token-0123456789";
  static constexpr char kAlice[] = "alice-token-0123456789";
  static constexpr char kBob[] = "bob-token-0123456789";

  static std::string Line(const std::string& token, const std::string& rest) { return Sha256Hex(token) + " " + rest + "\n"; }
  static std::string Content(bool with_report = true) {
    std::string s = "# test tokens\n\n";
    s += Line(kIngest, "ingest name=ingester");
    if (with_report) s += Line(kReport, "report name=reporter");
    s += Line(kAdmin, "admin name=operator");
    s += Line(kExpired, "report,ingest expires=2020-01-01T00:00:00Z name=old");
    s += Line(kAlice, "report name=alice");
    s += Line(kBob, "report name=bob");
    return s;
  }
  explicit Tokens(const std::string& name) {
    path = World::Get().Path(name);
    WriteFile(path, Content());
    auto loaded = TokenStore::Load(path, absl::Milliseconds(200));
    EXPECT_TRUE(loaded.ok()) << loaded.status();
    store = std::move(*loaded);
  }
};

TEST(TokenFileTest, ParsesLinesAndSkipsBadOnes) {
  std::vector<std::string> errors;
  const std::string good = Sha256Hex("t1");
  auto tokens = TokenStore::Parse("# comment\n\n" + good +
                                      " ingest,report expires=2030-01-02T03:04:05Z name=ci\n"
                                      "nothex report\n" +
                                      Sha256Hex("t2") + " superuser\n" + Sha256Hex("t3") +
                                      " admin expires=tomorrow\n" + Sha256Hex("t4") + " admin\n",
                                  &errors);
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(tokens[good].name, "ci");
  EXPECT_TRUE(tokens[good].HasRole(Role::kIngest));
  EXPECT_TRUE(tokens[good].HasRole(Role::kReport));
  EXPECT_FALSE(tokens[good].HasRole(Role::kAdmin));
  ASSERT_TRUE(tokens[good].expires.has_value());
  EXPECT_TRUE(tokens[Sha256Hex("t4")].HasRole(Role::kReport));  // admin may do everything
  EXPECT_EQ(tokens[Sha256Hex("t4")].name.rfind("sha256:", 0), 0u);
  EXPECT_EQ(errors.size(), 3u);
  // What `printf %s TOKEN | sha256sum` prints.
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(MethodTableTest, EveryRpcIsClassified) {
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  // Make sure the generated descriptors are linked in.
  (void)v1::IngestService::service_full_name();
  (void)v1::ReportService::service_full_name();
  (void)v1::AdminService::service_full_name();
  int methods = 0;
  for (const char* name : {"pledgebook.v1.IngestService", "pledgebook.v1.ReportService", "pledgebook.v1.AdminService"}) {
    const google::protobuf::ServiceDescriptor* service = pool->FindServiceByName(name);
    ASSERT_NE(service, nullptr) << name;
    for (int i = 0; i < service->method_count(); ++i) {
      const auto* m = service->method(i);
      const std::string full = "/" + std::string(name) + "/" + m->name();
      MethodPolicy p = PolicyFor(full);
      EXPECT_TRUE(p.listed) << full << " is not in common/method_roles.cc: add it with its role";
      EXPECT_FALSE(p.is_public) << full;
      EXPECT_EQ(p.kind != CallKind::kUnary, m->client_streaming() || m->server_streaming()) << full;
      ++methods;
    }
  }
  EXPECT_GE(methods, 10);
  EXPECT_EQ(PolicyFor("/pledgebook.v1.AdminService/DeleteDocument").role, Role::kAdmin);
  EXPECT_EQ(PolicyFor("/pledgebook.v1.ReportService/ListDocuments").role, Role::kReport);
  EXPECT_EQ(PolicyFor("/pledgebook.v1.IngestService/IngestDocument").role, Role::kIngest);
  EXPECT_TRUE(PolicyFor("/grpc.health.v1.Health/Check").is_public);
  EXPECT_FALSE(PolicyFor("/pledgebook.v1.Unknown/Method").listed);
  EXPECT_EQ(PolicyFor("/pledgebook.v1.Unknown/Method").role, Role::kAdmin);  // closed until listed
}

TEST(TokenAuthTest, MissingUnknownWrongRoleExpired) {
  Tokens tokens("tokens-auth");
  GateSettings gate;
  gate.tokens = tokens.store;
  Server server(Plaintext(), gate);
  auto ch = PlainChannel(server.address);

  grpc::Status s = ListDocuments(ch);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED) << s.error_message();
  EXPECT_NE(s.error_message().find("missing bearer token"), std::string::npos);

  s = ListDocuments(ch, "not-a-token");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_NE(s.error_message().find("unknown"), std::string::npos);

  s = ListDocuments(ch, Tokens::kExpired);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_NE(s.error_message().find("expired"), std::string::npos);

  // Wrong role: PERMISSION_DENIED naming the role.
  s = ListDocuments(ch, Tokens::kIngest);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(s.error_message().find("\"report\""), std::string::npos) << s.error_message();
  s = ParseDocument(ch, Tokens::kReport);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  s = DeleteDocument(ch, Tokens::kIngest);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  s = DeleteDocument(ch, Tokens::kReport);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);

  // The right roles, and admin for everything.
  EXPECT_TRUE(ListDocuments(ch, Tokens::kReport).ok());
  EXPECT_TRUE(ParseDocument(ch, Tokens::kIngest).ok());
  EXPECT_TRUE(ListDocuments(ch, Tokens::kAdmin).ok());
  EXPECT_TRUE(ParseDocument(ch, Tokens::kAdmin).ok());
  s = DeleteDocument(ch, Tokens::kAdmin);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND) << s.error_message();  // allowed; no such document

  // Token in lower case "bearer", extra spaces: accepted.
  auto c = Context();
  c->AddMetadata("authorization", std::string("bearer  ") + Tokens::kReport);
  v1::ListDocumentsResponse response;
  EXPECT_TRUE(v1::ReportService::NewStub(ch)->ListDocuments(c.get(), {}, &response).ok());

  // Rejections are counted by reason.
  EXPECT_GE(ServiceMetrics::Get().rejected->Value({"/pledgebook.v1.ReportService/ListDocuments", "TOKEN_MISSING"}), 1);
}

TEST(TokenAuthTest, HealthAndReflectionNeedNoToken) {
  Tokens tokens("tokens-health");
  GateSettings gate;
  gate.tokens = tokens.store;
  Server server(Plaintext(), gate);
  auto ch = PlainChannel(server.address);
  EXPECT_EQ(HealthCheck(ch, ""), 1);
  EXPECT_EQ(HealthCheck(ch, "pledgebook.v1.ReportService"), 1);

  // ServerReflectionInfo{list_services: ""}: field 7, empty string.
  grpc::GenericStub stub(ch);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + seconds(10));
  grpc::CompletionQueue cq;
  auto call = stub.PrepareCall(&context, "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", &cq);
  void* tag;
  bool ok;
  call->StartCall(reinterpret_cast<void*>(1));
  cq.Next(&tag, &ok);
  ASSERT_TRUE(ok);
  std::string request("\x3a\x00", 2);
  grpc::Slice slice(request);
  grpc::ByteBuffer out(&slice, 1), in;
  call->Write(out, reinterpret_cast<void*>(2));
  cq.Next(&tag, &ok);
  call->WritesDone(reinterpret_cast<void*>(3));
  cq.Next(&tag, &ok);
  call->Read(&in, reinterpret_cast<void*>(4));
  cq.Next(&tag, &ok);
  EXPECT_TRUE(ok) << "no reflection response";
  std::vector<grpc::Slice> slices;
  in.Dump(&slices);
  std::string bytes;
  for (const auto& s : slices) bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  EXPECT_NE(bytes.find("pledgebook.v1.ReportService"), std::string::npos);
  grpc::Status status;
  call->Finish(&status, reinterpret_cast<void*>(5));
  cq.Next(&tag, &ok);
  EXPECT_TRUE(status.ok()) << status.error_message();
  cq.Shutdown();
  while (cq.Next(&tag, &ok)) {
  }
}

TEST(TokenAuthTest, RevokedTokenIsRejectedAfterReloadWithoutRestart) {
  Tokens tokens("tokens-revoke");
  GateSettings gate;
  gate.tokens = tokens.store;
  Server server(Plaintext(), gate);
  auto ch = PlainChannel(server.address);
  ASSERT_TRUE(ListDocuments(ch, Tokens::kReport).ok());
  // Remove the report token's line; the store re-reads the file every 200 ms.
  WriteFile(tokens.path, Tokens::Content(/*with_report=*/false));
  grpc::Status s;
  const auto end = std::chrono::steady_clock::now() + seconds(10);
  do {
    std::this_thread::sleep_for(milliseconds(100));
    s = ListDocuments(ch, Tokens::kReport);
  } while (s.ok() && std::chrono::steady_clock::now() < end);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED) << "revoked token still accepted";
  EXPECT_TRUE(ListDocuments(ch, Tokens::kAdmin).ok());  // the others still work
  // Put it back: accepted again.
  WriteFile(tokens.path, Tokens::Content(true));
  const auto end2 = std::chrono::steady_clock::now() + seconds(10);
  do {
    std::this_thread::sleep_for(milliseconds(100));
    s = ListDocuments(ch, Tokens::kReport);
  } while (!s.ok() && std::chrono::steady_clock::now() < end2);
  EXPECT_TRUE(s.ok()) << s.error_message();
}

TEST(TlsTest, PlaintextClientCannotTalkToTlsServer) {
  Server server(Tls(false), {});
  grpc::Status s = ListDocuments(PlainChannel(server.address));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE) << s.error_message();
  EXPECT_TRUE(ListDocuments(TlsChannel(server.address)).ok());
  EXPECT_EQ(HealthCheck(PlainChannel(server.address), ""), -static_cast<int>(grpc::StatusCode::UNAVAILABLE));
}

TEST(TlsTest, MutualTlsRequiresAClientCertificateFromTheCa) {
  Server server(Tls(true), {});
  EXPECT_EQ(ListDocuments(TlsChannel(server.address)).error_code(), grpc::StatusCode::UNAVAILABLE)
      << "a client without a certificate got in";
  EXPECT_EQ(ListDocuments(TlsChannel(server.address, "rogue.crt", "rogue.key")).error_code(),
            grpc::StatusCode::UNAVAILABLE)
      << "a client certificate of another CA got in";
  grpc::Status s = ListDocuments(TlsChannel(server.address, "client.crt", "client.key"));
  EXPECT_TRUE(s.ok()) << s.error_message();
}

TEST(TlsTest, MutualTlsWithTokens) {
  Tokens tokens("tokens-mtls");
  GateSettings gate;
  gate.tokens = tokens.store;
  Server server(Tls(true), gate);
  auto ch = TlsChannel(server.address, "client.crt", "client.key");
  EXPECT_EQ(ListDocuments(ch).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(ListDocuments(ch, Tokens::kReport).ok());
  EXPECT_EQ(HealthCheck(ch, ""), 1);
}

TEST(TlsTest, HalfConfiguredTransportIsRefused) {
  TransportSettings none;
  EXPECT_FALSE(ValidateTransport(none).ok());
  EXPECT_NE(std::string(ValidateTransport(none).message()).find("--plaintext"), std::string::npos);
  TransportSettings cert_only;
  cert_only.cert_file = "x.crt";
  EXPECT_FALSE(ValidateTransport(cert_only).ok());
  TransportSettings both = Tls(false);
  both.plaintext = true;
  EXPECT_FALSE(ValidateTransport(both).ok());
  TransportSettings missing = Tls(false);
  missing.cert_file = "/nonexistent.crt";
  EXPECT_FALSE(GatedServerCredentials(missing, nullptr).ok());
}

// WatchInitiatives stays open until cancelled: a stream that was let in
// ends at its deadline; one refused ends at once with RESOURCE_EXHAUSTED.
struct Watch {
  std::unique_ptr<grpc::ClientContext> context;
  std::unique_ptr<grpc::ClientReader<v1::WatchInitiativesResponse>> reader;
  Watch(const std::shared_ptr<grpc::Channel>& ch, const std::string& token, int deadline_seconds) {
    context = Context(token, deadline_seconds);
    reader = v1::ReportService::NewStub(ch)->WatchInitiatives(context.get(), v1::WatchInitiativesRequest());
  }
  grpc::Status Finish() {
    v1::WatchInitiativesResponse r;
    while (reader->Read(&r)) {
    }
    return reader->Finish();
  }
};

// Waits (up to 10 s) until `client` has `n` streams open or reserved.
int WaitForOpenStreams(const CallGate& gate, const std::string& client, int n) {
  const auto end = std::chrono::steady_clock::now() + seconds(10);
  while (gate.OpenStreams(client) != n && std::chrono::steady_clock::now() < end) {
    std::this_thread::sleep_for(milliseconds(20));
  }
  return gate.OpenStreams(client);
}

TEST(LimitsTest, StreamsPerClientAreLimited) {
  Tokens tokens("tokens-limit");
  GateSettings gate;
  gate.tokens = tokens.store;
  gate.max_streams_per_client = 2;
  Server server(Plaintext(), gate);
  auto ch = PlainChannel(server.address);
  Watch a1(ch, Tokens::kAlice, 30), a2(ch, Tokens::kAlice, 30);
  ASSERT_EQ(WaitForOpenStreams(*server.running.gate, "alice", 2), 2);
  Watch a3(ch, Tokens::kAlice, 30);
  grpc::Status s = a3.Finish();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << s.error_message();
  EXPECT_NE(s.error_message().find("max_streams_per_client=2"), std::string::npos) << s.error_message();
  // Another client is not affected; unary calls are not streams.
  Watch b1(ch, Tokens::kBob, 1);
  EXPECT_EQ(b1.Finish().error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_TRUE(ListDocuments(ch, Tokens::kAlice).ok());
  // Closing one frees its slot.
  a1.context->TryCancel();
  EXPECT_EQ(a1.Finish().error_code(), grpc::StatusCode::CANCELLED);
  ASSERT_EQ(WaitForOpenStreams(*server.running.gate, "alice", 1), 1);
  Watch a4(ch, Tokens::kAlice, 1);
  EXPECT_EQ(a4.Finish().error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  a2.context->TryCancel();
  a2.Finish();
}

// Regression: the gate used to hand per-call facts to the interceptor as
// properties of the auth context, which gRPC shares among the calls of one
// connection: concurrent calls raced on it (the service aborted) and every
// call made the next one slower. Now 16 threads share one channel; every
// call must succeed or be refused for the stream limit, and afterwards the
// stream count must be back to zero and the limit still exact.
TEST(LimitsTest, ConcurrentCallsOnOneConnectionKeepStreamCountsExact) {
  Tokens tokens("tokens-concurrent");
  GateSettings gate;
  gate.tokens = tokens.store;
  gate.max_streams_per_client = 3;
  Server server(Plaintext(), gate);
  auto ch = PlainChannel(server.address);
  std::atomic<int> ok{0}, exhausted{0}, failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 16; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 60; ++i) {
        grpc::Status s;
        if (i % 2 == 0) {
          s = ListDocuments(ch, Tokens::kAlice);
        } else {
          v1::StreamInitiativesRequest request;
          request.set_limit(1);
          auto c = Context(Tokens::kAlice);
          auto reader = v1::ReportService::NewStub(ch)->StreamInitiatives(c.get(), request);
          v1::StreamInitiativesResponse r;
          while (reader->Read(&r)) {
          }
          s = reader->Finish();
        }
        if (s.ok()) {
          ++ok;
        } else if (s.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) {
          ++exhausted;
        } else {
          ++failed;
          ADD_FAILURE() << s.error_code() << " " << s.error_message();
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_GE(ok.load(), 16 * 30);  // every unary call, at least
  ASSERT_EQ(WaitForOpenStreams(*server.running.gate, "alice", 0), 0);
  // The limit is still exact: three streams open, the fourth refused.
  Watch a1(ch, Tokens::kAlice, 30), a2(ch, Tokens::kAlice, 30), a3(ch, Tokens::kAlice, 30);
  ASSERT_EQ(WaitForOpenStreams(*server.running.gate, "alice", 3), 3);
  Watch a4(ch, Tokens::kAlice, 30);
  EXPECT_EQ(a4.Finish().error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  for (Watch* w : {&a1, &a2, &a3}) {
    w->context->TryCancel();
    w->Finish();
  }
}

TEST(LimitsTest, CallsWithoutADeadlineGetTheServersDefault) {
  Server server(Plaintext(), {}, /*stream_deadline=*/milliseconds(700));
  auto ch = PlainChannel(server.address);
  grpc::ClientContext context;  // no deadline
  v1::IngestDocumentsResponse response;
  auto writer = v1::IngestService::NewStub(ch)->IngestDocuments(&context, &response);
  // Safety net so a regression fails instead of hanging.
  std::thread guard([&context] {
    std::this_thread::sleep_for(seconds(15));
    context.TryCancel();
  });
  const auto start = std::chrono::steady_clock::now();
  grpc::Status s = writer->Finish();  // never sends WritesDone itself: the stream idles
  const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  guard.detach();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::CANCELLED) << s.error_message();
  EXPECT_LT(took, 5.0);
}

TEST(ObservabilityTest, RequestIdIsEchoedAndMetricsAreServed) {
  Server server(Plaintext(), {});
  auto ch = PlainChannel(server.address);
  auto c = Context();
  c->AddMetadata("x-request-id", "req-test-42");
  v1::ListDocumentsResponse response;
  ASSERT_TRUE(v1::ReportService::NewStub(ch)->ListDocuments(c.get(), {}, &response).ok());
  auto md = c->GetServerInitialMetadata();
  auto it = md.find("x-request-id");
  ASSERT_NE(it, md.end());
  EXPECT_EQ(std::string(it->second.data(), it->second.size()), "req-test-42");

  auto metrics = MetricsServer::Start("127.0.0.1:0", &ServiceMetrics::Get().registry);
  ASSERT_TRUE(metrics.ok()) << metrics.status();
  httplib::Client http("127.0.0.1", (*metrics)->port());
  auto res = http.Get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_NE(res->get_header_value("Content-Type").find("version=0.0.4"), std::string::npos);
  EXPECT_NE(res->body.find("pledgebook_grpc_requests_total{method=\"/pledgebook.v1.ReportService/ListDocuments\","
                           "code=\"OK\"}"),
            std::string::npos)
      << res->body.substr(0, 2000);
  EXPECT_NE(res->body.find("pledgebook_grpc_request_duration_seconds_bucket{method=\"/pledgebook.v1.ReportService/"
                           "ListDocuments\",code=\"OK\",le=\"+Inf\"}"),
            std::string::npos);
  EXPECT_NE(res->body.find("# TYPE pledgebook_db_pool_in_use gauge"), std::string::npos);
}

TEST(MetricsRegistryTest, TextExpositionFormat) {
  MetricsRegistry r;
  auto* c = r.AddCounter("x_total", "An example.", {"method", "code"});
  c->Inc({"/a\"b", "OK"});
  c->Inc({"/a\"b", "OK"}, 2);
  auto* g = r.AddGauge("y", "A gauge.");
  g->Set(3.5);
  auto* h = r.AddHistogram("z_seconds", "A histogram.", {"m"}, {0.1, 1});
  h->Observe({"q"}, 0.05);
  h->Observe({"q"}, 0.5);
  h->Observe({"q"}, 5);
  const std::string text = r.Render();
  EXPECT_NE(text.find("# HELP x_total An example.\n# TYPE x_total counter\nx_total{method=\"/a\\\"b\",code=\"OK\"} 3\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("y 3.5\n"), std::string::npos) << text;
  EXPECT_NE(text.find("z_seconds_bucket{m=\"q\",le=\"0.1\"} 1\nz_seconds_bucket{m=\"q\",le=\"1\"} 2\n"
                      "z_seconds_bucket{m=\"q\",le=\"+Inf\"} 3\nz_seconds_sum{m=\"q\"} 5.55\nz_seconds_count{m=\"q\"} 3\n"),
            std::string::npos)
      << text;
}

TEST(ErrorDetailsTest, ResourceExhaustedCarriesQuotaFailure) {
  grpc::Status s = ToGrpcStatus(absl::ResourceExhaustedError("all 4 database connections are busy (db_pool_size)"));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  google::rpc::Status rich;
  ASSERT_TRUE(rich.ParseFromString(s.error_details()));
  bool found = false;
  for (const auto& any : rich.details()) {
    google::rpc::QuotaFailure quota;
    if (any.UnpackTo(&quota) && quota.violations_size() == 1) {
      EXPECT_EQ(quota.violations(0).subject(), "db_pool_size");
      found = true;
    }
  }
  EXPECT_TRUE(found);
}

TEST(ReaderRoleTest, ReaderCanReadButNotWrite) {
  World& w = World::Get();
  const std::string login = "pbreader_" + std::to_string(getpid());
  {
    pqxx::connection c(w.admin_url);
    pqxx::nontransaction tx(c);
    tx.exec("CREATE ROLE " + login + " LOGIN IN ROLE pledgebook_reader");
    // A table made by a later migration (same owner) is readable too.
    pqxx::connection db(w.url);
    pqxx::nontransaction t2(db);
    t2.exec("CREATE TABLE later_table (x int)");
  }
  std::string url = w.url + "?user=" + login;
  {
    pqxx::connection reader(url);
    pqxx::nontransaction tx(reader);
    EXPECT_NO_THROW(tx.exec("SELECT count(*) FROM documents"));
    EXPECT_NO_THROW(tx.exec("SELECT count(*) FROM initiatives"));
    EXPECT_NO_THROW(tx.exec("SELECT count(*) FROM later_table"));
    EXPECT_THROW(tx.exec("INSERT INTO later_table VALUES (1)"), pqxx::insufficient_privilege);
    EXPECT_THROW(tx.exec("DELETE FROM documents"), pqxx::insufficient_privilege);
    EXPECT_THROW(tx.exec("UPDATE ingest_requests SET created = false"), pqxx::insufficient_privilege);
    EXPECT_THROW(tx.exec("CREATE TABLE t_by_reader (x int)"), pqxx::insufficient_privilege);
  }
  pqxx::connection c(w.admin_url);
  pqxx::nontransaction tx(c);
  tx.exec("DROP ROLE " + login);
  pqxx::connection db(w.url);
  pqxx::nontransaction t2(db);
  t2.exec("DROP TABLE later_table");
}

// The real binaries: no TLS and no --plaintext → refuse to start, clearly.
TEST(BinaryTest, RefusesToStartWithoutTransportSecurity) {
  World& w = World::Get();
  for (const char* bin : {"/ingest-service/pledgebook-ingest", "/report-service/pledgebook-report"}) {
    ServiceProcess p({BinaryDir() + bin, "--database-url=" + w.url, "--listen=127.0.0.1:0"},
                     w.Path("refuse.log"));
    EXPECT_EQ(p.Wait(seconds(20)), 2) << bin;
    EXPECT_NE(p.Log().find("refusing to start without transport security"), std::string::npos) << p.Log();
    ServiceProcess q({BinaryDir() + bin, "--database-url=" + w.url, "--tls-cert-file=" + w.Path("server.crt")},
                     w.Path("refuse2.log"));
    EXPECT_EQ(q.Wait(seconds(20)), 2) << bin;
    EXPECT_NE(q.Log().find("go together"), std::string::npos) << q.Log();
  }
}

// The real report binary with mTLS, tokens and a plaintext health-only port.
TEST(BinaryTest, ServesMutualTlsWithTokensAndAHealthPort) {
  World& w = World::Get();
  WriteFile(w.Path("bin-tokens"), Tokens::Content());
  ServiceProcess p({BinaryDir() + "/report-service/pledgebook-report", "--database-url=" + w.url,
                    "--listen=127.0.0.1:0", "--tls-cert-file=" + w.Path("server.crt"),
                    "--tls_key_file=" + w.Path("server.key"), "--tls_client_ca_file=" + w.Path("ca.crt"),
                    "--token_file=" + w.Path("bin-tokens"), "--health_listen=127.0.0.1:0",
                    "--metrics_listen=127.0.0.1:0"},
                   w.Path("report-bin.log"));
  const std::string port = p.WaitListening("port");
  ASSERT_FALSE(port.empty()) << p.Log();
  const std::string health_port = p.WaitListening("health_port");
  const std::string metrics_port = p.WaitListening("metrics_port");
  auto ch = TlsChannel("127.0.0.1:" + port, "client.crt", "client.key");
  EXPECT_EQ(ListDocuments(ch).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(ListDocuments(ch, Tokens::kReport).ok());
  EXPECT_EQ(ListDocuments(ch, Tokens::kIngest).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(ListDocuments(TlsChannel("127.0.0.1:" + port)).error_code(), grpc::StatusCode::UNAVAILABLE);
  auto health = PlainChannel("127.0.0.1:" + health_port);
  EXPECT_TRUE(WaitForHealth(health, "pledgebook.v1.ReportService", 1, seconds(10)));
  EXPECT_EQ(ListDocuments(health, Tokens::kReport).error_code(), grpc::StatusCode::UNIMPLEMENTED);
  httplib::Client http("127.0.0.1", std::stoi(metrics_port));
  auto res = http.Get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_NE(res->body.find("pledgebook_grpc_rejected_total{method=\"/pledgebook.v1.ReportService/ListDocuments\","
                           "reason=\"ROLE_MISSING\"} 1"),
            std::string::npos)
      << res->body;
  EXPECT_NE(res->body.find("pledgebook_health_serving{service=\"pledgebook.v1.ReportService\"} 1"), std::string::npos);
  const std::string log = p.Log();
  EXPECT_NE(log.find("\"msg\":\"rpc\",\"method\":\"/pledgebook.v1.ReportService/ListDocuments\",\"code\":\"OK\""),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("\"transport\":\"mtls\""), std::string::npos);
  EXPECT_NE(log.find("\"client\":\"reporter\""), std::string::npos);
  p.Signal(SIGTERM);
  EXPECT_EQ(p.Wait(seconds(30)), 0) << p.Log();
}

}  // namespace
}  // namespace pledgebook::testing
