#pragma once

#include "common/blocking_executor.h"
#include "common/db_pool.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_callback.h"
#include "pledgebook/v1/report_service.pb.h"

namespace pledgebook::report {

// StreamFundingReport: the rows of GetFundingReport through a server-side
// cursor, `kReportBatchRows` per message, then one last message with the
// totals, exclusions and warnings — all from one snapshot.
grpc::ServerWriteReactor<pledgebook::v1::StreamFundingReportResponse>* StartFundingReportStream(
    ConnectionPool* pool, BlockingExecutor* executor, grpc::CallbackServerContext* context,
    const pledgebook::v1::StreamFundingReportRequest* request);

inline constexpr int kReportBatchRows = 500;

}  // namespace pledgebook::report
