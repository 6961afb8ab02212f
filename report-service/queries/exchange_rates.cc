#include "exchange_rates.h"

#include <pqxx/pqxx>

#include "common/grpc_status.h"
#include "re2/re2.h"
#include "read_transaction.h"

namespace pledgebook::report {

namespace v1 = ::pledgebook::v1;

grpc::Status ListExchangeRates(ConnectionPool* pool, std::chrono::system_clock::time_point deadline,
                               const v1::ListExchangeRatesRequest& request,
                               v1::ListExchangeRatesResponse* response) {
  for (const auto& [field, code] : {std::pair<const char*, const std::string&>{"from_currency", request.from_currency()},
                                    {"to_currency", request.to_currency()}}) {
    if (!code.empty() && !RE2::FullMatch(code, "[A-Z]{3}")) return InvalidArgument(field, "must be an ISO 4217 code");
  }
  return InReadTransaction(pool, deadline, kReadOnly, [&](pqxx::work& tx) -> grpc::Status {
    pqxx::result rows = tx.exec_params(
        "SELECT from_currency, to_currency, rate_date::text, rate::text, source FROM exchange_rates"
        " WHERE ($1 = '' OR from_currency = $1) AND ($2 = '' OR to_currency = $2)"
        " ORDER BY from_currency, to_currency, rate_date LIMIT 100000",
        request.from_currency(), request.to_currency());
    for (const pqxx::row& r : rows) {
      v1::ExchangeRate* rate = response->add_rates();
      rate->set_from_currency(r[0].as<std::string>());
      rate->set_to_currency(r[1].as<std::string>());
      int y = 0, m = 0, d = 0;
      std::sscanf(r[2].c_str(), "%d-%d-%d", &y, &m, &d);
      rate->mutable_date()->set_year(y);
      rate->mutable_date()->set_month(m);
      rate->mutable_date()->set_day(d);
      rate->set_rate(r[3].as<std::string>());
      rate->set_source(r[4].as<std::string>());
    }
    return grpc::Status::OK;
  });
}

}  // namespace pledgebook::report
