#pragma once

#include <string>

namespace pledgebook {

// The configuration convention of every Pledgebook binary: a command-line
// flag wins, then the environment variable, then the built-in default.
// (docs/configuration.md lists every flag and variable.)
std::string FlagOrEnv(const std::string& flag_value, const char* env_name,
                      const std::string& fallback);

// Lets flags be written the documented way, "--database-url", while abseil
// flags are declared with underscores: rewrites "--a-b=…" to "--a_b=…" in
// place (the value after "=" is untouched).
void NormalizeFlagNames(int argc, char** argv);

// Default listen addresses and the environment variables that override them.
inline constexpr char kDefaultIngestAddress[] = "127.0.0.1:50051";
inline constexpr char kDefaultReportAddress[] = "127.0.0.1:50052";
inline constexpr char kDatabaseUrlEnv[] = "PLEDGEBOOK_DATABASE_URL";
inline constexpr char kIngestAddressEnv[] = "PLEDGEBOOK_INGEST_ADDR";
inline constexpr char kReportAddressEnv[] = "PLEDGEBOOK_REPORT_ADDR";

}  // namespace pledgebook
