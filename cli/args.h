#pragma once

// Command-line parsing for the pledgebook subcommands. Every command declares
// its flags once (a CommandSpec); the parser, the `--help` text and the
// unknown-flag check all come from that declaration, so the help can never
// forget a flag and a typo is never silently ignored.

#include <cstddef>
#include <functional>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace pledgebook::cli {

// Exit statuses of every command (docs/cli.md, "Exit status").
enum ExitCode : int {
  kExitOk = 0,
  kExitFailure = 1,      // the operation failed (a file that failed, a server error)
  kExitUsage = 2,        // bad command line, or a request the server rejected as invalid
  kExitNotFound = 3,     // the document asked for does not exist
  kExitUnavailable = 4,  // the service could not be reached
};

// A usage error: an unknown flag, a missing operand, a bad value. main()
// prints it with a pointer to `--help` and exits with kExitUsage.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One flag of a command.
struct FlagSpec {
  std::string name;        // without the dashes: "group-by"
  std::string value_name;  // "DIM[,DIM...]"; empty for a boolean flag
  std::string help;        // sentences; wrapped by Usage()
  std::string env;         // environment variable read when the flag is absent, or ""
  std::string default_value;         // when neither flag nor variable is set
  std::vector<std::string> choices;  // the allowed values, when the value is one of a set

  bool is_bool() const { return value_name.empty(); }
};

// A subcommand: what `pledgebook COMMAND --help` prints and what it accepts.
struct CommandSpec {
  std::string name;         // "report"
  std::string operands;     // usage of the operands: "PATH...", "DOCUMENT_ID", or ""
  std::string summary;      // one line for `pledgebook --help`
  std::string description;  // paragraphs (separated by blank lines) for `pledgebook COMMAND --help`
  std::vector<FlagSpec> flags;
  size_t min_operands = 0;
  size_t max_operands = 0;  // kUnlimited for any number
  std::vector<std::string> examples;

  static constexpr size_t kUnlimited = std::numeric_limits<size_t>::max();
};

// Looks up an environment variable (a seam for tests; nullptr when unset).
using EnvLookup = std::function<const char*(const char*)>;

// The parsed command line of one subcommand. Every declared flag has a value:
// from the command line, else from its environment variable (when set and
// not empty), else its default.
class Args {
 public:
  // The flag's value. Throws std::logic_error for a flag the command does
  // not declare (a programming error, not a usage error).
  const std::string& Get(const std::string& name) const;
  // True when the flag was given on the command line.
  bool Given(const std::string& name) const;
  // A boolean flag.
  bool GetBool(const std::string& name) const;
  // An integer flag within [min, max]; throws UsageError otherwise.
  long long GetInt(const std::string& name, long long min, long long max) const;
  // A non-negative number of seconds (decimals allowed); throws UsageError otherwise.
  double GetSeconds(const std::string& name) const;
  // A comma-separated list, empty items dropped, items trimmed.
  std::vector<std::string> GetList(const std::string& name) const;

  const std::vector<std::string>& operands() const { return operands_; }
  // `-h` or `--help` was given: the caller prints Usage() and exits 0.
  bool help() const { return help_; }
  const std::string& command() const { return command_; }

 private:
  friend Args ParseArgs(const CommandSpec& spec, const std::vector<std::string>& argv, const EnvLookup& env);
  struct Value {
    std::string text;
    std::string source;  // "--name", "$PLEDGEBOOK_X" or "default": for error messages
    bool given = false;
  };
  const Value& Find(const std::string& name) const;

  std::string command_;
  std::map<std::string, Value> values_;
  std::vector<std::string> operands_;
  bool help_ = false;
};

// Parses the arguments that follow the command name:
//   --name=value, --name value   a flag with a value
//   --name, --name=true|false    a boolean flag
//   -h, --help                   help (wins over any other problem)
//   --                           the rest are operands
// Dashes and underscores in flag names are the same ("--group_by"). Throws
// UsageError naming the problem: an unknown flag (with a suggestion when a
// declared one is close), a missing value, a value outside `choices`, the
// wrong number of operands.
Args ParseArgs(const CommandSpec& spec, const std::vector<std::string>& argv, const EnvLookup& env = nullptr);

// The `pledgebook COMMAND --help` text: usage line, description, every
// flag with its value, default, environment variable and choices, examples.
std::string Usage(const CommandSpec& spec);

// Word-wraps `text` into lines of at most `width` columns (a longer word
// stays whole), starting each continuation line with `indent` spaces (the
// first line is not indented).
std::string Wrap(const std::string& text, size_t width, size_t indent);

}  // namespace pledgebook::cli
