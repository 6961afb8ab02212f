#include "dimensions.h"

namespace pledgebook::report {

namespace v1 = ::pledgebook::v1;

absl::StatusOr<DimensionSql> DimensionExpression(v1::FundingDimension dimension, bool split_funders,
                                                 const std::string& date_sql) {
  auto with_date = [&](std::string sql) {
    for (size_t at = sql.find("DATE"); at != std::string::npos; at = sql.find("DATE", at)) {
      sql.replace(at, 4, date_sql);
      at += date_sql.size();
    }
    return sql;
  };
  switch (dimension) {
    case v1::FUNDING_DIMENSION_FUNDER:
      if (split_funders) return DimensionSql{"coalesce(f.name, '')", "coalesce(nullif(f.name, ''), '(no funder stated)')"};
      return DimensionSql{"array_to_string(m.funders, ' + ')",
                          "coalesce(nullif(array_to_string(m.funders, ' + '), ''), '(no funder stated)')"};
    case v1::FUNDING_DIMENSION_FUNDER_COUNTRY:
      if (split_funders) {
        return DimensionSql{"coalesce(m.funder_countries[f.n], '')",
                            "coalesce(nullif(m.funder_countries[f.n], ''), '(unknown)')"};
      }
      return DimensionSql{"array_to_string(m.funder_countries, ' + ')",
                          "coalesce(nullif(array_to_string(m.funder_countries, ' + '), ''), '(unknown)')"};
    case v1::FUNDING_DIMENSION_RECIPIENT:
      return DimensionSql{"m.recipient", "coalesce(nullif(m.recipient, ''), '(no recipient stated)')"};
    case v1::FUNDING_DIMENSION_STAGE:
      return DimensionSql{"m.stage::text", "m.stage::text"};
    case v1::FUNDING_DIMENSION_SECTION:
      return DimensionSql{
          "d.document_id || '/' || m.section_index",
          "CASE WHEN m.section_index = 0 THEN 'Preamble' ELSE 'Section ' || m.section_index || ': ' ||"
          " left(coalesce(nullif(s.heading, ''), s.intro, ''), 72) END"};
    case v1::FUNDING_DIMENSION_DOCUMENT:
      return DimensionSql{"d.document_id", "coalesce(nullif(d.title, ''), d.document_id)"};
    case v1::FUNDING_DIMENSION_PUBLISHER:
      return DimensionSql{"d.publisher", "coalesce(nullif(d.publisher, ''), '(unknown publisher)')"};
    case v1::FUNDING_DIMENSION_CURRENCY:
      return DimensionSql{"m.currency_code", "m.currency_code"};
    case v1::FUNDING_DIMENSION_YEAR:
      return DimensionSql{with_date("coalesce(extract(year from DATE)::int::text, '')"),
                          with_date("coalesce(extract(year from DATE)::int::text, '(undated)')")};
    case v1::FUNDING_DIMENSION_FISCAL_YEAR:
      // The U.S. federal fiscal year starts on 1 October.
      return DimensionSql{with_date("coalesce('FY' || extract(year from DATE + interval '3 months')::int, '')"),
                          with_date("coalesce('FY' || extract(year from DATE + interval '3 months')::int, '(undated)')")};
    case v1::FUNDING_DIMENSION_QUARTER:
      return DimensionSql{with_date("coalesce(to_char(DATE, 'YYYY-\"Q\"Q'), '')"),
                          with_date("coalesce(to_char(DATE, 'YYYY-\"Q\"Q'), '(undated)')")};
    case v1::FUNDING_DIMENSION_MONTH:
      return DimensionSql{with_date("coalesce(to_char(DATE, 'YYYY-MM'), '')"),
                          with_date("coalesce(to_char(DATE, 'YYYY-MM'), '(undated)')")};
    case v1::FUNDING_DIMENSION_ROLE:
      return DimensionSql{"m.role::text", "m.role::text"};
    default:
      return absl::InvalidArgumentError("group_by: unsupported dimension " + std::to_string(dimension));
  }
}

}  // namespace pledgebook::report
