#include "document_store.h"

#include <pqxx/pqxx>
#include <pqxx/tablewriter>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include "common/logging.h"
#include "common/money_text.h"
#include "copy_format.h"

namespace pledgebook::ingest {
namespace {

namespace v1 = ::pledgebook::v1;

// Serializes commits that take an ingest sequence number, so sequence order
// equals commit order and a watcher never skips a late committer.
constexpr long long kIngestSequenceLockKey = 0x706c6467626b02;
// Class of the per-content advisory locks (the two-integer form: a key space
// of its own).
constexpr int kContentLockClass = 0x706c6403;

std::optional<std::string> DateText(const google::type::Date& d) {
  if (d.year() == 0) return std::nullopt;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year(), d.month() == 0 ? 1 : d.month(),
                d.day() == 0 ? 1 : d.day());
  return std::string(buf);
}

// A period's last day: a year-only end means 31 December, a month-only end
// the month's last day.
std::optional<std::string> PeriodEndText(const google::type::Date& d) {
  if (d.year() == 0) return std::nullopt;
  char buf[16];
  if (d.month() == 0) {
    std::snprintf(buf, sizeof buf, "%04d-12-31", d.year());
    return std::string(buf);
  }
  if (d.day() == 0) {
    static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (d.year() % 4 == 0 && d.year() % 100 != 0) || d.year() % 400 == 0;
    const int last = d.month() == 2 && leap ? 29 : kDays[(d.month() - 1) % 12];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year(), d.month(), last);
    return std::string(buf);
  }
  return DateText(d);
}

// Every initiative of the document in order: the preamble's, then each
// section's.
template <typename Fn>
void ForEachInitiative(const v1::Document& d, Fn fn) {
  for (const v1::Initiative& i : d.preamble().initiatives()) fn(i);
  for (const v1::Section& s : d.sections()) {
    for (const v1::Initiative& i : s.initiatives()) fn(i);
  }
}

StoreOutcome OutcomeFromRow(const pqxx::row& row) {
  StoreOutcome out;
  out.document_id = row["document_id"].as<std::string>();
  out.stats.set_section_count(row["section_count"].as<int>());
  out.stats.set_initiative_count(row["initiative_count"].as<int>());
  out.stats.set_money_mention_count(row["money_count"].as<int>());
  return out;
}

// A per-content advisory lock key (FNV-1a of the hash text: the same in
// every process and every build).
int ContentLockKey(const std::string& content_sha256) {
  uint32_t h = 2166136261u;
  for (unsigned char c : content_sha256) {
    h ^= c;
    h *= 16777619u;
  }
  return static_cast<int>(h);
}

std::string IntArray(const std::vector<long long>& values) {
  std::string out = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out.push_back(',');
    out += std::to_string(values[i]);
  }
  out.push_back('}');
  return out;
}

// Serializes a section without its initiatives (they are stored one row
// each), without copying them: they are set aside for the call.
std::string SectionShellBytes(v1::Section* s) {
  google::protobuf::RepeatedPtrField<v1::Initiative> initiatives;
  initiatives.Swap(s->mutable_initiatives());
  std::string bytes = s->SerializeAsString();
  initiatives.Swap(s->mutable_initiatives());
  return bytes;
}

// The COPY buffers of one batch: every child row of every new document.
struct ChildRows {
  CopyRows sections, initiatives, money, organizations, dates, places;
};

void AppendChildren(long long doc, v1::Document* d, ChildRows* rows) {
  for (v1::Section& s : *d->mutable_sections()) {
    rows->sections.Int(doc).Int(s.index()).Text(s.heading()).Text(s.intro()).Bytea(SectionShellBytes(&s));
    rows->sections.EndRow();
  }
  ForEachInitiative(*d, [&](const v1::Initiative& i) {
    rows->initiatives.Int(doc).Int(i.index()).Int(i.section_index()).Int(static_cast<int>(i.kind())).Int(i.depth());
    rows->initiatives.Text(i.text()).Bool(i.money_size() > 0).Bytea(i.SerializeAsString());
    rows->initiatives.EndRow();
    for (const v1::MoneyMention& m : i.money()) {
      std::vector<std::string> funders, countries;
      for (const v1::Actor& a : m.funders()) {
        funders.push_back(a.acronym().empty() ? a.name() : a.acronym());
        countries.push_back(a.country_code());
      }
      CopyRows& r = rows->money;
      r.Int(doc).Int(m.index()).Int(i.index()).Int(i.section_index()).Text(m.text()).Int(m.span().start());
      r.Int(m.span().end()).Text(m.amount().currency_code()).Text(MoneyToDecimal(m.amount()));
      if (m.has_amount_high()) {
        r.Text(MoneyToDecimal(m.amount_high()));
      } else {
        r.Null();
      }
      r.Int(static_cast<int>(m.qualifier())).Int(static_cast<int>(m.stage())).Int(static_cast<int>(m.role()));
      r.Int(static_cast<int>(m.rate())).TextArray(funders).TextArray(countries).Text(m.recipient());
      r.OptText(DateText(m.period().start())).OptText(PeriodEndText(m.period().end()));
      if (m.related_mention() >= 0) {
        r.Int(m.related_mention());
      } else {
        r.Null();
      }
      r.EndRow();
    }
    for (int k = 0; k < i.organizations_size(); ++k) {
      const auto& o = i.organizations(k);
      rows->organizations.Int(doc).Int(i.index()).Int(k).Text(o.name()).Text(o.acronym()).Text(o.country_code());
      rows->organizations.EndRow();
    }
    for (int k = 0; k < i.dates_size(); ++k) {
      const auto& date = i.dates(k);
      std::optional<std::string> start = DateText(date.period().start());
      std::optional<std::string> end = PeriodEndText(date.period().end());
      if (!start || !end) continue;
      rows->dates.Int(doc).Int(i.index()).Int(k).Text(*start).Text(*end).Int(static_cast<int>(date.kind()));
      rows->dates.EndRow();
    }
    for (int k = 0; k < i.places_size(); ++k) {
      const auto& p = i.places(k);
      rows->places.Int(doc).Int(i.index()).Int(k).Text(p.name()).Int(static_cast<int>(p.kind())).Text(p.country_code());
      rows->places.EndRow();
    }
  });
}

// The `documents` row of a new document, every column after
// ingest_sequence (see kDocumentColumns), newline included.
std::string DocumentRowTail(long long id, v1::Document* d) {
  std::vector<std::string> warnings(d->warnings().begin(), d->warnings().end());
  CopyRows r;
  r.Int(id).Text(d->document_id()).Text(d->content_sha256()).Text(d->title()).Text(d->publisher());
  r.OptText(DateText(d->published_date())).Text(d->source_uri()).Int(static_cast<int>(d->format()));
  r.Text(d->parser_version()).Text(d->normalized_text()).Bytea(SectionShellBytes(d->mutable_preamble()));
  r.TextArray(warnings).Int(d->stats().section_count()).Int(d->stats().initiative_count());
  r.Int(d->stats().money_mention_count());
  r.EndRow();
  return r.data();
}

const std::vector<std::string> kDocumentColumns = {
    "ingest_sequence", "id", "document_id", "content_sha256", "title", "publisher", "published_date",
    "source_uri", "format", "parser_version", "normalized_text", "preamble", "warnings", "section_count",
    "initiative_count", "money_count"};

// COPY `data` (whole rows, each ending in a newline) into `table`; nothing
// at all when there is no row. Sent in pieces of about 1 MB.
void Copy(pqxx::work& tx, const std::string& table, const std::vector<std::string>& columns,
          const std::string& data) {
  if (data.empty()) return;
  // tablewriter, deprecated, is the pqxx 6 class that sends a line of COPY
  // text as it is (stream_to escapes every field itself, one row per call).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
  pqxx::tablewriter out(tx, table, columns.begin(), columns.end());
#pragma GCC diagnostic pop
  constexpr size_t kPiece = 1 << 20;
  size_t at = 0;
  while (at < data.size()) {
    size_t end = data.size() - 1;  // the last newline
    if (end - at > kPiece) end = data.find('\n', at + kPiece);
    out.write_raw_line(data.substr(at, end - at));  // adds the newline at `end`
    at = end + 1;
  }
  out.complete();
}

// SQLSTATEs after which the connection is not worth keeping, and which the
// whole batch shares (retrying its documents one by one cannot help).
bool ConnectionLevel(const std::exception& e) {
  if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&e)) {
    const std::string& state = sql->sqlstate();
    return state.rfind("08", 0) == 0 || state == "57P01" || state == "57P02" || state == "57P03";
  }
  return false;
}

// Whether the connection still answers a trivial query.
bool Answers(pqxx::connection& conn) {
  try {
    pqxx::nontransaction probe(conn);
    probe.exec("SELECT 1");
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace

absl::StatusOr<StoreOutcome> DocumentStore::Store(const v1::Document& document, const std::string& request_id) {
  v1::Document copy = document;
  std::vector<StoreResult> results = StoreBatch({StoreItem{&copy, request_id}});
  if (results[0].error) std::rethrow_exception(results[0].error);
  return std::move(results[0].outcome);
}

std::vector<StoreResult> DocumentStore::StoreBatch(const std::vector<StoreItem>& items) {
  std::vector<StoreResult> results(items.size());
  if (items.empty()) return results;
  absl::StatusOr<ConnectionPool::Lease> lease = pool_->Acquire();
  if (!lease.ok()) {
    for (StoreResult& r : results) r.outcome = lease.status();
    return results;
  }
  auto fail_from = [&](size_t first, const absl::Status& status) {
    for (size_t k = first; k < results.size(); ++k) results[k].outcome = status;
  };
  // Whether the failure was the connection's rather than the batch's: a
  // lost or closing connection, or one that no longer answers (pqxx reports
  // a COPY cut off by a dying server as a plain failure).
  auto connection_failed = [&](const std::exception& e) {
    if (dynamic_cast<const pqxx::sql_error*>(&e) != nullptr && !ConnectionLevel(e)) return false;
    return ConnectionLevel(e) || !Answers(**lease);
  };
  auto unavailable = [](const std::exception& e) {
    return absl::UnavailableError(std::string("database connection lost: ") + e.what());
  };
  // Called from a catch block: when the connection (not the batch) failed,
  // fails the documents from `first` on — UNAVAILABLE, retryable with the
  // same request ids — and returns true; any other error is the caller's.
  auto connection_lost = [&](size_t first) -> bool {
    try {
      throw;
    } catch (const pqxx::broken_connection& e) {
      lease->Discard();
      fail_from(first, unavailable(e));
    } catch (const pqxx::in_doubt_error& e) {
      lease->Discard();
      fail_from(first, absl::UnavailableError(std::string("commit outcome unknown; retry with the same request_id: ") +
                                              e.what()));
    } catch (const std::exception& e) {
      if (!connection_failed(e)) return false;
      lease->Discard();
      if (ConnectionLevel(e)) {
        for (size_t j = first; j < results.size(); ++j) results[j].error = std::current_exception();  // with its reason
      } else {
        fail_from(first, unavailable(e));
      }
    }
    return true;
  };
  try {
    return StoreInTransaction(**lease, items);
  } catch (const std::exception& e) {
    if (connection_lost(0)) return results;
    if (items.size() == 1) {
      results[0].error = std::current_exception();
      return results;
    }
    // The database refused something in the batch (or a deadlock, or a
    // race with a writer that takes no content lock): store each document
    // on its own, so only the bad one fails.
    Log("warn", "batch refused; storing its documents one by one",
        {{"documents", std::to_string(items.size())}, {"error", e.what()}});
  }
  for (size_t k = 0; k < items.size(); ++k) {
    try {
      results[k] = std::move(StoreInTransaction(**lease, {items[k]})[0]);
    } catch (const std::exception&) {
      if (connection_lost(k)) return results;
      results[k].error = std::current_exception();
    }
  }
  return results;
}

std::vector<StoreResult> DocumentStore::StoreInTransaction(pqxx::connection& conn,
                                                           const std::vector<StoreItem>& items) {
  const size_t n = items.size();
  std::vector<StoreResult> results(n);
  std::vector<bool> resolved(n, false);
  // Items answered by another item of the batch: the same request_id
  // (replayed: the same outcome) or the same content (already stored).
  std::vector<long> replay_of(n, -1), same_content_as(n, -1);
  std::vector<long long> row_id(n, 0);  // documents.id of each stored item
  pqxx::work tx(conn);

  // 1. Request ids seen before: the earlier outcome, nothing written.
  std::vector<std::string> request_ids;
  std::unordered_map<std::string, size_t> first_with_request_id;
  for (size_t i = 0; i < n; ++i) {
    const std::string& rid = items[i].request_id;
    if (rid.empty()) continue;
    auto [it, inserted] = first_with_request_id.emplace(rid, i);
    if (inserted) {
      request_ids.push_back(rid);
    } else {
      replay_of[i] = static_cast<long>(it->second);
      resolved[i] = true;
    }
  }
  if (!request_ids.empty()) {
    pqxx::result earlier = tx.exec_params(
        "SELECT r.request_id, d.document_id, d.section_count, d.initiative_count, d.money_count, r.created "
        "FROM ingest_requests r JOIN documents d ON d.id = r.document_id WHERE r.request_id = ANY($1::text[])",
        ToPgTextArray(request_ids));
    for (const pqxx::row& row : earlier) {
      const size_t i = first_with_request_id.at(row["request_id"].as<std::string>());
      StoreOutcome out = OutcomeFromRow(row);
      out.created = row["created"].as<bool>();
      results[i].outcome = std::move(out);
      resolved[i] = true;
    }
  }

  // 2. The first item of each content is a candidate; later ones get its
  // outcome as "already stored".
  std::vector<size_t> candidates;
  std::unordered_map<std::string, size_t> first_with_content;
  std::unordered_map<std::string, const std::string*> content_of_id;
  for (size_t i = 0; i < n; ++i) {
    if (resolved[i]) continue;
    const v1::Document& d = *items[i].document;
    auto [it, inserted] = first_with_content.emplace(d.content_sha256(), i);
    if (!inserted) {
      same_content_as[i] = static_cast<long>(it->second);
      resolved[i] = true;
      continue;
    }
    auto [id_it, id_new] = content_of_id.emplace(d.document_id(), &d.content_sha256());
    if (!id_new && *id_it->second != d.content_sha256()) {
      results[i].outcome = absl::InternalError("document id " + d.document_id() + " is taken by different content");
      resolved[i] = true;
      continue;
    }
    candidates.push_back(i);
  }

  std::vector<size_t> fresh;  // candidates not stored yet: written now
  if (!candidates.empty()) {
    // 3. Lock each content (in key order, so two batches cannot deadlock):
    // a concurrent ingest of the same content waits here until the first
    // commits, then finds it stored.
    std::vector<long long> keys;
    std::vector<std::string> hashes, ids;
    for (size_t i : candidates) {
      keys.push_back(ContentLockKey(items[i].document->content_sha256()));
      hashes.push_back(items[i].document->content_sha256());
      ids.push_back(items[i].document->document_id());
    }
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    tx.exec_params("SELECT count(pg_advisory_xact_lock($1::integer, k)) FROM unnest($2::integer[]) AS k",
                   kContentLockClass, IntArray(keys));

    // 4. What is stored already (a new statement: it sees what committed
    // while this one waited for the locks).
    pqxx::result existing = tx.exec_params(
        "SELECT id, document_id, content_sha256, section_count, initiative_count, money_count FROM documents"
        " WHERE content_sha256 = ANY($1::text[]) OR document_id = ANY($2::text[])",
        ToPgTextArray(hashes), ToPgTextArray(ids));
    std::unordered_map<std::string, pqxx::row> by_hash, by_id;
    for (const pqxx::row& row : existing) {
      by_hash.emplace(row["content_sha256"].as<std::string>(), row);
      by_id.emplace(row["document_id"].as<std::string>(), row);
    }
    for (size_t i : candidates) {
      const v1::Document& d = *items[i].document;
      if (auto it = by_hash.find(d.content_sha256()); it != by_hash.end()) {
        StoreOutcome out = OutcomeFromRow(it->second);
        out.created = false;
        row_id[i] = it->second["id"].as<long long>();
        results[i].outcome = std::move(out);
      } else if (by_id.count(d.document_id())) {
        results[i].outcome = absl::InternalError("document id " + d.document_id() + " is taken by different content");
      } else {
        fresh.push_back(i);
      }
    }
  }

  std::vector<std::string> document_rows;
  if (!fresh.empty()) {
    // 5. Ids for the new rows, then every child row by COPY, one per table
    // (the children's keys are checked at commit: migration 0004).
    pqxx::result allocated = tx.exec_params(
        "SELECT nextval(pg_get_serial_sequence('documents', 'id')::regclass) FROM generate_series(1, $1::integer)",
        static_cast<int>(fresh.size()));
    ChildRows rows;
    for (size_t k = 0; k < fresh.size(); ++k) {
      const size_t i = fresh[k];
      row_id[i] = allocated[static_cast<pqxx::result::size_type>(k)][0].as<long long>();
      AppendChildren(row_id[i], items[i].document, &rows);
      document_rows.push_back(DocumentRowTail(row_id[i], items[i].document));
      StoreOutcome out;
      out.document_id = items[i].document->document_id();
      out.stats = items[i].document->stats();
      out.created = true;
      results[i].outcome = std::move(out);
    }
    Copy(tx, "sections", {"document_id", "section_index", "heading", "intro", "record"}, rows.sections.data());
    Copy(tx, "initiatives",
         {"document_id", "initiative_index", "section_index", "kind", "depth", "text", "has_funding", "record"},
         rows.initiatives.data());
    Copy(tx, "money_mentions",
         {"document_id", "mention_index", "initiative_index", "section_index", "surface", "span_start", "span_end",
          "currency_code", "amount", "amount_high", "qualifier", "stage", "role", "rate", "funders",
          "funder_countries", "recipient", "period_start", "period_end", "related_mention"},
         rows.money.data());
    Copy(tx, "organization_mentions",
         {"document_id", "initiative_index", "ordinal", "name", "acronym", "country_code"}, rows.organizations.data());
    Copy(tx, "date_mentions", {"document_id", "initiative_index", "ordinal", "start_date", "end_date", "kind"},
         rows.dates.data());
    Copy(tx, "place_mentions", {"document_id", "initiative_index", "ordinal", "name", "kind", "country_code"},
         rows.places.data());
  }

  // The answers that copy another item's.
  for (size_t i = 0; i < n; ++i) {
    if (same_content_as[i] < 0) continue;
    const size_t first = static_cast<size_t>(same_content_as[i]);
    results[i].outcome = results[first].outcome;
    if (results[i].outcome.ok()) results[i].outcome->created = false;
    row_id[i] = row_id[first];
  }

  // 6. Idempotency keys (their key to documents is checked at commit too).
  std::vector<std::string> key_ids, key_created;
  std::vector<long long> key_rows;
  for (size_t i = 0; i < n; ++i) {
    if (items[i].request_id.empty() || replay_of[i] >= 0 || row_id[i] == 0 || !results[i].outcome.ok()) continue;
    key_ids.push_back(items[i].request_id);
    key_rows.push_back(row_id[i]);
    key_created.push_back(results[i].outcome->created ? "t" : "f");
  }
  if (!key_ids.empty()) {
    // In key order: two batches sharing request ids cannot deadlock.
    tx.exec_params(
        "INSERT INTO ingest_requests (request_id, document_id, created)"
        " SELECT * FROM unnest($1::text[], $2::bigint[], $3::boolean[]) ORDER BY 1"
        " ON CONFLICT (request_id) DO NOTHING",
        ToPgTextArray(key_ids), IntArray(key_rows), ToPgTextArray(key_created));
  }

  if (!fresh.empty()) {
    // 7. Last, under the lock held until commit: the sequence numbers, in
    // batch order, and the documents rows carrying them. Sequence order is
    // commit order, so a watcher never sees N+1 before N.
    tx.exec_params("SELECT pg_advisory_xact_lock($1)", kIngestSequenceLockKey);
    pqxx::result sequence = tx.exec_params(
        "SELECT nextval('ingest_sequence') FROM generate_series(1, $1::integer)", static_cast<int>(fresh.size()));
    std::vector<long long> numbers;
    for (const pqxx::row& row : sequence) numbers.push_back(row[0].as<long long>());
    std::sort(numbers.begin(), numbers.end());
    std::string data;
    for (size_t k = 0; k < fresh.size(); ++k) {
      data += std::to_string(numbers[k]);
      data.push_back('\t');
      data += document_rows[k];
    }
    Copy(tx, "documents", kDocumentColumns, data);
  }
  tx.commit();

  for (size_t i = 0; i < n; ++i) {
    if (replay_of[i] >= 0) results[i] = results[static_cast<size_t>(replay_of[i])];
  }
  return results;
}

}  // namespace pledgebook::ingest
