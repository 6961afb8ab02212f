#pragma once

#include "common/blocking_executor.h"
#include "common/db_pool.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/server_callback.h"

namespace pledgebook::report {

// StreamInitiatives as a ServerWriteReactor over a server-side cursor (see
// CursorStreamReactor: FETCHes on `executor`, overlapped with writes,
// bounded memory, PQcancel on cancellation).
//
// It is registered as a raw method (grpc::ByteBuffer in and out) so the
// stored records reach the wire without being parsed and serialized again:
// each initiative is its stored serialized record followed by the fields
// the database knows (document_id, name, ingest_sequence) — protobuf merges
// concatenated fields, so the client reads one Initiative. The cursor is
// BINARY, so the record arrives as raw bytes, not hex.
grpc::ServerWriteReactor<grpc::ByteBuffer>* StartInitiativeStream(ConnectionPool* pool, BlockingExecutor* executor,
                                                                  grpc::CallbackServerContext* context,
                                                                  const grpc::ByteBuffer* request);

// Rows per FETCH.
inline constexpr int kStreamBatchRows = 1024;
// A message is closed once it holds this many bytes of initiatives (far
// under gRPC's default 4 MiB receive limit, whatever the records' sizes).
inline constexpr size_t kStreamMessageBytes = 512 * 1024;

}  // namespace pledgebook::report
