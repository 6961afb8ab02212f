#pragma once

#include <chrono>

#include "common/db_pool.h"
#include "grpcpp/support/status.h"
#include "pledgebook/v1/report_service.pb.h"

namespace pledgebook::report {

// GetFundingReport. Money is never summed across currencies: every row and
// total is per currency. By default only itemized amounts are counted, so
// each dollar counts once; the amounts left out are counted by role in
// `exclusions`. A joint amount is one row of its own ("EPA + CONAGUA"), or
// split evenly among its funders on request — never counted twice.
grpc::Status BuildFundingReport(ConnectionPool* pool, std::chrono::system_clock::time_point deadline,
                                const pledgebook::v1::GetFundingReportRequest& request,
                                pledgebook::v1::GetFundingReportResponse* response);

}  // namespace pledgebook::report
