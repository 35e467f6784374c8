#include "api/byte_ranges.h"

#include <gtest/gtest.h>

namespace clipthat::api {
namespace {

TEST(RangeUnsatisfiableTest, OnlyWhenEveryRangeStartsPastTheEnd) {
  EXPECT_TRUE(RangeUnsatisfiable("bytes=999999999-", 1000));
  EXPECT_TRUE(RangeUnsatisfiable("bytes=1000-1001, 2000-", 1000));
  EXPECT_TRUE(RangeUnsatisfiable("bytes=-0", 1000));
  EXPECT_TRUE(RangeUnsatisfiable("bytes=-5", 0));
  EXPECT_FALSE(RangeUnsatisfiable("bytes=0-499", 1000));
  EXPECT_FALSE(RangeUnsatisfiable("bytes=2000-, 999-", 1000));
  EXPECT_FALSE(RangeUnsatisfiable("bytes=-500", 1000));
}

TEST(RangeUnsatisfiableTest, IgnoresMalformedHeadersAndOtherUnits) {
  EXPECT_FALSE(RangeUnsatisfiable("", 0));
  EXPECT_FALSE(RangeUnsatisfiable("items=5-", 1));
  EXPECT_FALSE(RangeUnsatisfiable("bytes=", 1));
  EXPECT_FALSE(RangeUnsatisfiable("bytes=5", 1));
  EXPECT_FALSE(RangeUnsatisfiable("bytes=9-5", 1));
  EXPECT_FALSE(RangeUnsatisfiable("bytes=+5-", 1));
  EXPECT_FALSE(RangeUnsatisfiable("bytes=9999999999999999999-", 1));  // 19 digits
}

TEST(ParseContentRangeTest, ReadsTheCompleteForm) {
  Result<ContentRange> r = ParseContentRange("bytes 0-1048575/73400320");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, (ContentRange{.start = 0, .end = 1048575, .total = 73400320}));
  EXPECT_TRUE(ParseContentRange("bytes 9-9/10").ok());
}

TEST(ParseContentRangeTest, RefusesOtherFormsAndNumbersOutOfOrder) {
  for (const char* bad :
       {"", "bytes */10", "bytes 0-9/*", "bytes 0-9", "bytes -1-9/10", "bytes 0--9/10",
        "bytes 0-9/10x", "bytes 0-99999999999999999999/1", "items 0-9/10", "bytes 0-9 /10"}) {
    Result<ContentRange> r = ParseContentRange(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().message(), "expected 'bytes START-END/TOTAL'") << bad;
  }
  EXPECT_EQ(ParseContentRange("bytes 5-4/10").status().message(),
            "END must be >= START and < TOTAL");
  EXPECT_EQ(ParseContentRange("bytes 0-10/10").status().message(),
            "END must be >= START and < TOTAL");
}

}  // namespace
}  // namespace clipthat::api
