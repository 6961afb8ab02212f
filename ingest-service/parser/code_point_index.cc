#include "code_point_index.h"

namespace pledgebook::parser {
namespace {
bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }
}  // namespace

CodePointIndex::CodePointIndex(std::string_view text) : text_(text) {
  checkpoints_.reserve(text.size() / kStride + 1);
  int32_t count = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (i % kStride == 0) checkpoints_.push_back(count);
    if (!IsContinuation(text[i])) ++count;
  }
  if (text.size() % kStride == 0) checkpoints_.push_back(count);
}

int32_t CodePointIndex::ToCodePoint(size_t byte) const {
  if (byte > text_.size()) byte = text_.size();
  size_t block = byte / kStride;
  int32_t count = checkpoints_[block];
  for (size_t i = block * kStride; i < byte; ++i) {
    if (!IsContinuation(text_[i])) ++count;
  }
  return count;
}

}  // namespace pledgebook::parser
