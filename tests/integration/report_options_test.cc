// Report options and filters over gRPC on a real PostgreSQL: exchange-rate
// conversion (rates loaded through AdminService), top N, roles, the new
// filter fields, document deletion.
#include <map>

#include <gtest/gtest.h>

#include "admin/admin_service.h"
#include "common/money_text.h"
#include "common/server_lifecycle.h"
#include "grpcpp/grpcpp.h"
#include "support/test_environment.h"

namespace {

namespace v1 = ::pledgebook::v1;
using pledgebook::testing::ContextWithDeadline;
using pledgebook::testing::Services;

constexpr char kSheet[] =
    "Partners Announce Funding\n\nMarch 3, 2022\n\n"
    "The partners are working together on clean water and energy.\n\n"
    "  • The Environmental Protection Agency (EPA) will invest $10 million in clean water in Ohio by 2030.\n"
    "  • Canada committed C$20 million to clean water in Ontario.\n"
    "  • Germany committed €5 million to energy research in 2023.\n"
    "  • Flooding caused $7 million in damages last year.\n";

// AdminService runs in ingest-service; here it gets its own in-process server.
class AdminServer {
 public:
  AdminServer() : pool_(Services::Get().database_url(), 2), service_(&pool_) {
    pledgebook::ServerSettings settings;
    settings.listen_address = "127.0.0.1:0";
    settings.transport.plaintext = true;  // loopback, in-process
    auto running = pledgebook::StartServer(settings, {&service_});
    EXPECT_TRUE(running.ok());
    server_ = std::move(*running);
    stub_ = v1::AdminService::NewStub(
        grpc::CreateChannel("127.0.0.1:" + std::to_string(server_.port), grpc::InsecureChannelCredentials()));
  }
  ~AdminServer() { server_.server->Shutdown(std::chrono::system_clock::now()); }
  v1::AdminService::Stub* stub() { return stub_.get(); }

 private:
  pledgebook::ConnectionPool pool_;
  pledgebook::ingest::AdminServiceImpl service_;
  pledgebook::RunningServer server_;
  std::unique_ptr<v1::AdminService::Stub> stub_;
};

std::string Ingest(const std::string& text) {
  v1::IngestDocumentRequest request;
  request.mutable_source()->set_content(text);
  v1::IngestDocumentResponse response;
  auto context = ContextWithDeadline();
  EXPECT_TRUE(Services::Get().Ingest()->IngestDocument(context.get(), request, &response).ok());
  return response.document_id();
}

v1::ExchangeRate Rate(const std::string& from, const std::string& to, const std::string& rate, int y, int m, int d) {
  v1::ExchangeRate r;
  r.set_from_currency(from);
  r.set_to_currency(to);
  r.set_rate(rate);
  r.mutable_date()->set_year(y);
  r.mutable_date()->set_month(m);
  r.mutable_date()->set_day(d);
  r.set_source("test");
  return r;
}

TEST(ReportOptionsTest, ConvertsWithLoadedRatesAndSaysWhichItUsed) {
  Ingest(kSheet);
  AdminServer admin;
  v1::LoadExchangeRatesRequest load;
  *load.add_rates() = Rate("CAD", "USD", "0.75", 2022, 1, 1);
  *load.add_rates() = Rate("CAD", "USD", "0.80", 2022, 6, 1);  // after the document: not used
  v1::LoadExchangeRatesResponse loaded;
  auto c1 = ContextWithDeadline();
  ASSERT_TRUE(admin.stub()->LoadExchangeRates(c1.get(), load, &loaded).ok());
  EXPECT_EQ(loaded.loaded_count(), 2);

  v1::GetFundingReportRequest request;
  request.set_target_currency("USD");
  v1::GetFundingReportResponse report;
  auto c2 = ContextWithDeadline();
  ASSERT_TRUE(Services::Get().Report()->GetFundingReport(c2.get(), request, &report).ok());
  ASSERT_EQ(report.totals_size(), 1);
  // $10M + C$20M × 0.75; the €5M has no rate and is left out, with a warning.
  EXPECT_EQ(pledgebook::MoneyToDecimal(report.totals(0).total()), "25000000");
  EXPECT_EQ(report.totals(0).total().currency_code(), "USD");
  ASSERT_EQ(report.rates_used_size(), 1);
  EXPECT_EQ(report.rates_used(0).from_currency(), "CAD");
  EXPECT_EQ(report.rates_used(0).date().month(), 1);
  bool warned = false;
  for (const auto& w : report.warnings()) warned |= w.find("EUR") != std::string::npos;
  EXPECT_TRUE(warned);

  // Without a target currency nothing is converted: one total per currency.
  v1::GetFundingReportResponse plain;
  auto c3 = ContextWithDeadline();
  ASSERT_TRUE(Services::Get().Report()->GetFundingReport(c3.get(), v1::GetFundingReportRequest(), &plain).ok());
  EXPECT_EQ(plain.totals_size(), 3);

  v1::ListExchangeRatesResponse listed;
  auto c4 = ContextWithDeadline();
  ASSERT_TRUE(Services::Get().Report()->ListExchangeRates(c4.get(), v1::ListExchangeRatesRequest(), &listed).ok());
  EXPECT_EQ(listed.rates_size(), 2);
}

TEST(ReportOptionsTest, BadRatesAreRejectedWhole) {
  AdminServer admin;
  v1::LoadExchangeRatesRequest load;
  *load.add_rates() = Rate("CAD", "USD", "0.75", 2022, 1, 1);
  *load.add_rates() = Rate("CAD", "USD", "-1", 2022, 2, 1);
  v1::LoadExchangeRatesResponse loaded;
  auto c1 = ContextWithDeadline();
  grpc::Status status = admin.stub()->LoadExchangeRates(c1.get(), load, &loaded);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("rates[1].rate"), std::string::npos);
  v1::ListExchangeRatesResponse listed;
  auto c2 = ContextWithDeadline();
  ASSERT_TRUE(Services::Get().Report()->ListExchangeRates(c2.get(), v1::ListExchangeRatesRequest(), &listed).ok());
  EXPECT_EQ(listed.rates_size(), 0);
}

TEST(ReportOptionsTest, RolesAndTopN) {
  Ingest(kSheet);
  v1::GetFundingReportRequest context_only;
  context_only.add_roles(v1::AMOUNT_ROLE_CONTEXT);
  v1::GetFundingReportResponse report;
  auto c1 = ContextWithDeadline();
  ASSERT_TRUE(Services::Get().Report()->GetFundingReport(c1.get(), context_only, &report).ok());
  ASSERT_EQ(report.totals_size(), 1);
  EXPECT_EQ(pledgebook::MoneyToDecimal(report.totals(0).total()), "7000000");

  v1::GetFundingReportRequest top;
  top.add_group_by(v1::FUNDING_DIMENSION_FUNDER);
  top.set_target_currency("");
  top.set_top_n(1);
  v1::GetFundingReportResponse topped;
  auto c2 = ContextWithDeadline();
  ASSERT_TRUE(Services::Get().Report()->GetFundingReport(c2.get(), top, &topped).ok());
  for (const auto& row : topped.rows()) EXPECT_FALSE(row.other());  // one funder per currency here
  EXPECT_EQ(topped.rows_size(), 3);
  EXPECT_GE(topped.rows(0).mentions_size(), 1);  // provenance down to the amount
}

int CountInitiatives(const std::string& filter) {
  v1::StreamInitiativesRequest request;
  request.set_filter(filter);
  auto context = ContextWithDeadline();
  auto reader = Services::Get().Report()->StreamInitiatives(context.get(), request);
  v1::StreamInitiativesResponse batch;
  int n = 0;
  while (reader->Read(&batch)) n += batch.initiatives_size();
  grpc::Status status = reader->Finish();
  EXPECT_TRUE(status.ok()) << filter << ": " << status.error_message();
  return n;
}

TEST(ReportOptionsTest, FilterFieldsSelectTheRightInitiatives) {
  Ingest(kSheet);
  EXPECT_EQ(CountInitiatives("amount >= \"USD 10000000\""), 1);
  EXPECT_EQ(CountInitiatives("amount > \"USD 10000000\""), 0);
  EXPECT_EQ(CountInitiatives("amount >= \"CAD 1\""), 1);
  EXPECT_EQ(CountInitiatives("organization_country = \"US\""), 1);
  EXPECT_EQ(CountInitiatives("mention_date >= \"2030-01-01\""), 1);
  EXPECT_EQ(CountInitiatives("mention_date = \"2023-06-01\""), 1);
  EXPECT_EQ(CountInitiatives("text:\"clean water\" AND -currency = \"CAD\""), 1);
  EXPECT_EQ(CountInitiatives("place = \"Ontario\" OR place = \"OH\""), 1);
}

TEST(ReportOptionsTest, DeleteDocumentRemovesEverythingAndThenIsNotFound) {
  const std::string id = Ingest(kSheet);
  AdminServer admin;
  v1::DeleteDocumentRequest del;
  del.set_name("documents/" + id);
  v1::DeleteDocumentResponse deleted;
  auto c1 = ContextWithDeadline();
  ASSERT_TRUE(admin.stub()->DeleteDocument(c1.get(), del, &deleted).ok());
  EXPECT_EQ(deleted.document_id(), id);
  pqxx::read_transaction tx(Services::Get().Db());
  EXPECT_EQ(tx.exec("SELECT count(*) FROM initiatives")[0][0].as<int>(), 0);
  EXPECT_EQ(tx.exec("SELECT count(*) FROM money_mentions")[0][0].as<int>(), 0);
  tx.commit();
  auto c2 = ContextWithDeadline();
  EXPECT_EQ(admin.stub()->DeleteDocument(c2.get(), del, &deleted).error_code(), grpc::StatusCode::NOT_FOUND);
}

}  // namespace
