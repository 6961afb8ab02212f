#pragma once

#include "absl/time/time.h"
#include "common/db_pool.h"
#include "pledgebook/v1/report_service.grpc.pb.h"

namespace pledgebook::report {

// The gRPC face of report-service: thin wiring from each RPC to the query
// or report that answers it. Read-only throughout.
class ReportServiceImpl final : public pledgebook::v1::ReportService::CallbackService {
 public:
  ReportServiceImpl(ConnectionPool* pool, absl::Duration watch_poll_interval)
      : pool_(pool), watch_poll_interval_(watch_poll_interval) {}

  grpc::ServerUnaryReactor* GetDocument(grpc::CallbackServerContext* context,
                                        const pledgebook::v1::GetDocumentRequest* request,
                                        pledgebook::v1::GetDocumentResponse* response) override;
  grpc::ServerUnaryReactor* ListDocuments(grpc::CallbackServerContext* context,
                                          const pledgebook::v1::ListDocumentsRequest* request,
                                          pledgebook::v1::ListDocumentsResponse* response) override;
  grpc::ServerWriteReactor<pledgebook::v1::StreamInitiativesResponse>* StreamInitiatives(
      grpc::CallbackServerContext* context, const pledgebook::v1::StreamInitiativesRequest* request) override;
  grpc::ServerUnaryReactor* GetFundingReport(grpc::CallbackServerContext* context,
                                             const pledgebook::v1::GetFundingReportRequest* request,
                                             pledgebook::v1::GetFundingReportResponse* response) override;
  grpc::ServerWriteReactor<pledgebook::v1::WatchInitiativesResponse>* WatchInitiatives(
      grpc::CallbackServerContext* context, const pledgebook::v1::WatchInitiativesRequest* request) override;
  grpc::ServerWriteReactor<pledgebook::v1::StreamFundingReportResponse>* StreamFundingReport(
      grpc::CallbackServerContext* context, const pledgebook::v1::StreamFundingReportRequest* request) override;
  grpc::ServerUnaryReactor* ListExchangeRates(grpc::CallbackServerContext* context,
                                              const pledgebook::v1::ListExchangeRatesRequest* request,
                                              pledgebook::v1::ListExchangeRatesResponse* response) override;

 private:
  ConnectionPool* pool_;
  absl::Duration watch_poll_interval_;
};

}  // namespace pledgebook::report
