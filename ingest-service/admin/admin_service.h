#pragma once

#include "common/db_pool.h"
#include "pledgebook/v1/admin_service.grpc.pb.h"

namespace pledgebook::ingest {

// Operator writes: exchange rates and document deletion. Served by
// ingest-service, the only service that writes; every call needs the
// `admin` role once authentication is on.
class AdminServiceImpl final : public pledgebook::v1::AdminService::CallbackService {
 public:
  explicit AdminServiceImpl(ConnectionPool* pool) : pool_(pool) {}

  grpc::ServerUnaryReactor* LoadExchangeRates(grpc::CallbackServerContext* context,
                                              const pledgebook::v1::LoadExchangeRatesRequest* request,
                                              pledgebook::v1::LoadExchangeRatesResponse* response) override;

  grpc::ServerUnaryReactor* DeleteDocument(grpc::CallbackServerContext* context,
                                           const pledgebook::v1::DeleteDocumentRequest* request,
                                           pledgebook::v1::DeleteDocumentResponse* response) override;

 private:
  ConnectionPool* pool_;
};

// Validates the rates of a LoadExchangeRates request; INVALID_ARGUMENT names
// the first bad one ("rates[3].rate").
grpc::Status ValidateExchangeRates(const pledgebook::v1::LoadExchangeRatesRequest& request);

}  // namespace pledgebook::ingest
