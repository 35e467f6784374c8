#include "api/twitch_url.h"

#include <gtest/gtest.h>

namespace clipthat::api {
namespace {

TEST(TwitchUrlTest, RealFormsBecomeTheirCanonicalUrl) {
  const std::pair<const char*, const char*> forms[] = {
      {"https://www.twitch.tv/videos/123456789", "https://www.twitch.tv/videos/123456789"},
      {"http://twitch.tv/videos/1?t=1h2m3s", "https://www.twitch.tv/videos/1"},
      {"https://M.Twitch.TV/videos/42/", "https://www.twitch.tv/videos/42"},
      {"https://www.twitch.tv./videos/7", "https://www.twitch.tv/videos/7"},
      {"https://www.twitch.tv/some_streamer/video/99", "https://www.twitch.tv/videos/99"},
      {"https://go.twitch.tv/some_streamer/clip/Funny-Slug_1",
       "https://clips.twitch.tv/Funny-Slug_1"},
      {"https://clips.twitch.tv/Funny-Slug_1", "https://clips.twitch.tv/Funny-Slug_1"},
      {"https://www.twitch.tv/some_streamer", "https://www.twitch.tv/some_streamer"},
  };
  for (const auto& [given, canonical] : forms) {
    ASSERT_TRUE(IsTwitchUrl(given)) << given;
    Result<TwitchUrl> parsed = ParseTwitchUrl(given);
    ASSERT_TRUE(parsed.ok()) << given << ": " << parsed.status().ToString();
    EXPECT_EQ(parsed->url, canonical);
    EXPECT_EQ(parsed->host,
              std::string(canonical).substr(8, std::string(canonical).find('/', 8) - 8));
  }
}

TEST(TwitchUrlTest, OtherFormsUnderTwitchAreRefusedWithTheReason) {
  const std::pair<const char*, const char*> refused[] = {
      {"https://evil.twitch.tv/videos/1", "url: 'evil.twitch.tv' is not a Twitch host"},
      {"https://169.254.169.254.twitch.tv/", "url: '169.254.169.254.twitch.tv' is not a Twitch"},
      {"https://www.twitch.tv:8080/videos/1", "url: a Twitch URL has no port"},
      {"https://www.twitch.tv/videos/1/../x", "url: not a Twitch video, clip or channel URL"},
      {"https://www.twitch.tv/videos/12a", "url: not a Twitch video, clip or channel URL"},
      {"https://www.twitch.tv/a/b/c/d", "url: not a Twitch video, clip or channel URL"},
      {"https://www.twitch.tv/abcdefghijklmnopqrstuvwxyz", "url: not a Twitch video"},
      {"https://clips.twitch.tv/", "url: not a Twitch video, clip or channel URL"},
  };
  for (const auto& [given, message] : refused) {
    EXPECT_TRUE(IsTwitchUrl(given)) << given;
    Result<TwitchUrl> parsed = ParseTwitchUrl(given);
    ASSERT_FALSE(parsed.ok()) << given;
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
    EXPECT_TRUE(parsed.status().message().starts_with(message)) << parsed.status().message();
  }
}

TEST(TwitchUrlTest, LookalikeHostsAreNotTwitch) {
  for (const char* url : {"https://twitch.tv.example.com/videos/1", "https://nottwitch.tv/videos/1",
                          "https://www.twitch.tvx/videos/1", "ftp://twitch.tv/videos/1"}) {
    EXPECT_FALSE(IsTwitchUrl(url)) << url;
    EXPECT_FALSE(ParseTwitchUrl(url).ok()) << url;
  }
}

}  // namespace
}  // namespace clipthat::api
