// Organization and funder rules on small, made-up sentences.
#include <gtest/gtest.h>

#include <algorithm>

#include "parser/actors.h"
#include "parser/funding_context.h"
#include "parser/gazetteer.h"
#include "parser/money.h"

namespace {

using pledgebook::parser::ActorKind;
using pledgebook::parser::ActorMention;
using pledgebook::parser::AcronymTable;
using pledgebook::parser::FindActors;
using pledgebook::parser::Gazetteer;
using pledgebook::parser::TextRange;

std::vector<std::string> Orgs(const std::string& text) {
  AcronymTable acronyms;
  std::vector<std::string> out;
  for (const ActorMention& a : FindActors(text, TextRange{0, text.size()}, Gazetteer::Default(), &acronyms)) {
    if (a.kind == ActorKind::kOrganization) out.push_back(a.name);
  }
  return out;
}

bool Has(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

TEST(ActorsTest, PossessiveOwnerThatIsABodyIsItsOwnMention) {
  auto o = Orgs("The grant goes through the Department of Labor's Apprenticeship Building America Program.");
  EXPECT_TRUE(Has(o, "Department of Labor"));
  EXPECT_TRUE(Has(o, "Apprenticeship Building America Program"));
}

TEST(ActorsTest, CountryOwnerNamesTheMinistry) {
  auto o = Orgs("Officials met with Peru's Ministries of Health and Education today.");
  EXPECT_TRUE(Has(o, "Ministry of Health (Peru)"));
  EXPECT_TRUE(Has(o, "Ministry of Education (Peru)"));
  auto p = Orgs("Chile's Ministry of Mining will host it.");
  EXPECT_TRUE(Has(p, "Ministry of Mining (Chile)"));
}

TEST(ActorsTest, PluralDepartmentsAreOneBodyEach) {
  auto o = Orgs("The Departments of Labor, Education, and the Treasury will issue guidance.");
  EXPECT_TRUE(Has(o, "Department of Labor"));
  EXPECT_TRUE(Has(o, "Department of Education"));
  EXPECT_TRUE(Has(o, "Department of the Treasury"));
}

TEST(ActorsTest, CompaniesListedAfterSuchAs) {
  auto o = Orgs("Automakers such as Rivian, Lucid, and Ford Motor Company joined.");
  EXPECT_TRUE(Has(o, "Rivian"));
  EXPECT_TRUE(Has(o, "Lucid"));
  EXPECT_TRUE(Has(o, "Ford Motor Company"));
}

TEST(ActorsTest, AcronymOfInitialsDefinesAProgramme) {
  auto o = Orgs("States may apply to the Rural Housing Repair (RHR) effort this fall.");
  EXPECT_TRUE(Has(o, "Rural Housing Repair"));
  // Plural acronyms name kinds of things, not bodies.
  EXPECT_TRUE(Orgs("They will deploy Heat Pump Water Heaters (HPWHs) widely.").empty());
}

TEST(ActorsTest, AgreementsAndEventsAreNotBodies) {
  EXPECT_TRUE(Orgs("Both leaders welcomed the Lima Trade Agreement and the Ocean Health Declaration.").empty());
  EXPECT_TRUE(Orgs("They met at the Ocean Action Summit in Lisbon.").empty());
}

TEST(ActorsTest, RunsStopAtMonthsAndHeadlineVerbs) {
  auto o = Orgs("The Arctic Research Commission in March released a plan.");
  EXPECT_TRUE(Has(o, "Arctic Research Commission"));
  auto p = Orgs("Harris-Walz Administration Announces Coastal Resilience Fund Awards");
  EXPECT_FALSE(Has(p, "Harris-Walz Administration Announces Coastal Resilience Fund Awards"));
}

TEST(ActorsTest, QuotedProgrammeName) {
  auto o = Orgs("It launched the \"Clean Ports for All\" program last year.");
  EXPECT_TRUE(Has(o, "Clean Ports for All"));
}

TEST(ActorsTest, AwardListLines) {
  EXPECT_TRUE(Has(Orgs("Lakeside Workforce Alliance (Ohio)"), "Lakeside Workforce Alliance"));
  EXPECT_TRUE(Has(Orgs("$12.5 million for the Great Lakes Battery Corridor"), "Great Lakes Battery Corridor"));
  // A city government is a place, not a recipient organization.
  EXPECT_TRUE(Orgs("City of Dayton (Ohio)").empty());
}

// The funders' names of each amount of a one-sentence text.
std::vector<std::vector<std::string>> FundersOf(const std::string& text) {
  const TextRange sentence{0, text.size()};
  AcronymTable acronyms;
  auto actors = FindActors(text, sentence, Gazetteer::Default(), &acronyms);
  auto money = pledgebook::parser::FindMoney(text, sentence);
  std::vector<std::vector<std::string>> out;
  for (const auto& ctx : pledgebook::parser::ResolveFundingContext(text, sentence, money.amounts, actors)) {
    out.emplace_back();
    for (const ActorMention* a : ctx.funders) out.back().push_back(a->name);
  }
  return out;
}

using Funders = std::vector<std::vector<std::string>>;

TEST(FundersTest, ClauseSubjectBeatsSourceAfterTheAmount) {
  EXPECT_EQ(FundersOf("The Department of Energy is investing $40 million from the Inflation Reduction Act."),
            (Funders{{"Department of Energy"}}));
}

TEST(FundersTest, StateThatOpensTheSentenceIsTheFunder) {
  EXPECT_EQ(FundersOf("The State of Oregon has committed $80 million to rural broadband."), (Funders{{"Oregon"}}));
}

// The subject opens a group of joint funders: all of them fund the one
// amount, and a place before the comma is not one of them.
TEST(FundersTest, JointSubjectsKeepEveryMember) {
  EXPECT_EQ(FundersOf("In Mexico, the Environmental Protection Agency and the National Water Commission will invest a "
                      "combined $474 million in water quality."),
            (Funders{{"Environmental Protection Agency", "National Water Commission"}}));
}

// RE2's (?i) reads "ſ" (U+017F, long s) as "s", so text holding one goes to
// the patterns the hand-written cue matchers stand for (generated from the
// same word lists): the result must be the one for plain "s".
TEST(FundersTest, LongSTextGoesToThePatternsWithTheSameResult) {
  auto contexts = [](const std::string& text) {
    const TextRange sentence{0, text.size()};
    AcronymTable acronyms;
    auto actors = FindActors(text, sentence, Gazetteer::Default(), &acronyms);
    auto money = pledgebook::parser::FindMoney(text, sentence);
    std::vector<std::pair<int, std::vector<std::string>>> out;
    for (const auto& ctx : pledgebook::parser::ResolveFundingContext(text, sentence, money.amounts, actors)) {
      out.emplace_back(ctx.stage, std::vector<std::string>());
      for (const ActorMention* a : ctx.funders) out.back().second.push_back(a->name);
    }
    return out;
  };
  const auto plain = contexts("The Department of Energy commits $40 million to grid resilience, which helps.");
  const auto long_s =
      contexts("The Department of Energy commit\xC5\xBF $40 million to grid re\xC5\xBFilience, which helps.");
  ASSERT_EQ(plain.size(), 1u);
  EXPECT_EQ(plain[0].first, pledgebook::v1::FUNDING_STAGE_COMMITTED);
  EXPECT_EQ(plain[0].second, std::vector<std::string>{"Department of Energy"});
  EXPECT_EQ(long_s, plain);
}

TEST(FundersTest, AdministeringAgent) {
  const std::string text = "The funds, administered by the Economic Development Administration (EDA), support hubs.";
  const TextRange sentence{0, text.size()};
  AcronymTable acronyms;
  auto actors = FindActors(text, sentence, Gazetteer::Default(), &acronyms);
  const ActorMention* agent = pledgebook::parser::FindAdministeringAgent(text, sentence, actors);
  ASSERT_NE(agent, nullptr);
  EXPECT_EQ(agent->acronym, "EDA");
}

}  // namespace
