// `clipthat analyze --chat FILE` without a VOD, end to end: moments ranked from a chat replay
// alone, on replays with the shape of real chat (written by the test: a quiet stretch, a busy
// one, bot spam, a copy-pasta raid, one viewer's emote wall, reactions of different sizes),
// and, when the real-chat development set is built (CLIPTHAT_REALCHAT_DIR, default
// /tmp/realchat-dev; ../shared/realchat/README.md), the titles on real replays.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <set>

#include "command_runner.h"
#include "core/files.h"

namespace clipthat {
namespace {

namespace fs = std::filesystem;
using testing::RunCommand;
using json = nlohmann::json;

const std::string kBin = CLIPTHAT_BIN;

json ReadJson(const fs::path& p) {
  std::ifstream in(p);
  return json::parse(in, nullptr, /*allow_exceptions=*/false);
}

struct Replay {
  json comments = json::array();
  int next_id = 0;
  void Add(double t_s, const std::string& user, const std::string& text) {
    comments.push_back({{"_id", std::to_string(next_id++)},
                        {"content_offset_seconds", t_s},
                        {"commenter", {{"_id", user}, {"name", user}, {"display_name", user}}},
                        {"message", {{"body", text}}}});
  }
};

// Two hours: a quiet first hour (~0.3 msg/s), a busy second (~3 msg/s), Nightbot every
// 5 minutes, a viewer who posts an emote wall every 20 s, a copy-pasta raid of 120 new
// accounts at 1:10:00, and three reactions: a big one at 0:40:00 in the quiet hour, a medium
// one at 1:30:00 and a small one at 1:50:00 in the busy hour.
json MakeReplay() {
  std::mt19937 rng(5);
  Replay r;
  std::vector<std::tuple<double, std::string, std::string>> all;
  auto add = [&](double t, std::string u, std::string text) { all.emplace_back(t, u, text); };
  const char* lines[] = {"what game is this", "hi chat",          "that boss is so hard",
                         "any tips",          "this music slaps", "how long is the stream",
                         "@streamer hello",   "nice play",        "lol what",
                         "i love this map"};
  std::exponential_distribution<double> quiet(0.3), busy(3.0);
  std::uniform_int_distribution<int> viewer(0, 400), line(0, 9);
  for (double t = 0; t < 7200;) {
    t += t < 3600 ? quiet(rng) : busy(rng);
    add(t, "v" + std::to_string(viewer(rng)), lines[line(rng)]);
  }
  for (double t = 60; t < 7200; t += 300)
    add(t, "nightbot", "Follow the channel and join the discord!");
  for (double t = 30; t < 7200; t += 20) add(t, "emotewall", "PogChamp PogChamp PogChamp PogChamp");
  for (int i = 0; i < 120; ++i) {
    add(4200 + i * 0.2, "raider" + std::to_string(i),
        "RAID TwitchUnity the raid squad has arrived TwitchUnity RAID");
  }
  auto reaction = [&](double at, int viewers) {
    const char* laughs[] = {"KEKW",     "LMAO",   "hahahaha",       "ㅋㅋㅋㅋㅋ",
                            "OMEGALUL", "no way", "WHO IS THIS GUY"};
    std::uniform_real_distribution<double> when(0, 14);
    for (int i = 0; i < viewers; ++i)
      add(at + 3 + when(rng), "r" + std::to_string(i), laughs[i % 7]);
  };
  reaction(2400, 140);
  reaction(5400, 100);
  reaction(6600, 70);
  std::sort(all.begin(), all.end());
  for (auto& [t, u, text] : all) r.Add(t, u, text);
  return {{"video", {{"id", "1"}, {"length", 7200}}}, {"comments", r.comments}};
}

bool Overlaps(const json& m, double at_s) {
  return m["start_ms"].get<double>() <= (at_s + 20) * 1000 &&
         at_s * 1000 < m["end_ms"].get<double>();
}

// A title word that is an emote code: a known emote name, or a channel emote ("kimdoeGT").
bool HasEmoteCode(const std::string& title) {
  static const std::regex channel_emote("(^| )[a-z][a-z0-9]{2,}[A-Z0-9][A-Za-z0-9_]*( |$)");
  static const std::set<std::string> names = {
      "KEKW", "LUL", "OMEGALUL", "PogChamp", "Kappa", "Pog", "TwitchUnity", "LULW", "POGGERS"};
  std::istringstream words(title);
  for (std::string w; words >> w;) {
    if (names.count(w)) return true;
  }
  return std::regex_search(title, channel_emote);
}

class ChatOnlyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    chat_ = dir_.path() / "chat.json";
    std::ofstream(chat_) << MakeReplay().dump();
  }
  TempDir dir_;
  fs::path chat_;
};

TEST_F(ChatOnlyTest, RanksReactionsByHowManyReactedAndIgnoresSpam) {
  const fs::path out = dir_.path() / "moments.json";
  auto r = RunCommand(
      {kBin, "analyze", "--chat", chat_.string(), "-o", out.string(), "--top", "5", "--quiet"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json doc = ReadJson(out);
  ASSERT_TRUE(doc.is_object());
  EXPECT_EQ(doc["source"]["path"], "");
  EXPECT_EQ(doc["source"]["duration_ms"], 7200000);  // the replay's video.length
  const json& ms = doc["moments"];
  ASSERT_GE(ms.size(), 3u);
  // The three reactions, in order of size; the big one in the quiet hour first.
  EXPECT_TRUE(Overlaps(ms[0], 2400)) << ms[0].dump();
  EXPECT_TRUE(Overlaps(ms[1], 5400)) << ms[1].dump();
  EXPECT_TRUE(Overlaps(ms[2], 6600)) << ms[2].dump();
  std::set<long long> lengths;
  for (const json& m : ms) {
    // The copy-pasta raid counts its first copies only: never above a reaction.
    EXPECT_FALSE(Overlaps(m, 4200) && &m - &ms[0] < 3) << m.dump();
    lengths.insert(m["end_ms"].get<long long>() - m["start_ms"].get<long long>());
    const std::string title = m["title"];
    EXPECT_FALSE(title.empty());
    EXPECT_FALSE(HasEmoteCode(title)) << title;
    EXPECT_TRUE(m["words"].empty());  // no audio: no words, no word titles
    EXPECT_TRUE(m["triggers"].empty()) << m.dump();
    // The evidence timeline covers the window, one sample a second, the signals adding up.
    const json& tl = m["timeline"];
    ASSERT_TRUE(tl.is_object()) << m.dump();
    EXPECT_EQ(tl["start_ms"], m["start_ms"]);
    const size_t n = tl["score"].size();
    EXPECT_NEAR(static_cast<double>(n),
                (m["end_ms"].get<double>() - m["start_ms"].get<double>()) / 1000.0, 1.0);
    ASSERT_TRUE(tl["signals"].contains("chat_chatters"));
    EXPECT_EQ(tl["signals"]["chat_chatters"].size(), n);
  }
  EXPECT_EQ(ms[0]["title"], "Who is this guy");  // what the most viewers wrote
  EXPECT_GT(lengths.size(), 1u) << "every moment the same length";
  EXPECT_TRUE(doc.contains("overview"));
  EXPECT_EQ(doc["overview"]["score"].size(), 720u);  // 2 h at 10 s
}

TEST_F(ChatOnlyTest, DurationFlagAndErrors) {
  const fs::path out = dir_.path() / "m.json";
  auto r = RunCommand({kBin, "analyze", "--chat", chat_.string(), "-o", out.string(), "--duration",
                       "3000", "--quiet"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json doc = ReadJson(out);
  EXPECT_EQ(doc["source"]["duration_ms"], 3000000);
  for (const json& m : doc["moments"]) EXPECT_LE(m["end_ms"].get<long long>(), 3000000);

  EXPECT_EQ(RunCommand({kBin, "analyze", "-o", out.string()}).exit_code, 2);  // nothing to rank
  const fs::path empty = dir_.path() / "empty.json";
  std::ofstream(empty) << R"({"comments": []})";
  auto e = RunCommand({kBin, "analyze", "--chat", empty.string(), "-o", out.string()});
  EXPECT_EQ(e.exit_code, 1);
  EXPECT_NE(e.err.find(empty.string()), std::string::npos) << e.err;
  EXPECT_NE(e.err.find("no chat messages"), std::string::npos) << e.err;
}

// The titles of chat-only moments on the real development set, when it is built: never an
// emote code, never one word repeated, never words (there is no audio to hear them in).
TEST(RealChatTitlesTest, NoEmoteCodesNoRepeatedWordsNoWords) {
  const char* env = std::getenv("CLIPTHAT_REALCHAT_DIR");
  const fs::path root = env != nullptr ? env : "/tmp/realchat-dev";
  std::vector<fs::path> replays;
  if (fs::is_directory(root)) {
    for (const auto& e : fs::directory_iterator(root)) {
      if (fs::exists(e.path() / "chat.json")) replays.push_back(e.path() / "chat.json");
    }
  }
  if (replays.empty()) GTEST_SKIP() << "no real-chat replays in " << root;
  std::sort(replays.begin(), replays.end());
  TempDir dir;
  int titles = 0, phrases = 0;
  for (const fs::path& chat : replays) {
    const fs::path out = dir.path() / "m.json";
    auto r = RunCommand(
        {kBin, "analyze", "--chat", chat.string(), "-o", out.string(), "--top", "20", "--quiet"});
    ASSERT_EQ(r.exit_code, 0) << chat << ": " << r.err;
    const json doc = ReadJson(out);
    ASSERT_TRUE(doc.contains("moments")) << chat;
    for (const json& m : doc["moments"]) {
      const std::string title = m["title"];
      ++titles;
      EXPECT_FALSE(HasEmoteCode(title)) << chat << ": " << title;
      EXPECT_TRUE(m["words"].empty()) << chat;
      if (title.find(" at ") != std::string::npos) continue;  // a fallback: what happened, when
      ++phrases;
      std::set<std::string> distinct;
      std::istringstream words(title);
      for (std::string w; words >> w;) {
        std::transform(w.begin(), w.end(), w.begin(),
                       [](unsigned char c) { return std::tolower(c); });
        distinct.insert(w);
      }
      EXPECT_GE(distinct.size(), 2u) << chat << ": " << title;
    }
  }
  std::printf("FIGURE real-chat titles: %d moments, %d titled from a chat line\n", titles, phrases);
  EXPECT_GT(titles, 0);
}

}  // namespace
}  // namespace clipthat
