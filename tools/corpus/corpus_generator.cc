#include "corpus_generator.h"

#include <cstdio>

namespace pledgebook::tools {
namespace {

struct Agency {
  const char* name;
  const char* acronym;
  const char* country;
};

// Funders: agencies are introduced with their acronym, then used by it.
constexpr Agency kAgencies[] = {
    {"Environmental Protection Agency", "EPA", "US"},
    {"U.S. Agency for International Development", "USAID", "US"},
    {"Millennium Challenge Corporation", "MCC", "US"},
    {"Economic Development Administration", "EDA", "US"},
    {"Japan International Cooperation Agency", "JICA", "JP"},
    {"National Water Commission", "CONAGUA", "MX"},
};

struct Country {
  const char* name;
  const char* code;
  const char* currency;
  const char* symbol;
};

constexpr Country kCountries[] = {
    {"Germany", "DE", "EUR", "€"},
    {"France", "FR", "EUR", "€"},
    {"Canada", "CA", "CAD", "C$"},
    {"Japan", "JP", "USD", "$"},
    {"Mexico", "MX", "USD", "$"},
};

constexpr const char* kPurposes[] = {
    "clean water projects", "rural broadband", "vaccine delivery", "port modernization",
    "wildfire resilience", "small business lending", "coastal restoration", "workforce training",
};

constexpr const char* kPlaces[] = {"Texas", "Oaxaca", "Kenya", "Ohio", "Peru", "Ghana", "Vermont", "Chiapas"};

constexpr const char* kMonths[] = {"January", "February", "March", "April", "May", "June",
                                   "July", "August", "September", "October", "November", "December"};

std::string Dollars(int64_t millions) { return std::to_string(millions) + " million"; }

}  // namespace

uint64_t CorpusGenerator::Random() {
  // xorshift64*: small, fast, identical on every platform.
  state_ ^= state_ >> 12;
  state_ ^= state_ << 25;
  state_ ^= state_ >> 27;
  return state_ * 2685821657736338717ULL;
}

GeneratedDocument CorpusGenerator::Next(int bullets) {
  GeneratedDocument doc;
  const int64_t id = counter_++;
  const int layout = static_cast<int>(id % 3);  // text, Markdown, HTML
  doc.year = 2021 + Uniform(3);
  const int month = Uniform(12), day = 1 + Uniform(28);
  char date[40];
  std::snprintf(date, sizeof date, "%s %d, %d", kMonths[month], day, doc.year);
  const std::string year_key = std::to_string(doc.year);

  auto add = [&](std::map<std::string, int64_t>& m, const std::string& key, int64_t v) { m[key] += v; };
  std::vector<std::string> items;
  bool defined[sizeof(kAgencies) / sizeof(kAgencies[0])] = {};
  for (int b = 0; b < bullets; ++b) {
    const int kind = Uniform(10);
    const std::string purpose = kPurposes[Uniform(8)];
    const std::string place = kPlaces[Uniform(8)];
    const int64_t millions = 2 * (1 + Uniform(400));  // even: splits exactly in two
    const int64_t amount = millions * 1'000'000;
    std::string text;
    if (kind <= 3) {  // an agency invests
      const int a = Uniform(6);
      const Agency& ag = kAgencies[a];
      const std::string who = defined[a] ? std::string("The ") + ag.acronym
                                         : std::string("The ") + ag.name + " (" + ag.acronym + ")";
      defined[a] = true;
      text = who + " will invest $" + Dollars(millions) + " in " + purpose + " in " + place + ".";
      add(totals_.by_funder, std::string(ag.acronym) + "|USD", amount);
      add(totals_.by_country_split, std::string(ag.country) + "|USD", amount);
      add(totals_.grand, "USD", amount);
      add(totals_.by_year, year_key + "|USD", amount);
      ++totals_.item_amounts;
    } else if (kind <= 5) {  // a government pledges in its currency
      const Country& c = kCountries[Uniform(5)];
      text = c.name + std::string(" committed ") + c.symbol + Dollars(millions) + " to " + purpose + ".";
      const std::string cur = c.currency;
      add(totals_.by_funder, std::string(c.name) + "|" + cur, amount);
      add(totals_.by_country_split, std::string(c.code) + "|" + cur, amount);
      add(totals_.grand, cur, amount);
      add(totals_.by_year, year_key + "|" + cur, amount);
      ++totals_.item_amounts;
    } else if (kind == 6) {  // two agencies, one joint amount
      int a = Uniform(6), c = (a + 1 + Uniform(5)) % 6;
      for (int x : {a, c}) {
        if (!defined[x]) {
          items.push_back(std::string("The ") + kAgencies[x].name + " (" + kAgencies[x].acronym +
                          ") convened partners on " + kPurposes[Uniform(8)] + ".");
          defined[x] = true;
        }
      }
      text = std::string(kAgencies[a].acronym) + " and " + kAgencies[c].acronym + " will invest a combined $" +
             Dollars(millions) + " in " + purpose + ".";
      add(totals_.by_funder, std::string(kAgencies[a].acronym) + " + " + kAgencies[c].acronym + "|USD", amount);
      add(totals_.by_country_split, std::string(kAgencies[a].country) + "|USD", amount / 2);
      add(totals_.by_country_split, std::string(kAgencies[c].country) + "|USD", amount / 2);
      add(totals_.grand, "USD", amount);
      add(totals_.by_year, year_key + "|USD", amount);
      ++totals_.item_amounts;
    } else if (kind == 7) {  // background money: not funding
      text = "Flooding in " + place + " caused more than $" + Dollars(millions) + " in damages last year.";
      ++totals_.context_amounts;
    } else {  // no money at all
      text = "Partners in " + place + " will share lessons on " + purpose + " with " + std::to_string(2 + Uniform(40)) +
             " community organizations.";
    }
    items.push_back(text);
  }
  doc.initiatives = static_cast<int>(items.size());
  totals_.initiatives += doc.initiatives;
  ++totals_.documents;

  const std::string title = "FACT SHEET: Partners Announce Commitments, Release " + std::to_string(id);
  const std::string intro = "The United States and its partners are working together on shared priorities.";
  const size_t half = items.size() / 2;
  char name[64];
  if (layout == 0) {
    std::snprintf(name, sizeof name, "synthetic-%06lld.txt", static_cast<long long>(id));
    doc.content_type = "text/plain";
    std::string t = title + "\n\n" + date + "\n\n" + intro + "\n\n";
    for (size_t k = 0; k < items.size(); ++k) {
      if (k == half) t += "\nThe partners are also investing in resilience.\n\n";
      t += "  • " + items[k] + "\n";
    }
    t += "\n\nStay Connected\n\nSign Up\n\nScroll to Top Scroll to Top\n";
    doc.content = t;
  } else if (layout == 1) {
    std::snprintf(name, sizeof name, "synthetic-%06lld.md", static_cast<long long>(id));
    doc.content_type = "text/markdown";
    char front[160];
    std::snprintf(front, sizeof front, "---\ntitle: \"%s\"\ndate: '%d-%02d-%02d'\n---\n\n", title.c_str(), doc.year,
                  month + 1, day);
    std::string t = front + intro + "\n\n## Building Together\n\n";
    for (size_t k = 0; k < items.size(); ++k) {
      if (k == half) t += "\n## Investing in Resilience\n\n";
      t += "- " + items[k] + "\n";
    }
    doc.content = t;
  } else {
    std::snprintf(name, sizeof name, "synthetic-%06lld.html", static_cast<long long>(id));
    doc.content_type = "text/html";
    std::string t = "<!DOCTYPE html><html><head><title>" + title +
                    "</title><script>var x = '$999 million';</script></head><body>"
                    "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
                    "<div id='cookie-banner'><p>We use cookies. Accept?</p><button>Accept</button></div>"
                    "<main><article><h1 class='title'>" + title + "</h1><p class='date'>" + date + "</p><p>" + intro +
                    "</p><h2>Building Together</h2><ul>";
    for (size_t k = 0; k < items.size(); ++k) {
      if (k == half) t += "</ul><h2>Investing in Resilience</h2><ul>";
      t += "<li>" + items[k] + "</li>";
    }
    t += "</ul></article></main><footer><p>Sign up for our newsletter</p></footer></body></html>";
    doc.content = t;
  }
  doc.name = name;
  return doc;
}

}  // namespace pledgebook::tools
