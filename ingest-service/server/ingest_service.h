#pragma once

#include "parser/parse_document.h"
#include "pledgebook/v1/ingest_service.grpc.pb.h"
#include "store/document_store.h"

namespace pledgebook::ingest {

// The gRPC face of ingestion: validates requests, runs the parser, stores
// the result. Unary calls run on gRPC's callback threads; the work is
// synchronous (parse + one transaction) and short.
class IngestServiceImpl final : public pledgebook::v1::IngestService::CallbackService {
 public:
  IngestServiceImpl(DocumentStore* store, parser::ParserLimits limits)
      : store_(store), limits_(limits) {}

  grpc::ServerUnaryReactor* IngestDocument(grpc::CallbackServerContext* context,
                                           const pledgebook::v1::IngestDocumentRequest* request,
                                           pledgebook::v1::IngestDocumentResponse* response) override;

  grpc::ServerReadReactor<pledgebook::v1::IngestDocumentsRequest>* IngestDocuments(
      grpc::CallbackServerContext* context, pledgebook::v1::IngestDocumentsResponse* response) override;

  grpc::ServerUnaryReactor* ParseDocument(grpc::CallbackServerContext* context,
                                          const pledgebook::v1::ParseDocumentRequest* request,
                                          pledgebook::v1::ParseDocumentResponse* response) override;

  // Parses and stores one document; shared by the unary and streaming calls.
  // `context` (optional) names the call in logs (its request id).
  grpc::Status IngestOne(const pledgebook::v1::DocumentSource& source, const std::string& request_id,
                         pledgebook::v1::IngestDocumentResponse* response,
                         const grpc::ServerContextBase* context = nullptr);

 private:
  grpc::Status ParseAndStore(const pledgebook::v1::DocumentSource& source, const std::string& request_id,
                             pledgebook::v1::IngestDocumentResponse* response);

  DocumentStore* store_;
  parser::ParserLimits limits_;
};

}  // namespace pledgebook::ingest
