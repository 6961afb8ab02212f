#pragma once

// The pledgebook subcommands. Each command group lives in its own file and
// exposes one function per command that returns its declaration and entry
// point; main.cc only dispatches.
//
//   offline.cc    parse, eval           (no server)
//   ingest.cc     ingest                (ingest-service)
//   report.cc     report                (report-service)
//   stream.cc     stream, watch         (report-service, server streaming)
//   documents.cc  documents, get        (report-service)

#include <functional>
#include <string>
#include <vector>

#include "args.h"

namespace pledgebook::cli {

struct Command {
  CommandSpec spec;
  // Runs the command; returns the exit status. May throw UsageError.
  std::function<int(const Args&)> run;
};

Command ParseCommand();
Command EvalCommand();
Command IngestCommand();
Command ReportCommand();
Command StreamCommand();
Command WatchCommand();
Command DocumentsCommand();
Command GetCommand();

// Every command, in the order `pledgebook --help` lists them.
std::vector<Command> AllCommands();

// The --format flag, with its choices; the first choice is the default.
FlagSpec FormatFlag(std::vector<std::string> choices, const std::string& help);

// Appends the flags of `more` to `flags`.
std::vector<FlagSpec> Concat(std::vector<FlagSpec> flags, const std::vector<FlagSpec>& more);

}  // namespace pledgebook::cli
