#include "core/json_document.h"

#include <gtest/gtest.h>

#include <string>

#include "core/files.h"

namespace clipthat {
namespace {

std::string Nested(int levels, char open, char close) {
  return std::string(static_cast<std::size_t>(levels), open) +
         std::string(static_cast<std::size_t>(levels), close);
}

TEST(JsonNestingDepthTest, CountsArraysAndObjectsOutsideStrings) {
  EXPECT_EQ(JsonNestingDepth("1"), 0);
  EXPECT_EQ(JsonNestingDepth(R"({"a": [1, {"b": []}]})"), 4);
  EXPECT_EQ(JsonNestingDepth(R"({"a": "[[[[{{{{"})"), 1);
  EXPECT_EQ(JsonNestingDepth(R"(["quote \" [[[ still a string"])"), 1);
  EXPECT_EQ(JsonNestingDepth(R"(["backslash at the end \\", [[]]])"), 3);
  EXPECT_EQ(JsonNestingDepth(Nested(100000, '[', ']')), 100000);
}

TEST(ParseJsonDocumentTest, RefusesDeepNestingBeforeParsing) {
  // 100,000 levels in 200 KB: parsed, a recursive dump or copy of it would overflow the stack.
  const std::string deep = R"({"captions": )" + Nested(100000, '[', ']') + "}";
  Result<nlohmann::json> doc = ParseJsonDocument(deep, "template");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(doc.status().message(), "template: nested deeper than 64 levels");
}

TEST(ParseJsonDocumentTest, AcceptsTheDeepestAllowedAndUsesIt) {
  Result<nlohmann::json> doc = ParseJsonDocument(Nested(64, '[', ']'), "body");
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  EXPECT_EQ(doc->dump().size(), 128u);
  EXPECT_FALSE(ParseJsonDocument(Nested(65, '{', '}'), "body").ok());
  EXPECT_TRUE(ParseJsonDocument(Nested(3, '[', ']'), "body", {.max_depth = 3}).ok());
  EXPECT_FALSE(ParseJsonDocument(Nested(4, '[', ']'), "body", {.max_depth = 3}).ok());
}

TEST(ParseJsonDocumentTest, RefusesLongTextAndNamesTheLimit) {
  Result<nlohmann::json> doc =
      ParseJsonDocument(R"({"a": "0123456789"})", "body", {.max_bytes = 10});
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().message(), "body: 19 bytes is more than the 10 allowed");
}

TEST(ParseJsonDocumentTest, NamesWhereTheSyntaxBreaks) {
  Result<nlohmann::json> doc = ParseJsonDocument(R"({"a": 1,})", "edit.json");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().code(), StatusCode::kInvalidArgument);
  const std::string m = doc.status().message();
  EXPECT_EQ(m.rfind("edit.json: not JSON: parse error at line 1, column 9", 0), 0u) << m;
  EXPECT_FALSE(ParseJsonDocument("", "body").ok());
  EXPECT_FALSE(ParseJsonDocument("[1] [2]", "body").ok());
}

// Found by fuzz/json_document_fuzz: the parser stopped at a NUL byte and accepted the rest unread.
TEST(ParseJsonDocumentTest, RefusesANulByteAndWhatFollows) {
  using namespace std::string_view_literals;
  Result<nlohmann::json> doc = ParseJsonDocument("{\"a\": 1}\0[\"unread\""sv, "body");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().message(), "body: not JSON: a NUL byte at byte 8");
  EXPECT_FALSE(ParseJsonDocument("\"a\0b\""sv, "body").ok());
}

// Found by fuzz/json_document_fuzz: a number beyond a double threw out of the parser.
TEST(ParseJsonDocumentTest, RefusesANumberTooLargeForADouble) {
  Result<nlohmann::json> doc = ParseJsonDocument(R"({"start_ms": 1e400})", "body");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().message(), "body: not JSON: number overflow parsing '1e400'");
}

TEST(ReadJsonFileTest, ReadsNamesAndBoundsFiles) {
  TempDir dir;
  const auto path = dir.path() / "doc.json";
  ASSERT_TRUE(WriteFileAtomically(path, R"({"version": 1})").ok());
  Result<nlohmann::json> doc = ReadJsonFile(path);
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  EXPECT_EQ((*doc)["version"], 1);

  Result<nlohmann::json> big = ReadJsonFile(path, {.max_bytes = 4});
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.status().message(), path.string() + ": 14 bytes is more than the 4 allowed");

  Result<nlohmann::json> missing = ReadJsonFile(dir.path() / "none.json");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace clipthat
