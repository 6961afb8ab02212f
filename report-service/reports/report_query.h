#pragma once

#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "grpcpp/support/status.h"
#include "pledgebook/v1/report_service.pb.h"

namespace pledgebook::report {

// A validated funding report request, compiled to SQL. Shared by
// GetFundingReport and StreamFundingReport. Every SQL fragment comes from
// fixed tables; request values travel in `params` only.
class ReportQuery {
 public:
  // Validates the request; INVALID_ARGUMENT names the offending field.
  static grpc::Status Compile(const pledgebook::v1::GetFundingReportRequest& request, ReportQuery* out);

  // The grouped rows, largest total first within each currency (and within
  // each first-dimension value when subtotals are on).
  const std::string& rows_sql() const { return rows_sql_; }
  const std::vector<std::string>& params() const { return params_; }

  // Reads one row of rows_sql() into `row`.
  void ReadRow(const pqxx::row& r, pledgebook::v1::FundingRow* row) const;

  // The whole report in the caller's transaction: rows, then Summarize.
  // Every statement is prepared on the connection (see ExecPrepared).
  void Run(pqxx::transaction_base& tx, pledgebook::v1::GetFundingReportResponse* response) const;

  // Fills totals, exclusions, warnings, parser versions and the rates used
  // into `summary`, in the caller's transaction (one snapshot with the rows).
  void Summarize(pqxx::transaction_base& tx, pledgebook::v1::GetFundingReportResponse* summary) const;

 private:
  std::vector<pledgebook::v1::FundingDimension> dims_;
  bool split_ = false;
  bool subtotals_ = false;
  std::string target_currency_;
  std::string filter_where_;
  std::string rows_sql_;
  std::string base_from_;   // FROM … WHERE filter, with the rate join
  std::string converted_sql_;  // the amount in the target currency (m.amount without one)
  std::string has_rate_sql_;   // " AND r.rate IS NOT NULL" when converting
  std::vector<std::string> params_;
};

// Exact sum of two amounts of the same currency.
google::type::Money AddMoney(const google::type::Money& a, const google::type::Money& b);

}  // namespace pledgebook::report
