#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pledgebook {

// One structured log line, as JSON on stderr:
//   {"ts":"…","level":"info","msg":"…","key":"value",…}
// Values are strings; the caller formats numbers.
void Log(std::string_view level, std::string_view message,
         std::initializer_list<std::pair<std::string_view, std::string>> fields = {});

// The same with fields built at run time.
void LogFields(std::string_view level, std::string_view message,
               const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace pledgebook
