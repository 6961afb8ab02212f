#pragma once

#include "common/db_pool.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_callback.h"
#include "pledgebook/v1/report_service.pb.h"

namespace pledgebook::report {

// StreamInitiatives as a ServerWriteReactor: a server-side cursor in a
// read-only transaction, FETCHed one batch at a time, and the next FETCH
// only after the previous write completed — so memory stays constant and a
// slow client slows the query instead of filling buffers. Cancellation or
// an expired deadline cancels the running query (PQcancel) and ends the
// transaction.
grpc::ServerWriteReactor<pledgebook::v1::StreamInitiativesResponse>* StartInitiativeStream(
    ConnectionPool* pool, grpc::CallbackServerContext* context,
    const pledgebook::v1::StreamInitiativesRequest* request);

// Rows per FETCH and per streamed message.
inline constexpr int kStreamBatchRows = 256;

}  // namespace pledgebook::report
