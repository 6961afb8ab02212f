// `pledgebook report`: GetFundingReport as a table, CSV, JSON or JSON lines.
#include "commands/report.h"

#include <algorithm>
#include <iostream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "commands/commands.h"
#include "common/money_text.h"
#include "connection.h"
#include "output.h"
#include "pledgebook/v1/report_service.grpc.pb.h"

namespace pledgebook::cli {
namespace {

namespace v1 = ::pledgebook::v1;

constexpr char kDimensionPrefix[] = "FUNDING_DIMENSION_";
constexpr char kRolePrefix[] = "AMOUNT_ROLE_";

// "FUNDING_DIMENSION_FUNDER_COUNTRY" → "funder-country".
std::string CommandLineName(const std::string& enum_name, const std::string& prefix) {
  std::string name = absl::AsciiStrToLower(enum_name.substr(prefix.size()));
  std::replace(name.begin(), name.end(), '_', '-');
  return name;
}

// "funder-country" → "FUNDER_COUNTRY".
std::string EnumSuffix(std::string name) {
  name = absl::AsciiStrToUpper(name);
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

// FUNDING_DIMENSION_FUNDER_COUNTRY → "Funder country".
std::string DimensionTitle(v1::FundingDimension d) {
  std::string title = CommandLineName(v1::FundingDimension_Name(d), kDimensionPrefix);
  std::replace(title.begin(), title.end(), '-', ' ');
  if (!title.empty()) title[0] = absl::ascii_toupper(title[0]);
  return title;
}

std::string KeyText(const v1::GroupKey& key) {
  if (!key.label().empty()) return key.label();
  return key.value().empty() ? "(none)" : key.value();
}

int RunReport(const Args& args) {
  v1::GetFundingReportRequest request;
  request.set_filter(args.Get("filter"));
  for (const std::string& name : args.GetList("group-by")) {
    v1::FundingDimension dim;
    if (!ParseDimension(name, &dim)) {
      throw UsageError(absl::StrCat("--group-by: unknown dimension \"", name, "\" (one of: ",
                                    absl::StrJoin(DimensionNames(), ", "), ")"));
    }
    request.add_group_by(dim);
  }
  for (const std::string& name : args.GetList("roles")) {
    if (name == "all") {
      for (const std::string& role : RoleNames()) {
        v1::AmountRole r;
        ParseRole(role, &r);
        request.add_roles(r);
      }
      continue;
    }
    v1::AmountRole role;
    if (!ParseRole(name, &role)) {
      throw UsageError(absl::StrCat("--roles: unknown role \"", name, "\" (one of: ", absl::StrJoin(RoleNames(), ", "),
                                    ", or all)"));
    }
    request.add_roles(role);
  }
  request.set_joint_funding(args.Get("joint") == "split" ? v1::JOINT_FUNDING_SPLIT_EVENLY : v1::JOINT_FUNDING_GROUP);
  request.set_top_n(static_cast<int>(args.GetInt("top", 0, 1'000'000)));

  Connection connection(ConnectionOptionsFromArgs(args, Service::kReport));
  auto stub = v1::ReportService::NewStub(connection.channel());
  v1::GetFundingReportResponse response;
  auto context = connection.NewContext();
  grpc::Status status = stub->GetFundingReport(context.get(), request, &response);
  if (!status.ok()) return ReportRpcError("report", status, connection);

  const std::string& format = args.Get("format");
  if (format == "json") {
    std::cout << ToJson(response, true) << "\n";
  } else if (format == "jsonl") {
    WriteReportJsonl(response, std::cout);
  } else if (format == "csv") {
    WriteReportCsv(response, std::cout);
    // Notes stay out of the CSV, which tools read.
    for (const std::string& w : response.warnings()) std::cerr << "pledgebook report: note: " << w << "\n";
  } else {
    WriteReportTable(response, std::cout);
  }
  return StdoutExitStatus();
}

}  // namespace

bool ParseDimension(const std::string& name, v1::FundingDimension* out) {
  return v1::FundingDimension_Parse(kDimensionPrefix + EnumSuffix(name), out) &&
         *out != v1::FUNDING_DIMENSION_UNSPECIFIED;
}

bool ParseRole(const std::string& name, v1::AmountRole* out) {
  return v1::AmountRole_Parse(kRolePrefix + EnumSuffix(name), out) && *out != v1::AMOUNT_ROLE_UNSPECIFIED;
}

std::vector<std::string> DimensionNames() {
  std::vector<std::string> names;
  const auto* e = v1::FundingDimension_descriptor();
  for (int i = 0; i < e->value_count(); ++i) {
    if (e->value(i)->number() != 0) names.push_back(CommandLineName(e->value(i)->name(), kDimensionPrefix));
  }
  return names;
}

std::vector<std::string> RoleNames() {
  std::vector<std::string> names;
  const auto* e = v1::AmountRole_descriptor();
  for (int i = 0; i < e->value_count(); ++i) {
    if (e->value(i)->number() != 0) names.push_back(CommandLineName(e->value(i)->name(), kRolePrefix));
  }
  return names;
}

std::string DimensionColumnName(v1::FundingDimension d) {
  return absl::AsciiStrToLower(v1::FundingDimension_Name(d).substr(sizeof(kDimensionPrefix) - 1));
}

void WriteReportTable(const v1::GetFundingReportResponse& report, std::ostream& out) {
  const int dims = report.group_by_size();
  std::vector<Column> columns;
  for (int d : report.group_by()) {
    // Long labels (section headings, titles) are cut so the table fits.
    columns.push_back({DimensionTitle(static_cast<v1::FundingDimension>(d)), Column::Align::kLeft,
                       dims == 1 ? 90 : std::max(24, 100 / dims), 0});
  }
  if (dims == 0) columns.push_back({"Total", Column::Align::kLeft, 0, 0});
  columns.push_back({"Amount", Column::Align::kRight, 0, 0});
  columns.push_back({"Count", Column::Align::kRight, 0, 0});
  TableLayout table(columns);

  auto row_cells = [&](const v1::FundingRow& row) {
    std::vector<std::string> cells;
    for (int k = 0; k < std::max(dims, 1); ++k) {
      cells.push_back(dims == 0 ? "(all)" : k < row.keys_size() ? KeyText(row.keys(k)) : "");
    }
    cells.push_back(FormatMoney(row.total()));
    cells.push_back(std::to_string(row.count()));
    return cells;
  };
  auto total_cells = [&](const v1::FundingRow& total) {
    std::vector<std::string> cells = row_cells(total);
    for (int k = 0; k < std::max(dims, 1); ++k) cells[k] = k == 0 ? "Grand total" : "";
    return cells;
  };
  for (const auto& row : report.rows()) table.Fit(row_cells(row));
  for (const auto& total : report.totals()) table.Fit(total_cells(total));

  out << table.Header() << "\n" << table.Rule() << "\n";
  for (const auto& row : report.rows()) out << table.Row(row_cells(row)) << "\n";
  out << table.Rule() << "\n";
  for (const auto& total : report.totals()) out << table.Row(total_cells(total)) << "\n";
  if (report.totals().empty()) out << "No amounts match.\n";
  for (const std::string& w : report.warnings()) out << "note: " << SanitizeForTerminal(w) << "\n";
}

void WriteReportCsv(const v1::GetFundingReportResponse& report, std::ostream& out) {
  std::vector<std::string> header;
  for (int d : report.group_by()) header.push_back(DimensionColumnName(static_cast<v1::FundingDimension>(d)));
  for (const char* c : {"currency", "total", "count", "min", "max", "kind"}) header.push_back(c);
  WriteCsvRecord(out, header);
  auto write = [&](const v1::FundingRow& row, const char* kind) {
    std::vector<std::string> fields;
    for (int k = 0; k < report.group_by_size(); ++k) {
      fields.push_back(k < row.keys_size() ? (row.keys(k).label().empty() ? row.keys(k).value() : row.keys(k).label())
                                           : "");
    }
    fields.push_back(row.total().currency_code());
    fields.push_back(MoneyToDecimal(row.total()));
    fields.push_back(std::to_string(row.count()));
    fields.push_back(MoneyToDecimal(row.min()));
    fields.push_back(MoneyToDecimal(row.max()));
    fields.push_back(kind);
    WriteCsvRecord(out, fields);
  };
  for (const auto& row : report.rows()) write(row, row.other() ? "other" : "row");
  for (const auto& total : report.totals()) write(total, "total");
}

void WriteReportJsonl(const v1::GetFundingReportResponse& report, std::ostream& out) {
  for (const auto& row : report.rows()) out << "{\"row\":" << ToJson(row, false) << "}\n";
  for (const auto& total : report.totals()) out << "{\"total\":" << ToJson(total, false) << "}\n";
  for (const auto& e : report.exclusions()) out << "{\"exclusion\":" << ToJson(e, false) << "}\n";
  for (const auto& w : report.warnings()) out << "{\"warning\":" << JsonString(w) << "}\n";
}

Command ReportCommand() {
  CommandSpec spec;
  spec.name = "report";
  spec.summary = "funding report: amounts summed by funder, section, year, … (table, CSV, JSON)";
  spec.description =
      "Asks report-service for a funding report: the money mentions of the initiatives that match --filter, "
      "summed per group and per currency (amounts in different currencies are never added). By default only "
      "itemized amounts count, so every dollar is counted once; --roles adds totals, parts, restatements, "
      "currency equivalents or context amounts.\n\n"
      "Dimensions for --group-by: " +
      absl::StrJoin(DimensionNames(), ", ") +
      ".\n\n"
      "Formats: table (for people: rows largest first, then the grand total per currency); csv (a header, "
      "then one record per row with kind=row or other, then kind=total records; exact decimal amounts); json "
      "(the GetFundingReportResponse in proto3 JSON); jsonl (one object per line: {\"row\": …}, {\"total\": "
      "…}, {\"exclusion\": …}, {\"warning\": …}).";
  spec.flags = Concat(
      {
          {"group-by", "DIM[,DIM...]", "Group by these dimensions, in order (at most 6). None: grand totals only.",
           "", "", {}},
          {"filter", "FILTER", "AIP-160 filter over initiatives, e.g. 'funder = \"USAID\"' (docs/filtering.md).",
           "", "", {}},
          {"joint", "MODE",
           "How an amount with several funders enters funder rows: group (one row for the group, \"EPA + "
           "CONAGUA\") or split (shared evenly). Totals count it once either way.",
           "", "group", {"group", "split"}},
          {"top", "N", "Keep the N largest rows per currency and fold the rest into an \"(other)\" row; 0 keeps all.",
           "", "0", {}},
          {"roles", "ROLE[,ROLE...]",
           "Amount roles to count: " + absl::StrJoin(RoleNames(), ", ") + ", or all. Default: item.", "", "", {}},
          FormatFlag({"table", "csv", "json", "jsonl"}, "Output format."),
      },
      ConnectionFlags(Service::kReport, "30"));
  spec.examples = {"pledgebook report --group-by=funder",
                   "pledgebook report --group-by=year,funder-country --top=5 --format=csv > by-year.csv",
                   "pledgebook report --group-by=funder --joint=split --filter='published_date >= \"2022-01-01\"'",
                   "pledgebook report --format=jsonl | jq -c 'select(.total) | .total.total'"};
  return {spec, RunReport};
}

}  // namespace pledgebook::cli
