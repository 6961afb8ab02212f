// The GetFundingReport requests a latency benchmark sends, built the same
// way for the gRPC load generator and for the raw-SQL baseline, so both
// run exactly the same sequence of reports.
#pragma once

#include <algorithm>
#include <cctype>
#include <random>
#include <string>
#include <vector>

#include "bench_util.h"
#include "pledgebook/v1/report_service.pb.h"

namespace pledgebook::bench {

// group_by: comma-separated dimension names ("funder,year"). filter: an
// AIP-160 filter in which "{id}" is replaced by each id of `ids_file` (one
// document id per line, shuffled with `seed`); without "{id}" there is one
// request. Exits 2 on a bad dimension or a missing ids file.
inline std::vector<pledgebook::v1::GetFundingReportRequest> MakeReportRequests(const std::string& filter,
                                                                               const std::string& ids_file,
                                                                               const std::string& group_by,
                                                                               unsigned seed) {
  namespace v1 = ::pledgebook::v1;
  v1::GetFundingReportRequest base;
  size_t start = 0;
  while (start < group_by.size()) {
    size_t comma = group_by.find(',', start);
    if (comma == std::string::npos) comma = group_by.size();
    std::string name = group_by.substr(start, comma - start);
    start = comma + 1;
    if (name.empty()) continue;
    std::string upper = "FUNDING_DIMENSION_";
    for (char c : name) upper += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    v1::FundingDimension dim;
    if (!v1::FundingDimension_Parse(upper, &dim)) {
      std::cerr << "unknown dimension " << name << "\n";
      std::exit(2);
    }
    base.add_group_by(dim);
  }
  std::vector<v1::GetFundingReportRequest> out;
  const size_t hole = filter.find("{id}");
  if (hole == std::string::npos) {
    base.set_filter(filter);
    out.push_back(base);
    return out;
  }
  std::vector<std::string> ids = ReadLines(ids_file);
  if (ids.empty()) {
    std::cerr << "the filter holds {id} but --ids_file \"" << ids_file << "\" lists no document id\n";
    std::exit(2);
  }
  std::mt19937 rng(seed);
  std::shuffle(ids.begin(), ids.end(), rng);
  for (const std::string& id : ids) {
    v1::GetFundingReportRequest r = base;
    std::string f = filter;
    f.replace(hole, 4, id);
    r.set_filter(f);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace pledgebook::bench
