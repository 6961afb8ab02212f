#include "common/grpc_status.h"

#include <pqxx/pqxx>

#include "common/logging.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace pledgebook {
namespace {

grpc::Status WithDetails(grpc::StatusCode code, const std::string& message,
                         const google::rpc::ErrorInfo& info,
                         const google::rpc::BadRequest* bad_request,
                         const google::rpc::QuotaFailure* quota_failure = nullptr) {
  google::rpc::Status rich;
  rich.set_code(static_cast<int>(code));
  rich.set_message(message);
  rich.add_details()->PackFrom(info);
  if (bad_request != nullptr) rich.add_details()->PackFrom(*bad_request);
  if (quota_failure != nullptr) rich.add_details()->PackFrom(*quota_failure);
  return grpc::Status(code, message, rich.SerializeAsString());
}

bool LooksLikeFieldPath(const std::string& s) {
  if (s.empty() || s.size() > 80) return false;
  for (char c : s) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '[' || c == ']')) {
      return false;
    }
  }
  return true;
}

}  // namespace

grpc::Status InvalidArgument(const std::string& field, const std::string& reason) {
  google::rpc::ErrorInfo info;
  info.set_reason("INVALID_ARGUMENT");
  info.set_domain(kErrorDomain);
  (*info.mutable_metadata())["field"] = field;
  google::rpc::BadRequest bad;
  auto* violation = bad.add_field_violations();
  violation->set_field(field);
  violation->set_description(reason);
  return WithDetails(grpc::StatusCode::INVALID_ARGUMENT, field + ": " + reason, info, &bad);
}

grpc::Status ErrorWithReason(grpc::StatusCode code, const std::string& reason,
                             const std::string& message) {
  google::rpc::ErrorInfo info;
  info.set_reason(reason);
  info.set_domain(kErrorDomain);
  return WithDetails(code, message, info, nullptr);
}

grpc::Status ResourceExhausted(const std::string& subject, const std::string& description) {
  google::rpc::ErrorInfo info;
  info.set_reason("RESOURCE_EXHAUSTED");
  info.set_domain(kErrorDomain);
  (*info.mutable_metadata())["limit"] = subject;
  google::rpc::QuotaFailure quota;
  auto* violation = quota.add_violations();
  violation->set_subject(subject);
  violation->set_description(description);
  return WithDetails(grpc::StatusCode::RESOURCE_EXHAUSTED, description, info, nullptr, &quota);
}

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  std::string message(status.message());
  if (status.code() == absl::StatusCode::kResourceExhausted) {
    std::string subject = "resource";
    size_t open = message.rfind('('), close = message.rfind(')');
    if (open != std::string::npos && close != std::string::npos && close > open + 1) {
      subject = message.substr(open + 1, close - open - 1);
    }
    return ResourceExhausted(subject, message);
  }
  if (status.code() == absl::StatusCode::kInvalidArgument) {
    size_t colon = message.find(": ");
    if (colon != std::string::npos && LooksLikeFieldPath(message.substr(0, colon))) {
      return InvalidArgument(message.substr(0, colon), message.substr(colon + 2));
    }
  }
  // absl and gRPC share the canonical code numbers.
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), message);
}

grpc::Status DatabaseErrorStatus(const std::exception& e) {
  if (dynamic_cast<const pqxx::broken_connection*>(&e) != nullptr) {
    return ErrorWithReason(grpc::StatusCode::UNAVAILABLE, "DATABASE_UNAVAILABLE",
                           "the database is unreachable; retry later");
  }
  if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&e)) {
    const std::string& state = sql->sqlstate();
    if (state == "57014") {  // query_canceled: statement_timeout or a cancel request
      return ErrorWithReason(grpc::StatusCode::DEADLINE_EXCEEDED, "QUERY_CANCELED",
                             "the database query was canceled (deadline or cancellation)");
    }
    // Connection exceptions, admin shutdown, cannot connect now: retryable.
    if (state.rfind("08", 0) == 0 || state == "57P01" || state == "57P02" || state == "57P03") {
      return ErrorWithReason(grpc::StatusCode::UNAVAILABLE, "DATABASE_UNAVAILABLE",
                             "the database is unavailable; retry later");
    }
  }
  Log("error", "database error", {{"error", e.what()}});
  return ErrorWithReason(grpc::StatusCode::INTERNAL, "DATABASE_ERROR", "internal database error");
}

}  // namespace pledgebook
