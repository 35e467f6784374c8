#include "chat/twitch_json_importer.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <string>

#include "core/files.h"

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

void ReadMessage(const json& m, ChatMessage* out) {
  out->text = m.contains("body") && m["body"].is_string() ? m["body"].get<std::string>() : "";
  int fragment_emotes = 0;
  auto frags = m.find("fragments");
  if (frags != m.end() && frags->is_array()) {
    out->fragments.reserve(frags->size());
    for (const json& f : *frags) {
      if (!f.is_object()) continue;
      ChatFragment frag;
      if (auto t = f.find("text"); t != f.end() && t->is_string())
        frag.text = t->get<std::string>();
      if (auto e = f.find("emoticon"); e != f.end() && e->is_object()) {
        frag.is_emote = true;
        frag.emote_id = StringOrNumber(*e, "emoticon_id");
        ++fragment_emotes;
      }
      out->fragments.push_back(std::move(frag));
    }
  }
  if (out->text.empty()) {
    for (const ChatFragment& f : out->fragments) out->text += f.text;
  }
  out->emote_count = fragment_emotes;
  if (out->fragments.empty()) {
    auto emoticons = m.find("emoticons");
    if (emoticons != m.end() && emoticons->is_array()) {
      out->emote_count = static_cast<int>(emoticons->size());
    }
  }
}

}  // namespace

Result<ChatLog> ParseTwitchChatJson(std::string_view json_text, std::string_view origin) {
  const std::string name(origin);
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

  if (!root.is_object() || !root.contains("comments") || !root["comments"].is_array()) {
    return DataError(name + ": not a Twitch chat replay: the root has no comments[] array");
  }
  const json& comments = root["comments"];
  ChatLog log;
  log.source = name;
  log.messages.reserve(comments.size());
  for (const json& c : comments) {
    if (!c.is_object()) {
      ++log.skipped_count;
      continue;
    }
    auto offset = c.find("content_offset_seconds");
    if (offset == c.end() || !offset->is_number() || !std::isfinite(offset->get<double>())) {
      ++log.skipped_count;
      continue;
    }
    ChatMessage msg;
    msg.time_ms = SecondsToMs(offset->get<double>());
    if (auto who = c.find("commenter"); who != c.end() && who->is_object()) {
      msg.user_id = StringOrNumber(*who, "_id");
      msg.user_name = StringOrNumber(*who, "name");
      msg.display_name = StringOrNumber(*who, "display_name");
      if (msg.user_name.empty()) msg.user_name = msg.display_name;
    }
    if (auto m = c.find("message"); m != c.end() && m->is_object()) ReadMessage(*m, &msg);
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
