#include "ingest_service.h"

#include "common/call_interceptor.h"
#include "common/grpc_status.h"
#include "common/logging.h"
#include "common/metrics.h"

namespace pledgebook::ingest {
namespace {

namespace v1 = ::pledgebook::v1;

grpc::Status ValidateSource(const v1::IngestDocumentRequest& request) {
  if (!request.has_source()) return InvalidArgument("source", "is required");
  return grpc::Status::OK;
}

// Reads the client's stream one document at a time and ingests each as it
// arrives, so memory holds one document whatever the stream's length.
class BulkIngestReactor final : public grpc::ServerReadReactor<v1::IngestDocumentsRequest> {
 public:
  BulkIngestReactor(IngestServiceImpl* service, grpc::CallbackServerContext* context,
                    v1::IngestDocumentsResponse* response)
      : service_(service), context_(context), response_(response) {
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {  // the client finished sending (or went away)
      Finish(context_->IsCancelled() ? grpc::Status::CANCELLED : grpc::Status::OK);
      return;
    }
    v1::IngestDocumentResult* result = response_->add_results();
    result->set_index(index_++);
    result->set_request_id(request_.request_id());
    grpc::Status status = request_.has_source()
                              ? service_->IngestOne(request_.source(), request_.request_id(),
                                                    result->mutable_response(), context_)
                              : InvalidArgument("source", "is required");
    result->mutable_status()->set_code(static_cast<int>(status.error_code()));
    result->mutable_status()->set_message(status.error_message());
    if (!status.ok()) {
      result->clear_response();
      response_->set_failed_count(response_->failed_count() + 1);
    } else if (result->response().created()) {
      response_->set_created_count(response_->created_count() + 1);
    } else {
      response_->set_existing_count(response_->existing_count() + 1);
    }
    StartRead(&request_);
  }

  void OnDone() override { delete this; }

 private:
  IngestServiceImpl* service_;
  grpc::CallbackServerContext* context_;
  v1::IngestDocumentsResponse* response_;
  v1::IngestDocumentsRequest request_;
  int index_ = 0;
};

}  // namespace

grpc::Status IngestServiceImpl::IngestOne(const v1::DocumentSource& source, const std::string& request_id,
                                          v1::IngestDocumentResponse* response,
                                          const grpc::ServerContextBase* context) {
  grpc::Status status = ParseAndStore(source, request_id, response);
  MetricsRegistry::Counter* ingested = ServiceMetrics::Get().documents_ingested;
  if (!status.ok()) {
    ingested->Inc({"failed"});
    return status;
  }
  ingested->Inc({response->created() ? "created" : "existing"});
  Log("info", "ingested", {{"document_id", response->document_id()},
                           {"created", response->created() ? "true" : "false"},
                           {"initiatives", std::to_string(response->stats().initiative_count())},
                           {"request_id", context ? RequestIdOf(context) : ""},
                           {"idempotency_key", request_id}});
  return status;
}

grpc::Status IngestServiceImpl::ParseAndStore(const v1::DocumentSource& source, const std::string& request_id,
                                              v1::IngestDocumentResponse* response) {
  absl::StatusOr<v1::Document> doc = parser::ParseDocument(source, limits_);
  if (!doc.ok()) return ToGrpcStatus(doc.status());
  try {
    absl::StatusOr<StoreOutcome> outcome = store_->Store(*doc, request_id);
    if (!outcome.ok()) return ToGrpcStatus(outcome.status());
    response->set_document_id(outcome->document_id);
    response->set_name("documents/" + outcome->document_id);
    response->set_created(outcome->created);
    *response->mutable_stats() = outcome->stats;
    return grpc::Status::OK;
  } catch (const std::exception& e) {
    return DatabaseErrorStatus(e);
  }
}

grpc::ServerUnaryReactor* IngestServiceImpl::IngestDocument(grpc::CallbackServerContext* context,
                                                            const v1::IngestDocumentRequest* request,
                                                            v1::IngestDocumentResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  grpc::Status status = ValidateSource(*request);
  if (status.ok()) status = IngestOne(request->source(), request->request_id(), response, context);
  reactor->Finish(status);
  return reactor;
}

grpc::ServerReadReactor<v1::IngestDocumentsRequest>* IngestServiceImpl::IngestDocuments(
    grpc::CallbackServerContext* context, v1::IngestDocumentsResponse* response) {
  return new BulkIngestReactor(this, context, response);
}

grpc::ServerUnaryReactor* IngestServiceImpl::ParseDocument(grpc::CallbackServerContext* context,
                                                           const v1::ParseDocumentRequest* request,
                                                           v1::ParseDocumentResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  if (!request->has_source()) {
    reactor->Finish(InvalidArgument("source", "is required"));
    return reactor;
  }
  absl::StatusOr<v1::Document> doc = parser::ParseDocument(request->source(), limits_);
  if (doc.ok()) *response->mutable_document() = std::move(*doc);
  reactor->Finish(ToGrpcStatus(doc.status()));
  return reactor;
}

}  // namespace pledgebook::ingest
