#include "ai/title_writer_llm.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <iterator>

namespace clipthat::ai {
namespace {

constexpr std::size_t kMaxTranscriptChars = 4000;
constexpr std::size_t kMaxHighlights = 20;
constexpr std::size_t kMaxHighlightChars = 200;

// Common Twitch, BTTV, FFZ and 7TV global emotes (case-sensitive, as in chat).
constexpr std::string_view kEmotes[] = {
    "4Head",      "Aware",        "BabyRage",     "BibleThump",     "BloodTrail",
    "Copium",     "CoolStoryBob", "DansGame",     "DatSheffy",      "EleGiggle",
    "FailFish",   "FeelsBadMan",  "FeelsGoodMan", "FeelsStrongMan", "FrankerZ",
    "HeyGuys",    "ICANT",        "Jebaited",     "KEKL",           "KEKW",
    "Kappa",      "KappaPride",   "Keepo",        "Kreygasm",       "LUL",
    "LULW",       "MingLee",      "NotLikeThis",  "OMEGALUL",       "OpieOP",
    "PJSalt",     "POGGERS",      "Pepega",       "PepeHands",      "PepeLaugh",
    "Pog",        "PogChamp",     "PogU",         "Poggers",        "ResidentSleeper",
    "Sadge",      "SeemsGood",    "SMOrc",        "SwiftRage",      "TriHard",
    "VoHiYo",     "WutFace",      "catJAM",       "forsenCD",       "gachiGASM",
    "monkaHmm",   "monkaS",       "monkaW",       "peepoHappy",     "widepeepoHappy",
    "KomodoHype", "HypeLUL",      "Clueless"};

constexpr std::string_view kDanglingWords[] = {"a",    "an",   "and", "the", "of",  "to",
                                               "with", "in",   "on",  "for", "but", "or",
                                               "my",   "your", "his", "her", "at",  "is"};

bool IsEmote(std::string_view token) {
  if (std::find(std::begin(kEmotes), std::end(kEmotes), token) != std::end(kEmotes)) return true;
  if (token.size() > 2 && token.front() == ':' && token.back() == ':') return true;  // :emote:
  // Families named by a lower-case prefix and a capitalised suffix: monkaX, pepeX, peepoX.
  for (std::string_view prefix : {"monka", "pepe", "peepo", "widepeepo", "forsen"}) {
    if (token.size() > prefix.size() && token.starts_with(prefix) &&
        std::isupper(static_cast<unsigned char>(token[prefix.size()]))) {
      return true;
    }
  }
  return false;
}

// Decodes one UTF-8 code point at `i` (advancing it); invalid bytes decode as themselves.
char32_t NextCodePoint(std::string_view s, std::size_t& i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  int extra = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;
  if (i + extra >= s.size()) extra = 0;  // a truncated sequence: the byte alone
  char32_t cp = extra == 0 ? c : c & (0x3f >> extra);
  for (int k = 1; k <= extra; ++k) cp = (cp << 6) | (byte(i + k) & 0x3f);
  i += extra + 1;
  return cp;
}

bool IsEmojiLike(char32_t cp) {
  return (cp >= 0x1f000 && cp <= 0x1faff) || (cp >= 0x2600 && cp <= 0x27bf) || cp == 0xfe0f ||
         cp == 0x200d || (cp >= 0x1f1e6 && cp <= 0x1f1ff);
}

std::size_t CodePoints(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xc0) != 0x80;
  return n;
}

bool IsEdgePunct(char c) {
  return c == ',' || c == ':' || c == ';' || c == '-' || c == '|' || c == '/' || c == '(' ||
         c == '&';
}

// Drops the surrounding quotes a model sometimes puts around the whole title.
std::string_view Unquote(std::string_view s) {
  for (std::string_view q : {"\"", "'", "\xe2\x80\x9c", "\xe2\x80\x98", "\xc2\xab"}) {
    if (s.size() > 2 * q.size() && s.starts_with(q)) {
      std::string_view closing = q == "\xe2\x80\x9c"   ? "\xe2\x80\x9d"
                                 : q == "\xe2\x80\x98" ? "\xe2\x80\x99"
                                 : q == "\xc2\xab"     ? "\xc2\xbb"
                                                       : q;
      if (s.ends_with(closing)) return s.substr(q.size(), s.size() - q.size() - closing.size());
    }
  }
  return s;
}

// A censored word: "f***", "s#!t", "****", "[censored]", "[bleep]".
bool IsPlaceholder(std::string_view token) {
  if (token.find('*') != std::string_view::npos) return true;
  if (token.size() > 2 && ((token.front() == '[' && token.back() == ']') ||
                           (token.front() == '(' && token.back() == ')'))) {
    return true;
  }
  // Letters mixed with grawlix symbols inside the word (a trailing '!' is punctuation).
  std::string_view core = token;
  while (!core.empty() && (core.back() == '!' || core.back() == '?' || core.back() == '.')) {
    core.remove_suffix(1);
  }
  bool letters = std::any_of(core.begin(), core.end(),
                             [](char c) { return std::isalpha(static_cast<unsigned char>(c)); });
  bool grawlix = core.find_first_of("#$%@!") != std::string_view::npos;
  return grawlix && (letters || core.size() >= 3);
}

}  // namespace

std::string CleanTitle(std::string_view raw, std::size_t max_chars) {
  // One line, no emoji.
  std::string text;
  for (std::size_t i = 0; i < raw.size();) {
    std::size_t start = i;
    char32_t cp = NextCodePoint(raw, i);
    if (cp == '\n' || cp == '\r' || cp == '\t') {
      text += ' ';
    } else if (!IsEmojiLike(cp)) {
      text.append(raw.substr(start, i - start));
    }
  }
  // Trim, then drop quotes around the whole title.
  auto trim = [](std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return s;
  };
  std::string_view body = trim(Unquote(trim(text)));

  std::vector<std::string> words;
  std::size_t pos = 0;
  while (pos < body.size()) {
    std::size_t end = body.find(' ', pos);
    if (end == std::string_view::npos) end = body.size();
    std::string_view token = body.substr(pos, end - pos);
    pos = end + 1;
    if (token.empty()) continue;
    // Judge the word without its trailing sentence punctuation ("KEKW!" is an emote).
    std::string_view bare = token;
    while (!bare.empty() &&
           std::string_view(".,!?:;").find(bare.back()) != std::string_view::npos) {
      bare.remove_suffix(1);
    }
    if (IsEmote(token) || IsEmote(bare)) continue;
    if (token.front() == '#' || token.front() == '@') continue;  // hashtags and mentions
    if (IsPlaceholder(token)) continue;
    if (bare.size() > 1 && (bare.back() == '-' || bare.front() == '-')) continue;  // fragment
    words.emplace_back(token);
  }

  // Join within the length limit, cutting only between words.
  std::string title;
  for (const std::string& w : words) {
    std::size_t added = CodePoints(w) + (title.empty() ? 0 : 1);
    if (CodePoints(title) + added > max_chars) break;
    if (!title.empty()) title += ' ';
    title += w;
  }
  // A cut title must not end on a dangling word or mark; a trailing ellipsis is dropped too.
  bool changed = true;
  while (changed && !title.empty()) {
    changed = false;
    while (!title.empty() && (IsEdgePunct(title.back()) || title.back() == ' ')) {
      title.pop_back();
      changed = true;
    }
    if (title.ends_with("...")) {
      title.erase(title.size() - 3);
      changed = true;
    } else if (title.ends_with("\xe2\x80\xa6")) {
      title.erase(title.size() - 3);
      changed = true;
    }
    if (words.size() > 1) {
      std::size_t space = title.rfind(' ');
      if (space != std::string::npos) {
        std::string last = title.substr(space + 1);
        std::transform(last.begin(), last.end(), last.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (std::find(std::begin(kDanglingWords), std::end(kDanglingWords), last) !=
            std::end(kDanglingWords)) {
          title.erase(space);
          changed = true;
        }
      }
    }
  }
  while (!title.empty() && IsEdgePunct(title.front())) title.erase(0, 1);
  return std::string(trim(title));
}

Result<std::string> WriteLlmTitle(const ChatClient& client, std::string_view transcript,
                                  const std::vector<std::string>& chat_highlights) {
  if (transcript.empty() && chat_highlights.empty()) {
    return InvalidArgumentError("LLM title: nothing to title (no transcript and no chat)");
  }
  ChatRequest request;
  request.system_prompt =
      "You write titles for short vertical video clips cut from a Twitch livestream. Write one "
      "catchy title, at most 60 characters, in the language of the transcript, that makes a "
      "viewer want to watch the clip. Use plain words only: no emote names (such as KEKW or "
      "PogChamp), no hashtags, no emoji, no quotation marks, no profanity and no censored "
      "words. Answer with a JSON object {\"title\": \"...\"}.";
  std::string user = "Transcript of the clip:\n";
  user += transcript.empty() ? std::string("(no speech)")
                             : std::string(transcript.substr(0, kMaxTranscriptChars));
  if (!chat_highlights.empty()) {
    user += "\n\nWhat chat said during the clip:\n";
    for (std::size_t i = 0; i < chat_highlights.size() && i < kMaxHighlights; ++i) {
      user += "- " + chat_highlights[i].substr(0, kMaxHighlightChars) + "\n";
    }
  }
  request.user_text = std::move(user);
  request.schema_name = "clip_title";
  request.schema = {{"type", "object"},
                    {"properties", {{"title", {{"type", "string"}}}}},
                    {"required", {"title"}},
                    {"additionalProperties", false}};
  request.strict_schema = true;
  request.max_tokens = 200;
  request.temperature = 0.7;
  ASSIGN_OR_RETURN(nlohmann::json answer, client.Complete(request));
  std::string title = CleanTitle(answer["title"].get<std::string>());
  std::size_t letters = std::count_if(title.begin(), title.end(),
                                      [](unsigned char c) { return std::isalnum(c) || c >= 0x80; });
  if (letters < 3) {
    return DataError(client.url() +
                     ": the model's title has nothing usable left after cleaning: '" +
                     answer["title"].get<std::string>().substr(0, 100) + "'");
  }
  return title;
}

}  // namespace clipthat::ai
