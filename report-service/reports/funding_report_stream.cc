#include "funding_report_stream.h"

#include "queries/cursor_stream.h"
#include "report_query.h"

namespace pledgebook::report {
namespace {

namespace v1 = ::pledgebook::v1;

v1::GetFundingReportRequest AsGetRequest(const v1::StreamFundingReportRequest& r) {
  v1::GetFundingReportRequest get;
  get.set_filter(r.filter());
  *get.mutable_group_by() = r.group_by();
  *get.mutable_roles() = r.roles();
  get.set_joint_funding(r.joint_funding());
  get.set_target_currency(r.target_currency());
  get.set_time_basis(r.time_basis());
  get.set_subtotals(r.subtotals());
  return get;
}

class FundingReportStreamReactor final : public CursorStreamReactor<v1::StreamFundingReportResponse> {
 public:
  FundingReportStreamReactor(ConnectionPool* pool, BlockingExecutor* executor, grpc::CallbackServerContext* context,
                             const v1::StreamFundingReportRequest* request)
      : CursorStreamReactor(pool, executor, context, kReportBatchRows,
                            "/pledgebook.v1.ReportService/StreamFundingReport"),
        request_(AsGetRequest(*request)) {
    Start();
  }

 private:
  grpc::Status Open(std::string* sql, std::vector<std::string>* params) override {
    if (grpc::Status s = ReportQuery::Compile(request_, &query_); !s.ok()) return s;
    *sql = query_.rows_sql();
    *params = query_.params();
    return grpc::Status::OK;
  }

  // Rows and totals come from one snapshot.
  std::string TransactionSettings() const override {
    return "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY";
  }

  bool AddRow(const pqxx::row& row, v1::StreamFundingReportResponse* response) override {
    query_.ReadRow(row, response->add_rows());
    return true;
  }

  bool Summary(pqxx::transaction_base& tx, v1::StreamFundingReportResponse* response) override {
    query_.Summarize(tx, response->mutable_summary());
    return true;
  }

  const v1::GetFundingReportRequest request_;
  ReportQuery query_;
};

}  // namespace

grpc::ServerWriteReactor<v1::StreamFundingReportResponse>* StartFundingReportStream(
    ConnectionPool* pool, BlockingExecutor* executor, grpc::CallbackServerContext* context,
    const v1::StreamFundingReportRequest* request) {
  return new FundingReportStreamReactor(pool, executor, context, request);
}

}  // namespace pledgebook::report
