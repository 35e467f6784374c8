#include "live/vision_tick.h"

#include <gtest/gtest.h>

#include "ai/testing/loopback_server.h"

namespace clipthat::live {
namespace {

media::VideoFrame Flat(TimeMs at_ms, std::uint8_t value) {
  media::VideoFrame f;
  f.Allocate(64, 36, media::PixelFormat::kBgr24);
  std::fill(f.data.begin(), f.data.end(), value);
  f.pts_ms = at_ms;
  return f;
}

std::string Completion(const std::string& content) {
  return nlohmann::json{{"id", "chatcmpl-1"},
                        {"object", "chat.completion"},
                        {"choices",
                         {{{"index", 0},
                           {"message", {{"role", "assistant"}, {"content", content}}},
                           {"finish_reason", "stop"}}}}}
      .dump();
}

TEST(VisionTick, BuiltInMeasuresChangeAndFlashesAndNeverAsksForAClip) {
  VisionTick tick({.interval_ms = 10000});
  EXPECT_FALSE(tick.Due(5000));
  EXPECT_TRUE(tick.Due(10000));
  // A still picture scores 0.
  for (TimeMs t = 0; t < 10000; t += 2000) tick.PushKeyframe(Flat(t, 40));
  TickVerdict still = tick.Tick(10000);
  EXPECT_EQ(still.scorer, "builtin");
  EXPECT_EQ(still.keyframes, 5);
  EXPECT_DOUBLE_EQ(still.score, 0);
  EXPECT_FALSE(tick.Due(19999));
  // A white-out flash and big changes score high, and still ask for no clip.
  tick.PushKeyframe(Flat(12000, 40));
  tick.PushKeyframe(Flat(14000, 240));
  tick.PushKeyframe(Flat(16000, 40));
  TickVerdict busy = tick.Tick(20000);
  EXPECT_GT(busy.change, 100);
  EXPECT_GT(busy.flash, 150);
  EXPECT_DOUBLE_EQ(busy.score, 1.0);
  EXPECT_FALSE(busy.clip_worthy);
}

TEST(VisionTick, RemoteVerdictFromAChatCompletionsServerWithTheFrame) {
  ai::testing::LoopbackServer server;
  nlohmann::json request;
  std::string answer = R"({"score": 0.93, "clip_worthy": true, "description": "boss dies"})";
  server.server().Post("/v1/chat/completions",
                       [&](const httplib::Request& req, httplib::Response& res) {
                         request = nlohmann::json::parse(req.body, nullptr, false);
                         res.set_content(Completion(answer), "application/json");
                       });
  ASSERT_TRUE(server.Start());
  ai::ChatOptions options;
  options.http.base_url = server.url();
  options.http.retries = 0;
  auto client = ai::ChatClient::Create(options);
  ASSERT_TRUE(client.ok()) << client.status().ToString();
  VisionTick tick({.interval_ms = 30000}, std::move(*client));
  tick.PushKeyframe(Flat(28000, 90));
  TickVerdict v = tick.Tick(30000);
  EXPECT_EQ(v.scorer, "remote");
  EXPECT_TRUE(v.clip_worthy);
  EXPECT_DOUBLE_EQ(v.score, 0.93);
  EXPECT_EQ(v.description, "boss dies");
  ASSERT_TRUE(request.is_object());
  EXPECT_EQ(request["response_format"]["json_schema"]["name"], "tick");
  const std::string body = request.dump();
  EXPECT_NE(body.find("data:image/jpeg;base64,"), std::string::npos);

  // Unsure or not worth it: no clip. A broken answer falls back to the built-in verdict.
  answer = R"({"score": 0.5, "clip_worthy": true, "description": "menu"})";
  tick.PushKeyframe(Flat(58000, 90));
  EXPECT_FALSE(tick.Tick(60000).clip_worthy);
  answer = "not json at all";
  tick.PushKeyframe(Flat(88000, 90));
  TickVerdict fallback = tick.Tick(90000);
  EXPECT_EQ(fallback.scorer, "builtin");
  EXPECT_FALSE(fallback.clip_worthy);
  EXPECT_FALSE(fallback.error.empty());
}

}  // namespace
}  // namespace clipthat::live
