#include "ingest_service.h"

#include <deque>
#include <mutex>
#include <utility>
#include <vector>

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

// A batch: at most this many documents, or this many bytes of content (at
// least one document, whatever its size).
constexpr size_t kBatchDocuments = 64;
constexpr size_t kBatchBytes = 8 << 20;
// Reading pauses while this many documents (or bytes of content) of one
// stream wait to be parsed or stored: about two batches and a half, so the
// next batch is ready when one commits, and memory stays bounded whatever
// the stream's length.
constexpr size_t kBufferedDocuments = 160;
constexpr size_t kBufferedBytes = 24 << 20;

// IngestDocuments. Per stream, three stages, each handing on to the next:
//   read (gRPC's thread) → parse (executor) → store (executor)
// The parse stage runs ahead of the store stage, so the next documents are
// parsed while a batch is written. A batch is whatever is parsed when the
// store stage is free (up to kBatchDocuments / kBatchBytes): under load the
// batches fill, and a client sending slowly has each document stored as it
// comes. Results go back in stream order, one per document; a document
// that fails (parse error, database refusal) fails alone.
class BulkIngestReactor final : public grpc::ServerReadReactor<v1::IngestDocumentsRequest> {
 public:
  BulkIngestReactor(IngestServiceImpl* service, grpc::CallbackServerContext* context,
                    v1::IngestDocumentsResponse* response)
      : service_(service), context_(context), response_(response) {
    reading_ = true;
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    bool read_more = false, start_parse = false, finish = false;
    // Once the lock is released, members are touched only while this thread
    // holds a token that keeps the call from finishing (a read to start, a
    // parse stage to submit), or to finish it.
    BlockingExecutor* executor = service_->executor();
    {
      std::lock_guard<std::mutex> lock(mu_);
      reading_ = false;
      if (ok) {
        Unparsed u;
        u.index = static_cast<int>(results_.size());
        results_.emplace_back();
        results_.back().set_index(u.index);
        results_.back().set_request_id(request_.request_id());
        u.bytes = request_.source().content().size();
        u.request = std::move(request_);
        request_.Clear();
        buffered_documents_ += 1;
        buffered_bytes_ += u.bytes;
        unparsed_.push_back(std::move(u));
        if (!parsing_) parsing_ = start_parse = true;
        read_more = ReadMoreLocked();
      } else {  // the client finished sending (or went away)
        reads_done_ = true;
        finish = FinishLocked();
      }
    }
    if (start_parse) executor->Submit([this] { ParseLoop(); });
    if (read_more) StartRead(&request_);
    if (finish) FinishNow();
  }

  void OnDone() override { delete this; }

 private:
  struct Unparsed {
    int index = 0;
    size_t bytes = 0;
    v1::IngestDocumentsRequest request;
  };
  struct Parsed {
    int index = 0;
    size_t bytes = 0;
    std::string request_id;
    v1::Document document;
  };

  // Whether to start the next read now (and if so, marks it started).
  bool ReadMoreLocked() {
    if (reading_ || reads_done_ || finished_) return false;
    if (buffered_documents_ >= kBufferedDocuments || buffered_bytes_ >= kBufferedBytes) return false;
    reading_ = true;
    return true;
  }

  // Whether everything is done and the call may finish now (and if so,
  // marks it finished: only one caller gets true).
  bool FinishLocked() {
    if (finished_ || !reads_done_ || parsing_ || storing_ || !unparsed_.empty() || !parsed_.empty()) return false;
    finished_ = true;
    return true;
  }

  void SetStatusLocked(int index, const grpc::Status& status) {
    v1::IngestDocumentResult& r = results_[static_cast<size_t>(index)];
    r.mutable_status()->set_code(static_cast<int>(status.error_code()));
    r.mutable_status()->set_message(status.error_message());
    if (!status.ok()) r.clear_response();
  }

  void ParseLoop() {
    bool finish = false;
    for (;;) {
      Unparsed u;
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (unparsed_.empty()) {
          parsing_ = false;
          finish = FinishLocked();
          break;
        }
        u = std::move(unparsed_.front());
        unparsed_.pop_front();
      }
      grpc::Status status;
      absl::StatusOr<v1::Document> doc = absl::CancelledError("the call was cancelled");
      if (context_->IsCancelled()) {
        status = grpc::Status(grpc::StatusCode::CANCELLED, "the call was cancelled");
      } else if (!u.request.has_source()) {
        status = InvalidArgument("source", "is required");
      } else {
        doc = parser::ParseDocument(u.request.source(), service_->limits());
        if (!doc.ok()) {
          status = ToGrpcStatus(doc.status());
          ServiceMetrics::Get().documents_ingested->Inc({"failed"});
        }
      }
      bool start_store = false, read_more = false;
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (status.ok()) {
          parsed_.push_back(Parsed{u.index, u.bytes, u.request.request_id(), std::move(*doc)});
          if (!storing_) storing_ = start_store = true;
        } else {
          SetStatusLocked(u.index, status);
          buffered_documents_ -= 1;
          buffered_bytes_ -= u.bytes;
        }
        read_more = ReadMoreLocked();
      }
      if (start_store) service_->executor()->Submit([this] { StoreLoop(); });
      if (read_more) StartRead(&request_);
    }
    if (finish) FinishNow();
  }

  void StoreLoop() {
    bool finish = false;
    for (;;) {
      std::vector<Parsed> batch;
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (parsed_.empty()) {
          storing_ = false;
          finish = FinishLocked();
          break;
        }
        size_t bytes = 0;
        while (!parsed_.empty() && batch.size() < kBatchDocuments &&
               (batch.empty() || bytes + parsed_.front().bytes <= kBatchBytes)) {
          bytes += parsed_.front().bytes;
          batch.push_back(std::move(parsed_.front()));
          parsed_.pop_front();
        }
      }
      std::vector<grpc::Status> statuses(batch.size());
      std::vector<v1::IngestDocumentResponse> responses(batch.size());
      if (context_->IsCancelled()) {
        // Nobody will read the answer: store nothing more.
        for (grpc::Status& s : statuses) s = grpc::Status(grpc::StatusCode::CANCELLED, "the call was cancelled");
      } else {
        std::vector<StoreItem> items;
        items.reserve(batch.size());
        for (Parsed& p : batch) items.push_back(StoreItem{&p.document, p.request_id});
        std::vector<StoreResult> stored = service_->store()->StoreBatch(items);
        for (size_t k = 0; k < batch.size(); ++k) {
          statuses[k] = RecordStored(stored[k], batch[k].request_id, context_, &responses[k]);
        }
      }
      bool read_more = false;
      {
        std::lock_guard<std::mutex> lock(mu_);
        for (size_t k = 0; k < batch.size(); ++k) {
          if (statuses[k].ok()) *results_[static_cast<size_t>(batch[k].index)].mutable_response() = std::move(responses[k]);
          SetStatusLocked(batch[k].index, statuses[k]);
          buffered_documents_ -= 1;
          buffered_bytes_ -= batch[k].bytes;
        }
        read_more = ReadMoreLocked();
      }
      if (read_more) StartRead(&request_);
    }
    if (finish) FinishNow();
  }

  // Called once, when nothing else touches the reactor any more.
  void FinishNow() {
    for (v1::IngestDocumentResult& r : results_) {
      if (r.status().code() != 0) {
        response_->set_failed_count(response_->failed_count() + 1);
      } else if (r.response().created()) {
        response_->set_created_count(response_->created_count() + 1);
      } else {
        response_->set_existing_count(response_->existing_count() + 1);
      }
      *response_->add_results() = std::move(r);
    }
    results_.clear();
    Finish(context_->IsCancelled() ? grpc::Status::CANCELLED : grpc::Status::OK);
  }

  IngestServiceImpl* service_;
  grpc::CallbackServerContext* context_;
  v1::IngestDocumentsResponse* response_;
  v1::IngestDocumentsRequest request_;  // the read in flight (at most one)

  std::mutex mu_;
  std::vector<v1::IngestDocumentResult> results_;  // one per document read, by index
  std::deque<Unparsed> unparsed_;
  std::deque<Parsed> parsed_;
  size_t buffered_documents_ = 0;  // read and not yet answered
  size_t buffered_bytes_ = 0;
  bool reading_ = false, reads_done_ = false, parsing_ = false, storing_ = false, finished_ = false;
};

}  // namespace

grpc::Status RecordStored(const StoreResult& result, const std::string& request_id,
                          const grpc::ServerContextBase* context, v1::IngestDocumentResponse* response) {
  MetricsRegistry::Counter* ingested = ServiceMetrics::Get().documents_ingested;
  grpc::Status status;
  if (result.error) {
    try {
      std::rethrow_exception(result.error);
    } catch (const std::exception& e) {
      status = DatabaseErrorStatus(e);
    }
  } else if (!result.outcome.ok()) {
    status = ToGrpcStatus(result.outcome.status());
  }
  if (!status.ok()) {
    ingested->Inc({"failed"});
    return status;
  }
  const StoreOutcome& outcome = *result.outcome;
  response->set_document_id(outcome.document_id);
  response->set_name("documents/" + outcome.document_id);
  response->set_created(outcome.created);
  *response->mutable_stats() = outcome.stats;
  ingested->Inc({outcome.created ? "created" : "existing"});
  Log("info", "ingested", {{"document_id", outcome.document_id},
                           {"created", outcome.created ? "true" : "false"},
                           {"initiatives", std::to_string(outcome.stats.initiative_count())},
                           {"request_id", context ? RequestIdOf(context) : ""},
                           {"idempotency_key", request_id}});
  return status;
}

grpc::Status IngestServiceImpl::IngestOne(const v1::DocumentSource& source, const std::string& request_id,
                                          v1::IngestDocumentResponse* response,
                                          const grpc::ServerContextBase* context) {
  absl::StatusOr<v1::Document> doc = parser::ParseDocument(source, limits_);
  if (!doc.ok()) {
    ServiceMetrics::Get().documents_ingested->Inc({"failed"});
    return ToGrpcStatus(doc.status());
  }
  std::vector<StoreResult> stored = store_->StoreBatch({StoreItem{&*doc, request_id}});
  return RecordStored(stored[0], request_id, context, response);
}

grpc::ServerUnaryReactor* IngestServiceImpl::IngestDocument(grpc::CallbackServerContext* context,
                                                            const v1::IngestDocumentRequest* request,
                                                            v1::IngestDocumentResponse* response) {
  return FinishOnExecutor(context, executor_.get(), [this, context, request, response] {
    grpc::Status status = ValidateSource(*request);
    if (status.ok()) status = IngestOne(request->source(), request->request_id(), response, context);
    return status;
  });
}

grpc::ServerReadReactor<v1::IngestDocumentsRequest>* IngestServiceImpl::IngestDocuments(
    grpc::CallbackServerContext* context, v1::IngestDocumentsResponse* response) {
  return new BulkIngestReactor(this, context, response);
}

grpc::ServerUnaryReactor* IngestServiceImpl::ParseDocument(grpc::CallbackServerContext* context,
                                                           const v1::ParseDocumentRequest* request,
                                                           v1::ParseDocumentResponse* response) {
  return FinishOnExecutor(context, executor_.get(), [this, request, response] {
    if (!request->has_source()) return InvalidArgument("source", "is required");
    absl::StatusOr<v1::Document> doc = parser::ParseDocument(request->source(), limits_);
    if (doc.ok()) *response->mutable_document() = std::move(*doc);
    return ToGrpcStatus(doc.status());
  });
}

}  // namespace pledgebook::ingest
