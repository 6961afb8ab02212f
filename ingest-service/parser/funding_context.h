#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "actors.h"
#include "money.h"
#include "pledgebook/v1/records.pb.h"
#include "text_range.h"

namespace pledgebook::parser {

// What a sentence says about one amount: who gives it, to whom, at which
// stage, over which period.
struct FundingContext {
  std::vector<const ActorMention*> funders;  // several: a joint amount
  std::string recipient;
  pledgebook::v1::FundingStage stage = pledgebook::v1::FUNDING_STAGE_UNSPECIFIED;
  int period_start_year = 0;  // 0 when no period is stated
  int period_end_year = 0;
};

// Resolves the context of every amount in one sentence from its grammar:
// the funding verb that governs the amount (its clause starts after the
// previous amount or a clause break such as ", which"), the actor that is
// the verb's subject — with "X and Y" kept together as joint funders and
// "Mexico's commitment to invest" resolved to its owner — or an explicit
// source after the amount ("from USAID", "through the Capital Projects
// Fund"), and the recipient ("awarded FUMEC $38,000", "for 26 projects").
std::vector<FundingContext> ResolveFundingContext(std::string_view text, TextRange sentence,
                                                  const std::vector<MoneyDraft>& amounts,
                                                  const std::vector<ActorMention>& actors);

// The body a sentence names as administering or channelling funding
// ("Today's funding, allocated through the Centers for Disease Control and
// Prevention (CDC)", "administered by the Economic Development
// Administration"), or nullptr. A fact sheet usually names it once for all
// its amounts.
const ActorMention* FindAdministeringAgent(std::string_view text, TextRange sentence,
                                           const std::vector<ActorMention>& actors);

}  // namespace pledgebook::parser
