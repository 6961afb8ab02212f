#pragma once

#include <string_view>
#include <vector>

#include "pledgebook/v1/records.pb.h"
#include "text_range.h"

namespace pledgebook::parser {

// One amount of the document, with where it stands.
struct MoneyRef {
  pledgebook::v1::MoneyMention* mention = nullptr;
  TextRange range;       // the amount, in bytes
  TextRange sentence;    // its sentence
  int section_index = 0;
  bool summary = false;  // in the title, a heading, a section intro or the preamble
  bool table_row = false;
  int initiative = -1;   // index of the initiative that states it
  int parent = -1;       // that initiative's enclosing list item, or -1
};

// Decides each amount's role so that totals count every dollar once:
//  - CURRENCY_EQUIVALENT: the second of "C$2 billion (US$1.5 billion)";
//  - CONTEXT: money that is not funding — damages, costs, trade flows,
//    market sizes, revenues; small per-person rates ("$30 per month");
//  - TOTAL: amounts that the text presents as sums ("a total of", "in all",
//    "bringing the total to") and summary amounts (title, heading, intro)
//    that later amounts add up to; their components stay items;
//  - PART: amounts that add up to an amount stated in the body, within the
//    same bullet or its nested bullets ("$300 million, including $100
//    million … and $200 million …"), or the rows of a table that sum to an
//    amount stated before it ("the initial $240 million");
//  - RESTATEMENT: an amount repeated from a summary position ("$1 billion"
//    in the title and again in the text).
// Everything else is an ITEM. related_mention links parts to their total,
// restatements to the first statement, equivalents to the original.
void AssignMoneyRoles(std::string_view text, std::vector<MoneyRef>& money);

}  // namespace pledgebook::parser
