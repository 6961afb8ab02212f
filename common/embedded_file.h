#pragma once

#include <cstddef>
#include <string_view>

namespace pledgebook {

// A data file compiled into the binary (see cmake/EmbedFiles.cmake).
struct EmbeddedFile {
  std::string_view name;     // file name without directories
  std::string_view content;  // the bytes of the file
};

}  // namespace pledgebook
