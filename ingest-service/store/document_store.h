#pragma once

#include <exception>
#include <string>
#include <vector>

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

// What storing one document of a batch gave: an outcome, or a status, or
// (`error` set) the exception the database threw for it, for the caller to
// map (DatabaseErrorStatus).
struct StoreResult {
  absl::StatusOr<StoreOutcome> outcome = absl::UnknownError("not stored");
  std::exception_ptr error;
};

// One document of a batch. The store may rearrange the document's fields
// while it writes them, and puts them back before returning.
struct StoreItem {
  pledgebook::v1::Document* document = nullptr;
  std::string request_id;  // optional idempotency key
};

// Writes parsed documents to PostgreSQL. A batch of documents is one
// transaction: children of every new document through one COPY per table,
// then — under the ingest-sequence lock — the `documents` rows with their
// ingest sequence numbers, so a crash leaves each document whole or absent,
// and sequence order is commit order. Content is the identity: storing the
// same content again (even concurrently, even twice in one batch) returns
// the existing document and writes nothing; a per-content advisory lock
// makes a concurrent ingest of the same content wait for the first.
class DocumentStore {
 public:
  explicit DocumentStore(ConnectionPool* pool) : pool_(pool) {}

  // One document (a batch of one). `request_id` (optional) makes retries
  // idempotent: a repeated id returns the earlier outcome. UNAVAILABLE when
  // the database is unreachable; other database errors are thrown.
  absl::StatusOr<StoreOutcome> Store(const pledgebook::v1::Document& document,
                                     const std::string& request_id);

  // Stores `items` (in order) in one transaction; one result per item, in
  // the same order. When the transaction fails for a reason other than a
  // lost connection, each document is stored again on its own, so one bad
  // document cannot fail the others. A lost connection (or a commit whose
  // outcome is unknown) fails every document of the batch with UNAVAILABLE:
  // retry them with the same request_ids.
  std::vector<StoreResult> StoreBatch(const std::vector<StoreItem>& items);

 private:
  // One transaction for the whole batch; throws what pqxx throws.
  std::vector<StoreResult> StoreInTransaction(pqxx::connection& conn, const std::vector<StoreItem>& items);

  ConnectionPool* pool_;
};

}  // namespace pledgebook::ingest
