#include "common/method_roles.h"

#include <array>

namespace pledgebook {
namespace {

struct Entry {
  const char* method;  // full name, or a "/package.Service/" prefix
  bool is_public;
  Role role;
  CallKind kind;
};

// The per-method role table. Add every new RPC here; until then it is
// admin-only (and tests/security's method table test fails).
constexpr std::array kTable = {
    // Standard services: reachable without a token (probes, grpcurl).
    Entry{"/grpc.health.v1.Health/Check", true, Role::kAdmin, CallKind::kUnary},
    Entry{"/grpc.health.v1.Health/Watch", true, Role::kAdmin, CallKind::kWatch},
    Entry{"/grpc.reflection.v1alpha.ServerReflection/", true, Role::kAdmin, CallKind::kWatch},
    Entry{"/grpc.reflection.v1.ServerReflection/", true, Role::kAdmin, CallKind::kWatch},
    // ingest-service.
    Entry{"/pledgebook.v1.IngestService/IngestDocument", false, Role::kIngest, CallKind::kUnary},
    Entry{"/pledgebook.v1.IngestService/IngestDocuments", false, Role::kIngest, CallKind::kStream},
    Entry{"/pledgebook.v1.IngestService/ParseDocument", false, Role::kIngest, CallKind::kUnary},
    // Operator writes (ingest-service): admin only.
    Entry{"/pledgebook.v1.AdminService/LoadExchangeRates", false, Role::kAdmin, CallKind::kUnary},
    Entry{"/pledgebook.v1.AdminService/DeleteDocument", false, Role::kAdmin, CallKind::kUnary},
    // report-service: reads.
    Entry{"/pledgebook.v1.ReportService/GetDocument", false, Role::kReport, CallKind::kUnary},
    Entry{"/pledgebook.v1.ReportService/ListDocuments", false, Role::kReport, CallKind::kUnary},
    Entry{"/pledgebook.v1.ReportService/StreamInitiatives", false, Role::kReport, CallKind::kStream},
    Entry{"/pledgebook.v1.ReportService/GetFundingReport", false, Role::kReport, CallKind::kUnary},
    Entry{"/pledgebook.v1.ReportService/WatchInitiatives", false, Role::kReport, CallKind::kWatch},
    Entry{"/pledgebook.v1.ReportService/StreamFundingReport", false, Role::kReport, CallKind::kStream},
    Entry{"/pledgebook.v1.ReportService/ListExchangeRates", false, Role::kReport, CallKind::kUnary},
};

}  // namespace

MethodPolicy PolicyFor(std::string_view full_method) {
  for (const Entry& e : kTable) {
    std::string_view m(e.method);
    bool match = m.back() == '/' ? full_method.substr(0, m.size()) == m : full_method == m;
    if (match) return MethodPolicy{e.is_public, e.role, e.kind, true};
  }
  return MethodPolicy{};
}

std::vector<std::string> ListedMethods() {
  std::vector<std::string> out;
  for (const Entry& e : kTable) out.emplace_back(e.method);
  return out;
}

}  // namespace pledgebook
