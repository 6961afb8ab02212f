#include "common/config.h"

#include <cstdlib>

namespace pledgebook {

std::string FlagOrEnv(const std::string& flag_value, const char* env_name,
                      const std::string& fallback) {
  if (!flag_value.empty()) return flag_value;
  if (const char* env = std::getenv(env_name); env != nullptr && *env != '\0') return env;
  return fallback;
}

}  // namespace pledgebook
