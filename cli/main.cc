// pledgebook: the command-line client. This file only dispatches; each
// command group lives in cli/commands/ (see commands.h), and docs/cli.md is
// the reference.
#include <csignal>
#include <iostream>
#include <string>
#include <vector>

#include "args.h"
#include "commands/commands.h"
#include "parser/parse_document.h"

namespace {

using pledgebook::cli::AllCommands;
using pledgebook::cli::Command;

std::string TopUsage() {
  std::string usage =
      "usage: pledgebook COMMAND [flags] [operands]\n"
      "\n"
      "Pledgebook turns official documents into records of who promised what, to whom, for how much.\n"
      "\n"
      "Commands:\n";
  for (const Command& c : AllCommands()) {
    usage += "  " + c.spec.name + std::string(c.spec.name.size() < 12 ? 12 - c.spec.name.size() : 1, ' ') +
             c.spec.summary + "\n";
  }
  usage +=
      "\n"
      "Run 'pledgebook COMMAND --help' for a command's flags, or see docs/cli.md.\n"
      "Servers: --ingest-addr / PLEDGEBOOK_INGEST_ADDR (127.0.0.1:50051), --report-addr /\n"
      "PLEDGEBOOK_REPORT_ADDR (127.0.0.1:50052); --token / PLEDGEBOOK_TOKEN, --tls-ca-file /\n"
      "PLEDGEBOOK_TLS_CA_FILE.\n"
      "Exit status: 0 ok, 1 failure, 2 usage error, 3 not found, 4 service unavailable.\n";
  return usage;
}

const Command* FindCommand(const std::vector<Command>& commands, const std::string& name) {
  for (const Command& c : commands) {
    if (c.spec.name == name) return &c;
  }
  return nullptr;
}

}  // namespace

int main(int argc, char** argv) {
  namespace cli = pledgebook::cli;
  // A reader that goes away (`| head`, `| grep -q`) shows up as EPIPE on a
  // write: the commands then stop writing and exit normally (see
  // FlushStdout) instead of dying of SIGPIPE mid-way.
  std::signal(SIGPIPE, SIG_IGN);
  const std::vector<Command> commands = AllCommands();
  if (argc < 2) {
    std::cerr << TopUsage();
    return cli::kExitUsage;
  }
  const std::string first = argv[1];
  if (first == "-h" || first == "--help" || first == "help") {
    if (argc > 2) {
      if (const Command* c = FindCommand(commands, argv[2])) {
        std::cout << cli::Usage(c->spec);
        return cli::kExitOk;
      }
      std::cerr << "pledgebook: unknown command \"" << argv[2] << "\"\n";
      return cli::kExitUsage;
    }
    std::cout << TopUsage();
    return cli::kExitOk;
  }
  if (first == "--version" || first == "version") {
    std::cout << "pledgebook " << pledgebook::parser::ParserVersion() << "\n";
    return cli::kExitOk;
  }
  const Command* command = FindCommand(commands, first);
  if (command == nullptr) {
    std::cerr << "pledgebook: " << (first[0] == '-' ? "unknown flag " + first + " (flags go after the command)"
                                                    : "unknown command \"" + first + "\"")
              << "\n\n"
              << TopUsage();
    return cli::kExitUsage;
  }
  try {
    const cli::Args args = cli::ParseArgs(command->spec, std::vector<std::string>(argv + 2, argv + argc));
    if (args.help()) {
      std::cout << cli::Usage(command->spec);
      return cli::kExitOk;
    }
    return command->run(args);
  } catch (const cli::UsageError& e) {
    std::cerr << "pledgebook " << first << ": " << e.what() << "\n"
              << "Run 'pledgebook " << first << " --help' for usage.\n";
    return cli::kExitUsage;
  }
}
