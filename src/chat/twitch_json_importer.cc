#include "chat/twitch_json_importer.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "chat/emotes.h"
#include "core/files.h"
#include "core/json_document.h"

namespace clipthat::chat {
namespace {

using json = nlohmann::json;

// Members we never read; dropping them while parsing keeps memory and time low on replays
// downloaded with embedded images (embeddedData can be hundreds of megabytes of base64).
bool IsDiscardedKey(const std::string& key) {
  return key == "embeddedData" || key == "emotes" || key == "user_badges" ||
         key == "user_notice_params" || key == "user_color";
}

std::string StringOrNumber(const json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end()) return {};
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer()) return std::to_string(it->get<long long>());
  if (it->is_number_unsigned()) return std::to_string(it->get<unsigned long long>());
  return {};
}

// "[json.exception.parse_error.101] parse error at line 1, column 2: ..." -> "parse error ...".
std::string ParserMessage(const char* what) {
  std::string s = what;
  if (!s.empty() && s[0] == '[') {
    auto close = s.find("] ");
    if (close != std::string::npos) s.erase(0, close + 2);
  }
  return s;
}

// First member of `obj` that exists among `keys` (snake_case of the v5 API and TwitchDownloader,
// camelCase of the GQL-based exports).
const json* FindAny(const json& obj, std::initializer_list<const char*> keys) {
  for (const char* key : keys) {
    auto it = obj.find(key);
    if (it != obj.end() && !it->is_null()) return &*it;
  }
  return nullptr;
}

std::string StringOrNumberAny(const json& obj, std::initializer_list<const char*> keys) {
  for (const char* key : keys) {
    std::string v = StringOrNumber(obj, key);
    if (!v.empty()) return v;
  }
  return {};
}

constexpr double kMaxOffsetSeconds = 7 * 24 * 3600.0;

// The offset in seconds: a number, or a numeric string in some exports.
std::optional<double> OffsetSeconds(const json& comment) {
  const json* v = FindAny(comment, {"content_offset_seconds", "contentOffsetSeconds"});
  if (v == nullptr) return std::nullopt;
  double seconds = 0;
  if (v->is_number()) {
    seconds = v->get<double>();
  } else if (v->is_string()) {
    const std::string& text = v->get_ref<const std::string&>();
    char* end = nullptr;
    seconds = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size()) return std::nullopt;
  } else {
    return std::nullopt;
  }
  // A week is longer than any Twitch VOD (as for video.length below); an offset beyond it, or
  // before the start by as much, is not a time in this recording.
  if (!std::isfinite(seconds) || std::abs(seconds) > kMaxOffsetSeconds) return std::nullopt;
  return seconds;
}

void ReadMessage(const json& m, ChatMessage* out) {
  if (m.is_string()) {  // {"message": "text"} in minimal exports
    out->text = m.get<std::string>();
    out->emote_count = CountKnownEmotes(out->text);
    return;
  }
  if (const json* body = FindAny(m, {"body", "text"}); body != nullptr && body->is_string()) {
    out->text = body->get<std::string>();
  }
  int marked_emotes = 0;
  int named_emotes = 0;  // third-party emotes arrive as plain text
  auto frags = m.find("fragments");
  if (frags != m.end() && frags->is_array()) {
    out->fragments.reserve(frags->size());
    for (const json& f : *frags) {
      if (!f.is_object()) continue;
      ChatFragment frag;
      if (auto t = f.find("text"); t != f.end() && t->is_string())
        frag.text = t->get<std::string>();
      if (const json* e = FindAny(f, {"emoticon", "emote"}); e != nullptr && e->is_object()) {
        frag.is_emote = true;
        frag.emote_id = StringOrNumberAny(*e, {"emoticon_id", "emoteID", "id", "_id"});
        ++marked_emotes;
      } else {
        named_emotes += CountKnownEmotes(frag.text);
      }
      out->fragments.push_back(std::move(frag));
    }
  }
  if (out->text.empty()) {
    for (const ChatFragment& f : out->fragments) out->text += f.text;
  }
  if (out->fragments.empty()) {
    auto emoticons = m.find("emoticons");
    if (emoticons != m.end() && emoticons->is_array() && !emoticons->empty()) {
      out->emote_count = static_cast<int>(emoticons->size());
    } else {
      out->emote_count = CountKnownEmotes(out->text);
    }
  } else {
    out->emote_count = marked_emotes + named_emotes;
  }
}

// The comments of a document: root {"comments": [...]}, a root array of comments, or a root
// array of v5 API pages ([{"comments": [...], "_next": ...}, ...]).
bool CollectComments(const json& root, std::vector<const json*>* out) {
  if (root.is_object()) {
    auto it = root.find("comments");
    if (it == root.end() || !it->is_array()) return false;
    for (const json& c : *it) out->push_back(&c);
    return true;
  }
  if (!root.is_array()) return false;
  // A bare array is a replay only when it holds comment or page objects.
  if (std::none_of(root.begin(), root.end(), [](const json& item) { return item.is_object(); })) {
    return false;
  }
  for (const json& item : root) {
    if (item.is_object() && item.contains("comments") && item["comments"].is_array()) {
      for (const json& c : item["comments"]) out->push_back(&c);
    } else {
      out->push_back(&item);
    }
  }
  return true;
}

// The recording's length in ms from root.video (v5: "length" in seconds; TwitchDownloader:
// "length", or "start"/"end" in seconds), 0 when absent or not a sane number.
TimeMs VideoLengthMs(const json& root) {
  if (!root.is_object()) return 0;
  auto video = root.find("video");
  if (video == root.end() || !video->is_object()) return 0;
  auto seconds_of = [&](const char* key) -> double {
    auto it = video->find(key);
    if (it == video->end()) return -1;
    if (it->is_number()) return it->get<double>();
    if (it->is_string()) {
      const std::string& text = it->get_ref<const std::string&>();
      char* end = nullptr;
      double v = std::strtod(text.c_str(), &end);
      return (text.empty() || end != text.c_str() + text.size()) ? -1 : v;
    }
    return -1;
  };
  double length = seconds_of("length");
  if (!(length > 0)) {
    const double start = seconds_of("start"), end = seconds_of("end");
    if (start >= 0 && end > start) length = end - start;
  }
  // A week is longer than any Twitch VOD; anything beyond is not a length.
  if (!std::isfinite(length) || length <= 0 || length > kMaxOffsetSeconds) return 0;
  return SecondsToMs(length);
}

}  // namespace

Result<ChatLog> ParseTwitchChatJson(std::string_view json_text, std::string_view origin) {
  const std::string name(origin);
  if (const int depth = JsonNestingDepth(json_text); depth > JsonLimits{}.max_depth) {
    return DataError(name + ": not a chat replay: nested " + std::to_string(depth) +
                     " levels deep (at most " + std::to_string(JsonLimits{}.max_depth) + ")");
  }
  // As ParseJsonDocument: the parser would stop at a NUL byte and ignore the rest.
  if (const auto nul = json_text.find('\0'); nul != std::string_view::npos) {
    return DataError(name + ": not JSON: a NUL byte at byte " + std::to_string(nul));
  }
  json root;
  try {
    json::parser_callback_t keep = [](int depth, json::parse_event_t event, json& parsed) {
      if (event == json::parse_event_t::key && depth >= 1 && parsed.is_string()) {
        return !IsDiscardedKey(parsed.get_ref<const std::string&>());
      }
      return true;
    };
    root = json::parse(json_text.begin(), json_text.end(), keep);
  } catch (const json::parse_error& e) {
    return DataError(name + ": not JSON: " + ParserMessage(e.what()) + " (byte " +
                     std::to_string(e.byte) + ")");
  } catch (const json::exception& e) {
    return DataError(name + ": not JSON: " + ParserMessage(e.what()));
  }

  std::vector<const json*> comments;
  if (!CollectComments(root, &comments)) {
    return DataError(name + ": not a Twitch chat replay: the root has no comments[] array");
  }
  ChatLog log;
  log.source = name;
  log.duration_ms = VideoLengthMs(root);
  log.messages.reserve(comments.size());
  for (const json* cp : comments) {
    const json& c = *cp;
    if (!c.is_object()) {
      ++log.skipped_count;
      continue;
    }
    std::optional<double> offset = OffsetSeconds(c);
    if (!offset) {
      ++log.skipped_count;
      continue;
    }
    ChatMessage msg;
    msg.time_ms = SecondsToMs(*offset);
    if (auto who = c.find("commenter"); who != c.end() && who->is_object()) {
      msg.user_id = StringOrNumberAny(*who, {"_id", "id"});
      msg.user_name = StringOrNumberAny(*who, {"name", "login"});
      msg.display_name = StringOrNumberAny(*who, {"display_name", "displayName"});
      if (msg.user_name.empty()) msg.user_name = msg.display_name;
    }
    if (auto m = c.find("message"); m != c.end() && (m->is_object() || m->is_string())) {
      ReadMessage(*m, &msg);
    }
    log.messages.push_back(std::move(msg));
  }
  if (log.messages.empty() && !comments.empty()) {
    return DataError(name + ": none of the " + std::to_string(comments.size()) +
                     " comments has a content_offset_seconds");
  }
  // Replays are normally in order; a stable sort keeps same-time messages as written.
  std::stable_sort(
      log.messages.begin(), log.messages.end(),
      [](const ChatMessage& a, const ChatMessage& b) { return a.time_ms < b.time_ms; });
  return log;
}

Result<ChatLog> ImportTwitchChatJson(const std::string& path) {
  ASSIGN_OR_RETURN(std::string text, ReadFileToString(path));
  return ParseTwitchChatJson(text, path);
}

}  // namespace clipthat::chat
