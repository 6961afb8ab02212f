#pragma once

#include <exception>
#include <string>

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace pledgebook {

// Error domain used in google.rpc.ErrorInfo details.
inline constexpr char kErrorDomain[] = "pledgebook.dev";

// INVALID_ARGUMENT naming the offending request field, with ErrorInfo
// (reason INVALID_ARGUMENT) and BadRequest field-violation details
// (AIP-193) besides the message "field: reason".
grpc::Status InvalidArgument(const std::string& field, const std::string& reason);

// A status with ErrorInfo details carrying `reason` (UPPER_SNAKE_CASE).
grpc::Status ErrorWithReason(grpc::StatusCode code, const std::string& reason,
                             const std::string& message);

// RESOURCE_EXHAUSTED with ErrorInfo (reason RESOURCE_EXHAUSTED, metadata
// "limit") and google.rpc.QuotaFailure details: `subject` is what is
// limited (e.g. "database_connections", "max_streams_per_client"),
// `description` the message.
grpc::Status ResourceExhausted(const std::string& subject, const std::string& description);

// Converts an absl::Status from library code. Messages shaped
// "field.path: reason" become InvalidArgument(field, reason);
// RESOURCE_EXHAUSTED ones carry QuotaFailure details (the subject is the
// name in the message's trailing parentheses, if any).
grpc::Status ToGrpcStatus(const absl::Status& status);

// Maps a database exception: lost connection → UNAVAILABLE (retryable),
// statement timeout → DEADLINE_EXCEEDED, cancel → CANCELLED, other → INTERNAL
// (with a generic message: SQL errors are logged, not sent to clients).
grpc::Status DatabaseErrorStatus(const std::exception& e);

}  // namespace pledgebook
