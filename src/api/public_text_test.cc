#include "api/public_text.h"

#include <gtest/gtest.h>

namespace clipthat::api {
namespace {

TEST(PublicTextTest, AbsolutePathsAreCutToTheirLastComponent) {
  EXPECT_EQ(PublicText("ffmpeg: /var/tmp/clipthat-job-1/in.mp4: Invalid data"),
            "ffmpeg: in.mp4: Invalid data");
  EXPECT_EQ(PublicText("/srv/clipthat/objects/vods/x/media.mp4 missing"), "media.mp4 missing");
  EXPECT_EQ(PublicText("cannot open '/home/op/fonts/Brand.ttf'"), "cannot open 'Brand.ttf'");
}

TEST(PublicTextTest, UrlsRelativeKeysAndPlainTextAreKept) {
  for (const char* kept : {"url: https://example.com/a/b.mp4: fetch failed",
                           "object vods/abc/media.mp4: append at offset 3",
                           "title: at most 200 bytes", "1/2 done", "a / b"}) {
    EXPECT_EQ(PublicText(kept), kept);
  }
}

TEST(PublicTextTest, DatabaseInternalsAreNotShownAtAll) {
  for (const char* internal :
       {"sqlite: INSERT INTO templates (id) VALUES ($1): no such table: templates",
        "UNIQUE constraint failed: users.email",
        "ERROR:  relation \"templates\" does not exist (SQLSTATE 42P01)",
        "postgres: duplicate key value violates unique constraint \"users_email_key\""}) {
    EXPECT_EQ(PublicText(internal), std::nullopt) << internal;
  }
  EXPECT_EQ(PublicText("cannot update a finished job"), "cannot update a finished job");
}

}  // namespace
}  // namespace clipthat::api
