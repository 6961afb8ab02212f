#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "text_range.h"

namespace pledgebook::parser {

// A word or punctuation mark of a sentence, for the organization finder.
struct Token {
  TextRange range;
  std::string_view text;
  // Whether the word, a possessive 's aside, is an organization word
  // ("Agency's"): -1 until asked. The rules ask about the same tokens often.
  mutable int8_t organization_word = -1;
};

// A sentence's tokens, in a buffer kept per thread and grown to the longest
// sentence seen (at most one token per byte): adding a token is a store.
class TokenList {
 public:
  void Reset(size_t max_tokens) {
    if (max_tokens > capacity_) {
      buffer_ = std::make_unique<Token[]>(max_tokens);
      capacity_ = max_tokens;
    }
    size_ = 0;
  }
  // A huge buffer (a gigantic one-line "sentence") is not kept.
  void Trim() {
    if (capacity_ > (1 << 16)) *this = TokenList();
  }
  void Add(const char* text, size_t b, size_t e) { buffer_[size_++] = {{b, e}, std::string_view(text + b, e - b)}; }
  size_t size() const { return size_; }
  const Token& operator[](size_t k) const { return buffer_[k]; }
  const Token* begin() const { return buffer_.get(); }
  const Token* end() const { return buffer_.get() + size_; }

 private:
  std::unique_ptr<Token[]> buffer_;
  size_t size_ = 0, capacity_ = 0;
};

// Splits `range` of `text` into tokens: words (ASCII letters and digits and
// any byte >= 0x80, joined by an inner period, apostrophe, hyphen or
// ampersand: "U.S.", "Mexico's", "Public-Private", "AT&T"; the last period
// of a short capitalized abbreviation: "U.S.", "D.C."), en and em dashes,
// and every other byte but a space, one token each. `range` ends at a
// character boundary (a dash cut by its end is read as word bytes).
void Tokenize(std::string_view text, TextRange range, TokenList* out);

}  // namespace pledgebook::parser
