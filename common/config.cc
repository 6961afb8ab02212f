#include "common/config.h"

#include <cstdlib>

namespace pledgebook {

std::string FlagOrEnv(const std::string& flag_value, const char* env_name,
                      const std::string& fallback) {
  if (!flag_value.empty()) return flag_value;
  if (const char* env = std::getenv(env_name); env != nullptr && *env != '\0') return env;
  return fallback;
}

void NormalizeFlagNames(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    char* a = argv[i];
    if (a[0] != '-' || a[1] != '-') continue;
    for (char* c = a + 2; *c != '\0' && *c != '='; ++c) {
      if (*c == '-') *c = '_';
    }
  }
}

}  // namespace pledgebook
