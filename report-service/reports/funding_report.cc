#include "funding_report.h"

#include <algorithm>
#include <map>

#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/grpc_status.h"
#include "common/money_text.h"
#include "dimensions.h"
#include "queries/filter.h"
#include "queries/statement_timeout.h"

namespace pledgebook::report {
namespace {

namespace v1 = ::pledgebook::v1;

constexpr int kMaxDimensions = 6;
constexpr int kMaxProvenanceDocuments = 20;

// Adds two amounts of the same currency exactly.
google::type::Money Add(const google::type::Money& a, const google::type::Money& b) {
  google::type::Money out;
  out.set_currency_code(a.currency_code().empty() ? b.currency_code() : a.currency_code());
  long long nanos = static_cast<long long>(a.nanos()) + b.nanos();
  long long units = a.units() + b.units() + nanos / 1'000'000'000;
  out.set_units(units);
  out.set_nanos(static_cast<int>(nanos % 1'000'000'000));
  return out;
}

bool Less(const google::type::Money& a, const google::type::Money& b) {
  return a.units() < b.units() || (a.units() == b.units() && a.nanos() < b.nanos());
}

// Reads "sum, count, min, max, documents" starting at column `c`.
void FillAggregates(const pqxx::row& row, int c, const std::string& currency, v1::FundingRow* out) {
  DecimalToMoney(row[c].as<std::string>(), currency, out->mutable_total());
  out->set_count(row[c + 1].as<long long>());
  DecimalToMoney(row[c + 2].as<std::string>(), currency, out->mutable_min());
  DecimalToMoney(row[c + 3].as<std::string>(), currency, out->mutable_max());
  pqxx::array_parser docs = row[c + 4].as_array();
  for (auto item = docs.get_next(); item.first != pqxx::array_parser::done; item = docs.get_next()) {
    if (item.first == pqxx::array_parser::string_value) out->add_document_ids(item.second);
  }
}

std::string EnumLabel(v1::FundingDimension dim, const std::string& value) {
  int number = std::atoi(value.c_str());
  if (dim == v1::FUNDING_DIMENSION_STAGE) return v1::FundingStage_Name(static_cast<v1::FundingStage>(number));
  if (dim == v1::FUNDING_DIMENSION_ROLE) return v1::AmountRole_Name(static_cast<v1::AmountRole>(number));
  return value;
}

// Keeps the `top_n` largest rows of each currency and folds the rest into
// one "other" row per currency.
void ApplyTopN(int top_n, google::protobuf::RepeatedPtrField<v1::FundingRow>* rows) {
  std::map<std::string, int> seen;
  std::map<std::string, v1::FundingRow> other;
  google::protobuf::RepeatedPtrField<v1::FundingRow> kept;
  for (const v1::FundingRow& row : *rows) {  // already sorted by currency, total desc
    const std::string& currency = row.total().currency_code();
    if (seen[currency]++ < top_n) {
      *kept.Add() = row;
      continue;
    }
    v1::FundingRow& o = other[currency];
    if (o.count() == 0) {
      o = row;
      o.set_other(true);
      o.clear_document_ids();
      for (int k = 0; k < o.keys_size(); ++k) {
        o.mutable_keys(k)->set_value("");
        o.mutable_keys(k)->set_label("(other)");
      }
    } else {
      *o.mutable_total() = Add(o.total(), row.total());
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
  if (request.group_by_size() > kMaxDimensions) {
    return InvalidArgument("group_by", absl::StrCat("at most ", kMaxDimensions, " dimensions"));
  }
  if (request.top_n() < 0) return InvalidArgument("top_n", "must not be negative");
  const bool split = request.joint_funding() == v1::JOINT_FUNDING_SPLIT_EVENLY;
  response->set_joint_funding(split ? v1::JOINT_FUNDING_SPLIT_EVENLY : v1::JOINT_FUNDING_GROUP);

  std::vector<DimensionSql> dims;
  for (int k = 0; k < request.group_by_size(); ++k) {
    auto dim = static_cast<v1::FundingDimension>(request.group_by(k));
    absl::StatusOr<DimensionSql> sql = DimensionExpression(dim, split);
    if (!sql.ok()) return InvalidArgument(absl::StrCat("group_by[", k, "]"), "unsupported dimension");
    dims.push_back(*sql);
    response->add_group_by(dim);
  }
  std::vector<std::string> roles;
  for (int role : request.roles()) {
    if (role <= 0 || !v1::AmountRole_IsValid(role)) return InvalidArgument("roles", "unknown role " + std::to_string(role));
    roles.push_back(std::to_string(role));
  }
  if (roles.empty()) roles.push_back(std::to_string(v1::AMOUNT_ROLE_ITEM));
  const std::string roles_param = "{" + absl::StrJoin(roles, ",") + "}";

  absl::StatusOr<SqlFilter> filter = CompileFilter(request.filter(), "filter", 2);
  if (!filter.ok()) return ToGrpcStatus(filter.status());
  std::vector<std::string> params = {roles_param};
  params.insert(params.end(), filter->params.begin(), filter->params.end());

  const std::string from = absl::StrCat(
      " FROM money_mentions m JOIN documents d ON d.id = m.document_id"
      " JOIN initiatives i ON i.document_id = m.document_id AND i.initiative_index = m.initiative_index"
      " LEFT JOIN sections s ON s.document_id = m.document_id AND s.section_index = m.section_index",
      split ? " CROSS JOIN LATERAL unnest(CASE WHEN cardinality(m.funders) = 0 THEN ARRAY[''] ELSE m.funders END)"
              " WITH ORDINALITY AS f(name, n)"
            : "",
      " WHERE ", filter->where);
  // A split share is the amount divided by the number of funders.
  const std::string amount = split ? "(m.amount / greatest(cardinality(m.funders), 1))" : "m.amount";
  const std::string aggregates = absl::StrCat(
      "sum(", amount, ")::text, count(*), min(", amount, ")::text, max(", amount, ")::text,",
      " (array_agg(DISTINCT d.document_id))[1:", kMaxProvenanceDocuments, "]");

  std::vector<std::string> select_keys, group_keys;
  for (const DimensionSql& d : dims) {
    select_keys.push_back(d.value);
    select_keys.push_back(d.label);
    group_keys.push_back(d.value);
    group_keys.push_back(d.label);
  }
  const std::string rows_sql = absl::StrCat(
      "SELECT m.currency_code, ", select_keys.empty() ? "" : absl::StrJoin(select_keys, ", ") + ", ", aggregates,
      from, " AND m.role = ANY($1::smallint[])", " GROUP BY m.currency_code",
      group_keys.empty() ? "" : ", " + absl::StrJoin(group_keys, ", "),
      " ORDER BY m.currency_code, sum(", amount, ") DESC");
  // Totals never split: the same amounts, counted once each.
  const std::string totals_sql = absl::StrCat(
      "SELECT m.currency_code, sum(m.amount)::text, count(*), min(m.amount)::text, max(m.amount)::text,"
      " (array_agg(DISTINCT d.document_id))[1:", kMaxProvenanceDocuments, "]",
      " FROM money_mentions m JOIN documents d ON d.id = m.document_id"
      " JOIN initiatives i ON i.document_id = m.document_id AND i.initiative_index = m.initiative_index"
      " WHERE ", filter->where, " AND m.role = ANY($1::smallint[]) GROUP BY m.currency_code ORDER BY 1");
  const std::string excluded_sql = absl::StrCat(
      "SELECT m.role, count(*) FROM money_mentions m JOIN documents d ON d.id = m.document_id"
      " JOIN initiatives i ON i.document_id = m.document_id AND i.initiative_index = m.initiative_index"
      " WHERE ", filter->where, " AND m.role <> ALL($1::smallint[]) GROUP BY m.role ORDER BY 1");
  const std::string versions_sql = absl::StrCat(
      "SELECT DISTINCT d.parser_version FROM money_mentions m JOIN documents d ON d.id = m.document_id"
      " JOIN initiatives i ON i.document_id = m.document_id AND i.initiative_index = m.initiative_index"
      " WHERE ", filter->where, " AND m.role = ANY($1::smallint[]) ORDER BY 1");

  absl::StatusOr<ConnectionPool::Lease> lease = pool->Acquire();
  if (!lease.ok()) return ToGrpcStatus(lease.status());
  try {
    // One snapshot for rows, totals and exclusions, so they agree.
    pqxx::work tx(**lease);
    tx.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY");
    SetStatementTimeout(tx, deadline, std::chrono::milliseconds(30000));
    auto dynamic = pqxx::prepare::make_dynamic_params(params);
    for (const pqxx::row& r : tx.exec_params(rows_sql, dynamic)) {
      v1::FundingRow* row = response->add_rows();
      const std::string currency = r[0].as<std::string>();
      for (int k = 0; k < static_cast<int>(dims.size()); ++k) {
        v1::GroupKey* key = row->add_keys();
        key->set_dimension(response->group_by(k));
        key->set_value(r[1 + 2 * k].as<std::string>());
        key->set_label(EnumLabel(key->dimension(), r[2 + 2 * k].as<std::string>()));
      }
      FillAggregates(r, 1 + 2 * static_cast<int>(dims.size()), currency, row);
    }
    for (const pqxx::row& r : tx.exec_params(totals_sql, dynamic)) {
      FillAggregates(r, 1, r[0].as<std::string>(), response->add_totals());
    }
    for (const pqxx::row& r : tx.exec_params(excluded_sql, dynamic)) {
      v1::Exclusion* e = response->add_exclusions();
      e->set_role(static_cast<v1::AmountRole>(r[0].as<int>()));
      e->set_count(r[1].as<long long>());
      response->add_warnings(absl::StrCat(e->count(), " amount(s) with role ", v1::AmountRole_Name(e->role()),
                                          " left out of the totals"));
    }
    for (const pqxx::row& r : tx.exec_params(versions_sql, dynamic)) {
      response->add_parser_versions(r[0].as<std::string>());
    }
    tx.commit();
  } catch (const std::exception& e) {
    lease->Discard();
    return DatabaseErrorStatus(e);
  }
  if (response->totals_size() > 1) {
    response->add_warnings("amounts are in several currencies; each total is per currency, never summed across them");
  }
  if (request.top_n() > 0) ApplyTopN(request.top_n(), response->mutable_rows());
  return grpc::Status::OK;
}

}  // namespace pledgebook::report
