#pragma once

#include <map>
#include <string>
#include <vector>

namespace pledgebook::cli {

// Command-line arguments of one subcommand: "--name=value" or "--name value"
// options, "--flag" booleans and positional operands.
struct Args {
  std::map<std::string, std::string> options;
  std::vector<std::string> operands;

  // Option value, else the environment variable, else the fallback.
  std::string Get(const std::string& name, const char* env = nullptr, const std::string& fallback = "") const;
  bool Has(const std::string& name) const { return options.count(name) > 0; }
};

// Parses argv[first..]. Options listed in `booleans` take no value.
Args ParseArgs(int argc, char** argv, int first, const std::vector<std::string>& booleans);

}  // namespace pledgebook::cli
