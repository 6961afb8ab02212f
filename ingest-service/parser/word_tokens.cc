#include "word_tokens.h"

#include <vector>

#include "byte_scan.h"
#include "text_util.h"

namespace pledgebook::parser {
namespace {

// Bits over a range, bit k for byte begin + k, 64 to a word: what the
// tokenizer knows about each byte, computed sixteen bytes at a time. A byte
// loop branched on every byte (word or not, mispredicted every few bytes);
// here the branches are per token.
struct ByteClasses {
  std::vector<uint64_t> bits;  // six planes of `words` words each
  size_t words = 0;
  uint64_t* plane(int p) { return bits.data() + p * words; }
};
enum Plane { kWord, kDash, kJoiner, kSpace, kInWord, kStart };

// The planes for the 16 bytes at p (reads p[0] to p[17]).
inline void ClassifyBlock(const char* p, uint32_t* word, uint32_t* dash, uint32_t* joiner, uint32_t* space) {
  const Bytes16 v = Load16(p), v1 = Load16(p + 1), v2 = Load16(p + 2);
  *word = BitMask(InRange(v, '0', '9') | InRange(v | 0x20, 'a', 'z') | InRange(v, 0x80, 0xFF));
  // An en or em dash (U+2013, U+2014) ends a word: "Health—a new agency".
  *dash = BitMask(static_cast<Bool16>(v == 0xE2) & static_cast<Bool16>(v1 == 0x80) &
                  static_cast<Bool16>((v2 == 0x93) | (v2 == 0x94)));
  *joiner = BitMask(static_cast<Bool16>((v == '.') | (v == '\'') | (v == '-') | (v == '&')));
  *space = BitMask(static_cast<Bool16>(v == ' '));
}

// The same for one byte of `text`.
inline void ClassifyByte(std::string_view text, size_t i, uint32_t* word, uint32_t* dash, uint32_t* joiner,
                         uint32_t* space) {
  const unsigned char c = static_cast<unsigned char>(text[i]);
  *word = IsWordByte(c);
  *dash = c == 0xE2 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80 &&
          (static_cast<unsigned char>(text[i + 2]) == 0x93 || static_cast<unsigned char>(text[i + 2]) == 0x94);
  *joiner = c == '.' || c == '\'' || c == '-' || c == '&';
  *space = c == ' ';
}

// Bit k of a plane as if shifted up by `by` (1 or 2) across words: the bit
// of byte k - by.
inline uint64_t Before(const uint64_t* plane, size_t k, int by) {
  return (plane[k] << by) | (k > 0 ? plane[k - 1] >> (64 - by) : 0);
}
// The bit of byte k + 1.
inline uint64_t After(const uint64_t* plane, size_t k, size_t words) {
  return (plane[k] >> 1) | (k + 1 < words ? plane[k + 1] << 63 : 0);
}

// The first byte at or after `from` (offsets in the range) whose bit is
// clear, or n.
size_t NextClear(const uint64_t* plane, size_t from, size_t n) {
  if (from >= n) return n;
  size_t k = from / 64;
  uint64_t w = ~plane[k] & (~uint64_t{0} << (from % 64));
  while (w == 0) w = ~plane[++k];  // the bits past n are clear
  return std::min(n, k * 64 + static_cast<size_t>(__builtin_ctzll(w)));
}

}  // namespace

void Tokenize(std::string_view text, TextRange range, TokenList* out) {
  TokenList& tokens = *out;
  tokens.Reset(range.size() + 1);
  const size_t n = range.size();
  if (n == 0) return;
  thread_local ByteClasses classes;
  classes.words = n / 64 + 1;  // one clear word past the last bit, for NextClear
  classes.bits.assign(classes.words * 6, 0);
  uint64_t* word = classes.plane(kWord);
  uint64_t* dash = classes.plane(kDash);
  uint64_t* joiner = classes.plane(kJoiner);
  uint64_t* space = classes.plane(kSpace);
  const char* t = text.data() + range.begin;
  size_t off = 0;
  for (; off < n && range.begin + off + 18 <= text.size(); off += 16) {
    uint32_t w, d, j, s;
    ClassifyBlock(t + off, &w, &d, &j, &s);
    const int shift = static_cast<int>(off % 64);
    word[off / 64] |= uint64_t{w} << shift;
    dash[off / 64] |= uint64_t{d} << shift;
    joiner[off / 64] |= uint64_t{j} << shift;
    space[off / 64] |= uint64_t{s} << shift;
  }
  for (; off < n; ++off) {
    uint32_t w, d, j, s;
    ClassifyByte(text, range.begin + off, &w, &d, &j, &s);
    word[off / 64] |= uint64_t{w} << (off % 64);
    dash[off / 64] |= uint64_t{d} << (off % 64);
    joiner[off / 64] |= uint64_t{j} << (off % 64);
    space[off / 64] |= uint64_t{s} << (off % 64);
  }
  // Nothing past the range; no dash that the range cuts.
  const size_t last = n / 64;
  const uint64_t in_range = (uint64_t{1} << (n % 64)) - 1;
  word[last] &= in_range;
  joiner[last] &= in_range;
  space[last] &= in_range;
  for (size_t k = n < 2 ? 0 : n - 2; k < n; ++k) dash[k / 64] &= ~(uint64_t{1} << (k % 64));
  dash[last] &= in_range;

  // In a word: a word byte that is not part of a dash, or a joiner (. ' - &)
  // between a word byte (of this word) and a word byte. Tokens start where a
  // word starts, at a dash, and at every other byte but a space.
  uint64_t* in_word = classes.plane(kInWord);
  uint64_t* start = classes.plane(kStart);
  const size_t words = classes.words;
  for (size_t k = 0; k < words; ++k) {
    in_word[k] = word[k] & ~dash[k] & ~Before(dash, k, 1) & ~Before(dash, k, 2);
  }
  for (size_t k = 0; k < words; ++k) {
    const uint64_t joined = joiner[k] & Before(in_word, k, 1) & After(word, k, words);
    in_word[k] |= joined;  // a joiner is never next to a joiner: the words before stay as they were
    const uint64_t valid = k < last ? ~uint64_t{0} : k == last ? in_range : 0;
    start[k] = (in_word[k] & ~Before(in_word, k, 1)) | (valid & ~word[k] & ~space[k] & ~joined) | dash[k];
  }

  size_t done = 0;  // bytes [0, done) of the range are in tokens
  for (size_t k = 0; k < words; ++k) {
    for (uint64_t bits = start[k]; bits != 0; bits &= bits - 1) {
      const size_t s = k * 64 + static_cast<size_t>(__builtin_ctzll(bits));
      if (s < done) continue;  // inside "U.S.-Mexico"
      if (!(in_word[k] >> (s % 64) & 1)) {
        done = s + (t[s] == '\xE2' ? 3 : 1);  // a dash, or another byte
        tokens.Add(text.data(), range.begin + s, range.begin + done);
        continue;
      }
      size_t e = NextClear(in_word, s, n);
      // The last period of "U.S." or "D.C." (a short word ending in a
      // capital); "U.S.-Mexico" goes on as one word.
      while (e < n && t[e] == '.' && e - s <= 3 && IsAsciiUpper(static_cast<unsigned char>(t[e - 1]))) {
        ++e;
        if (!(e + 1 < n && t[e] == '-' && IsWordByte(static_cast<unsigned char>(t[e + 1])))) break;
        e = NextClear(in_word, e + 1, n);
      }
      done = e;
      tokens.Add(text.data(), range.begin + s, range.begin + e);
    }
  }
  if (classes.bits.size() > 6 * 1024) std::vector<uint64_t>().swap(classes.bits);  // a gigantic "sentence"
}

}  // namespace pledgebook::parser
