#include "args.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace pledgebook::cli {
namespace {

constexpr size_t kHelpWidth = 100;   // wrap --help text at this column
constexpr size_t kFlagColumn = 30;   // flag help starts at this column

std::string Quote(const std::string& s) { return absl::StrCat("\"", s, "\""); }

size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

const FlagSpec* FindFlag(const CommandSpec& spec, const std::string& name) {
  for (const FlagSpec& f : spec.flags) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

std::string UnknownFlagMessage(const CommandSpec& spec, const std::string& written, const std::string& name) {
  std::string message = absl::StrCat("unknown flag ", written);
  const FlagSpec* closest = nullptr;
  size_t best = 3;  // suggest only near misses
  for (const FlagSpec& f : spec.flags) {
    size_t d = EditDistance(name, f.name);
    if (d < best) best = d, closest = &f;
  }
  if (closest != nullptr) absl::StrAppend(&message, " (did you mean --", closest->name, "?)");
  return message;
}

void CheckChoice(const FlagSpec& flag, const std::string& value, const std::string& source) {
  if (flag.choices.empty()) return;
  if (std::find(flag.choices.begin(), flag.choices.end(), value) != flag.choices.end()) return;
  throw UsageError(absl::StrCat("invalid value ", Quote(value), " for ", source, " (one of: ",
                                absl::StrJoin(flag.choices, ", "), ")"));
}

}  // namespace

const Args::Value& Args::Find(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) throw std::logic_error("pledgebook " + command_ + " does not declare --" + name);
  return it->second;
}

const std::string& Args::Get(const std::string& name) const { return Find(name).text; }

bool Args::Given(const std::string& name) const { return Find(name).given; }

bool Args::GetBool(const std::string& name) const { return Find(name).text == "true"; }

long long Args::GetInt(const std::string& name, long long min, long long max) const {
  const Value& v = Find(name);
  long long n = 0;
  if (!absl::SimpleAtoi(v.text, &n) || n < min || n > max) {
    throw UsageError(absl::StrCat(v.source, ": expected an integer from ", min, " to ", max, ", got ",
                                  Quote(v.text)));
  }
  return n;
}

double Args::GetSeconds(const std::string& name) const {
  const Value& v = Find(name);
  double seconds = 0;
  // At most about 115 days: beyond that a deadline means nothing.
  if (!absl::SimpleAtod(v.text, &seconds) || !std::isfinite(seconds) || seconds < 0 || seconds > 1e7) {
    throw UsageError(absl::StrCat(v.source, ": expected a number of seconds (0 for none), got ", Quote(v.text)));
  }
  return seconds;
}

std::vector<std::string> Args::GetList(const std::string& name) const {
  std::vector<std::string> items;
  for (absl::string_view item : absl::StrSplit(Get(name), ',')) {
    item = absl::StripAsciiWhitespace(item);
    if (!item.empty()) items.emplace_back(item);
  }
  return items;
}

Args ParseArgs(const CommandSpec& spec, const std::vector<std::string>& argv, const EnvLookup& env) {
  Args args;
  args.command_ = spec.name;
  // Help wins over every other problem, so `--bogus --help` still helps.
  for (const std::string& a : argv) {
    if (a == "--") break;
    if (a == "-h" || a == "--help") {
      args.help_ = true;
      return args;
    }
  }

  std::map<std::string, std::string> given;  // flag name → value, last one wins
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a == "--") {
      args.operands_.insert(args.operands_.end(), argv.begin() + static_cast<std::ptrdiff_t>(i) + 1, argv.end());
      break;
    }
    if (a.size() < 2 || a[0] != '-') {  // "-" alone is an operand too
      args.operands_.push_back(a);
      continue;
    }
    if (a[1] != '-') throw UsageError(UnknownFlagMessage(spec, a, a.substr(1)));
    std::string name = a.substr(2), value;
    const bool has_value = name.find('=') != std::string::npos;
    if (has_value) {
      value = name.substr(name.find('=') + 1);
      name = name.substr(0, name.find('='));
    }
    std::replace(name.begin(), name.end(), '_', '-');
    const FlagSpec* flag = FindFlag(spec, name);
    const std::string written = "--" + name;
    if (flag == nullptr) throw UsageError(UnknownFlagMessage(spec, has_value ? a.substr(0, a.find('=')) : a, name));
    if (flag->is_bool()) {
      if (!has_value) value = "true";
      if (value != "true" && value != "false") {
        throw UsageError(absl::StrCat(written, " takes no value, or true or false; got ", Quote(value)));
      }
    } else if (!has_value) {
      if (i + 1 >= argv.size() || absl::StartsWith(argv[i + 1], "--")) {
        throw UsageError(absl::StrCat(written, " needs a value: ", written, "=", flag->value_name));
      }
      value = argv[++i];
    }
    given[name] = value;
  }

  for (const FlagSpec& flag : spec.flags) {
    Args::Value v;
    if (auto it = given.find(flag.name); it != given.end()) {
      v = {it->second, "--" + flag.name, true};
    } else if (const char* e = flag.env.empty() ? nullptr : (env ? env(flag.env.c_str()) : std::getenv(flag.env.c_str()));
               e != nullptr && *e != '\0') {
      v = {e, "$" + flag.env, false};
    } else {
      v = {flag.default_value, "--" + flag.name, false};
      if (flag.is_bool() && v.text.empty()) v.text = "false";
    }
    if (v.given || v.source[0] == '$') CheckChoice(flag, v.text, v.source);
    args.values_[flag.name] = std::move(v);
  }

  const size_t n = args.operands_.size();
  if (n < spec.min_operands) {
    throw UsageError(absl::StrCat("missing ", spec.operands.empty() ? "operand" : spec.operands));
  }
  if (n > spec.max_operands) {
    if (spec.max_operands == 0) throw UsageError(absl::StrCat("unexpected operand ", Quote(args.operands_[0])));
    throw UsageError(absl::StrCat("too many operands (expected ", spec.operands, "): ",
                                  Quote(args.operands_[spec.max_operands])));
  }
  return args;
}

std::string Wrap(const std::string& text, size_t width, size_t indent) {
  std::string out, line;
  for (absl::string_view word : absl::StrSplit(text, ' ', absl::SkipEmpty())) {
    // Columns are counted in bytes: help text is ASCII.
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      out += line + "\n" + std::string(indent, ' ');
      line.clear();
    }
    if (!line.empty()) line += ' ';
    absl::StrAppend(&line, word);
  }
  return out + line;
}

std::string Usage(const CommandSpec& spec) {
  std::ostringstream out;
  out << "usage: pledgebook " << spec.name << " [flags]" << (spec.operands.empty() ? "" : " " + spec.operands)
      << "\n\n";
  for (absl::string_view paragraph : absl::StrSplit(spec.description, "\n\n", absl::SkipEmpty())) {
    out << Wrap(std::string(paragraph), kHelpWidth, 0) << "\n\n";
  }
  out << "Flags:\n";
  auto flag_line = [&](const std::string& flag, std::string help) {
    std::string head = "  " + flag;
    if (head.size() + 2 > kFlagColumn) {
      out << head << "\n" << std::string(kFlagColumn, ' ');
    } else {
      out << head << std::string(kFlagColumn - head.size(), ' ');
    }
    out << Wrap(help, kHelpWidth - kFlagColumn, kFlagColumn) << "\n";
  };
  std::vector<const FlagSpec*> with_env;
  for (const FlagSpec& f : spec.flags) {
    std::string help = f.help;
    if (!f.choices.empty()) absl::StrAppend(&help, " One of: ", absl::StrJoin(f.choices, ", "), ".");
    if (!f.default_value.empty() && !f.is_bool()) absl::StrAppend(&help, " Default: ", f.default_value, ".");
    if (!f.env.empty()) {
      absl::StrAppend(&help, " Environment: ", f.env, ".");
      with_env.push_back(&f);
    }
    flag_line(f.is_bool() ? "--" + f.name : absl::StrCat("--", f.name, "=", f.value_name), help);
  }
  flag_line("-h, --help", "Show this help and exit.");
  if (!with_env.empty()) {
    out << "\nEnvironment (a flag wins over its variable):\n";
    for (const FlagSpec* f : with_env) flag_line(f->env, "as --" + f->name);
  }
  if (!spec.examples.empty()) {
    out << "\nExamples:\n";
    for (const std::string& e : spec.examples) out << "  " << e << "\n";
  }
  out << "\nExit status: 0 ok, 1 failure, 2 usage error, 3 not found, 4 service unavailable"
         " (docs/cli.md).\n";
  return out.str();
}

}  // namespace pledgebook::cli
