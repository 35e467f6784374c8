// RunLiveSession end to end on generated media played as fast as it reads, with a chat replay.
// (Voice triggers over a real stream and live IRC chat: tests/live/live_test.py.)
#include "live/live_session.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/files.h"
#include "testing/media_fixtures.h"

namespace clipthat::live {
namespace {

chat::ChatMessage Msg(TimeMs t, const std::string& user, const std::string& text) {
  chat::ChatMessage m;
  m.time_ms = t;
  m.user_id = m.user_name = m.display_name = user;
  m.text = text;
  return m;
}

class LiveSessionTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("live-session-test");
    auto made = testing::MakeTestMedia(dir_->path() / "stream.mp4", {.duration_ms = 75000});
    ASSERT_TRUE(made.ok()) << made.status().ToString();
    media_ = *made;
  }
  static void TearDownTestSuite() { delete dir_; }

  LiveSessionOptions Options(const std::filesystem::path& out) {
    LiveSessionOptions o;
    o.source = media_;
    o.out_dir = out.string();
    o.realtime = false;
    o.voice_triggers = false;
    o.output = {.width = 180, .height = 320, .fps = 15};
    o.render.write_thumbnail = false;
    chat::ChatLog log;
    for (TimeMs t = 0; t < 75000; t += 3000) {
      log.messages.push_back(Msg(t, "regular" + std::to_string(t / 3000 % 7), "hello chat"));
    }
    // Three viewers ask for a clip at 40 s, two more a little later (the same moment).
    for (const auto& [t, user] : std::vector<std::pair<TimeMs, std::string>>{
             {40000, "ana"}, {40500, "bo"}, {41000, "cy"}, {43000, "di"}, {44000, "ed"}}) {
      log.messages.push_back(Msg(t, user, "CLIP IT"));
    }
    std::sort(log.messages.begin(), log.messages.end(),
              [](const auto& a, const auto& b) { return a.time_ms < b.time_ms; });
    o.chat_replay = log;
    o.vision.interval_ms = 10000;
    return o;
  }

  static std::vector<nlohmann::json> Events(const std::filesystem::path& out) {
    std::vector<nlohmann::json> lines;
    std::ifstream in(out / "events.jsonl");
    for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
    return lines;
  }

  static TempDir* dir_;
  static std::string media_;
};
TempDir* LiveSessionTest::dir_ = nullptr;
std::string LiveSessionTest::media_;

TEST_F(LiveSessionTest, AChatRequestBecomesOneClipAroundItsMoment) {
  TempDir out("live-session-out");
  std::vector<LiveClip> clips;
  std::vector<int> minutes;
  LiveSessionHooks hooks;
  hooks.on_clip = [&](const LiveClip& c) { clips.push_back(c); };
  hooks.on_minute = [&](int m) {
    minutes.push_back(m);
    return Status::Ok();
  };
  auto summary = RunLiveSession(Options(out.path()), hooks, Logger());
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->stopped_because, "end of source");
  EXPECT_NEAR(static_cast<double>(summary->watched_ms), 75000, 1000);
  EXPECT_EQ(minutes, (std::vector<int>{1, 2}));
  EXPECT_EQ(summary->minutes, 2);
  ASSERT_EQ(clips.size(), 1u) << *ReadFileToString(out.path() / "events.jsonl");
  EXPECT_EQ(summary->clips, 1);
  EXPECT_EQ(summary->failed_clips, 0);
  EXPECT_LE(clips[0].start_ms, 40000 - 5000);  // reaches back before the requests
  EXPECT_GE(clips[0].end_ms, 41000);
  EXPECT_TRUE(std::filesystem::exists(clips[0].path));
  EXPECT_EQ(std::filesystem::path(clips[0].path).filename(), "clip-01.mp4");
  EXPECT_GE(summary->ticks, 6);

  const std::vector<nlohmann::json> events = Events(out.path());
  int triggers = 0, clip_events = 0, ticks = 0, credits = 0;
  for (const nlohmann::json& e : events) {
    ASSERT_TRUE(e.contains("event") && e.contains("at_ms")) << e.dump();
    const std::string kind = e["event"];
    EXPECT_TRUE(kind == "trigger" || kind == "tick" || kind == "moment" || kind == "clip" ||
                kind == "credit" || kind == "error")
        << kind;
    if (kind == "trigger") {
      ++triggers;
      EXPECT_EQ(e["source"], "chat");
      EXPECT_TRUE(e.contains("confidence"));
      EXPECT_EQ(e["phrase"], "clip it");
    }
    if (kind == "clip") {
      ++clip_events;
      EXPECT_EQ(e["path"], clips[0].path);
      EXPECT_EQ(e["start_ms"], clips[0].start_ms);
      EXPECT_EQ(e["end_ms"], clips[0].end_ms);
      EXPECT_NE(e["reason"].get<std::string>().find("viewers asked"), std::string::npos);
    }
    if (kind == "tick") {
      ++ticks;
      EXPECT_EQ(e["scorer"], "builtin");
      EXPECT_FALSE(e["clip_worthy"].get<bool>());
    }
    if (kind == "credit") ++credits;
    EXPECT_NE(kind, "error") << e.dump();
  }
  EXPECT_EQ(triggers, 1);  // the later requests fall in the cooldown
  EXPECT_EQ(clip_events, 1);
  EXPECT_EQ(ticks, summary->ticks);
  EXPECT_EQ(credits, 2);
  EXPECT_FALSE(std::filesystem::exists(out.path() / "buffer"));
}

TEST_F(LiveSessionTest, ARefusedMinuteStopsMonitoringWithItsReason) {
  TempDir out("live-session-out");
  LiveSessionHooks hooks;
  hooks.on_minute = [](int m) {
    return m >= 2 ? ResourceExhaustedError("no credits left (balance 0)") : Status::Ok();
  };
  LiveSessionOptions o = Options(out.path());
  o.chat_replay.reset();
  auto summary = RunLiveSession(o, hooks, Logger());
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_NE(summary->stopped_because.find("no credits left"), std::string::npos);
  EXPECT_EQ(summary->minutes, 1);
  EXPECT_LT(summary->watched_ms, 65000);
  bool error_line = false;
  for (const nlohmann::json& e : Events(out.path())) {
    if (e["event"] == "error") {
      error_line = e["error"].get<std::string>().find("no credits left") != std::string::npos;
    }
  }
  EXPECT_TRUE(error_line);
}

TEST_F(LiveSessionTest, ABadSourceIsAnErrorNamingIt) {
  TempDir out("live-session-out");
  LiveSessionOptions o = Options(out.path());
  o.source = (out.path() / "missing.ts").string();
  auto summary = RunLiveSession(o, {}, Logger());
  ASSERT_FALSE(summary.ok());
  EXPECT_EQ(summary.status().code(), StatusCode::kNotFound);
  EXPECT_NE(summary.status().message().find("missing.ts"), std::string::npos);
  const std::vector<nlohmann::json> events = Events(out.path());
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back()["event"], "error");
}

TEST_F(LiveSessionTest, DurationStopsTheSession) {
  TempDir out("live-session-out");
  LiveSessionOptions o = Options(out.path());
  o.duration_ms = 20000;
  auto summary = RunLiveSession(o, {}, Logger());
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->stopped_because, "duration");
  EXPECT_LE(summary->watched_ms, 20000);
  EXPECT_EQ(summary->clips, 0);  // the requests come at 40 s
}

}  // namespace
}  // namespace clipthat::live
