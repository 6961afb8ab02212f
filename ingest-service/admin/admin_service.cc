#include "admin_service.h"

#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "common/grpc_status.h"
#include "common/logging.h"
#include "re2/re2.h"
#include "store/copy_format.h"

namespace pledgebook::ingest {
namespace {

namespace v1 = ::pledgebook::v1;

constexpr int kMaxRates = 100000;

bool ValidDate(const google::type::Date& d) {
  static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return d.year() >= 1900 && d.year() <= 9999 && d.month() >= 1 && d.month() <= 12 && d.day() >= 1 &&
         d.day() <= kDays[d.month() - 1];
}

std::string DateText(const google::type::Date& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year(), d.month(), d.day());
  return buf;
}

}  // namespace

grpc::Status ValidateExchangeRates(const v1::LoadExchangeRatesRequest& request) {
  if (request.rates_size() == 0) return InvalidArgument("rates", "at least one rate is required");
  if (request.rates_size() > kMaxRates) {
    return InvalidArgument("rates", absl::StrCat("at most ", kMaxRates, " rates per request"));
  }
  static const RE2 code("[A-Z]{3}");
  static const RE2 decimal(R"(\d{1,12}(\.\d{1,12})?)");
  for (int k = 0; k < request.rates_size(); ++k) {
    const v1::ExchangeRate& r = request.rates(k);
    const std::string at = absl::StrCat("rates[", k, "].");
    if (!RE2::FullMatch(r.from_currency(), code)) return InvalidArgument(at + "from_currency", "must be an ISO 4217 code");
    if (!RE2::FullMatch(r.to_currency(), code)) return InvalidArgument(at + "to_currency", "must be an ISO 4217 code");
    if (r.from_currency() == r.to_currency()) return InvalidArgument(at + "to_currency", "must differ from from_currency");
    if (!RE2::FullMatch(r.rate(), decimal) || RE2::FullMatch(r.rate(), R"(0+(\.0+)?)")) {
      return InvalidArgument(at + "rate", "must be a positive decimal such as \"0.7405\"");
    }
    if (!ValidDate(r.date())) return InvalidArgument(at + "date", "must be a full calendar date");
  }
  return grpc::Status::OK;
}

grpc::ServerUnaryReactor* AdminServiceImpl::LoadExchangeRates(grpc::CallbackServerContext* context,
                                                              const v1::LoadExchangeRatesRequest* request,
                                                              v1::LoadExchangeRatesResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  grpc::Status status = ValidateExchangeRates(*request);
  if (!status.ok()) {
    reactor->Finish(status);
    return reactor;
  }
  std::vector<std::string> from, to, dates, rates, sources;
  for (const v1::ExchangeRate& r : request->rates()) {
    from.push_back(r.from_currency());
    to.push_back(r.to_currency());
    dates.push_back(DateText(r.date()));
    rates.push_back(r.rate());
    sources.push_back(r.source());
  }
  absl::StatusOr<ConnectionPool::Lease> lease = pool_->Acquire();
  if (!lease.ok()) {
    reactor->Finish(ToGrpcStatus(lease.status()));
    return reactor;
  }
  try {
    // All or nothing, in one statement; a later rate for the same pair and
    // day replaces the earlier one.
    pqxx::work tx(**lease);
    pqxx::result r = tx.exec_params(
        "INSERT INTO exchange_rates (from_currency, to_currency, rate_date, rate, source)"
        " SELECT DISTINCT ON (f, t, dt) f, t, dt, rt, src FROM unnest($1::text[], $2::text[], $3::date[],"
        " $4::numeric[], $5::text[]) WITH ORDINALITY AS u(f, t, dt, rt, src, ord) ORDER BY f, t, dt, ord DESC"
        " ON CONFLICT (from_currency, to_currency, rate_date) DO UPDATE"
        " SET rate = excluded.rate, source = excluded.source, loaded_at = now()",
        ToPgTextArray(from), ToPgTextArray(to), ToPgTextArray(dates), ToPgTextArray(rates), ToPgTextArray(sources));
    tx.commit();
    response->set_loaded_count(static_cast<int>(r.affected_rows()));
    Log("info", "exchange rates loaded", {{"count", std::to_string(r.affected_rows())}});
    reactor->Finish(grpc::Status::OK);
  } catch (const std::exception& e) {
    lease->Discard();
    reactor->Finish(DatabaseErrorStatus(e));
  }
  return reactor;
}

grpc::ServerUnaryReactor* AdminServiceImpl::DeleteDocument(grpc::CallbackServerContext* context,
                                                           const v1::DeleteDocumentRequest* request,
                                                           v1::DeleteDocumentResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  std::string id = request->name();
  if (id.rfind("documents/", 0) == 0) id = id.substr(10);
  if (id.empty() || id.size() > 128) {
    reactor->Finish(InvalidArgument("name", "is required (documents/{document_id})"));
    return reactor;
  }
  absl::StatusOr<ConnectionPool::Lease> lease = pool_->Acquire();
  if (!lease.ok()) {
    reactor->Finish(ToGrpcStatus(lease.status()));
    return reactor;
  }
  try {
    pqxx::work tx(**lease);
    pqxx::result r = tx.exec_params("DELETE FROM documents WHERE document_id = $1 RETURNING document_id", id);
    tx.commit();
    if (r.empty()) {
      reactor->Finish(ErrorWithReason(grpc::StatusCode::NOT_FOUND, "DOCUMENT_NOT_FOUND",
                                      "documents/" + id + " does not exist"));
      return reactor;
    }
    response->set_document_id(id);
    Log("info", "document deleted", {{"document_id", id}});
    reactor->Finish(grpc::Status::OK);
  } catch (const std::exception& e) {
    lease->Discard();
    reactor->Finish(DatabaseErrorStatus(e));
  }
  return reactor;
}

}  // namespace pledgebook::ingest
