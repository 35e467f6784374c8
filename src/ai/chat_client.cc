#include "ai/chat_client.h"

#include "core/base64.h"

namespace clipthat::ai {
namespace {

std::string Trim(std::string_view s) {
  const char* ws = " \t\r\n";
  std::size_t b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) return "";
  std::size_t e = s.find_last_not_of(ws);
  return std::string(s.substr(b, e - b + 1));
}

std::string Excerpt(std::string_view s) {
  std::string out(s.substr(0, 120));
  for (char& c : out) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return s.size() > 120 ? out + "..." : out;
}

// Removes what models put around JSON: a reasoning block and a Markdown code fence.
std::string StripWrapping(std::string text) {
  text = Trim(text);
  if (text.starts_with("<think>")) {
    std::size_t end = text.find("</think>");
    if (end != std::string::npos) text = Trim(text.substr(end + 8));
  }
  if (text.starts_with("```")) {
    std::size_t first_line_end = text.find('\n');
    std::size_t fence_end = text.rfind("```");
    if (first_line_end != std::string::npos && fence_end > first_line_end) {
      text = Trim(text.substr(first_line_end + 1, fence_end - first_line_end - 1));
    }
  }
  return text;
}

bool MatchesType(const nlohmann::json& value, const std::string& type) {
  if (type == "string") return value.is_string();
  if (type == "number") return value.is_number();
  if (type == "integer") return value.is_number_integer();
  if (type == "boolean") return value.is_boolean();
  if (type == "array") return value.is_array();
  if (type == "object") return value.is_object();
  if (type == "null") return value.is_null();
  return true;  // an unknown type name is not checked
}

// Checks the required keys and the top-level types of their values.
Status CheckAgainstSchema(const nlohmann::json& value, const nlohmann::json& schema,
                          std::string_view url) {
  if (!value.is_object()) {
    return DataError(std::string(url) +
                     ": the model's answer is not a JSON object: " + Excerpt(value.dump()));
  }
  if (!schema.is_object()) return Status::Ok();
  auto required = schema.find("required");
  auto properties = schema.find("properties");
  if (required == schema.end() || !required->is_array()) return Status::Ok();
  for (const auto& key_json : *required) {
    if (!key_json.is_string()) continue;
    const std::string key = key_json.get<std::string>();
    auto it = value.find(key);
    if (it == value.end()) {
      return DataError(std::string(url) + ": the model's answer lacks \"" + key +
                       "\": " + Excerpt(value.dump()));
    }
    if (properties == schema.end() || !properties->is_object()) continue;
    auto prop = properties->find(key);
    if (prop == properties->end() || !prop->is_object() || !prop->contains("type")) continue;
    const nlohmann::json& type = (*prop)["type"];
    bool ok = true;
    if (type.is_string()) {
      ok = MatchesType(*it, type.get<std::string>());
    } else if (type.is_array()) {
      ok = false;
      for (const auto& t : type)
        ok = ok || (t.is_string() && MatchesType(*it, t.get<std::string>()));
    }
    if (!ok) {
      return DataError(std::string(url) + ": the model's answer has \"" + key + "\" of type " +
                       it->type_name() + ", the schema asks for " + type.dump());
    }
  }
  return Status::Ok();
}

}  // namespace

Result<ChatClient> ChatClient::Create(ChatOptions options) {
  ASSIGN_OR_RETURN(HttpClient http, HttpClient::Create(options.http));
  return ChatClient(std::move(options), std::move(http));
}

Result<ChatClient> ChatClient::FromConfig(const Config& config, std::string_view prefix) {
  const std::string p(prefix);
  ChatOptions options;
  options.http.base_url = config.GetString(p + ".base_url", "");
  if (options.http.base_url.empty()) {
    return InvalidArgumentError(p +
                                ".base_url is not set: give the URL of an OpenAI-compatible "
                                "chat server (e.g. http://127.0.0.1:8080)");
  }
  options.model = config.GetString(p + ".model", "");
  options.http.api_key = config.GetString(p + ".api_key", "");
  options.path = config.GetString(p + ".path", "/v1/chat/completions");
  ASSIGN_OR_RETURN(long long timeout_ms, config.GetInt(p + ".timeout_ms", 60000));
  ASSIGN_OR_RETURN(long long retries, config.GetInt(p + ".retries", 2));
  ASSIGN_OR_RETURN(long long backoff_ms, config.GetInt(p + ".backoff_ms", 500));
  if (timeout_ms <= 0 || timeout_ms > 3600000) {
    return InvalidArgumentError(p + ".timeout_ms must be from 1 to 3600000, not " +
                                std::to_string(timeout_ms));
  }
  if (retries < 0 || retries > 10) {
    return InvalidArgumentError(p + ".retries must be from 0 to 10, not " +
                                std::to_string(retries));
  }
  if (backoff_ms < 0 || backoff_ms > 60000) {
    return InvalidArgumentError(p + ".backoff_ms must be from 0 to 60000, not " +
                                std::to_string(backoff_ms));
  }
  options.http.timeout_ms = static_cast<int>(timeout_ms);
  options.http.connect_timeout_ms = static_cast<int>(std::min<long long>(timeout_ms, 10000));
  options.http.retries = static_cast<int>(retries);
  options.http.backoff_ms = static_cast<int>(backoff_ms);
  auto client = Create(std::move(options));
  if (!client.ok()) return client.status().WithPrefix(p + ".base_url");
  return client;
}

nlohmann::json ChatClient::BuildBody(const ChatRequest& request) const {
  nlohmann::json messages = nlohmann::json::array();
  if (!request.system_prompt.empty()) {
    messages.push_back({{"role", "system"}, {"content", request.system_prompt}});
  }
  if (request.jpeg_images.empty()) {
    messages.push_back({{"role", "user"}, {"content", request.user_text}});
  } else {
    nlohmann::json content = nlohmann::json::array();
    content.push_back({{"type", "text"}, {"text", request.user_text}});
    for (const std::string& jpeg : request.jpeg_images) {
      content.push_back({{"type", "image_url"},
                         {"image_url", {{"url", "data:image/jpeg;base64," + Base64Encode(jpeg)}}}});
    }
    messages.push_back({{"role", "user"}, {"content", std::move(content)}});
  }
  nlohmann::json body = {{"messages", std::move(messages)},
                         {"max_tokens", request.max_tokens},
                         {"temperature", request.temperature},
                         {"stream", false},
                         {"response_format",
                          {{"type", "json_schema"},
                           {"json_schema",
                            {{"name", request.schema_name},
                             {"strict", request.strict_schema},
                             {"schema", request.schema}}}}}};
  if (!options_.model.empty()) body["model"] = options_.model;
  return body;
}

Result<nlohmann::json> ChatClient::Complete(const ChatRequest& request) const {
  ASSIGN_OR_RETURN(nlohmann::json answer, http_.PostJson(options_.path, BuildBody(request)));
  return ParseChatAnswer(answer, request.schema, url());
}

Result<nlohmann::json> ParseChatAnswer(const nlohmann::json& answer, const nlohmann::json& schema,
                                       std::string_view url) {
  const std::string u(url);
  if (!answer.is_object()) return DataError(u + ": answer is not a JSON object");
  if (auto err = answer.find("error"); err != answer.end() && !err->is_null()) {
    return DataError(u + ": server reported an error: " + Excerpt(err->dump()));
  }
  auto choices = answer.find("choices");
  if (choices == answer.end() || !choices->is_array() || choices->empty() ||
      !(*choices)[0].is_object()) {
    return DataError(u + ": answer has no choices[0]: " + Excerpt(answer.dump()));
  }
  const nlohmann::json& choice = (*choices)[0];
  auto message = choice.find("message");
  if (message == choice.end() || !message->is_object()) {
    return DataError(u + ": answer has no choices[0].message");
  }
  if (auto refusal = message->find("refusal");
      refusal != message->end() && refusal->is_string() && !refusal->get<std::string>().empty()) {
    return DataError(u + ": the model refused: " + Excerpt(refusal->get<std::string>()));
  }
  std::string text;
  auto content = message->find("content");
  if (content != message->end() && content->is_string()) {
    text = content->get<std::string>();
  } else if (content != message->end() && content->is_array()) {  // [{"type":"text","text":..}]
    for (const auto& part : *content) {
      if (part.is_object() && part.contains("text") && part["text"].is_string()) {
        text += part["text"].get<std::string>();
      }
    }
  }
  text = StripWrapping(text);
  if (text.empty()) {
    std::string finish = choice.value("finish_reason", nlohmann::json()).is_string()
                             ? choice["finish_reason"].get<std::string>()
                             : "";
    return DataError(u + ": the model's answer is empty" +
                     (finish.empty() ? "" : " (finish_reason " + finish + ")"));
  }
  nlohmann::json parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    // Some models add a sentence around the object: take the outermost braces.
    std::size_t open = text.find('{');
    std::size_t close = text.rfind('}');
    if (open != std::string::npos && close != std::string::npos && close > open) {
      parsed = nlohmann::json::parse(text.substr(open, close - open + 1), nullptr, false);
    }
  }
  if (parsed.is_discarded()) {
    bool cut = choice.contains("finish_reason") && choice["finish_reason"] == "length";
    return DataError(u + ": the model's answer is not JSON" +
                     (cut ? " (cut off at max_tokens)" : "") + ": '" + Excerpt(text) + "'");
  }
  RETURN_IF_ERROR(CheckAgainstSchema(parsed, schema, url));
  return parsed;
}

}  // namespace clipthat::ai
