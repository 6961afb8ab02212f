#include "inputs.h"

#include <glob.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <system_error>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

namespace pledgebook::cli {
namespace {

namespace fs = std::filesystem;

std::string LowerExtension(const std::string& path) {
  return absl::AsciiStrToLower(fs::path(path).extension().string());
}

bool IsPattern(const std::string& s) { return s.find_first_of("*?[") != std::string::npos; }

class Collector {
 public:
  void Operand(const std::string& operand) {
    std::error_code ec;
    fs::file_status status = fs::status(operand, ec);
    if (fs::exists(status)) {
      Path(operand, status);
    } else if (IsPattern(operand)) {
      Glob(operand);
    } else {
      inputs_.push_back({operand, "no such file or directory"});
    }
  }

  std::vector<Input> Take() { return std::move(inputs_); }

 private:
  void Path(const std::string& path, fs::file_status status) {
    if (fs::is_directory(status)) {
      Directory(path);
    } else {
      File(path);
    }
  }

  void File(const std::string& path) {
    std::error_code ec;
    fs::path canonical = fs::weakly_canonical(path, ec);
    if (!seen_.insert(ec ? fs::path(path) : canonical).second) return;
    inputs_.push_back({path, ""});
  }

  void Directory(const std::string& dir) {
    std::vector<std::string> files;
    std::error_code ec;
    fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
    if (ec) {
      inputs_.push_back({dir, ec.message()});
      return;
    }
    while (it != end) {
      const std::string name = it->path().filename().string();
      if (absl::StartsWith(name, ".")) {
        if (it->is_directory(ec)) it.disable_recursion_pending();
      } else if (it->is_regular_file(ec) && IsDocumentFileName(name)) {
        // is_regular_file follows a symbolic link to a file; the walk itself
        // never follows one to a directory (no loops).
        files.push_back(it->path().string());
      }
      it.increment(ec);
      if (ec) {
        inputs_.push_back({dir, "cannot walk the directory: " + ec.message()});
        break;
      }
    }
    std::sort(files.begin(), files.end());
    if (files.empty()) {
      inputs_.push_back({dir, "no document files (*.txt, *.md, *.markdown, *.html, *.htm) in this directory"});
      return;
    }
    for (const std::string& f : files) File(f);
  }

  void Glob(const std::string& pattern) {
    glob_t matches{};
    int rc = glob(pattern.c_str(), GLOB_TILDE | GLOB_BRACE, nullptr, &matches);
    if (rc == GLOB_NOMATCH || (rc == 0 && matches.gl_pathc == 0)) {
      inputs_.push_back({pattern, "no file matches this pattern"});
    } else if (rc != 0) {
      inputs_.push_back({pattern, rc == GLOB_NOSPACE ? "out of memory expanding the pattern"
                                                     : "cannot read a directory of the pattern"});
    } else {
      for (size_t i = 0; i < matches.gl_pathc; ++i) {  // glob(3) sorts them
        std::error_code ec;
        const std::string match = matches.gl_pathv[i];
        Path(match, fs::status(match, ec));
      }
    }
    globfree(&matches);
  }

  std::vector<Input> inputs_;
  std::set<fs::path> seen_;
};

}  // namespace

bool IsDocumentFileName(const std::string& path) {
  const std::string ext = LowerExtension(path);
  return ext == ".txt" || ext == ".md" || ext == ".markdown" || ext == ".html" || ext == ".htm";
}

std::string ContentTypeForPath(const std::string& path) {
  const std::string ext = LowerExtension(path);
  if (ext == ".html" || ext == ".htm") return "text/html";
  if (ext == ".md" || ext == ".markdown") return "text/markdown";
  if (ext == ".txt") return "text/plain";
  return "";
}

std::vector<Input> CollectInputs(const std::vector<std::string>& operands) {
  Collector collector;
  for (const std::string& operand : operands) collector.Operand(operand);
  return collector.Take();
}

}  // namespace pledgebook::cli
