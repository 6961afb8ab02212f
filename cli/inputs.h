#pragma once

// Which files `pledgebook ingest` sends, from its operands:
//   - a file: itself, whatever its name;
//   - a directory: every document file below it, recursively (*.txt, *.md,
//     *.markdown, *.html, *.htm, any letter case), skipping hidden entries
//     (names starting with "."), without following symbolic links to
//     directories, in name order;
//   - a glob pattern the shell did not expand (it names no existing file and
//     holds *, ? or [): expanded with glob(3) (with ~ and {a,b}), each match
//     taken as if it had been named (so the result is the same whether the
//     shell or the CLI expanded it).
// The same file named twice is sent once.

#include <string>
#include <vector>

namespace pledgebook::cli {

struct Input {
  std::string path;   // as named or found
  std::string error;  // set when the operand gave nothing to read ("no such file or directory")
};

// The inputs of `operands`, in order. An operand that gives nothing (a path
// that does not exist, a pattern that matches nothing, a directory without
// document files) yields one Input with `error` set.
std::vector<Input> CollectInputs(const std::vector<std::string>& operands);

// True for the extensions a directory walk picks up.
bool IsDocumentFileName(const std::string& path);

// The MIME type for a file name ("text/html" for .html/.htm, "text/markdown"
// for .md/.markdown, "text/plain" for .txt), or "" to let the parser sniff.
std::string ContentTypeForPath(const std::string& path);

}  // namespace pledgebook::cli
