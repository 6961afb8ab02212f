#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace pledgebook::parser {

// Turns untrusted bytes into the normalized text every span refers to:
// valid UTF-8 in NFC, LF line ends, plain spaces for no-break and other
// spaces, ASCII quotes and hyphens, and no soft hyphens, zero-width or
// control characters. Analysts search and quote this text, so the mapping is
// deliberately conservative: it never drops a visible character other than
// those listed.
//
// Returns INVALID_ARGUMENT for empty input, invalid UTF-8 and binary content
// (NUL bytes), naming the byte offset of the problem: the errors of
// ValidateText, which it need not be preceded by (text that NFC leaves
// alone is validated and mapped in one pass).
absl::StatusOr<std::string> NormalizeText(std::string_view bytes);

// The validation part alone: OK for non-empty, valid UTF-8 without NUL bytes.
absl::Status ValidateText(std::string_view bytes);

}  // namespace pledgebook::parser
