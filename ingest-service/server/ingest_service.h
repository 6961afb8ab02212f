#pragma once

#include <memory>

#include "common/blocking_executor.h"
#include "parser/parse_document.h"
#include "pledgebook/v1/ingest_service.grpc.pb.h"
#include "store/document_store.h"

namespace pledgebook::ingest {

// The gRPC face of ingestion: validates requests, runs the parser, stores
// the result. Parsing and database work run on the service's own executor
// (`threads`, sized like the database pool), never on gRPC's callback
// threads: those only move messages. IngestDocuments stores its documents
// in batches, one transaction per batch, parsing the next documents while
// a batch is written.
class IngestServiceImpl final : public pledgebook::v1::IngestService::CallbackService {
 public:
  IngestServiceImpl(DocumentStore* store, parser::ParserLimits limits, int threads = 4)
      : store_(store), limits_(limits), executor_(std::make_unique<BlockingExecutor>(threads, "ingest")) {}

  grpc::ServerUnaryReactor* IngestDocument(grpc::CallbackServerContext* context,
                                           const pledgebook::v1::IngestDocumentRequest* request,
                                           pledgebook::v1::IngestDocumentResponse* response) override;

  grpc::ServerReadReactor<pledgebook::v1::IngestDocumentsRequest>* IngestDocuments(
      grpc::CallbackServerContext* context, pledgebook::v1::IngestDocumentsResponse* response) override;

  grpc::ServerUnaryReactor* ParseDocument(grpc::CallbackServerContext* context,
                                          const pledgebook::v1::ParseDocumentRequest* request,
                                          pledgebook::v1::ParseDocumentResponse* response) override;

  // Parses and stores one document (a batch of one). Blocking: call it from
  // the executor. `context` (optional) names the call in logs.
  grpc::Status IngestOne(const pledgebook::v1::DocumentSource& source, const std::string& request_id,
                         pledgebook::v1::IngestDocumentResponse* response,
                         const grpc::ServerContextBase* context = nullptr);

  // For the bulk reactor.
  DocumentStore* store() { return store_; }
  const parser::ParserLimits& limits() const { return limits_; }
  BlockingExecutor* executor() { return executor_.get(); }

 private:
  DocumentStore* store_;
  parser::ParserLimits limits_;
  // Last: destroyed first, running what is queued while the rest still lives.
  std::unique_ptr<BlockingExecutor> executor_;
};

// The response of one stored document of a batch (or its status), counted
// in the ingest metrics and logged as the unary call does. Shared by the
// unary and bulk paths.
grpc::Status RecordStored(const StoreResult& result, const std::string& request_id,
                          const grpc::ServerContextBase* context, pledgebook::v1::IngestDocumentResponse* response);

}  // namespace pledgebook::ingest
