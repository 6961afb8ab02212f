#include "report_query.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/grpc_status.h"
#include "common/money_text.h"
#include "dimensions.h"
#include "queries/filter.h"
#include "queries/prepared.h"
#include "re2/re2.h"

namespace pledgebook::report {
namespace {

namespace v1 = ::pledgebook::v1;

constexpr int kMaxDimensions = 6;
constexpr int kMaxProvenance = 20;

std::string EnumLabel(v1::FundingDimension dim, const std::string& value) {
  int number = std::atoi(value.c_str());
  if (dim == v1::FUNDING_DIMENSION_STAGE) return v1::FundingStage_Name(static_cast<v1::FundingStage>(number));
  if (dim == v1::FUNDING_DIMENSION_ROLE) return v1::AmountRole_Name(static_cast<v1::AmountRole>(number));
  return value;
}

std::vector<std::string> TextArray(const pqxx::field& f) {
  std::vector<std::string> out;
  pqxx::array_parser parser = f.as_array();
  for (auto item = parser.get_next(); item.first != pqxx::array_parser::done; item = parser.get_next()) {
    if (item.first == pqxx::array_parser::string_value) out.push_back(item.second);
  }
  return out;
}

}  // namespace

google::type::Money AddMoney(const google::type::Money& a, const google::type::Money& b) {
  google::type::Money out;
  out.set_currency_code(a.currency_code().empty() ? b.currency_code() : a.currency_code());
  long long nanos = static_cast<long long>(a.nanos()) + b.nanos();
  out.set_units(a.units() + b.units() + nanos / 1'000'000'000);
  out.set_nanos(static_cast<int>(nanos % 1'000'000'000));
  return out;
}

grpc::Status ReportQuery::Compile(const v1::GetFundingReportRequest& request, ReportQuery* q) {
  if (request.group_by_size() > kMaxDimensions) {
    return InvalidArgument("group_by", absl::StrCat("at most ", kMaxDimensions, " dimensions"));
  }
  if (request.top_n() < 0) return InvalidArgument("top_n", "must not be negative");
  if (!request.target_currency().empty() && !RE2::FullMatch(request.target_currency(), "[A-Z]{3}")) {
    return InvalidArgument("target_currency", "must be an ISO 4217 code such as \"USD\"");
  }
  q->split_ = request.joint_funding() == v1::JOINT_FUNDING_SPLIT_EVENLY;
  q->subtotals_ = request.subtotals() && request.group_by_size() >= 2;
  q->target_currency_ = request.target_currency();
  const std::string date_sql =
      request.time_basis() == v1::TIME_BASIS_STATED_PERIOD ? "m.period_start" : "d.published_date";

  std::vector<DimensionSql> dims;
  for (int k = 0; k < request.group_by_size(); ++k) {
    auto dim = static_cast<v1::FundingDimension>(request.group_by(k));
    absl::StatusOr<DimensionSql> sql = DimensionExpression(dim, q->split_, date_sql);
    if (!sql.ok()) return InvalidArgument(absl::StrCat("group_by[", k, "]"), "unsupported dimension");
    dims.push_back(*sql);
    q->dims_.push_back(dim);
  }
  std::vector<std::string> roles;
  for (int role : request.roles()) {
    if (role <= 0 || !v1::AmountRole_IsValid(role)) return InvalidArgument("roles", "unknown role " + std::to_string(role));
    roles.push_back(std::to_string(role));
  }
  if (roles.empty()) roles.push_back(std::to_string(v1::AMOUNT_ROLE_ITEM));

  // $1 roles, $2 the target currency when there is one, then the filter's
  // parameters. (A prepared statement may not have a parameter it never uses.)
  const bool convert = !q->target_currency_.empty();
  absl::StatusOr<SqlFilter> filter = CompileFilter(request.filter(), "filter", convert ? 3 : 2);
  if (!filter.ok()) return ToGrpcStatus(filter.status());
  q->params_ = {"{" + absl::StrJoin(roles, ",") + "}"};
  if (convert) q->params_.push_back(q->target_currency_);
  q->params_.insert(q->params_.end(), filter->params.begin(), filter->params.end());
  q->filter_where_ = filter->where;

  // The rate that converts an amount: 1 in the target currency itself, else
  // the latest loaded rate on or before the document's date.
  // Without a target currency every rate is 1: no join at all (it would
  // cost planning time on every report).
  const std::string rate_join = !convert ? "" :
      " LEFT JOIN LATERAL (SELECT CASE WHEN m.currency_code = $2 THEN 1::numeric ELSE x.rate END AS rate,"
      " x.rate_date FROM (SELECT 1) one LEFT JOIN LATERAL (SELECT rate, rate_date FROM exchange_rates"
      " WHERE from_currency = m.currency_code AND to_currency = $2"
      " AND rate_date <= coalesce(d.published_date, current_date) ORDER BY rate_date DESC LIMIT 1) x ON true) r ON true";
  q->base_from_ = absl::StrCat(
      " FROM money_mentions m JOIN documents d ON d.id = m.document_id"
      " JOIN initiatives i ON i.document_id = m.document_id AND i.initiative_index = m.initiative_index",
      rate_join, " WHERE (", q->filter_where_, ")");
  const std::string currency_sql = q->target_currency_.empty() ? "m.currency_code" : "$2::text";
  q->converted_sql_ = convert ? "(m.amount * r.rate)" : "m.amount";
  q->has_rate_sql_ = convert ? " AND r.rate IS NOT NULL" : "";
  std::string amount = q->converted_sql_;
  // A split share is the amount divided by the number of funders.
  if (q->split_) amount = "(" + amount + " / greatest(cardinality(m.funders), 1))";

  std::vector<std::string> keys;
  for (const DimensionSql& d : dims) {
    keys.push_back(d.value);
    keys.push_back(d.label);
  }
  std::string grouping = "GROUP BY " + currency_sql + (keys.empty() ? "" : ", " + absl::StrJoin(keys, ", "));
  std::string subtotal_flag = "false";
  if (q->subtotals_) {
    grouping = absl::StrCat("GROUP BY GROUPING SETS ((", currency_sql, ", ", absl::StrJoin(keys, ", "), "), (",
                            currency_sql, ", ", keys[0], ", ", keys[1], "))");
    subtotal_flag = "GROUPING(" + keys[2] + ") = 1";
  }
  q->rows_sql_ = absl::StrCat(
      "SELECT ", currency_sql, ", ", subtotal_flag, keys.empty() ? "" : ", " + absl::StrJoin(keys, ", "),
      ", round(sum(", amount, "), 9)::text, count(*), round(min(", amount, "), 9)::text, round(max(", amount,
      "), 9)::text, (array_agg(DISTINCT d.document_id))[1:", kMaxProvenance, "],",
      " (array_agg(d.document_id || ':' || m.mention_index || ':' || m.initiative_index ORDER BY d.document_id,"
      " m.mention_index))[1:", kMaxProvenance, "]",
      " FROM money_mentions m JOIN documents d ON d.id = m.document_id"
      " JOIN initiatives i ON i.document_id = m.document_id AND i.initiative_index = m.initiative_index"
      " LEFT JOIN sections s ON s.document_id = m.document_id AND s.section_index = m.section_index",
      rate_join,
      q->split_ ? " CROSS JOIN LATERAL unnest(CASE WHEN cardinality(m.funders) = 0 THEN ARRAY[''] ELSE m.funders END)"
                  " WITH ORDINALITY AS f(name, n)"
                : "",
      " WHERE (", q->filter_where_, ") AND m.role = ANY($1::smallint[])", q->has_rate_sql_, " ", grouping,
      " ORDER BY 1", keys.empty() ? "" : (q->subtotals_ ? ", 3, 2 DESC" : ""), ", sum(", amount, ") DESC");
  return grpc::Status::OK;
}

void ReportQuery::ReadRow(const pqxx::row& r, v1::FundingRow* row) const {
  const std::string currency = r[0].as<std::string>();
  const bool subtotal = r[1].as<bool>();
  row->set_subtotal(subtotal);
  const int n = static_cast<int>(dims_.size());
  for (int k = 0; k < n; ++k) {
    v1::GroupKey* key = row->add_keys();
    key->set_dimension(dims_[static_cast<size_t>(k)]);
    if (subtotal && k > 0) {
      key->set_label("(subtotal)");
      continue;
    }
    key->set_value(r[2 + 2 * k].as<std::string>());
    key->set_label(EnumLabel(key->dimension(), r[3 + 2 * k].as<std::string>()));
  }
  const int c = 2 + 2 * n;
  DecimalToMoney(r[c].as<std::string>(), currency, row->mutable_total());
  row->set_count(r[c + 1].as<long long>());
  DecimalToMoney(r[c + 2].as<std::string>(), currency, row->mutable_min());
  DecimalToMoney(r[c + 3].as<std::string>(), currency, row->mutable_max());
  for (const std::string& id : TextArray(r[c + 4])) row->add_document_ids(id);
  for (const std::string& ref : TextArray(r[c + 5])) {
    std::vector<std::string> parts = absl::StrSplit(ref, ':');
    if (parts.size() != 3) continue;
    v1::MentionRef* m = row->add_mentions();
    m->set_document_id(parts[0]);
    m->set_mention_index(std::atoi(parts[1].c_str()));
    m->set_initiative_index(std::atoi(parts[2].c_str()));
  }
}

void ReportQuery::Run(pqxx::transaction_base& tx, v1::GetFundingReportResponse* response) const {
  for (const pqxx::row& r : ExecPrepared(tx, rows_sql_, params_)) ReadRow(r, response->add_rows());
  Summarize(tx, response);
}

void ReportQuery::Summarize(pqxx::transaction_base& tx, v1::GetFundingReportResponse* summary) const {
  const bool convert = !target_currency_.empty();
  const std::string currency_sql = convert ? "$2::text" : "m.currency_code";
  // Totals, exclusions, parser versions and amounts without a rate in one
  // statement (one scan, one round trip): each amount gets a status —
  // counted (c), excluded by role (x), or without a rate (r) — and one
  // grouping set per figure. GROUPING(cur, role, version) tells the
  // sets apart: 3 = by currency, 5 = by role, 6 = by parser version, 7 = by
  // source currency (only when converting).
  // Totals never split: the same amounts, counted once each.
  const std::string status_sql =
      absl::StrCat("CASE WHEN m.role <> ALL($1::smallint[]) THEN 'x'", convert ? " WHEN r.rate IS NULL THEN 'r'" : "",
                   " ELSE 'c' END");
  const std::string summary_sql = absl::StrCat(
      "SELECT b.status, GROUPING(b.cur, b.role, b.version), b.cur, b.role, b.version, ",
      convert ? "b.from_cur" : "NULL::text",
      ", round(sum(b.amount), 9)::text, count(*), round(min(b.amount), 9)::text, round(max(b.amount), 9)::text,"
      " (array_agg(DISTINCT b.doc))[1:", kMaxProvenance, "]",
      " FROM (SELECT ", status_sql, " AS status, ", currency_sql, " AS cur, m.role, d.parser_version AS version,",
      " m.currency_code AS from_cur, ", converted_sql_, " AS amount, d.document_id AS doc", base_from_, ") b",
      " GROUP BY GROUPING SETS ((b.status, b.cur), (b.status, b.role), (b.status, b.version)",
      convert ? ", (b.status, b.from_cur)" : "", ") ORDER BY 2, 1, 3, 4, 5, 6");
  std::vector<std::string> rate_warnings;
  for (const pqxx::row& r : ExecPrepared(tx, summary_sql, params_)) {
    const std::string status = r[0].as<std::string>();
    const int set = r[1].as<int>();
    if (set == 3 && status == "c") {
      v1::FundingRow* total = summary->add_totals();
      const std::string currency = r[2].as<std::string>();
      DecimalToMoney(r[6].as<std::string>(), currency, total->mutable_total());
      total->set_count(r[7].as<long long>());
      DecimalToMoney(r[8].as<std::string>(), currency, total->mutable_min());
      DecimalToMoney(r[9].as<std::string>(), currency, total->mutable_max());
      for (const std::string& id : TextArray(r[10])) total->add_document_ids(id);
    } else if (set == 5 && status == "x") {
      v1::Exclusion* e = summary->add_exclusions();
      e->set_role(static_cast<v1::AmountRole>(r[3].as<int>()));
      e->set_count(r[7].as<long long>());
      summary->add_warnings(absl::StrCat(e->count(), " amount(s) with role ", v1::AmountRole_Name(e->role()),
                                         " left out of the totals"));
    } else if (set == 6 && status == "c") {
      summary->add_parser_versions(r[4].as<std::string>());
    } else if (set == 7 && status == "r") {
      rate_warnings.push_back(absl::StrCat(r[7].as<long long>(), " amount(s) in ", r[5].as<std::string>(),
                                           " left out: no exchange rate into ", target_currency_,
                                           " on or before their document's date"));
    }
  }
  for (std::string& w : rate_warnings) summary->add_warnings(std::move(w));
  if (convert) {
    summary->set_target_currency(target_currency_);
    for (const pqxx::row& r : ExecPrepared(tx, 
             absl::StrCat("SELECT DISTINCT m.currency_code, r.rate_date::text, r.rate::text,"
                          " (SELECT e.source FROM exchange_rates e WHERE e.from_currency = m.currency_code"
                          " AND e.to_currency = $2 AND e.rate_date = r.rate_date)", base_from_,
                          " AND m.role = ANY($1::smallint[]) AND r.rate IS NOT NULL AND m.currency_code <> $2 ORDER BY 1, 2"),
             params_)) {
      v1::ExchangeRate* rate = summary->add_rates_used();
      rate->set_from_currency(r[0].as<std::string>());
      rate->set_to_currency(target_currency_);
      int y = 0, mo = 0, d = 0;
      std::sscanf(r[1].c_str(), "%d-%d-%d", &y, &mo, &d);
      rate->mutable_date()->set_year(y);
      rate->mutable_date()->set_month(mo);
      rate->mutable_date()->set_day(d);
      rate->set_rate(r[2].as<std::string>());
      rate->set_source(r[3].is_null() ? "" : r[3].as<std::string>());
    }
  }
  if (summary->totals_size() > 1) {
    summary->add_warnings("amounts are in several currencies; each total is per currency, never summed across them");
  }
  summary->set_joint_funding(split_ ? v1::JOINT_FUNDING_SPLIT_EVENLY : v1::JOINT_FUNDING_GROUP);
  for (auto d : dims_) summary->add_group_by(d);
}

}  // namespace pledgebook::report
