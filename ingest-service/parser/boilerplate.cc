#include "boilerplate.h"

#include <cctype>

#include "byte_scan.h"
#include "text_util.h"

#include "re2/re2.h"

namespace pledgebook::parser {
namespace {

// Lines that start with a call to action or a piece of site navigation.
const RE2& CallToAction() {
  static const RE2 re(
      R"((?i)^(?:sign up|subscribe|opt[ -]in|opt out|follow us|share this(?: page)?|)"
      R"(scroll to top|back to top|return to top|stay connected|connect with us|contact us|)"
      R"(privacy policy|terms of (?:use|service)|accessibility statement|accept( all)?( cookies)?|)"
      R"(decline|reject all|cookie settings|we use cookies|this site uses cookies|)"
      R"(skip to (?:main )?content|toggle menu|open menu|close menu|copy link|)"
      R"(download (?:the )?app|get updates|join (?:our|the) (?:mailing list|newsletter)|)"
      R"(enter your email|your email address)\b)");
  return re;
}

// Navigation words that are chrome only as a line of their own ("Share",
// "Print", "Facebook"): in a sentence they are ordinary words.
const RE2& NavigationWord() {
  static const RE2 re(
      R"((?i)^(?:share|print|email|search|submit|menu|home|tweet|facebook|twitter|x|)"
      R"(instagram|linkedin|youtube|read more|learn more|next|previous|top)$)");
  return re;
}

// A sentence addressed to the reader inviting them to receive messages.
const RE2& ReaderInvitation() {
  static const RE2 re(
      R"((?i)\b(?:newsletter|text messages?|email updates|mailing list|get involved|)"
      R"(we'll be in touch|we will be in touch|sign up|subscribe|unsubscribe|cookies?)\b)");
  return re;
}

bool HasSecondPerson(std::string_view line) {
  static const RE2 re(R"((?i)\b(?:you|your)\b)");
  return RE2::PartialMatch(line, re);
}

// "Scroll to Top Scroll to Top": the line is one phrase written twice.
bool IsRepeatedPhrase(std::string_view line) {
  line = StripWhitespace(line);
  if (line.size() < 4 || line.size() % 2 == 0) return false;
  size_t half = line.size() / 2;
  return line[half] == ' ' && line.substr(0, half) == line.substr(half + 1);
}

}  // namespace

// A word starts at each non-space byte that the line's start or a space
// precedes: counted 16 bytes at a time.
int CountWords(std::string_view line) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n'; };
  if (line.empty()) return 0;
  const char* p = line.data();
  int words = space(p[0]) ? 0 : 1;
  size_t i = 1;
  for (; i + 16 <= line.size(); i += 16) {
    const Bytes16 b = Load16(p + i), prev = Load16(p + i - 1);
    const Bool16 blank = (b == ' ') | (b == '\t') | (b == '\n');
    const Bool16 prev_blank = (prev == ' ') | (prev == '\t') | (prev == '\n');
    words += PopCount(BitMask(~blank & prev_blank));
  }
  for (; i < line.size(); ++i) words += !space(p[i]) && space(p[i - 1]);
  return words;
}

bool IsChromeLine(std::string_view line) {
  line = StripWhitespace(line);
  if (line.empty()) return false;
  if (IsRepeatedPhrase(line) && CountWords(line) <= 12) return true;
  const int words = CountWords(line);
  if (words <= 12 && RE2::PartialMatch(line, CallToAction())) return true;
  if (words <= 2 && RE2::FullMatch(line, NavigationWord())) return true;
  // A longer sentence counts only when it speaks to the reader and invites
  // them to sign up for messages: body text rarely does both.
  return words <= 60 && HasSecondPerson(line) && RE2::PartialMatch(line, ReaderInvitation());
}

bool IsMenuLikeLine(std::string_view line) {
  line = StripWhitespace(line);
  if (line.empty() || CountWords(line) > 4) return false;
  for (char c : line) {
    if (IsAsciiDigit(static_cast<unsigned char>(c))) return false;
  }
  char last = line.back();
  if (last == '.' || last == ',' || last == ';' || last == ':' || last == '?' || last == '!') {
    return false;
  }
  return IsAsciiUpper(static_cast<unsigned char>(line.front())) != 0;
}

}  // namespace pledgebook::parser
