#include "commands/commands.h"

namespace pledgebook::cli {

std::vector<Command> AllCommands() {
  return {IngestCommand(), ReportCommand(),    StreamCommand(), WatchCommand(),
          DocumentsCommand(), GetCommand(), ParseCommand(),  EvalCommand()};
}

FlagSpec FormatFlag(std::vector<std::string> choices, const std::string& help) {
  FlagSpec flag{"format", "FORMAT", help, "", choices.front(), {}};
  flag.choices = std::move(choices);
  return flag;
}

std::vector<FlagSpec> Concat(std::vector<FlagSpec> flags, const std::vector<FlagSpec>& more) {
  flags.insert(flags.end(), more.begin(), more.end());
  return flags;
}

}  // namespace pledgebook::cli
