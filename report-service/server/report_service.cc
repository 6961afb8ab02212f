#include "report_service.h"

#include "queries/document_queries.h"
#include "queries/exchange_rates.h"
#include "queries/initiative_stream.h"
#include "queries/initiative_watch.h"
#include "reports/funding_report.h"
#include "reports/funding_report_stream.h"

namespace pledgebook::report {

namespace v1 = ::pledgebook::v1;

grpc::ServerUnaryReactor* ReportServiceImpl::GetDocument(grpc::CallbackServerContext* context,
                                                         const v1::GetDocumentRequest* request,
                                                         v1::GetDocumentResponse* response) {
  return FinishOnExecutor(context, &executor_, [this, context, request, response] {
    return report::GetDocument(pool_, context->deadline(), *request, response);
  });
}

grpc::ServerUnaryReactor* ReportServiceImpl::ListDocuments(grpc::CallbackServerContext* context,
                                                           const v1::ListDocumentsRequest* request,
                                                           v1::ListDocumentsResponse* response) {
  return FinishOnExecutor(context, &executor_, [this, context, request, response] {
    return report::ListDocuments(pool_, context->deadline(), *request, response);
  });
}

grpc::ServerWriteReactor<grpc::ByteBuffer>* ReportServiceImpl::StreamInitiatives(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request) {
  return StartInitiativeStream(pool_, &executor_, context, request);
}

grpc::ServerUnaryReactor* ReportServiceImpl::GetFundingReport(grpc::CallbackServerContext* context,
                                                              const v1::GetFundingReportRequest* request,
                                                              v1::GetFundingReportResponse* response) {
  return FinishOnExecutor(context, &executor_, [this, context, request, response] {
    return BuildFundingReport(pool_, context->deadline(), *request, response);
  });
}

grpc::ServerWriteReactor<v1::WatchInitiativesResponse>* ReportServiceImpl::WatchInitiatives(
    grpc::CallbackServerContext* context, const v1::WatchInitiativesRequest* request) {
  return StartInitiativeWatch(pool_, &executor_, context, request, watch_poll_interval_);
}

grpc::ServerWriteReactor<v1::StreamFundingReportResponse>* ReportServiceImpl::StreamFundingReport(
    grpc::CallbackServerContext* context, const v1::StreamFundingReportRequest* request) {
  return StartFundingReportStream(pool_, &executor_, context, request);
}

grpc::ServerUnaryReactor* ReportServiceImpl::ListExchangeRates(grpc::CallbackServerContext* context,
                                                               const v1::ListExchangeRatesRequest* request,
                                                               v1::ListExchangeRatesResponse* response) {
  return FinishOnExecutor(context, &executor_, [this, context, request, response] {
    return report::ListExchangeRates(pool_, context->deadline(), *request, response);
  });
}

}  // namespace pledgebook::report
