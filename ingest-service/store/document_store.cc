#include "document_store.h"

#include <pqxx/pqxx>

#include <optional>
#include <tuple>
#include <vector>

#include "common/money_text.h"
#include "copy_format.h"

namespace pledgebook::ingest {
namespace {

namespace v1 = ::pledgebook::v1;

// Serializes commits that take an ingest sequence number, so sequence order
// equals commit order and a watcher never skips a late committer.
constexpr long long kIngestSequenceLockKey = 0x706c6467626b02;

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

const char* OrNull(const std::optional<std::string>& s) { return s ? s->c_str() : nullptr; }

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

void WriteSections(pqxx::work& tx, long long doc, const v1::Document& d) {
  pqxx::stream_to out(tx, "sections",
                      std::vector<std::string>{"document_id", "section_index", "heading", "intro", "record"});
  for (const v1::Section& s : d.sections()) {
    v1::Section shell = s;
    shell.clear_initiatives();
    out << std::make_tuple(doc, s.index(), s.heading(), s.intro(), ToPgByteaHex(shell.SerializeAsString()));
  }
  out.complete();
}

void WriteInitiatives(pqxx::work& tx, long long doc, const v1::Document& d) {
  pqxx::stream_to out(tx, "initiatives",
                      std::vector<std::string>{"document_id", "initiative_index", "section_index", "kind",
                                               "depth", "text", "has_funding", "record"});
  ForEachInitiative(d, [&](const v1::Initiative& i) {
    out << std::make_tuple(doc, i.index(), i.section_index(), static_cast<int>(i.kind()), i.depth(),
                           i.text(), i.money_size() > 0 ? "t" : "f", ToPgByteaHex(i.SerializeAsString()));
  });
  out.complete();
}

void WriteMentions(pqxx::work& tx, long long doc, const v1::Document& d) {
  {
    pqxx::stream_to out(
        tx, "money_mentions",
        std::vector<std::string>{"document_id", "mention_index", "initiative_index", "section_index", "surface",
                                 "span_start", "span_end", "currency_code", "amount", "amount_high",
                                 "qualifier", "stage", "role", "rate", "funders", "funder_countries",
                                 "recipient", "period_start", "period_end", "related_mention"});
    ForEachInitiative(d, [&](const v1::Initiative& i) {
      for (const v1::MoneyMention& m : i.money()) {
        std::vector<std::string> funders, countries;
        for (const v1::Actor& a : m.funders()) {
          funders.push_back(a.acronym().empty() ? a.name() : a.acronym());
          countries.push_back(a.country_code());
        }
        std::optional<std::string> high;
        if (m.has_amount_high()) high = MoneyToDecimal(m.amount_high());
        std::optional<std::string> related;
        if (m.related_mention() >= 0) related = std::to_string(m.related_mention());
        out << std::make_tuple(doc, m.index(), i.index(), i.section_index(), m.text(), m.span().start(),
                               m.span().end(), m.amount().currency_code(), MoneyToDecimal(m.amount()),
                               OrNull(high), static_cast<int>(m.qualifier()), static_cast<int>(m.stage()),
                               static_cast<int>(m.role()), static_cast<int>(m.rate()), ToPgTextArray(funders),
                               ToPgTextArray(countries), m.recipient(),
                               OrNull(DateText(m.period().start())), OrNull(PeriodEndText(m.period().end())),
                               OrNull(related));
      }
    });
    out.complete();
  }
  {
    pqxx::stream_to orgs(tx, "organization_mentions",
                         std::vector<std::string>{"document_id", "initiative_index", "ordinal", "name", "acronym",
                                                  "country_code"});
    ForEachInitiative(d, [&](const v1::Initiative& i) {
      for (int k = 0; k < i.organizations_size(); ++k) {
        const auto& o = i.organizations(k);
        orgs << std::make_tuple(doc, i.index(), k, o.name(), o.acronym(), o.country_code());
      }
    });
    orgs.complete();
  }
  {
    pqxx::stream_to dates(tx, "date_mentions",
                          std::vector<std::string>{"document_id", "initiative_index", "ordinal", "start_date",
                                                   "end_date", "kind"});
    ForEachInitiative(d, [&](const v1::Initiative& i) {
      for (int k = 0; k < i.dates_size(); ++k) {
        const auto& date = i.dates(k);
        std::optional<std::string> start = DateText(date.period().start());
        std::optional<std::string> end = PeriodEndText(date.period().end());
        if (!start || !end) continue;
        dates << std::make_tuple(doc, i.index(), k, *start, *end, static_cast<int>(date.kind()));
      }
    });
    dates.complete();
  }
  {
    pqxx::stream_to places(tx, "place_mentions",
                           std::vector<std::string>{"document_id", "initiative_index", "ordinal", "name", "kind",
                                                    "country_code"});
    ForEachInitiative(d, [&](const v1::Initiative& i) {
      for (int k = 0; k < i.places_size(); ++k) {
        const auto& p = i.places(k);
        places << std::make_tuple(doc, i.index(), k, p.name(), static_cast<int>(p.kind()), p.country_code());
      }
    });
    places.complete();
  }
}

}  // namespace

absl::StatusOr<StoreOutcome> DocumentStore::Store(const v1::Document& d, const std::string& request_id) {
  absl::StatusOr<ConnectionPool::Lease> lease = pool_->Acquire();
  if (!lease.ok()) return lease.status();
  pqxx::connection& conn = **lease;
  try {
    pqxx::work tx(conn);
    if (!request_id.empty()) {
      pqxx::result earlier = tx.exec_params(
          "SELECT d.document_id, d.section_count, d.initiative_count, d.money_count, r.created "
          "FROM ingest_requests r JOIN documents d ON d.id = r.document_id WHERE r.request_id = $1",
          request_id);
      if (!earlier.empty()) {
        StoreOutcome out = OutcomeFromRow(earlier[0]);
        out.created = earlier[0]["created"].as<bool>();
        return out;
      }
    }
    v1::Section preamble = d.preamble();
    preamble.clear_initiatives();
    std::vector<std::string> warnings(d.warnings().begin(), d.warnings().end());
    pqxx::result inserted = tx.exec_params(
        "INSERT INTO documents (document_id, content_sha256, title, publisher, published_date, source_uri,"
        " format, parser_version, normalized_text, preamble, warnings, section_count, initiative_count,"
        " money_count) VALUES ($1, $2, $3, $4, $5::date, $6, $7, $8, $9, $10, $11::text[], $12, $13, $14)"
        // Both unique keys derive from the content hash: either conflict
        // means "already stored" (a concurrent insert waits for the other
        // transaction, then lands here).
        " ON CONFLICT DO NOTHING RETURNING id",
        d.document_id(), d.content_sha256(), d.title(), d.publisher(), OrNull(DateText(d.published_date())),
        d.source_uri(), static_cast<int>(d.format()), d.parser_version(), d.normalized_text(),
        pqxx::binarystring(preamble.SerializeAsString()), ToPgTextArray(warnings), d.stats().section_count(),
        d.stats().initiative_count(), d.stats().money_mention_count());

    long long id = 0;
    StoreOutcome out;
    if (inserted.empty()) {
      // Already stored (possibly by a concurrent ingest that just committed).
      pqxx::result existing = tx.exec_params(
          "SELECT id, document_id, section_count, initiative_count, money_count FROM documents"
          " WHERE content_sha256 = $1",
          d.content_sha256());
      if (existing.empty()) {
        return absl::InternalError("document id " + d.document_id() + " is taken by different content");
      }
      id = existing[0]["id"].as<long long>();
      out = OutcomeFromRow(existing[0]);
      out.created = false;
    } else {
      id = inserted[0][0].as<long long>();
      WriteSections(tx, id, d);
      WriteInitiatives(tx, id, d);
      WriteMentions(tx, id, d);
      tx.exec_params("SELECT pg_advisory_xact_lock($1)", kIngestSequenceLockKey);
      tx.exec_params("UPDATE documents SET ingest_sequence = nextval('ingest_sequence') WHERE id = $1", id);
      out.document_id = d.document_id();
      out.stats = d.stats();
      out.created = true;
    }
    if (!request_id.empty()) {
      tx.exec_params(
          "INSERT INTO ingest_requests (request_id, document_id, created) VALUES ($1, $2, $3)"
          " ON CONFLICT (request_id) DO NOTHING",
          request_id, id, out.created);
    }
    tx.commit();
    return out;
  } catch (const pqxx::broken_connection& e) {
    lease->Discard();
    return absl::UnavailableError(std::string("database connection lost: ") + e.what());
  } catch (const pqxx::in_doubt_error& e) {
    lease->Discard();
    return absl::UnavailableError(std::string("commit outcome unknown; retry with the same request_id: ") +
                                  e.what());
  }
}

}  // namespace pledgebook::ingest
