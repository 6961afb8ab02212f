// The bundled fact sheet against its hand-made gold annotation
// (tests/fixtures/hled-2022-factsheet.gold.json): structure, every money
// mention with value, currency, funders and span, and no boilerplate.
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "parser/parse_document.h"

namespace {

namespace v1 = ::pledgebook::v1;

std::string FixturePath(const std::string& name) {
  const char* dir = std::getenv("PLEDGEBOOK_TEST_FIXTURES");
  return std::string(dir ? dir : PLEDGEBOOK_TEST_FIXTURES_DEFAULT) + "/" + name;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << "cannot read " << path;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class FixtureGoldTest : public ::testing::Test {
 protected:
  void SetUp() override {
    gold_ = nlohmann::json::parse(ReadFile(FixturePath("hled-2022-factsheet.gold.json")));
    v1::DocumentSource source;
    source.set_content(ReadFile(FixturePath("hled-2022-factsheet.txt")));
    source.set_content_type("text/plain");
    auto doc = pledgebook::parser::ParseDocument(source);
    ASSERT_TRUE(doc.ok()) << doc.status();
    doc_ = *doc;
  }

  std::vector<v1::MoneyMention> AllMoney() const {
    std::vector<v1::MoneyMention> all;
    for (const auto& i : doc_.preamble().initiatives()) all.insert(all.end(), i.money().begin(), i.money().end());
    for (const auto& s : doc_.sections()) {
      for (const auto& i : s.initiatives()) all.insert(all.end(), i.money().begin(), i.money().end());
    }
    return all;
  }

  nlohmann::json gold_;
  v1::Document doc_;
};

TEST_F(FixtureGoldTest, SectionsAndBulletsMatchGold) {
  ASSERT_EQ(doc_.sections_size(), gold_["totals"]["sections"].get<int>());
  int bullets = 0;
  for (int k = 0; k < doc_.sections_size(); ++k) {
    const auto& section = doc_.sections(k);
    const auto& gold_section = gold_["sections"][k];
    EXPECT_EQ(section.index(), gold_section["index"].get<int>());
    EXPECT_EQ(section.intro(), gold_section["intro"].get<std::string>());
    EXPECT_EQ(section.initiatives_size(), gold_section["bullets"].get<int>()) << "section " << section.index();
    for (const auto& initiative : section.initiatives()) {
      EXPECT_EQ(initiative.kind(), v1::INITIATIVE_KIND_BULLET);
      EXPECT_EQ(initiative.section_index(), section.index());
      ++bullets;
    }
  }
  EXPECT_EQ(bullets, gold_["totals"]["bullets"].get<int>());
  EXPECT_EQ(doc_.stats().initiative_count(), 20);
  // The preamble is kept apart and holds no commitments here.
  EXPECT_TRUE(doc_.preamble().intro().rfind(gold_["preamble"]["text_starts"].get<std::string>(), 0) == 0);
  EXPECT_EQ(doc_.preamble().initiatives_size(), 0);
}

TEST_F(FixtureGoldTest, BoilerplateProducesNothing) {
  for (const auto& line : gold_["boilerplate"]["lines"]) {
    const std::string chrome = line.get<std::string>();
    for (const auto& s : doc_.sections()) {
      EXPECT_EQ(s.heading().find(chrome), std::string::npos);
      EXPECT_EQ(s.intro().find(chrome), std::string::npos);
      for (const auto& i : s.initiatives()) EXPECT_EQ(i.text().find(chrome), std::string::npos) << chrome;
    }
  }
}

TEST_F(FixtureGoldTest, EveryMoneyMentionWithValueCurrencySpanAndFunders) {
  const std::vector<v1::MoneyMention> money = AllMoney();
  const auto& gold = gold_["money"];
  ASSERT_EQ(money.size(), gold.size());
  for (size_t k = 0; k < gold.size(); ++k) {
    const auto& g = gold[k];
    const auto& m = money[k];
    SCOPED_TRACE(g["surface"].get<std::string>());
    EXPECT_EQ(m.text(), g["surface"].get<std::string>());
    EXPECT_EQ(m.amount().currency_code(), g["currency"].get<std::string>());
    EXPECT_EQ(m.amount().units(), g["value"].get<long long>());
    EXPECT_EQ(m.amount().nanos(), 0);
    EXPECT_EQ(m.span().start(), g["char_start"].get<int>());
    EXPECT_EQ(m.span().end(), g["char_end"].get<int>());
    // Funders: each gold funder matches one extracted funder by acronym or name.
    ASSERT_EQ(m.funders_size(), static_cast<int>(g["funders"].size()));
    for (size_t f = 0; f < g["funders"].size(); ++f) {
      const std::string want = g["funders"][f].get<std::string>();
      const auto& actor = m.funders(static_cast<int>(f));
      EXPECT_TRUE(actor.acronym() == want || actor.name() == want) << want << " vs " << actor.name();
      EXPECT_EQ(actor.country_code(), g["funder_countries"][f].get<std::string>()) << want;
    }
  }
}

TEST_F(FixtureGoldTest, QualifiersPeriodsStagesAndRecipients) {
  const std::vector<v1::MoneyMention> money = AllMoney();
  ASSERT_EQ(money.size(), 4u);
  EXPECT_EQ(money[0].qualifier(), v1::AMOUNT_QUALIFIER_COMBINED);
  EXPECT_EQ(money[0].stage(), v1::FUNDING_STAGE_COMMITTED);
  EXPECT_EQ(money[1].stage(), v1::FUNDING_STAGE_APPROPRIATED);
  EXPECT_EQ(money[2].period().start().year(), 2022);
  EXPECT_EQ(money[2].period().end().year(), 2024);
  EXPECT_EQ(money[3].stage(), v1::FUNDING_STAGE_AWARDED);
  EXPECT_EQ(money[3].recipient(), gold_["money"][3]["recipient"].get<std::string>());
  long long total = 0;
  for (const auto& m : money) total += m.amount().units();
  EXPECT_EQ(total, gold_["expected"]["leaf_sum_by_currency"]["USD"].get<long long>());
}

TEST_F(FixtureGoldTest, SameContentSameDocumentId) {
  v1::DocumentSource source;
  source.set_content(ReadFile(FixturePath("hled-2022-factsheet.txt")));
  auto again = pledgebook::parser::ParseDocument(source);  // sniffed, not declared
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->document_id(), doc_.document_id());
  EXPECT_EQ(doc_.document_id().size(), 32u);
  source.set_content(source.content() + " ");
  auto other = pledgebook::parser::ParseDocument(source);
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->document_id(), doc_.document_id());
}

}  // namespace
