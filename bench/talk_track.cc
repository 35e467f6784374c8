#include "talk_track.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>

#include "core/files.h"
#include "sample/audio_synth.h"
#include "sample/espeak.h"
#include "sample/phrases.h"

namespace clipthat::bench {
namespace {

constexpr int kRate = 16000;

const std::vector<std::string> kSubjects = {
    "I",        "we",       "you guys", "chat",        "my friend", "the boss",
    "this guy", "the team", "everyone", "nobody here", "my cat",    "the other squad"};
const std::vector<std::string> kVerbs = {
    "need to check",      "want to see",      "just found",    "can not find",
    "should try",         "are going to buy", "forgot about",  "really like",
    "keep talking about", "will upgrade",     "lost",          "picked up",
    "are looking for",    "have to defend",   "almost missed", "never trusted"};
const std::vector<std::string> kObjects = {
    "the map",          "the shop",        "that door",      "the next level",
    "a new sword",      "the secret room", "the final boss", "some loot",
    "the red key",      "our base",        "the quest log",  "a health potion",
    "the settings",     "the inventory",   "the bridge",     "the last checkpoint",
    "the sniper tower", "the supply drop", "my headset",     "the leaderboard"};
const std::vector<std::string> kTails = {"right now",
                                         "later tonight",
                                         "before the round ends",
                                         "after this fight",
                                         "for the third time",
                                         "again",
                                         "today",
                                         "real quick",
                                         "on the left side",
                                         "near the bridge",
                                         "",
                                         "",
                                         ""};
// Sound-alikes of "clip that" / "clip it": the spotter's hardest negatives.
const std::vector<std::string> kNearMisses = {"put it on the clipboard for me",
                                              "I will copy it to the clipboard",
                                              "flip that switch on the wall",
                                              "flip that over please",
                                              "keep that one for later",
                                              "keep that in mind chat",
                                              "did you see the eclipse last night",
                                              "the total eclipse was amazing",
                                              "we should clip on the harness first",
                                              "the clip on this rifle is tiny",
                                              "lip that was weird",
                                              "ship it to my house please",
                                              "just ship it already",
                                              "slip it into the slot",
                                              "skip that cutscene please",
                                              "click that button on the left",
                                              "a chip in the glass",
                                              "that clip was so funny yesterday",
                                              "I watched a clip of it earlier",
                                              "the clips are on my channel",
                                              "flip it and reverse it",
                                              "keep it up chat",
                                              "grip that handle tight",
                                              "it will slip past the guard",
                                              "this is a tricky bit",
                                              "whip that horse",
                                              "I have to clip my nails",
                                              "it is a clip on microphone"};
const std::vector<std::string> kTriggerLeads = {"oh my god that was insane",
                                                "no way",
                                                "chat",
                                                "somebody",
                                                "okay okay",
                                                "mods",
                                                "wait wait",
                                                "that was clean",
                                                "did you see that",
                                                "yes"};
const std::vector<std::string> kVoices = {"en-us",    "en-us+m3",       "en-us+f2", "en",
                                          "en-gb+m1", "en-us+f4",       "en-029",   "en-gb-x-rp+m5",
                                          "en-us+m7", "en-gb-scotland", "en-us+f3"};

std::string OptionsKey(const TalkTrackOptions& o) {
  std::ostringstream key;
  key << "v2 " << o.duration_ms << " " << o.planted << " " << o.near_miss_share << " " << o.seed;
  return key.str();
}

Status WriteWav16(const std::filesystem::path& path, const std::vector<float>& samples) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  auto u32 = [&](std::uint32_t v) { out.write(reinterpret_cast<const char*>(&v), 4); };
  auto u16 = [&](std::uint16_t v) { out.write(reinterpret_cast<const char*>(&v), 2); };
  const auto bytes = static_cast<std::uint32_t>(samples.size() * 2);
  out.write("RIFF", 4);
  u32(36 + bytes);
  out.write("WAVEfmt ", 8);
  u32(16);
  u16(1);
  u16(1);
  u32(kRate);
  u32(kRate * 2);
  u16(2);
  u16(16);
  out.write("data", 4);
  u32(bytes);
  for (float s : samples) {
    const float c = std::clamp(s, -1.0f, 1.0f);
    u16(static_cast<std::uint16_t>(static_cast<std::int16_t>(std::lround(c * 32767.0f))));
  }
  out.close();
  if (!out) return IoError(path.string() + ": cannot write");
  return Status::Ok();
}

const char* KindName(SpokenSentence::Kind k) {
  switch (k) {
    case SpokenSentence::Kind::kNearMiss: return "near_miss";
    case SpokenSentence::Kind::kTrigger: return "trigger";
    default: return "ordinary";
  }
}

Result<TalkTrack> Load(const std::filesystem::path& dir, const std::string& key) {
  std::ifstream in(dir / "truth.tsv");
  std::string line;
  if (!std::getline(in, line) || line != key) return NotFoundError("no matching track");
  TalkTrack t;
  t.wav = dir / "talk.wav";
  if (!std::filesystem::exists(t.wav)) return NotFoundError("no track audio");
  std::getline(in, line);
  t.duration_ms = std::stoll(line);
  while (std::getline(in, line)) {
    std::istringstream f(line);
    std::string kind;
    SpokenSentence s;
    f >> kind >> s.start_ms >> s.end_ms >> s.trigger_ms;
    std::getline(f, s.text);
    if (!s.text.empty() && s.text.front() == '\t') s.text.erase(0, 1);
    s.kind = kind == "trigger"     ? SpokenSentence::Kind::kTrigger
             : kind == "near_miss" ? SpokenSentence::Kind::kNearMiss
                                   : SpokenSentence::Kind::kOrdinary;
    t.sentences.push_back(std::move(s));
  }
  return t;
}

}  // namespace

Result<TalkTrack> MakeOrLoadTalkTrack(const std::filesystem::path& dir,
                                      const TalkTrackOptions& options) {
  const std::string key = OptionsKey(options);
  if (auto cached = Load(dir, key); cached.ok()) return cached;
  RETURN_IF_ERROR(EnsureDirectory(dir));
  std::mt19937_64 rng(options.seed);
  auto pick = [&](const std::vector<std::string>& v) -> const std::string& {
    return v[std::uniform_int_distribution<std::size_t>(0, v.size() - 1)(rng)];
  };
  auto uniform = [&](double lo, double hi) {
    return std::uniform_real_distribution<>(lo, hi)(rng);
  };
  auto voice = [&] {
    sample::VoiceParams v;
    v.voice = pick(kVoices);
    v.words_per_minute = static_cast<int>(uniform(130, 200));
    v.pitch = static_cast<int>(uniform(25, 75));
    return v;
  };
  const std::size_t total = static_cast<std::size_t>(options.duration_ms) * kRate / 1000;
  std::vector<float> speech;
  speech.reserve(total);
  TalkTrack track;
  track.wav = dir / "talk.wav";
  const std::vector<std::string>& calm = sample::CalmStreamerLines();
  // Planted triggers at evenly spread times, jittered.
  std::vector<TimeMs> plant_at;
  for (int i = 0; i < options.planted; ++i) {
    const double slot = static_cast<double>(options.duration_ms) / options.planted;
    plant_at.push_back(static_cast<TimeMs>(slot * (i + uniform(0.2, 0.8))));
  }
  std::size_t next_plant = 0;
  auto append = [&](const std::vector<float>& s) {
    speech.insert(speech.end(), s.begin(), s.end());
  };
  auto now_ms = [&] { return static_cast<TimeMs>(speech.size() * 1000 / kRate); };
  while (speech.size() < total) {
    speech.insert(speech.end(), static_cast<std::size_t>(uniform(0.3, 2.5) * kRate), 0.0f);
    SpokenSentence s;
    s.start_ms = now_ms();
    const sample::VoiceParams v = voice();
    if (next_plant < plant_at.size() && s.start_ms >= plant_at[next_plant]) {
      s.kind = SpokenSentence::Kind::kTrigger;
      const std::string lead = kTriggerLeads[next_plant % kTriggerLeads.size()];
      const std::string phrase = next_plant % 2 == 0 ? "clip that" : "clip it";
      ASSIGN_OR_RETURN(auto a, sample::Speak(lead, v, kRate, dir));
      append(a);
      speech.insert(speech.end(), static_cast<std::size_t>(0.15 * kRate), 0.0f);
      s.trigger_ms = now_ms();
      ASSIGN_OR_RETURN(auto b, sample::Speak(phrase, v, kRate, dir));
      append(b);
      s.text = lead + " " + phrase;
      ++next_plant;
    } else {
      const double r = uniform(0, 1);
      if (r < options.near_miss_share) {
        s.kind = SpokenSentence::Kind::kNearMiss;
        s.text = pick(kNearMisses);
      } else if (r < options.near_miss_share + 0.25) {
        s.text = pick(calm);
      } else {
        s.text = pick(kSubjects) + " " + pick(kVerbs) + " " + pick(kObjects);
        const std::string& tail = pick(kTails);
        if (!tail.empty()) s.text += " " + tail;
      }
      ASSIGN_OR_RETURN(auto a, sample::Speak(s.text, v, kRate, dir));
      append(a);
    }
    s.end_ms = now_ms();
    track.sentences.push_back(std::move(s));
  }
  speech.resize(total);
  sample::NormalizeRms(speech, 0.08);
  // Game audio and music under the voice (10-20 dB below it while speaking, as streamers mix),
  // a new look every 8 s, its level changing.
  std::vector<float> mix = speech;
  const std::size_t piece = 8 * kRate;
  for (std::size_t at = 0, k = 0; at < total; at += piece, ++k) {
    const std::size_t n = std::min(piece, total - at);
    std::vector<float> game =
        sample::SynthGameAudio(static_cast<int>(k % 6), options.seed + k, n, kRate);
    sample::AddAt(mix, game, at, static_cast<float>(uniform(0.25, 0.8)));
  }
  sample::SoftClip(mix);
  RETURN_IF_ERROR(WriteWav16(track.wav, mix));
  track.duration_ms = options.duration_ms;
  std::ostringstream truth;
  truth << key << "\n" << track.duration_ms << "\n";
  for (const SpokenSentence& s : track.sentences) {
    truth << KindName(s.kind) << " " << s.start_ms << " " << s.end_ms << " " << s.trigger_ms << "\t"
          << s.text << "\n";
  }
  RETURN_IF_ERROR(WriteFileAtomically(dir / "truth.tsv", truth.str()));
  return track;
}

}  // namespace clipthat::bench
