// ChatClient: asks an OpenAI-compatible chat completions server (llama.cpp server, Ollama,
// vLLM, OpenAI) for a JSON object that follows a JSON Schema.
//
// The request is POST {base_url}/v1/chat/completions with
//   "messages": [system?, user] where the user content is text, or with images an array of
//               {"type":"text"} and
//               {"type":"image_url","image_url":{"url":"data:image/jpeg;base64,..."}}
//   "response_format": {"type":"json_schema","json_schema":{"name":..,"strict":..,"schema":{..}}}
// (the wrapped form: llama.cpp's server ignores the flat form). The answer's
// choices[0].message.content must hold a JSON object with the schema's required keys, of the
// schema's top-level types; anything else is a DataError. Transport errors are those of
// HttpClient (http_client.h).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "ai/http_client.h"
#include "core/config.h"
#include "core/result.h"

namespace clipthat::ai {

struct ChatOptions {
  HttpOptions http;
  std::string model;  // sent as "model" when not empty (llama.cpp's server needs none)
  std::string path = "/v1/chat/completions";
};

struct ChatRequest {
  std::string system_prompt;  // omitted when empty
  std::string user_text;
  std::vector<std::string> jpeg_images;  // JPEG file bytes, sent as data URIs after the text
  std::string schema_name = "answer";    // letters, digits, '_' and '-'
  nlohmann::json schema;                 // JSON Schema of the answer (an object schema)
  // OpenAI's strict mode: the schema must then list every property in "required" and set
  // "additionalProperties": false. Other servers ignore it.
  bool strict_schema = false;
  int max_tokens = 512;
  double temperature = 0.2;
};

class ChatClient {
 public:
  static Result<ChatClient> Create(ChatOptions options);
  // Reads PREFIX.base_url (required), PREFIX.model, PREFIX.api_key, PREFIX.timeout_ms (default
  // 60000), PREFIX.retries (default 2), PREFIX.path (default /v1/chat/completions).
  // InvalidArgument names a missing or bad key.
  static Result<ChatClient> FromConfig(const Config& config, std::string_view prefix = "llm");

  // Sends `request` and returns the answer object.
  Result<nlohmann::json> Complete(const ChatRequest& request) const;

  // The request body for `request`.
  nlohmann::json BuildBody(const ChatRequest& request) const;
  std::string url() const { return http_.UrlFor(options_.path); }

 private:
  ChatClient(ChatOptions options, HttpClient http)
      : options_(std::move(options)), http_(std::move(http)) {}

  ChatOptions options_;
  HttpClient http_;
};

// Extracts and checks the JSON object in a chat completions answer (see above). Tolerates a
// Markdown code fence and a leading <think>...</think> block around the JSON.
Result<nlohmann::json> ParseChatAnswer(const nlohmann::json& answer, const nlohmann::json& schema,
                                       std::string_view url);

}  // namespace clipthat::ai
