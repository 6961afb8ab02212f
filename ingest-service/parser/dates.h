#pragma once

#include <string_view>
#include <vector>

#include "pledgebook/v1/records.pb.h"
#include "text_range.h"

namespace pledgebook::parser {

struct DateDraft {
  TextRange range;
  pledgebook::v1::DateKind kind = pledgebook::v1::DATE_KIND_POINT;
  int start_year = 0, start_month = 0, start_day = 0;
  int end_year = 0, end_month = 0, end_day = 0;
  bool year_inferred = false;
};

// Finds dates and periods in `range`: full dates ("August 31, 2021",
// "2021-03-12"), month and year ("July 2022", "May of 2022"), month and day
// ("October 24", year inferred from `reference_year`), ranges ("August
// 31-September 1", "January and June 2021", "2022-2024", "1800's"),
// deadlines ("by 2030"), fiscal years ("FY 2023", "Fiscal Year (FY) 2021")
// and bare years. A bare month ("in October") counts only after a word that
// makes it a date, so the verb "may" never does.
std::vector<DateDraft> FindDates(std::string_view text, TextRange range, int reference_year);

// The year to complete dates written without one: the year of the latest
// full date in the text, else the most frequent year, else 0.
int InferReferenceYear(std::string_view text);

}  // namespace pledgebook::parser
