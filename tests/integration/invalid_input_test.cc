// Bad requests get INVALID_ARGUMENT naming the field, with machine-readable
// details, and nothing is written.
#include <gtest/gtest.h>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "support/test_environment.h"

namespace {

namespace v1 = ::pledgebook::v1;
using pledgebook::testing::ContextWithDeadline;
using pledgebook::testing::Services;

grpc::Status Ingest(const std::string& content, const std::string& type = "text/plain") {
  v1::IngestDocumentRequest request;
  request.mutable_source()->set_content(content);
  request.mutable_source()->set_content_type(type);
  v1::IngestDocumentResponse response;
  auto context = ContextWithDeadline();
  return Services::Get().Ingest()->IngestDocument(context.get(), request, &response);
}

// The field named in the BadRequest detail.
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

TEST(InvalidInputTest, EmptyDocument) {
  grpc::Status status = Ingest("");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedField(status), "source.content");
  EXPECT_NE(status.error_message().find("empty"), std::string::npos);
  EXPECT_EQ(Documents(), 0);
}

TEST(InvalidInputTest, NonUtf8Bytes) {
  grpc::Status status = Ingest("Fact sheet \xC3\x28 with a broken byte");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedField(status), "source.content");
  EXPECT_NE(status.error_message().find("UTF-8"), std::string::npos);
  EXPECT_EQ(Documents(), 0);
}

TEST(InvalidInputTest, BinaryAndUnknownType) {
  EXPECT_EQ(Ingest(std::string("ab\0cd", 5)).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  grpc::Status status = Ingest("hello", "application/pdf");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedField(status), "source.content_type");
  EXPECT_EQ(Documents(), 0);
}

TEST(InvalidInputTest, MissingSource) {
  v1::IngestDocumentRequest request;
  v1::IngestDocumentResponse response;
  auto context = ContextWithDeadline();
  grpc::Status status = Services::Get().Ingest()->IngestDocument(context.get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedField(status), "source");
}

TEST(InvalidInputTest, BadFiltersNameTheField) {
  for (const char* filter : {"nosuchfield = 1", "published_date > \"yesterday\"", "(document_id = \"x\"",
                             "has_funding = maybe", "text = \"words\""}) {
    v1::StreamInitiativesRequest request;
    request.set_filter(filter);
    auto context = ContextWithDeadline();
    auto reader = Services::Get().Report()->StreamInitiatives(context.get(), request);
    v1::StreamInitiativesResponse batch;
    while (reader->Read(&batch)) {
    }
    grpc::Status status = reader->Finish();
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << filter;
    EXPECT_EQ(ViolatedField(status), "filter") << filter;
  }
}

TEST(InvalidInputTest, ListAndReportArguments) {
  v1::ListDocumentsRequest list;
  list.set_page_size(-1);
  v1::ListDocumentsResponse listed;
  auto c1 = ContextWithDeadline();
  grpc::Status s1 = Services::Get().Report()->ListDocuments(c1.get(), list, &listed);
  EXPECT_EQ(s1.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedField(s1), "page_size");

  list.set_page_size(10);
  list.set_page_token("not-a-token");
  auto c2 = ContextWithDeadline();
  grpc::Status s2 = Services::Get().Report()->ListDocuments(c2.get(), list, &listed);
  EXPECT_EQ(ViolatedField(s2), "page_token");

  v1::GetFundingReportRequest report;
  report.add_group_by(static_cast<v1::FundingDimension>(99));
  v1::GetFundingReportResponse out;
  auto c3 = ContextWithDeadline();
  grpc::Status s3 = Services::Get().Report()->GetFundingReport(c3.get(), report, &out);
  EXPECT_EQ(s3.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedField(s3), "group_by[0]");
}

}  // namespace
