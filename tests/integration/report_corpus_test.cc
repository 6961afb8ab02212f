// Reports that add up: a synthetic corpus with known totals (generated,
// seeded) goes in through IngestDocuments; every report total must equal
// the generator's, exactly. Also: streams run in constant memory, and a
// cancelled stream releases its query.
#include <fstream>
#include <map>
#include <thread>

#include <gtest/gtest.h>

#include "common/money_text.h"
#include "corpus_generator.h"
#include "support/test_environment.h"

namespace {

namespace v1 = ::pledgebook::v1;
using pledgebook::testing::ContextWithDeadline;
using pledgebook::testing::Services;

// Documents in the corpus: ≥ 10,000 (≈ 200,000 initiatives) by default;
// PLEDGEBOOK_REPORT_CORPUS_DOCUMENTS overrides it for quick local runs.
int CorpusSize() {
  const char* n = std::getenv("PLEDGEBOOK_REPORT_CORPUS_DOCUMENTS");
  return n ? std::atoi(n) : 10000;
}

long RssKiB() {
  std::ifstream status("/proc/self/status");
  std::string key;
  long value = 0;
  while (status >> key) {
    if (key == "VmRSS:") {
      status >> value;
      return value;
    }
    status.ignore(256, '\n');
  }
  return -1;
}

class ReportCorpusTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    generator_ = new pledgebook::tools::CorpusGenerator(20261128);
    auto stub = Services::Get().Ingest();
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::minutes(20));
    v1::IngestDocumentsResponse response;
    auto writer = stub->IngestDocuments(&context, &response);
    const int n = CorpusSize();
    for (int k = 0; k < n; ++k) {
      pledgebook::tools::GeneratedDocument doc = generator_->Next();
      v1::IngestDocumentsRequest request;
      request.mutable_source()->set_content(doc.content);
      request.mutable_source()->set_content_type(doc.content_type);
      request.mutable_source()->set_source_uri(doc.name);
      request.mutable_source()->set_publisher(k % 2 ? "The White House" : "Department of State");
      request.set_request_id("synthetic-" + std::to_string(k));
      ASSERT_TRUE(writer->Write(request));
    }
    writer->WritesDone();
    grpc::Status status = writer->Finish();
    ASSERT_TRUE(status.ok()) << status.error_message();
    ASSERT_EQ(response.created_count(), n);
    ASSERT_EQ(response.failed_count(), 0);
  }

  static const pledgebook::tools::KnownTotals& Known() { return generator_->totals(); }

  static v1::GetFundingReportResponse Report(std::vector<v1::FundingDimension> dims,
                                             v1::JointFunding joint = v1::JOINT_FUNDING_UNSPECIFIED) {
    v1::GetFundingReportRequest request;
    for (auto d : dims) request.add_group_by(d);
    request.set_joint_funding(joint);
    v1::GetFundingReportResponse response;
    auto context = ContextWithDeadline(120);
    grpc::Status status = Services::Get().Report()->GetFundingReport(context.get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  // "KEY|CUR" → whole units, from report rows keyed by their first dimension.
  static std::map<std::string, int64_t> ByKey(const v1::GetFundingReportResponse& r) {
    std::map<std::string, int64_t> out;
    for (const auto& row : r.rows()) {
      EXPECT_EQ(row.total().nanos(), 0);
      out[row.keys(0).value() + "|" + row.total().currency_code()] += row.total().units();
    }
    return out;
  }

  static pledgebook::tools::CorpusGenerator* generator_;
};

pledgebook::tools::CorpusGenerator* ReportCorpusTest::generator_ = nullptr;

TEST_F(ReportCorpusTest, GrandTotalsPerCurrencyAreExact) {
  v1::GetFundingReportResponse r = Report({});
  std::map<std::string, int64_t> totals;
  for (const auto& t : r.totals()) totals[t.total().currency_code()] = t.total().units();
  EXPECT_EQ(totals, Known().grand);
  // Background amounts ("in damages") are left out, and the report says so.
  int64_t context = 0;
  for (const auto& e : r.exclusions()) {
    if (e.role() == v1::AMOUNT_ROLE_CONTEXT) context = e.count();
  }
  EXPECT_EQ(context, Known().context_amounts);
  EXPECT_GE(r.warnings_size(), 1);
}

TEST_F(ReportCorpusTest, ByFunderWithJointGroups) {
  EXPECT_EQ(ByKey(Report({v1::FUNDING_DIMENSION_FUNDER})), Known().by_funder);
}

TEST_F(ReportCorpusTest, ByFunderCountrySplitEvenly) {
  EXPECT_EQ(ByKey(Report({v1::FUNDING_DIMENSION_FUNDER_COUNTRY}, v1::JOINT_FUNDING_SPLIT_EVENLY)),
            Known().by_country_split);
}

TEST_F(ReportCorpusTest, ByYearOfPublication) {
  EXPECT_EQ(ByKey(Report({v1::FUNDING_DIMENSION_YEAR})), Known().by_year);
}

TEST_F(ReportCorpusTest, SubtotalsAndStreamedReportAgree) {
  v1::GetFundingReportRequest request;
  request.add_group_by(v1::FUNDING_DIMENSION_YEAR);
  request.add_group_by(v1::FUNDING_DIMENSION_FUNDER);
  request.set_subtotals(true);
  v1::GetFundingReportResponse got;
  auto c1 = ContextWithDeadline(120);
  ASSERT_TRUE(Services::Get().Report()->GetFundingReport(c1.get(), request, &got).ok());
  std::map<std::string, int64_t> subtotals;
  for (const auto& row : got.rows()) {
    if (row.subtotal()) subtotals[row.keys(0).value() + "|" + row.total().currency_code()] += row.total().units();
  }
  EXPECT_EQ(subtotals, Known().by_year);

  v1::StreamFundingReportRequest stream_request;
  *stream_request.mutable_group_by() = request.group_by();
  stream_request.set_subtotals(true);
  auto c2 = ContextWithDeadline(120);
  auto reader = Services::Get().Report()->StreamFundingReport(c2.get(), stream_request);
  v1::StreamFundingReportResponse batch;
  int rows = 0;
  bool summary = false;
  while (reader->Read(&batch)) {
    rows += batch.rows_size();
    if (batch.has_summary()) {
      summary = true;
      ASSERT_EQ(batch.summary().totals_size(), got.totals_size());
      for (int k = 0; k < got.totals_size(); ++k) {
        EXPECT_EQ(batch.summary().totals(k).total().units(), got.totals(k).total().units());
      }
    }
  }
  ASSERT_TRUE(reader->Finish().ok());
  EXPECT_TRUE(summary);
  EXPECT_EQ(rows, got.rows_size());
}

TEST_F(ReportCorpusTest, StreamingAllInitiativesKeepsMemoryFlat) {
  v1::StreamInitiativesRequest request;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::minutes(10));
  auto reader = Services::Get().Report()->StreamInitiatives(&context, request);
  v1::StreamInitiativesResponse batch;
  int64_t count = 0;
  long rss_after_first = -1, rss_peak = 0;
  while (reader->Read(&batch)) {
    count += batch.initiatives_size();
    if (rss_after_first < 0) rss_after_first = RssKiB();
    rss_peak = std::max(rss_peak, RssKiB());
  }
  ASSERT_TRUE(reader->Finish().ok());
  EXPECT_EQ(count, Known().initiatives);
  // Server and client share this process: the whole stream may not grow it
  // by more than 64 MiB, whatever the number of rows.
  EXPECT_LT(rss_peak - rss_after_first, 64 * 1024) << "RSS grew from " << rss_after_first << " KiB to " << rss_peak;
  RecordProperty("initiatives_streamed", std::to_string(count));
  RecordProperty("rss_growth_kib", std::to_string(rss_peak - rss_after_first));
}

TEST_F(ReportCorpusTest, CancelledStreamReleasesItsQuery) {
  grpc::ClientContext context;
  auto reader = Services::Get().Report()->StreamInitiatives(&context, v1::StreamInitiativesRequest());
  v1::StreamInitiativesResponse batch;
  ASSERT_TRUE(reader->Read(&batch));  // the cursor is open now
  auto streams_open = [] {
    pqxx::connection conn(Services::Get().database_url());
    pqxx::read_transaction tx(conn);
    return tx.exec("SELECT count(*) FROM pg_stat_activity WHERE state <> 'idle' AND backend_type = 'client backend'"
                   " AND pid <> pg_backend_pid() AND (query LIKE '%pledgebook_stream%' OR state LIKE 'idle in transaction%')")[0][0]
        .as<int>();
  };
  EXPECT_GE(streams_open(), 1);
  context.TryCancel();
  reader->Finish();
  int open = 1;
  for (int k = 0; k < 50 && open > 0; ++k) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    open = streams_open();
  }
  EXPECT_EQ(open, 0);
}

}  // namespace
