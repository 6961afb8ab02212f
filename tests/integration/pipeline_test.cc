// The pipeline end to end over gRPC and a real PostgreSQL: ingest → dedupe
// → stream → report → get/list → watch.
#include <map>
#include <thread>

#include <gtest/gtest.h>

#include "common/money_text.h"
#include "support/test_environment.h"

namespace {

namespace v1 = ::pledgebook::v1;
using pledgebook::testing::ContextWithDeadline;
using pledgebook::testing::ReadFixture;
using pledgebook::testing::Services;

v1::IngestDocumentResponse IngestText(const std::string& text, const std::string& request_id = "") {
  v1::IngestDocumentRequest request;
  request.mutable_source()->set_content(text);
  request.mutable_source()->set_content_type("text/plain");
  request.mutable_source()->set_publisher("The White House");
  request.set_request_id(request_id);
  v1::IngestDocumentResponse response;
  auto context = ContextWithDeadline();
  grpc::Status status = Services::Get().Ingest()->IngestDocument(context.get(), request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return response;
}

long long Count(const std::string& table) {
  pqxx::read_transaction tx(Services::Get().Db());
  return tx.exec("SELECT count(*) FROM " + table)[0][0].as<long long>();
}

TEST(PipelineTest, IngestTwiceYieldsOneDocument) {
  const std::string sheet = ReadFixture("hled-2022-factsheet.txt");
  v1::IngestDocumentResponse first = IngestText(sheet);
  EXPECT_TRUE(first.created());
  EXPECT_EQ(first.stats().section_count(), 4);
  EXPECT_EQ(first.stats().initiative_count(), 20);
  EXPECT_EQ(first.stats().money_mention_count(), 4);
  v1::IngestDocumentResponse second = IngestText(sheet);
  EXPECT_FALSE(second.created());
  EXPECT_EQ(second.document_id(), first.document_id());
  EXPECT_EQ(Count("documents"), 1);
  EXPECT_EQ(Count("sections"), 4);
  EXPECT_EQ(Count("initiatives"), 20);
  EXPECT_EQ(Count("money_mentions"), 4);
}

TEST(PipelineTest, ConcurrentIngestsOfOneDocumentStoreItOnce) {
  const std::string sheet = ReadFixture("hled-2022-factsheet.txt");
  std::vector<std::thread> threads;
  std::atomic<int> created{0};
  for (int k = 0; k < 4; ++k) {
    threads.emplace_back([&] { created += IngestText(sheet).created() ? 1 : 0; });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(Count("documents"), 1);
  EXPECT_EQ(Count("initiatives"), 20);
}

TEST(PipelineTest, RepeatedRequestIdReturnsEarlierResult) {
  v1::IngestDocumentResponse first = IngestText(ReadFixture("hled-2022-factsheet.txt"), "req-1");
  ASSERT_TRUE(first.created());
  v1::IngestDocumentResponse retry = IngestText(ReadFixture("hled-2022-factsheet.txt"), "req-1");
  EXPECT_TRUE(retry.created());  // the earlier result, replayed
  EXPECT_EQ(retry.document_id(), first.document_id());
  EXPECT_EQ(Count("documents"), 1);
}

TEST(PipelineTest, StreamsInitiativesInOrder) {
  const std::string id = IngestText(ReadFixture("hled-2022-factsheet.txt")).document_id();
  v1::StreamInitiativesRequest request;
  request.set_filter("document_id = \"" + id + "\"");
  auto context = ContextWithDeadline();
  auto reader = Services::Get().Report()->StreamInitiatives(context.get(), request);
  v1::StreamInitiativesResponse batch;
  std::vector<v1::Initiative> all;
  while (reader->Read(&batch)) all.insert(all.end(), batch.initiatives().begin(), batch.initiatives().end());
  ASSERT_TRUE(reader->Finish().ok());
  ASSERT_EQ(all.size(), 20u);
  for (size_t k = 0; k < all.size(); ++k) {
    EXPECT_EQ(all[k].index(), static_cast<int>(k));
    EXPECT_EQ(all[k].document_id(), id);
    EXPECT_EQ(all[k].name(), "documents/" + id + "/initiatives/" + std::to_string(k));
    EXPECT_GT(all[k].ingest_sequence(), 0);
  }
  EXPECT_EQ(all[3].money(0).text(), "$474 million");
  EXPECT_EQ(all[0].section_index(), 1);
  EXPECT_EQ(all[19].section_index(), 4);
}

TEST(PipelineTest, FilteredStreamAndLimit) {
  IngestText(ReadFixture("hled-2022-factsheet.txt"));
  v1::StreamInitiativesRequest request;
  request.set_filter("has_funding = true AND organization = \"epa\"");
  auto context = ContextWithDeadline();
  auto reader = Services::Get().Report()->StreamInitiatives(context.get(), request);
  v1::StreamInitiativesResponse batch;
  int n = 0;
  while (reader->Read(&batch)) n += batch.initiatives_size();
  ASSERT_TRUE(reader->Finish().ok());
  EXPECT_EQ(n, 1);

  v1::StreamInitiativesRequest limited;
  limited.set_limit(3);
  auto context2 = ContextWithDeadline();
  auto reader2 = Services::Get().Report()->StreamInitiatives(context2.get(), limited);
  n = 0;
  while (reader2->Read(&batch)) n += batch.initiatives_size();
  ASSERT_TRUE(reader2->Finish().ok());
  EXPECT_EQ(n, 3);
}

v1::GetFundingReportResponse Report(std::vector<v1::FundingDimension> dims,
                                    v1::JointFunding joint = v1::JOINT_FUNDING_UNSPECIFIED) {
  v1::GetFundingReportRequest request;
  for (auto d : dims) request.add_group_by(d);
  request.set_joint_funding(joint);
  v1::GetFundingReportResponse response;
  auto context = ContextWithDeadline();
  grpc::Status status = Services::Get().Report()->GetFundingReport(context.get(), request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return response;
}

std::string Decimal(const google::type::Money& m) { return pledgebook::MoneyToDecimal(m); }

TEST(PipelineTest, FundingReportBySectionAndFunder) {
  IngestText(ReadFixture("hled-2022-factsheet.txt"));
  v1::GetFundingReportResponse by_section = Report({v1::FUNDING_DIMENSION_SECTION});
  ASSERT_EQ(by_section.totals_size(), 1);
  EXPECT_EQ(by_section.totals(0).total().currency_code(), "USD");
  EXPECT_EQ(Decimal(by_section.totals(0).total()), "5374038000");
  EXPECT_EQ(by_section.totals(0).count(), 4);
  std::map<std::string, std::string> sections;
  for (const auto& row : by_section.rows()) {
    sections[row.keys(0).label().substr(0, 9)] = Decimal(row.total());
    EXPECT_EQ(row.document_ids_size(), 1);
  }
  EXPECT_EQ(sections["Section 1"], "5374000000");
  EXPECT_EQ(sections["Section 4"], "38000");
  EXPECT_EQ(sections.size(), 2u);

  v1::GetFundingReportResponse by_funder = Report({v1::FUNDING_DIMENSION_FUNDER});
  std::map<std::string, std::string> funders;
  for (const auto& row : by_funder.rows()) funders[row.keys(0).value()] = Decimal(row.total());
  EXPECT_EQ(funders["EPA + CONAGUA"], "474000000");  // joint: one row, counted once
  EXPECT_EQ(funders["Bipartisan Infrastructure Law"], "3400000000");
  EXPECT_EQ(funders["Mexico"], "1500000000");
  EXPECT_EQ(funders["United States"], "38000");
  EXPECT_EQ(Decimal(by_funder.totals(0).total()), "5374038000");

  // Split evenly: EPA and CONAGUA get half each; the grand total is unchanged.
  v1::GetFundingReportResponse split = Report({v1::FUNDING_DIMENSION_FUNDER_COUNTRY}, v1::JOINT_FUNDING_SPLIT_EVENLY);
  std::map<std::string, std::string> countries;
  for (const auto& row : split.rows()) countries[row.keys(0).value()] = Decimal(row.total());
  EXPECT_EQ(countries["US"], "3637038000");  // 3.4B + 38k + 237M
  EXPECT_EQ(countries["MX"], "1737000000");  // 1.5B + 237M
  EXPECT_EQ(Decimal(split.totals(0).total()), "5374038000");
  EXPECT_EQ(split.joint_funding(), v1::JOINT_FUNDING_SPLIT_EVENLY);
}

TEST(PipelineTest, GetAndListDocuments) {
  const std::string id = IngestText(ReadFixture("hled-2022-factsheet.txt")).document_id();
  const std::string other = IngestText("A second note.\n\n- The EPA awarded $5 million to Ohio.\n").document_id();
  v1::GetDocumentRequest get;
  get.set_name("documents/" + id);
  v1::GetDocumentResponse got;
  auto context = ContextWithDeadline();
  ASSERT_TRUE(Services::Get().Report()->GetDocument(context.get(), get, &got).ok());
  EXPECT_EQ(got.document().stats().initiative_count(), 20);
  EXPECT_EQ(got.document().sections_size(), 4);
  EXPECT_EQ(got.document().publisher(), "The White House");
  EXPECT_TRUE(got.document().normalized_text().empty());  // BASIC view

  // Two pages of one, newest first, then the end.
  v1::ListDocumentsRequest list;
  list.set_page_size(1);
  std::vector<std::string> seen;
  for (int page = 0; page < 3; ++page) {
    v1::ListDocumentsResponse response;
    auto ctx = ContextWithDeadline();
    ASSERT_TRUE(Services::Get().Report()->ListDocuments(ctx.get(), list, &response).ok());
    for (const auto& d : response.documents()) seen.push_back(d.document_id());
    if (response.next_page_token().empty()) break;
    list.set_page_token(response.next_page_token());
  }
  EXPECT_EQ(seen, (std::vector<std::string>{other, id}));
}

TEST(PipelineTest, GetUnknownDocumentIsNotFound) {
  v1::GetDocumentRequest get;
  get.set_name("documents/00000000000000000000000000000000");
  v1::GetDocumentResponse got;
  auto context = ContextWithDeadline();
  grpc::Status status = Services::Get().Report()->GetDocument(context.get(), get, &got);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_NE(status.error_message().find("does not exist"), std::string::npos);
}

TEST(PipelineTest, WatchSeesNewInitiativesAndResumes) {
  auto report = Services::Get().Report();
  v1::WatchInitiativesRequest request;
  request.set_filter("has_funding = true");
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  auto reader = report->WatchInitiatives(&context, request);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the watch starts from "now"
  IngestText(ReadFixture("hled-2022-factsheet.txt"));
  v1::WatchInitiativesResponse event;
  std::vector<std::string> texts;
  std::string cursor;
  while (texts.size() < 3 && reader->Read(&event)) {
    texts.push_back(event.initiative().money(0).text());
    cursor = event.cursor();
  }
  ASSERT_EQ(texts.size(), 3u);
  EXPECT_EQ(texts[0], "$474 million");
  EXPECT_EQ(texts[2], "$38,000");
  context.TryCancel();
  reader->Finish();

  // Resuming from the cursor after the second event yields the third again,
  // then whatever arrived later.
  IngestText("Later note.\n\n- The EPA awarded $7 million to Ohio.\n");
  v1::WatchInitiativesRequest resume;
  resume.set_filter("has_funding = true");
  resume.set_resume_cursor(cursor);
  grpc::ClientContext context2;
  context2.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  auto reader2 = report->WatchInitiatives(&context2, resume);
  ASSERT_TRUE(reader2->Read(&event));
  EXPECT_EQ(event.initiative().money(0).text(), "$7 million");
  context2.TryCancel();
  reader2->Finish();
}

}  // namespace
