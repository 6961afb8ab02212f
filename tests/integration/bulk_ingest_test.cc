// IngestDocuments stores documents in batches (one transaction per batch):
// the guarantees a caller sees must not depend on how documents fall into
// batches. Per-document results in stream order; a bad document fails
// alone; duplicates inside one stream or batch and concurrent streams of
// the same documents store each content once; a repeated request_id is
// replayed; ingest_sequence follows the stream's order; a batch the
// database refuses is stored again document by document.
#include <atomic>
#include <map>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "common/db_pool.h"
#include "parser/parse_document.h"
#include "store/document_store.h"
#include "support/test_environment.h"

namespace {

namespace v1 = ::pledgebook::v1;
using pledgebook::testing::ContextWithDeadline;
using pledgebook::testing::ReadFixture;
using pledgebook::testing::Services;

// A distinct document per k (the fixture with a paragraph of its own).
std::string Variant(int k, const std::string& marker = "") {
  return "Variant " + std::to_string(k) + " of the dialogue fact sheet" + marker + ".\n\n" +
         ReadFixture("hled-2022-factsheet.txt");
}

v1::DocumentSource Source(const std::string& text) {
  v1::DocumentSource s;
  s.set_content(text);
  s.set_content_type("text/plain");
  return s;
}

long long Count(const std::string& sql) {
  pqxx::read_transaction tx(Services::Get().Db());
  return tx.exec(sql)[0][0].as<long long>();
}

struct Sent {
  std::string text;        // empty: a request without a source
  std::string request_id;  // optional
};

v1::IngestDocumentsResponse SendStream(const std::vector<Sent>& docs) {
  auto context = ContextWithDeadline(60);
  v1::IngestDocumentsResponse response;
  auto writer = Services::Get().Ingest()->IngestDocuments(context.get(), &response);
  for (const Sent& d : docs) {
    v1::IngestDocumentsRequest r;
    if (!d.text.empty()) *r.mutable_source() = Source(d.text);
    r.set_request_id(d.request_id);
    EXPECT_TRUE(writer->Write(r));
  }
  writer->WritesDone();
  grpc::Status status = writer->Finish();
  EXPECT_TRUE(status.ok()) << status.error_message();
  return response;
}

TEST(BulkIngestTest, ResultsInOrderBadDocumentsFailAloneDuplicatesStoredOnce) {
  std::vector<Sent> docs;
  for (int k = 0; k < 150; ++k) docs.push_back({Variant(k), "bulk-" + std::to_string(k)});
  docs[7] = {"\xff\xfe not UTF-8", "bulk-bad"};   // parse error
  docs[30] = {"", "bulk-nosource"};              // no source
  docs[40] = {Variant(3), "bulk-dup-content"};   // same content as #3, new request id
  docs[41] = {Variant(12), "bulk-12"};           // same request id (and content) as #12: replayed
  docs[99] = {Variant(98), ""};                  // same content as #98, no request id
  v1::IngestDocumentsResponse r = SendStream(docs);
  ASSERT_EQ(r.results_size(), 150);
  for (int k = 0; k < 150; ++k) {
    const v1::IngestDocumentResult& res = r.results(k);
    EXPECT_EQ(res.index(), k);
    EXPECT_EQ(res.request_id(), docs[static_cast<size_t>(k)].request_id);
    if (k == 7 || k == 30) {
      EXPECT_EQ(res.status().code(), static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT)) << k;
      EXPECT_FALSE(res.has_response());
      continue;
    }
    EXPECT_EQ(res.status().code(), 0) << k << ": " << res.status().message();
    const bool duplicate = k == 40 || k == 99;
    EXPECT_EQ(res.response().created(), !duplicate) << k;  // #41 replays #12's "created"
    EXPECT_EQ(res.response().stats().initiative_count(), 20) << k;
  }
  EXPECT_EQ(r.results(40).response().document_id(), r.results(3).response().document_id());
  EXPECT_EQ(r.results(41).response().document_id(), r.results(12).response().document_id());
  EXPECT_EQ(r.results(99).response().document_id(), r.results(98).response().document_id());
  EXPECT_EQ(r.failed_count(), 2);
  EXPECT_EQ(r.existing_count(), 2);
  EXPECT_EQ(r.created_count(), 146);  // 150 − 2 failed − 2 duplicates (#41 counts as created: replayed)
  EXPECT_EQ(Count("SELECT count(*) FROM documents"), 145);
  EXPECT_EQ(Count("SELECT count(*) FROM initiatives"), 145 * 20);
  EXPECT_EQ(Count("SELECT count(*) FROM documents WHERE ingest_sequence IS NULL"), 0);
  // One idempotency row per distinct request id that stored something.
  EXPECT_EQ(Count("SELECT count(*) FROM ingest_requests"), 146);
  EXPECT_EQ(Count("SELECT count(DISTINCT document_id) FROM ingest_requests"), 145);
  // ingest_sequence follows the stream's order.
  std::map<long long, std::string> by_sequence;
  {
    pqxx::read_transaction tx(Services::Get().Db());
    for (const auto& row : tx.exec("SELECT ingest_sequence, document_id FROM documents")) {
      by_sequence[row[0].as<long long>()] = row[1].as<std::string>();
    }
  }
  std::vector<std::string> in_stream_order;
  for (int k = 0; k < 150; ++k) {
    const auto& res = r.results(k);
    if (res.status().code() == 0 && res.response().created() && k != 41) {
      in_stream_order.push_back(res.response().document_id());
    }
  }
  std::vector<std::string> in_sequence_order;
  for (const auto& [seq, id] : by_sequence) in_sequence_order.push_back(id);
  EXPECT_EQ(in_sequence_order, in_stream_order);

  // The whole stream again: every result is the earlier one, nothing new.
  v1::IngestDocumentsResponse again = SendStream(docs);
  EXPECT_EQ(again.failed_count(), 2);
  for (int k = 0; k < 150; ++k) {
    if (k == 7 || k == 30) continue;
    EXPECT_EQ(again.results(k).response().document_id(), r.results(k).response().document_id()) << k;
  }
  EXPECT_EQ(Count("SELECT count(*) FROM documents"), 145);
}

TEST(BulkIngestTest, ConcurrentStreamsOfTheSameDocumentsStoreEachOnce) {
  constexpr int kDocs = 80, kStreams = 4;
  std::vector<Sent> docs;
  for (int k = 0; k < kDocs; ++k) docs.push_back({Variant(1000 + k), ""});
  std::atomic<int> created{0}, existing{0}, failed{0};
  std::vector<std::thread> threads;
  for (int s = 0; s < kStreams; ++s) {
    threads.emplace_back([&, s] {
      // Each stream in another order, so batches overlap differently.
      std::vector<Sent> mine = docs;
      std::rotate(mine.begin(), mine.begin() + s * kDocs / kStreams, mine.end());
      if (s % 2) std::reverse(mine.begin(), mine.end());
      v1::IngestDocumentsResponse r = SendStream(mine);
      created += r.created_count();
      existing += r.existing_count();
      failed += r.failed_count();
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(created.load(), kDocs);
  EXPECT_EQ(existing.load(), kDocs * (kStreams - 1));
  EXPECT_EQ(Count("SELECT count(*) FROM documents"), kDocs);
  EXPECT_EQ(Count("SELECT count(*) FROM initiatives"), kDocs * 20);
  EXPECT_EQ(Count("SELECT count(DISTINCT ingest_sequence) FROM documents"), kDocs);
}

// A client that cancels mid-stream: the call ends CANCELLED, what was
// stored is whole, and the service goes on serving.
TEST(BulkIngestTest, ACancelledStreamEndsAndLeavesWholeDocuments) {
  for (int round = 0; round < 3; ++round) {
    auto context = ContextWithDeadline(60);
    v1::IngestDocumentsResponse response;
    auto writer = Services::Get().Ingest()->IngestDocuments(context.get(), &response);
    for (int k = 0; k < 60; ++k) {
      v1::IngestDocumentsRequest r;
      *r.mutable_source() = Source(Variant(3000 + round * 100 + k));
      if (!writer->Write(r)) break;
    }
    context->TryCancel();
    grpc::Status status = writer->Finish();
    EXPECT_EQ(status.error_code(), grpc::StatusCode::CANCELLED) << status.error_message();
  }
  v1::IngestDocumentsResponse after = SendStream({{Variant(3999), ""}});
  EXPECT_EQ(after.failed_count(), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM documents d WHERE initiative_count <>"
                  " (SELECT count(*) FROM initiatives i WHERE i.document_id = d.id)"),
            0);
}

// A batch the database refuses (here a trigger refuses one document) is
// stored again document by document: only the refused one fails.
TEST(BulkIngestTest, ARefusedBatchIsStoredDocumentByDocument) {
  {
    pqxx::work tx(Services::Get().Db());
    tx.exec(
        "CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
        " IF NEW.normalized_text LIKE '%POISON%' THEN RAISE EXCEPTION 'poisoned document'; END IF;"
        " RETURN NEW; END $$");
    tx.exec("CREATE TRIGGER refuse_poison BEFORE INSERT ON documents FOR EACH ROW EXECUTE FUNCTION refuse_poison()");
    tx.commit();
  }
  pledgebook::ConnectionPool pool(Services::Get().database_url(), 1);
  pledgebook::ingest::DocumentStore store(&pool);
  std::vector<v1::Document> parsed;
  for (int k = 0; k < 6; ++k) {
    auto doc = pledgebook::parser::ParseDocument(Source(Variant(2000 + k, k == 2 ? " POISON" : "")));
    ASSERT_TRUE(doc.ok()) << doc.status();
    parsed.push_back(std::move(*doc));
  }
  parsed.push_back(parsed[4]);  // a duplicate inside the batch
  std::vector<pledgebook::ingest::StoreItem> items;
  for (size_t k = 0; k < parsed.size(); ++k) items.push_back({&parsed[k], "poison-" + std::to_string(k)});
  std::vector<pledgebook::ingest::StoreResult> results = store.StoreBatch(items);
  ASSERT_EQ(results.size(), 7u);
  for (size_t k = 0; k < results.size(); ++k) {
    if (k == 2) {
      EXPECT_TRUE(results[k].error != nullptr) << "the poisoned document did not fail";
      continue;
    }
    EXPECT_EQ(results[k].error, nullptr) << k;
    ASSERT_TRUE(results[k].outcome.ok()) << k << ": " << results[k].outcome.status();
    EXPECT_EQ(results[k].outcome->created, k != 6) << k;
    EXPECT_EQ(results[k].outcome->document_id, parsed[k].document_id());
  }
  EXPECT_EQ(Count("SELECT count(*) FROM documents"), 5);
  EXPECT_EQ(Count("SELECT count(*) FROM initiatives"), 5 * 20);
  EXPECT_EQ(Count("SELECT count(*) FROM ingest_requests WHERE request_id LIKE 'poison-%'"), 6);
  // And the documents of the batch are whole: every child row is there.
  EXPECT_EQ(Count("SELECT count(*) FROM documents d WHERE initiative_count <>"
                  " (SELECT count(*) FROM initiatives i WHERE i.document_id = d.id)"),
            0);
}

}  // namespace
