#include "filter.h"

#include <cctype>
#include <functional>
#include <map>

#include "absl/strings/str_cat.h"
#include "re2/re2.h"

namespace pledgebook::report {
namespace {

enum class TokenKind { kWord, kString, kOp, kLParen, kRParen, kMinus, kEnd };

struct Token {
  TokenKind kind;
  std::string text;
  size_t pos;
};

enum class FieldType { kText, kTextCaseless, kDate, kInteger, kBool, kFullText, kExists, kAmount, kMentionDate };

// How a filter field maps to SQL. For kExists the template holds one "%s"
// for the placeholder, inside an EXISTS over a mention table.
struct FieldSpec {
  FieldType type;
  std::string sql;
};

const std::map<std::string, FieldSpec>& Fields() {
  static const auto* fields = new std::map<std::string, FieldSpec>{
      {"document_id", {FieldType::kText, "d.document_id"}},
      {"publisher", {FieldType::kTextCaseless, "d.publisher"}},
      {"published_date", {FieldType::kDate, "d.published_date"}},
      {"section_index", {FieldType::kInteger, "i.section_index"}},
      {"has_funding", {FieldType::kBool, "i.has_funding"}},
      {"text", {FieldType::kFullText, "i.text"}},
      {"organization",
       {FieldType::kExists,
        "EXISTS (SELECT 1 FROM organization_mentions o WHERE o.document_id = i.document_id"
        " AND o.initiative_index = i.initiative_index AND (lower(o.name) = lower(%s)"
        " OR lower(o.acronym) = lower(%s)))"}},
      {"place",
       {FieldType::kExists,
        "EXISTS (SELECT 1 FROM place_mentions p WHERE p.document_id = i.document_id"
        " AND p.initiative_index = i.initiative_index AND (lower(p.name) = lower(%s)"
        " OR p.country_code = upper(%s)))"}},
      {"funder",
       {FieldType::kExists,
        "EXISTS (SELECT 1 FROM money_mentions m, unnest(m.funders) f(name) WHERE m.document_id = i.document_id"
        " AND m.initiative_index = i.initiative_index AND (lower(f.name) = lower(%s) OR lower(f.name) = lower(%s)))"}},
      {"organization_country",
       {FieldType::kExists,
        "EXISTS (SELECT 1 FROM organization_mentions o WHERE o.document_id = i.document_id"
        " AND o.initiative_index = i.initiative_index AND (o.country_code = upper(%s) OR o.country_code = upper(%s)))"}},
      // amount >= "USD 1000000": an amount in that currency compared with the number.
      {"amount",
       {FieldType::kAmount,
        "EXISTS (SELECT 1 FROM money_mentions m WHERE m.document_id = i.document_id"
        " AND m.initiative_index = i.initiative_index AND m.currency_code = %s AND m.amount %o %s::numeric)"}},
      // mention_date >= "2022-01-01": a date stated in the initiative.
      {"mention_date",
       {FieldType::kMentionDate,
        "EXISTS (SELECT 1 FROM date_mentions dm WHERE dm.document_id = i.document_id"
        " AND dm.initiative_index = i.initiative_index AND %s)"}},
      {"currency",
       {FieldType::kExists,
        "EXISTS (SELECT 1 FROM money_mentions m WHERE m.document_id = i.document_id"
        " AND m.initiative_index = i.initiative_index AND (m.currency_code = upper(%s) OR m.currency_code = upper(%s)))"}},
  };
  return *fields;
}

class Compiler {
 public:
  Compiler(const std::string& input, const std::string& field_name, int first_param)
      : input_(input), field_name_(field_name), next_param_(first_param) {}

  absl::StatusOr<SqlFilter> Compile() {
    if (auto s = Tokenize(); !s.ok()) return s;
    SqlFilter out;
    if (tokens_.size() == 1) return out;  // empty filter: everything
    absl::StatusOr<std::string> expr = ParseOr();
    if (!expr.ok()) return expr.status();
    if (Peek().kind != TokenKind::kEnd) return Error(Peek().pos, "unexpected \"" + Peek().text + "\"");
    out.where = *expr;
    out.params = std::move(params_);
    return out;
  }

 private:
  absl::Status Error(size_t pos, const std::string& what) {
    return absl::InvalidArgumentError(absl::StrCat(field_name_, ": ", what, " at position ", pos));
  }

  absl::Status Tokenize() {
    size_t i = 0;
    while (i < input_.size()) {
      char c = input_[i];
      if (std::isspace(static_cast<unsigned char>(c))) {
        ++i;
      } else if (c == '(') {
        tokens_.push_back({TokenKind::kLParen, "(", i++});
      } else if (c == ')') {
        tokens_.push_back({TokenKind::kRParen, ")", i++});
      } else if (c == '"' || c == '\'') {
        size_t start = i++;
        std::string value;
        while (i < input_.size() && input_[i] != c) {
          if (input_[i] == '\\' && i + 1 < input_.size()) ++i;
          value.push_back(input_[i++]);
        }
        if (i >= input_.size()) return Error(start, "unterminated string");
        ++i;
        tokens_.push_back({TokenKind::kString, value, start});
      } else if (c == '=' || c == ':' ) {
        tokens_.push_back({TokenKind::kOp, std::string(1, c), i++});
      } else if (c == '!' || c == '<' || c == '>') {
        size_t start = i++;
        std::string op(1, c);
        if (i < input_.size() && input_[i] == '=') op.push_back(input_[i++]);
        if (op == "!") return Error(start, "\"!\" must be \"!=\"");
        tokens_.push_back({TokenKind::kOp, op, start});
      } else if (c == '-' && (tokens_.empty() || tokens_.back().kind != TokenKind::kOp)) {
        tokens_.push_back({TokenKind::kMinus, "-", i++});
      } else {
        size_t start = i;
        while (i < input_.size() && !std::isspace(static_cast<unsigned char>(input_[i])) &&
               std::string("()=:!<>\"'").find(input_[i]) == std::string::npos) {
          ++i;
        }
        tokens_.push_back({TokenKind::kWord, input_.substr(start, i - start), start});
      }
    }
    tokens_.push_back({TokenKind::kEnd, "end of filter", input_.size()});
    return absl::OkStatus();
  }

  const Token& Peek() const { return tokens_[pos_]; }
  const Token& Next() { return tokens_[pos_ < tokens_.size() - 1 ? pos_++ : pos_]; }
  bool PeekWord(const char* w) const { return Peek().kind == TokenKind::kWord && Peek().text == w; }

  absl::StatusOr<std::string> ParseOr() {
    absl::StatusOr<std::string> left = ParseAnd();
    if (!left.ok()) return left;
    std::string sql = *left;
    while (PeekWord("OR")) {
      Next();
      absl::StatusOr<std::string> right = ParseAnd();
      if (!right.ok()) return right;
      sql = "(" + sql + " OR " + *right + ")";
    }
    return sql;
  }

  absl::StatusOr<std::string> ParseAnd() {
    absl::StatusOr<std::string> left = ParseUnary();
    if (!left.ok()) return left;
    std::string sql = *left;
    while (true) {
      if (PeekWord("AND")) Next();
      else if (Peek().kind == TokenKind::kEnd || Peek().kind == TokenKind::kRParen || PeekWord("OR")) break;
      // AIP-160: juxtaposition is AND.
      absl::StatusOr<std::string> right = ParseUnary();
      if (!right.ok()) return right;
      sql = "(" + sql + " AND " + *right + ")";
    }
    return sql;
  }

  absl::StatusOr<std::string> ParseUnary() {
    if (PeekWord("NOT") || Peek().kind == TokenKind::kMinus) {
      Next();
      absl::StatusOr<std::string> inner = ParseUnary();
      if (!inner.ok()) return inner;
      return "(NOT " + *inner + ")";
    }
    if (Peek().kind == TokenKind::kLParen) {
      size_t open = Next().pos;
      absl::StatusOr<std::string> inner = ParseOr();
      if (!inner.ok()) return inner;
      if (Peek().kind != TokenKind::kRParen) return Error(open, "unbalanced parenthesis");
      Next();
      return inner;
    }
    return ParseComparison();
  }

  std::string Bind(std::string value) {
    params_.push_back(std::move(value));
    return "$" + std::to_string(next_param_++);
  }

  absl::StatusOr<std::string> ParseComparison() {
    const Token field = Next();
    if (field.kind != TokenKind::kWord) return Error(field.pos, "expected a field name, got \"" + field.text + "\"");
    auto spec_it = Fields().find(field.text);
    if (spec_it == Fields().end()) return Error(field.pos, "unknown field \"" + field.text + "\"");
    if (++terms_ > kMaxFilterTerms) {
      return Error(field.pos, absl::StrCat("too many comparisons (the limit is ", kMaxFilterTerms, ")"));
    }
    const Token op = Next();
    if (op.kind != TokenKind::kOp) return Error(op.pos, "expected an operator after \"" + field.text + "\"");
    const Token value = Next();
    if (value.kind != TokenKind::kWord && value.kind != TokenKind::kString) {
      return Error(value.pos, "expected a value after \"" + field.text + " " + op.text + "\"");
    }
    const FieldSpec& spec = spec_it->second;
    const std::string& v = value.text;
    auto ops_allowed = [&](std::initializer_list<const char*> allowed) {
      for (const char* a : allowed) if (op.text == a) return true;
      return false;
    };
    const std::string where = field.text + " " + op.text;
    switch (spec.type) {
      case FieldType::kText:
      case FieldType::kTextCaseless: {
        if (!ops_allowed({"=", "!="})) return Error(op.pos, "\"" + field.text + "\" supports = and !=");
        std::string sql_op = op.text == "=" ? " = " : " <> ";
        if (spec.type == FieldType::kTextCaseless) return "lower(" + spec.sql + ")" + sql_op + "lower(" + Bind(v) + ")";
        return spec.sql + sql_op + Bind(v);
      }
      case FieldType::kDate: {
        static const RE2 date_re(R"(\d{4}-\d{2}-\d{2}(T[0-9:.]+(Z|[+-]\d{2}:\d{2}))?)");
        if (!RE2::FullMatch(v, date_re)) return Error(value.pos, "\"" + v + "\" is not an RFC 3339 date for " + field.text);
        if (op.text == ":") return Error(op.pos, "\":\" is not supported for dates");
        return spec.sql + " " + (op.text == "!=" ? "<>" : op.text) + " " + Bind(v.substr(0, 10)) + "::date";
      }
      case FieldType::kInteger: {
        static const RE2 int_re(R"(-?\d{1,9})");
        if (!RE2::FullMatch(v, int_re)) return Error(value.pos, "\"" + v + "\" is not an integer for " + field.text);
        if (op.text == ":") return Error(op.pos, "\":\" is not supported for " + field.text);
        return spec.sql + " " + (op.text == "!=" ? "<>" : op.text) + " " + Bind(v) + "::integer";
      }
      case FieldType::kBool: {
        if (v != "true" && v != "false") return Error(value.pos, field.text + " takes true or false");
        if (!ops_allowed({"=", "!="})) return Error(op.pos, "\"" + field.text + "\" supports = and !=");
        return spec.sql + (op.text == "=" ? " = " : " <> ") + Bind(v) + "::boolean";
      }
      case FieldType::kFullText: {
        if (op.text != ":") return Error(op.pos, "use text:\"words\" for full-text search");
        return "to_tsvector('english', " + spec.sql + ") @@ websearch_to_tsquery('english', " + Bind(v) + ")";
      }
      case FieldType::kAmount: {
        // "USD 1000000" or "USD 1.5e6" is not accepted: a code, a space, a decimal.
        static const RE2 amount_re(R"(([A-Z]{3}) (\d{1,18}(?:\.\d{1,9})?))");
        std::string currency, number;
        if (!RE2::FullMatch(v, amount_re, &currency, &number)) {
          return Error(value.pos, "amount takes \"CUR 123.45\" (an ISO 4217 code and a decimal), got \"" + v + "\"");
        }
        if (op.text == ":") return Error(op.pos, "\":\" is not supported for amount");
        std::string sql = spec.sql;
        sql.replace(sql.find("%s"), 2, Bind(currency));
        sql.replace(sql.find("%o"), 2, op.text == "!=" ? "<>" : op.text);
        sql.replace(sql.find("%s"), 2, Bind(number));
        return sql;
      }
      case FieldType::kMentionDate: {
        static const RE2 date_re(R"(\d{4}-\d{2}-\d{2})");
        if (!RE2::FullMatch(v, date_re)) return Error(value.pos, "\"" + v + "\" is not a date (YYYY-MM-DD) for mention_date");
        std::string p = Bind(v);
        std::string cond;
        // A stated period matches when it overlaps the comparison's range.
        if (op.text == "=" || op.text == ":") cond = "dm.start_date <= " + p + "::date AND dm.end_date >= " + p + "::date";
        else if (op.text == ">" ) cond = "dm.end_date > " + p + "::date";
        else if (op.text == ">=") cond = "dm.end_date >= " + p + "::date";
        else if (op.text == "<") cond = "dm.start_date < " + p + "::date";
        else if (op.text == "<=") cond = "dm.start_date <= " + p + "::date";
        else return Error(op.pos, "mention_date supports =, <, <=, >, >=");
        std::string sql = spec.sql;
        sql.replace(sql.find("%s"), 2, cond);
        return sql;
      }
      case FieldType::kExists: {
        if (!ops_allowed({"=", ":"})) return Error(op.pos, "\"" + field.text + "\" supports = and :");
        std::string p = Bind(v);
        std::string sql = spec.sql;
        for (size_t at = sql.find("%s"); at != std::string::npos; at = sql.find("%s")) sql.replace(at, 2, p);
        return sql;
      }
    }
    return Error(field.pos, "unsupported " + where);
  }

  const std::string& input_;
  const std::string& field_name_;
  int next_param_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  int terms_ = 0;
  std::vector<std::string> params_;
};

}  // namespace

absl::StatusOr<SqlFilter> CompileFilter(const std::string& filter, const std::string& field_name,
                                        int first_param) {
  if (filter.size() > 4096) {
    return absl::InvalidArgumentError(field_name + ": longer than 4096 characters");
  }
  return Compiler(filter, field_name, first_param).Compile();
}

}  // namespace pledgebook::report
