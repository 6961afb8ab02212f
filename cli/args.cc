#include "args.h"

#include <algorithm>

#include "common/config.h"

namespace pledgebook::cli {

std::string Args::Get(const std::string& name, const char* env, const std::string& fallback) const {
  auto it = options.find(name);
  return FlagOrEnv(it == options.end() ? "" : it->second, env ? env : "", fallback);
}

Args ParseArgs(int argc, char** argv, int first, const std::vector<std::string>& booleans) {
  Args args;
  for (int i = first; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--", 0) != 0 || a == "--") {
      args.operands.push_back(a);
      continue;
    }
    std::string name = a.substr(2), value;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    } else if (std::find(booleans.begin(), booleans.end(), name) != booleans.end()) {
      value = "true";
    } else if (i + 1 < argc) {
      value = argv[++i];
    }
    args.options[name] = value;
  }
  return args;
}

}  // namespace pledgebook::cli
