#pragma once

#include "common/db_pool.h"
#include "grpcpp/support/status.h"
#include "pledgebook/v1/report_service.pb.h"

namespace pledgebook::report {

// GetDocument: the document with its sections (not their initiatives);
// NOT_FOUND for an unknown id.
grpc::Status GetDocument(ConnectionPool* pool, std::chrono::system_clock::time_point deadline,
                         const pledgebook::v1::GetDocumentRequest& request,
                         pledgebook::v1::GetDocumentResponse* response);

// ListDocuments: newest first, keyset-paginated on (created_at, id) so that
// documents arriving between pages never shift or repeat a row. The page
// token is opaque (web-safe base64) and bound to the filter it was made for.
grpc::Status ListDocuments(ConnectionPool* pool, std::chrono::system_clock::time_point deadline,
                           const pledgebook::v1::ListDocumentsRequest& request,
                           pledgebook::v1::ListDocumentsResponse* response);

inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 1000;

}  // namespace pledgebook::report
