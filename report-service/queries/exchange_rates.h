#pragma once

#include <chrono>

#include "common/db_pool.h"
#include "grpcpp/support/status.h"
#include "pledgebook/v1/report_service.pb.h"

namespace pledgebook::report {

// ListExchangeRates: the loaded rates, by currency pair and date.
grpc::Status ListExchangeRates(ConnectionPool* pool, std::chrono::system_clock::time_point deadline,
                               const pledgebook::v1::ListExchangeRatesRequest& request,
                               pledgebook::v1::ListExchangeRatesResponse* response);

}  // namespace pledgebook::report
