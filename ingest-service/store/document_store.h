#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "common/db_pool.h"
#include "pledgebook/v1/records.pb.h"

namespace pledgebook::ingest {

// The outcome of storing one document.
struct StoreOutcome {
  std::string document_id;
  bool created = false;  // false: the content (or request_id) was already stored
  pledgebook::v1::DocumentStats stats;
};

// Writes parsed documents to PostgreSQL. Each document is one transaction:
// the document row, then sections, initiatives and mentions through COPY,
// then its ingest sequence number — so a crash leaves the whole document or
// none of it. Content is the identity: storing the same content again (even
// concurrently) returns the existing document and writes nothing.
class DocumentStore {
 public:
  explicit DocumentStore(ConnectionPool* pool) : pool_(pool) {}

  // `request_id` (optional) makes retries idempotent: a repeated id returns
  // the earlier outcome. UNAVAILABLE when the database is unreachable.
  absl::StatusOr<StoreOutcome> Store(const pledgebook::v1::Document& document,
                                     const std::string& request_id);

 private:
  ConnectionPool* pool_;
};

}  // namespace pledgebook::ingest
