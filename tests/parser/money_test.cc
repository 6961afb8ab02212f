// Money patterns on small, made-up sentences.
#include <gtest/gtest.h>

#include "parser/money.h"

namespace {

using pledgebook::parser::FindMoney;
using pledgebook::parser::MoneyScan;
using pledgebook::parser::TextRange;
namespace v1 = ::pledgebook::v1;

MoneyScan Scan(const std::string& text) { return FindMoney(text, TextRange{0, text.size()}); }

TEST(MoneyTest, ScalesAndSeparators) {
  auto s = Scan("It gives $3,593,711 and $1.21 billion and $6B and $255M and $30K.");
  ASSERT_EQ(s.amounts.size(), 5u);
  EXPECT_EQ(s.amounts[0].amount.units, 3593711);
  EXPECT_EQ(s.amounts[1].amount.units, 1210000000);
  EXPECT_EQ(s.amounts[2].amount.units, 6000000000);
  EXPECT_EQ(s.amounts[3].amount.units, 255000000);
  EXPECT_EQ(s.amounts[4].amount.units, 30000);
}

TEST(MoneyTest, CentsAreExact) {
  auto s = Scan("a fee of $12.34 per month");
  ASSERT_EQ(s.amounts.size(), 1u);
  EXPECT_EQ(s.amounts[0].amount.units, 12);
  EXPECT_EQ(s.amounts[0].amount.nanos, 340000000);
  EXPECT_EQ(s.amounts[0].rate, v1::RATE_PERIOD_MONTH);
}

TEST(MoneyTest, CurrenciesAsWritten) {
  auto s = Scan("US$77 million, €1.3 billion, £6bn, CAD $ 1.5 billion, $1.21 billion Canadian, MX$20 million, 500 million pesos");
  ASSERT_EQ(s.amounts.size(), 7u);
  EXPECT_EQ(s.amounts[0].currency_code, "USD");
  EXPECT_EQ(s.amounts[1].currency_code, "EUR");
  EXPECT_EQ(s.amounts[2].currency_code, "GBP");
  EXPECT_EQ(s.amounts[2].amount.units, 6000000000);
  EXPECT_EQ(s.amounts[3].currency_code, "CAD");
  EXPECT_EQ(s.amounts[3].amount.units, 1500000000);
  EXPECT_EQ(s.amounts[4].currency_code, "CAD");
  EXPECT_EQ(s.amounts[5].currency_code, "MXN");
  EXPECT_EQ(s.amounts[6].currency_code, "MXN");
  EXPECT_EQ(s.amounts[6].amount.units, 500000000);
}

TEST(MoneyTest, RangesAndQualifiers) {
  auto s = Scan("between $25 million and $65 millionto execute; $3-4 billion; up to $30; a combined $474 million; "
                "at least $100 million; nearly €1.6 billion");
  ASSERT_EQ(s.amounts.size(), 6u);
  EXPECT_EQ(s.amounts[0].qualifier, v1::AMOUNT_QUALIFIER_RANGE);
  EXPECT_EQ(s.amounts[0].amount.units, 25000000);
  EXPECT_EQ(s.amounts[0].high.units, 65000000);
  EXPECT_TRUE(s.amounts[1].has_high);
  EXPECT_EQ(s.amounts[1].amount.units, 3000000000);
  EXPECT_EQ(s.amounts[1].high.units, 4000000000);
  EXPECT_EQ(s.amounts[2].qualifier, v1::AMOUNT_QUALIFIER_UP_TO);
  EXPECT_EQ(s.amounts[3].qualifier, v1::AMOUNT_QUALIFIER_COMBINED);
  EXPECT_EQ(s.amounts[4].qualifier, v1::AMOUNT_QUALIFIER_AT_LEAST);
  EXPECT_EQ(s.amounts[5].qualifier, v1::AMOUNT_QUALIFIER_NEARLY);
}

TEST(MoneyTest, SpelledOutAmount) {
  auto s = Scan("totaling more than a half a billion dollars");
  ASSERT_EQ(s.amounts.size(), 1u);
  EXPECT_EQ(s.amounts[0].amount.units, 500000000);
  EXPECT_EQ(s.amounts[0].currency_code, "USD");
}

TEST(MoneyTest, AbsurdAmountIsRejectedNotWrapped) {
  auto s = Scan("a pledge of $999999999999999999 trillion");
  EXPECT_TRUE(s.amounts.empty());
  ASSERT_EQ(s.rejected.size(), 1u);
}

TEST(MoneyTest, NoMoneyInPlainNumbers) {
  EXPECT_TRUE(Scan("COVID-19 hit 40,000 people in 2022 and 5G arrived").amounts.empty());
}

}  // namespace
