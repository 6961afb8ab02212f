// Hostile inputs, each with the exact status it gets (docs/security.md,
// "Hostile input"), and nothing written for the rejected ones.
#include <chrono>
#include <string>

#include <gtest/gtest.h>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "support/test_environment.h"

namespace {

namespace v1 = ::pledgebook::v1;
using pledgebook::testing::ContextWithDeadline;
using pledgebook::testing::Services;

grpc::Status Ingest(const std::string& content, const std::string& type, v1::IngestDocumentResponse* response) {
  v1::IngestDocumentRequest request;
  request.mutable_source()->set_content(content);
  request.mutable_source()->set_content_type(type);
  auto context = ContextWithDeadline(60);
  return Services::Get().Ingest()->IngestDocument(context.get(), request, response);
}

grpc::Status Parse(const std::string& content, const std::string& type, v1::Document* document) {
  v1::ParseDocumentRequest request;
  request.mutable_source()->set_content(content);
  request.mutable_source()->set_content_type(type);
  v1::ParseDocumentResponse response;
  auto context = ContextWithDeadline(60);
  grpc::Status s = Services::Get().Ingest()->ParseDocument(context.get(), request, &response);
  *document = response.document();
  return s;
}

std::string ViolatedField(const grpc::Status& status) {
  google::rpc::Status rich;
  if (!rich.ParseFromString(status.error_details())) return "";
  for (const auto& any : rich.details()) {
    google::rpc::BadRequest bad;
    if (any.UnpackTo(&bad) && bad.field_violations_size() > 0) return bad.field_violations(0).field();
  }
  return "";
}

long long Documents() {
  pqxx::read_transaction tx(Services::Get().Db());
  return tx.exec("SELECT count(*) FROM documents")[0][0].as<long long>();
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

TEST(BadInputTest, InvalidUtf8IsInvalidArgument) {
  const long long before = Documents();
  v1::IngestDocumentResponse response;
  grpc::Status s = Ingest("Fact sheet\n\nThe plan costs \xE2\x82 \xFF\xFE dollars.", "text/plain", &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedField(s), "source.content");
  EXPECT_NE(s.error_message().find("not valid UTF-8 at byte offset"), std::string::npos) << s.error_message();
  // Overlong encodings and surrogates are invalid UTF-8 too.
  EXPECT_EQ(Ingest("A \xC0\xAF slash", "text/plain", &response).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Ingest("A \xED\xA0\x80 surrogate", "text/html", &response).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Documents(), before);
}

TEST(BadInputTest, NulBytesAreInvalidArgument) {
  const long long before = Documents();
  v1::IngestDocumentResponse response;
  for (const char* type : {"text/plain", "text/markdown", "text/html"}) {
    grpc::Status s = Ingest(std::string("Fact sheet\n\nThe US gives $5 million\0 to Kenya.", 46), type, &response);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << type;
    EXPECT_NE(s.error_message().find("NUL byte"), std::string::npos) << s.error_message();
  }
  EXPECT_EQ(Documents(), before);
}

// A 100 MB document is larger than the gRPC message limit (64 MiB): the
// transport refuses it with RESOURCE_EXHAUSTED before anything is parsed.
// One between max_document_bytes (16 MiB) and the message limit reaches
// the parser, which refuses it with INVALID_ARGUMENT naming the limit.
TEST(BadInputTest, HugeOneLineDocuments) {
  const long long before = Documents();
  v1::IngestDocumentResponse response;
  auto start = std::chrono::steady_clock::now();
  grpc::Status s = Ingest(std::string(100 << 20, 'a'), "text/plain", &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << s.error_message();
  EXPECT_LT(Seconds(start), 30);

  start = std::chrono::steady_clock::now();
  s = Ingest(std::string(20 << 20, 'a'), "text/plain", &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedField(s), "source.content");
  EXPECT_NE(s.error_message().find("max_document_bytes"), std::string::npos) << s.error_message();
  EXPECT_LT(Seconds(start), 30);
  EXPECT_EQ(Documents(), before);
}

TEST(BadInputTest, DeeplyNestedHtmlIsInvalidArgument) {
  const long long before = Documents();
  std::string html = "<html><body>";
  for (int i = 0; i < 100000; ++i) html += "<div>";
  html += "The US gives $5 million to Kenya.";
  v1::IngestDocumentResponse response;
  auto start = std::chrono::steady_clock::now();
  grpc::Status s = Ingest(html, "text/html", &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedField(s), "source.content");
  EXPECT_NE(s.error_message().find("max_html_depth"), std::string::npos) << s.error_message();
  EXPECT_LT(Seconds(start), 10);
  // Nested Markdown block quotes hit the same guard.
  std::string md(50000, '>');
  md += " deep";
  s = Ingest(md, "text/markdown", &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << s.error_message();
  EXPECT_NE(s.error_message().find("max_html_depth"), std::string::npos) << s.error_message();
  EXPECT_EQ(Documents(), before);
}

// gumbo (HTML5) does not expand entities a DOCTYPE declares: "&lol9;"
// stays nine characters, so the bomb is OK, fast and small. XML is not an
// accepted content type at all.
TEST(BadInputTest, EntityBombIsHarmless) {
  std::string dtd = "<!DOCTYPE lolz [<!ENTITY lol \"lol\">";
  for (int i = 1; i <= 9; ++i) {
    std::string prev = i == 1 ? "lol" : "lol" + std::to_string(i - 1);
    std::string body;
    for (int k = 0; k < 10; ++k) body += "&" + prev + ";";
    dtd += "<!ENTITY lol" + std::to_string(i) + " \"" + body + "\">";
  }
  dtd += "]>";
  std::string html = dtd + "<html><body><h1>Fact sheet</h1><p>&lol9; The United States will give $5 million to Kenya.</p>"
                           "</body></html>";
  v1::Document document;
  auto start = std::chrono::steady_clock::now();
  grpc::Status s = Parse(html, "text/html", &document);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_LT(Seconds(start), 5);
  EXPECT_LT(document.normalized_text().size(), 2 * html.size());  // nothing expanded
  EXPECT_NE(document.normalized_text().find("&lol9;"), std::string::npos);
  EXPECT_EQ(document.normalized_text().find("lollollol"), std::string::npos);

  s = Parse(dtd + "<root>&lol9;</root>", "application/xml", &document);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedField(s), "source.content_type");
}

TEST(BadInputTest, AbsurdAmountsAreSkippedWithAWarning) {
  v1::IngestDocumentResponse response;
  grpc::Status s = Ingest(
      "Fact Sheet: Absurd\n\nThe United States will provide $999999999999999999 trillion to Mexico for water.\n\n"
      "The Department will also give $5 million for schools.\n",
      "text/plain", &response);
  ASSERT_TRUE(s.ok()) << s.error_message();
  v1::Document document;
  ASSERT_TRUE(Parse("Fact Sheet: Absurd\n\nThe United States will provide $999999999999999999 trillion to Mexico for "
                    "water.\n\nThe Department will also give $5 million for schools.\n",
                    "text/plain", &document)
                  .ok());
  bool warned = false;
  for (const auto& w : document.warnings()) {
    if (w.find("$999999999999999999 trillion") != std::string::npos && w.find("skipped") != std::string::npos) warned = true;
  }
  EXPECT_TRUE(warned) << document.DebugString().substr(0, 2000);
  // Only the $5 million is a money mention.
  EXPECT_EQ(response.stats().money_mention_count(), 1);
  pqxx::read_transaction tx(Services::Get().Db());
  auto r = tx.exec_params("SELECT array_to_string(warnings, '|') FROM documents WHERE document_id = $1",
                          response.document_id());
  ASSERT_EQ(r.size(), 1u);
  EXPECT_NE(r[0][0].as<std::string>().find("too large"), std::string::npos);
}

}  // namespace
