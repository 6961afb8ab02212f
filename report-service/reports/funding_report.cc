#include "funding_report.h"

#include <map>

#include <pqxx/pqxx>

#include "common/grpc_status.h"
#include "queries/read_transaction.h"
#include "report_query.h"

namespace pledgebook::report {
namespace {

namespace v1 = ::pledgebook::v1;

bool Less(const google::type::Money& a, const google::type::Money& b) {
  return a.units() < b.units() || (a.units() == b.units() && a.nanos() < b.nanos());
}

// Keeps the `top_n` largest rows of each currency and folds the rest into
// one "other" row per currency. Subtotal rows are kept as they are.
void ApplyTopN(int top_n, google::protobuf::RepeatedPtrField<v1::FundingRow>* rows) {
  std::map<std::string, int> seen;
  std::map<std::string, v1::FundingRow> other;
  google::protobuf::RepeatedPtrField<v1::FundingRow> kept;
  for (const v1::FundingRow& row : *rows) {  // sorted by currency, total desc
    const std::string& currency = row.total().currency_code();
    if (row.subtotal() || seen[currency]++ < top_n) {
      *kept.Add() = row;
      continue;
    }
    v1::FundingRow& o = other[currency];
    if (o.count() == 0) {
      o = row;
      o.set_other(true);
      o.clear_document_ids();
      o.clear_mentions();
      for (int k = 0; k < o.keys_size(); ++k) {
        o.mutable_keys(k)->set_value("");
        o.mutable_keys(k)->set_label("(other)");
      }
    } else {
      *o.mutable_total() = AddMoney(o.total(), row.total());
      o.set_count(o.count() + row.count());
      if (Less(row.min(), o.min())) *o.mutable_min() = row.min();
      if (Less(o.max(), row.max())) *o.mutable_max() = row.max();
    }
  }
  for (auto& [currency, o] : other) *kept.Add() = std::move(o);
  rows->Swap(&kept);
}

}  // namespace

grpc::Status BuildFundingReport(ConnectionPool* pool, std::chrono::system_clock::time_point deadline,
                                const v1::GetFundingReportRequest& request,
                                v1::GetFundingReportResponse* response) {
  ReportQuery query;
  if (grpc::Status s = ReportQuery::Compile(request, &query); !s.ok()) return s;
  // One snapshot for rows, totals and exclusions, so they agree.
  grpc::Status status = InReadTransaction(pool, deadline, kReadOnlySnapshot, [&](pqxx::work& tx) {
    query.Run(tx, response);
    return grpc::Status::OK;
  });
  if (!status.ok()) return status;
  if (request.top_n() > 0) ApplyTopN(request.top_n(), response->mutable_rows());
  return grpc::Status::OK;
}

}  // namespace pledgebook::report
