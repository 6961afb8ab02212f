#pragma once

#include <string>
#include <vector>

namespace pledgebook::ingest {

// Text for PostgreSQL's array input syntax: {"a","b \"quoted\""}.
std::string ToPgTextArray(const std::vector<std::string>& items);

// Text for bytea input in hex format: \x0a1b….
std::string ToPgByteaHex(const std::string& bytes);

}  // namespace pledgebook::ingest
