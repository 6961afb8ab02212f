#pragma once

#include "absl/time/time.h"
#include "common/blocking_executor.h"
#include "common/db_pool.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_callback.h"
#include "pledgebook/v1/report_service.pb.h"

namespace pledgebook::report {

// WatchInitiatives: polls for initiatives whose document's ingest_sequence
// is past the client's cursor. The sequence is assigned at commit in commit
// order, so polling from a cursor never skips an initiative — on the
// primary, on a read replica (LISTEN/NOTIFY would not reach it) and across
// report-service replicas (the cursor is data, not server state). A poll
// borrows a connection only for its query; between polls the stream waits
// on a gRPC alarm, holding no thread and no connection; polls run on
// `executor`, off gRPC's callback threads. A full batch polls again at once.
grpc::ServerWriteReactor<pledgebook::v1::WatchInitiativesResponse>* StartInitiativeWatch(
    ConnectionPool* pool, BlockingExecutor* executor, grpc::CallbackServerContext* context,
    const pledgebook::v1::WatchInitiativesRequest* request, absl::Duration poll_interval);

}  // namespace pledgebook::report
