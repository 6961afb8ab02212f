#pragma once

#include <string>

namespace pledgebook {

// The configuration convention of every Pledgebook binary: a command-line
// flag wins, then the environment variable, then the built-in default.
// (docs/configuration.md lists every flag and variable.)
std::string FlagOrEnv(const std::string& flag_value, const char* env_name,
                      const std::string& fallback);

// Default listen addresses and the environment variables that override them.
inline constexpr char kDefaultIngestAddress[] = "127.0.0.1:50051";
inline constexpr char kDefaultReportAddress[] = "127.0.0.1:50052";
inline constexpr char kDatabaseUrlEnv[] = "PLEDGEBOOK_DATABASE_URL";
inline constexpr char kIngestAddressEnv[] = "PLEDGEBOOK_INGEST_ADDR";
inline constexpr char kReportAddressEnv[] = "PLEDGEBOOK_REPORT_ADDR";

}  // namespace pledgebook
