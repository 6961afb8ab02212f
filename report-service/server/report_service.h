#pragma once

#include "absl/time/time.h"
#include "common/blocking_executor.h"
#include "common/db_pool.h"
#include "pledgebook/v1/report_service.grpc.pb.h"

namespace pledgebook::report {

// The gRPC face of report-service: thin wiring from each RPC to the query
// or report that answers it. Read-only throughout.
//
// Every handler's database work runs on an executor sized like the pool
// (see BlockingExecutor), so gRPC's few callback threads never wait on
// PostgreSQL. StreamInitiatives is a raw method: it sends stored records
// without parsing them again (see initiative_stream.h).
class ReportServiceImpl final
    : public pledgebook::v1::ReportService::WithRawCallbackMethod_StreamInitiatives<
          pledgebook::v1::ReportService::CallbackService> {
 public:
  ReportServiceImpl(ConnectionPool* pool, absl::Duration watch_poll_interval)
      : pool_(pool), watch_poll_interval_(watch_poll_interval), executor_(pool->max_size(), "report-db") {}

  grpc::ServerUnaryReactor* GetDocument(grpc::CallbackServerContext* context,
                                        const pledgebook::v1::GetDocumentRequest* request,
                                        pledgebook::v1::GetDocumentResponse* response) override;
  grpc::ServerUnaryReactor* ListDocuments(grpc::CallbackServerContext* context,
                                          const pledgebook::v1::ListDocumentsRequest* request,
                                          pledgebook::v1::ListDocumentsResponse* response) override;
  grpc::ServerWriteReactor<grpc::ByteBuffer>* StreamInitiatives(grpc::CallbackServerContext* context,
                                                                const grpc::ByteBuffer* request) override;
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
  BlockingExecutor executor_;  // last: destroyed (drained) first
};

}  // namespace pledgebook::report
