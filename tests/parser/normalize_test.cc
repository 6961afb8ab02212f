#include <gtest/gtest.h>

#include "parser/normalize_text.h"
#include "parser/parse_document.h"

namespace {

using pledgebook::parser::NormalizeText;

TEST(NormalizeTest, TypographyAndLineEnds) {
  auto out = NormalizeText("a\xC2\xA0" "b \xE2\x80\x9Cq\xE2\x80\x9D it\xE2\x80\x99s \xE2\x80\x93 x\r\ny\rz soft\xC2\xADhyphen");
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, "a b \"q\" it's - x\ny\nz softhyphen");
}

TEST(NormalizeTest, ComposesToNfc) {
  auto out = NormalizeText("Yucata\xCC\x81n");  // "a" + combining acute
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, "Yucat\xC3\xA1n");
}

TEST(NormalizeTest, RejectsBadBytesWithOffset) {
  auto invalid = NormalizeText("abc\xFF");
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(invalid.status().message().find("offset 3"), std::string::npos);
  auto binary = NormalizeText(std::string("a\0b", 3));
  ASSERT_FALSE(binary.ok());
  EXPECT_NE(binary.status().message().find("NUL"), std::string::npos);
  EXPECT_FALSE(NormalizeText("").ok());
}

TEST(NormalizeTest, ParserReportsFieldAndLimit) {
  pledgebook::v1::DocumentSource source;
  source.set_content(std::string(100, 'x'));
  pledgebook::parser::ParserLimits limits;
  limits.max_document_bytes = 10;
  auto doc = pledgebook::parser::ParseDocument(source, limits);
  ASSERT_FALSE(doc.ok());
  EXPECT_NE(doc.status().message().find("max_document_bytes"), std::string::npos);
  source.set_content_type("application/pdf");
  auto pdf = pledgebook::parser::ParseDocument(source);
  ASSERT_FALSE(pdf.ok());
  EXPECT_EQ(pdf.status().message().rfind("source.content_type", 0), 0u);
}

}  // namespace
