#include "sample/chat_replay.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "sample/phrases.h"
#include "sample/rng.h"

namespace clipthat::sample {
namespace {

constexpr double kMinRatePerS = 0.3;
constexpr double kMaxRatePerS = 1.0;
constexpr TimeMs kRateBlockMs = 60'000;  // background rate drifts once a minute
constexpr TimeMs kBurstMs = 15'000;
constexpr double kBurstPeakRatePerS = 8.0;
constexpr double kBurstDecayS = 6.0;

std::string CapitalizeFirst(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

std::vector<ChatUser> MakeUsers(Rng& rng, int count) {
  const auto& parts = UserNameParts();
  std::vector<ChatUser> users;
  std::vector<std::string> seen;
  while (static_cast<int>(users.size()) < count) {
    std::string a = rng.Pick(parts), b = rng.Pick(parts);
    std::string digits = rng.Chance(0.6) ? std::to_string(rng.Int(1, 9999)) : "";
    std::string name = a + (rng.Chance(0.3) ? "_" : "") + b + digits;
    if (std::find(seen.begin(), seen.end(), name) != seen.end()) continue;
    seen.push_back(name);
    ChatUser u;
    u.name = name;
    u.display_name = rng.Chance(0.5) ? CapitalizeFirst(a) + CapitalizeFirst(b) + digits : name;
    u.id = std::to_string(rng.Int(10'000'000, 999'999'999));
    char color[8];
    std::snprintf(color, sizeof color, "#%02X%02X%02X", static_cast<int>(rng.Int(40, 255)),
                  static_cast<int>(rng.Int(40, 255)), static_cast<int>(rng.Int(40, 255)));
    u.color = color;
    if (rng.Chance(0.35)) u.badges.push_back({"subscriber", std::to_string(rng.Int(1, 36))});
    if (rng.Chance(0.02)) u.badges.push_back({"moderator", "1"});
    if (rng.Chance(0.03)) u.badges.push_back({"vip", "1"});
    users.push_back(std::move(u));
  }
  return users;
}

std::string EmoteRun(Rng& rng, const std::string& name, int max_repeat) {
  std::string out = name;
  for (int i = 1, n = static_cast<int>(rng.Int(1, max_repeat)); i < n; ++i) out += " " + name;
  return out;
}

std::string BackgroundBody(Rng& rng, const std::string& streamer) {
  double r = rng.Uniform();
  if (r < 0.13) {  // emote only
    return EmoteRun(rng, rng.Pick(Emotes()).name, 3);
  }
  if (r < 0.2) return "@" + streamer + " " + rng.Pick(ChatLines());
  std::string body = rng.Pick(ChatLines());
  if (rng.Chance(0.2)) body += " " + rng.Pick(Emotes()).name;
  return body;
}

std::string BotAnswer(const std::string& command, const std::string& streamer) {
  if (command == "!discord") return "Join the community discord: discord.gg/" + streamer;
  if (command == "!uptime") return streamer + " has been live for a while now";
  if (command == "!socials") return "Follow " + streamer + " on all socials @" + streamer;
  if (command == "!specs") return "PC specs are in the panels below the stream";
  if (command == "!followage") return "You have been following for some time";
  if (command == "!lurk") return "Enjoy the lurk!";
  return "Commands: !discord !uptime !socials !specs !followage !lurk";
}

std::string BurstBody(Rng& rng) {
  if (rng.Chance(0.35)) return EmoteRun(rng, rng.Pick(HypeEmoteNames()), 4);
  std::string body = rng.Pick(BurstChatLines());
  if (rng.Chance(0.4)) body += " " + EmoteRun(rng, rng.Pick(HypeEmoteNames()), 3);
  return body;
}

// Zipf-like pick: a few regulars write much of the chat.
int PickActiveUser(Rng& rng, int count) {
  double u = rng.Uniform();
  return std::min(count - 1, static_cast<int>(std::pow(u, 2.2) * count));
}

std::string IsoTime(TimeMs offset_ms) {
  // The stream starts 2024-05-04T18:00:00Z; at most 6 h long, so at most one day rollover.
  long long total_ms = 18LL * 3600'000 + offset_ms;
  int day = 4 + static_cast<int>(total_ms / 86'400'000);
  total_ms %= 86'400'000;
  char buf[40];
  std::snprintf(buf, sizeof buf, "2024-05-%02dT%02lld:%02lld:%02lld.%03lldZ", day,
                total_ms / 3600'000, total_ms / 60'000 % 60, total_ms / 1000 % 60, total_ms % 1000);
  return buf;
}

std::string FakeUuid(Rng& rng) {
  char buf[40];
  std::uint64_t a = rng.Next(), b = rng.Next();
  std::snprintf(
      buf, sizeof buf, "%08llx-%04llx-4%03llx-a%03llx-%012llx",
      static_cast<unsigned long long>(a >> 32), static_cast<unsigned long long>((a >> 16) & 0xffff),
      static_cast<unsigned long long>(a & 0xfff), static_cast<unsigned long long>(b >> 52),
      static_cast<unsigned long long>(b & 0xffffffffffffULL));
  return buf;
}

nlohmann::json MessageJson(const std::string& body, const ChatUser& user) {
  nlohmann::json fragments = nlohmann::json::array();
  nlohmann::json emoticons = nlohmann::json::array();
  std::string text;
  size_t pos = 0;
  while (pos <= body.size()) {
    size_t end = body.find(' ', pos);
    if (end == std::string::npos) end = body.size();
    std::string word = body.substr(pos, end - pos);
    const Emote* emote = nullptr;
    for (const Emote& e : Emotes()) {
      if (e.name == word && !e.id.empty()) emote = &e;
    }
    if (emote != nullptr) {
      if (!text.empty()) fragments.push_back({{"text", text}, {"emoticon", nullptr}});
      text.clear();
      fragments.push_back({{"text", word}, {"emoticon", {{"emoticon_id", emote->id}}}});
      emoticons.push_back({{"_id", emote->id}, {"begin", pos}, {"end", end - 1}});
      if (end < body.size()) text = " ";
    } else {
      text += word;
      if (end < body.size()) text += " ";
    }
    pos = end + 1;
  }
  if (!text.empty()) fragments.push_back({{"text", text}, {"emoticon", nullptr}});
  nlohmann::json badges = nlohmann::json::array();
  for (const auto& [badge, version] : user.badges) {
    badges.push_back({{"_id", badge}, {"version", version}});
  }
  return {{"body", body},          {"bits_spent", 0},          {"fragments", fragments},
          {"user_badges", badges}, {"user_color", user.color}, {"emoticons", emoticons}};
}

}  // namespace

ChatReplay GenerateChat(const StreamPlan& plan, std::uint64_t seed) {
  Rng rng = Rng(seed).Fork("chat");
  ChatReplay replay;
  replay.duration_ms = plan.duration_ms;
  replay.streamer_name = "clipthat_sample";
  replay.streamer_id = rng.Int(100'000'000, 999'999'999);
  replay.video_id = std::to_string(rng.Int(2'000'000'000, 2'099'999'999));
  replay.title = "Synthetic stream, seed " + std::to_string(seed);
  int user_count = static_cast<int>(std::clamp<TimeMs>(300 + plan.duration_ms / 20'000, 300, 2000));
  replay.users = MakeUsers(rng, user_count);
  ChatUser bot;
  bot.id = "19264788";
  bot.name = "nightbot";
  bot.display_name = "Nightbot";
  bot.color = "#7C7CE1";
  bot.badges.push_back({"moderator", "1"});
  replay.users.push_back(bot);
  const int bot_index = static_cast<int>(replay.users.size()) - 1;

  auto add = [&](TimeMs t, int user, std::string body) {
    if (t >= 0 && t < plan.duration_ms) replay.messages.push_back({t, user, std::move(body)});
  };
  // Background: rate constant within each block, gaps exponential.
  double t_s = 0;
  while (true) {
    TimeMs block = static_cast<TimeMs>(t_s * 1000) / kRateBlockMs;
    double rate =
        kMinRatePerS + (kMaxRatePerS - kMinRatePerS) *
                           Rng(seed ^ static_cast<std::uint64_t>(block)).Fork("rate").Uniform();
    t_s += rng.Exponential(1.0 / rate);
    TimeMs t = static_cast<TimeMs>(t_s * 1000);
    if (t >= plan.duration_ms) break;
    int user = PickActiveUser(rng, user_count);
    if (rng.Chance(0.05)) {
      const std::string& command = rng.Pick(BotCommands());
      add(t, user, command);
      add(t + rng.Int(400, 1800), bot_index, BotAnswer(command, replay.streamer_name));
    } else {
      add(t, user, BackgroundBody(rng, replay.streamer_name));
    }
  }
  // Bursts: a decaying flood of reactions from many different chatters.
  for (const PlannedMoment& m : plan.moments) {
    if (!m.chat_reaction) continue;  // a vocal-only moment: chat carries on as usual
    double s = 0;
    while (true) {
      double rate = 0.5 + kBurstPeakRatePerS * std::exp(-s / kBurstDecayS);
      s += rng.Exponential(1.0 / rate);
      if (s * 1000 >= kBurstMs) break;
      add(m.chat_burst_ms + static_cast<TimeMs>(s * 1000),
          static_cast<int>(rng.Int(0, user_count - 1)), BurstBody(rng));
    }
  }
  std::stable_sort(
      replay.messages.begin(), replay.messages.end(),
      [](const ChatMessage& a, const ChatMessage& b) { return a.offset_ms < b.offset_ms; });
  return replay;
}

nlohmann::json ChatReplayToJson(const ChatReplay& replay) {
  Rng ids = Rng(static_cast<std::uint64_t>(replay.streamer_id)).Fork(replay.video_id);
  nlohmann::json comments = nlohmann::json::array();
  for (const ChatMessage& m : replay.messages) {
    const ChatUser& u = replay.users[m.user];
    comments.push_back({
        {"_id", FakeUuid(ids)},
        {"created_at", IsoTime(m.offset_ms)},
        {"channel_id", std::to_string(replay.streamer_id)},
        {"content_type", "video"},
        {"content_id", replay.video_id},
        {"content_offset_seconds", MsToSeconds(m.offset_ms)},
        {"commenter",
         {{"display_name", u.display_name}, {"_id", u.id}, {"name", u.name}, {"logo", nullptr}}},
        {"message", MessageJson(m.body, u)},
    });
  }
  double length_s = MsToSeconds(replay.duration_ms);
  return {
      {"FileInfo",
       {{"Version", {{"Major", 1}, {"Minor", 3}, {"Patch", 1}}}, {"CreatedAt", IsoTime(0)}}},
      {"streamer", {{"name", replay.streamer_name}, {"id", replay.streamer_id}}},
      {"video",
       {{"id", replay.video_id},
        {"title", replay.title},
        {"created_at", IsoTime(0)},
        {"start", 0},
        {"end", length_s},
        {"length", length_s}}},
      {"comments", comments},
  };
}

}  // namespace clipthat::sample
