#include "ai/chat_client.h"

#include <gtest/gtest.h>

#include "ai/testing/loopback_server.h"
#include "ai/title_writer_llm.h"

namespace clipthat::ai {
namespace {

using testing::LoopbackServer;

// A chat completions answer as OpenAI, llama.cpp's server, Ollama and vLLM send it.
std::string CompletionAnswer(const std::string& content, const std::string& finish = "stop") {
  nlohmann::json j = {
      {"id", "chatcmpl-123"},
      {"object", "chat.completion"},
      {"created", 1718000000},
      {"model", "qwen2.5-7b-instruct"},
      {"choices",
       {{{"index", 0},
         {"message", {{"role", "assistant"}, {"content", content}}},
         {"logprobs", nullptr},
         {"finish_reason", finish}}}},
      {"usage", {{"prompt_tokens", 120}, {"completion_tokens", 12}, {"total_tokens", 132}}}};
  return j.dump();
}

nlohmann::json TitleSchema() {
  return {{"type", "object"},
          {"properties", {{"title", {{"type", "string"}}}, {"score", {{"type", "number"}}}}},
          {"required", {"title"}}};
}

Config ChatConfig(const std::string& base_url) {
  Config c;
  c.Set("llm.base_url", base_url);
  c.Set("llm.model", "qwen2.5-7b-instruct");
  c.Set("llm.api_key", "sk-local");
  c.Set("llm.timeout_ms", "2000");
  c.Set("llm.retries", "1");
  c.Set("llm.backoff_ms", "5");
  return c;
}

TEST(ChatClientTest, SendsJsonSchemaAndImagesAndReadsTheObject) {
  LoopbackServer s;
  nlohmann::json request;
  std::string auth;
  s.server().Post("/v1/chat/completions", [&](const httplib::Request& req, httplib::Response& res) {
    request = nlohmann::json::parse(req.body, nullptr, false);
    auth = req.get_header_value("Authorization");
    res.set_content(CompletionAnswer(R"({"title":"Boss down on the last hit","score":0.9})"),
                    "application/json");
  });
  ASSERT_TRUE(s.Start());
  auto client = ChatClient::FromConfig(ChatConfig(s.url() + "/v1"));
  ASSERT_TRUE(client.ok()) << client.status().ToString();
  ChatRequest r;
  r.system_prompt = "You rate frames.";
  r.user_text = "Rate this frame.";
  r.jpeg_images = {std::string("\xff\xd8\xff\xe0", 4)};
  r.schema_name = "frame_rating";
  r.schema = TitleSchema();
  auto answer = client->Complete(r);
  ASSERT_TRUE(answer.ok()) << answer.status().ToString();
  EXPECT_EQ((*answer)["title"], "Boss down on the last hit");

  ASSERT_TRUE(request.is_object());
  EXPECT_EQ(auth, "Bearer sk-local");
  EXPECT_EQ(request["model"], "qwen2.5-7b-instruct");
  EXPECT_EQ(request["response_format"]["type"], "json_schema");
  EXPECT_EQ(request["response_format"]["json_schema"]["name"], "frame_rating");
  EXPECT_EQ(request["response_format"]["json_schema"]["schema"], TitleSchema());
  ASSERT_EQ(request["messages"].size(), 2u);
  EXPECT_EQ(request["messages"][0]["role"], "system");
  const nlohmann::json& content = request["messages"][1]["content"];
  ASSERT_TRUE(content.is_array());
  EXPECT_EQ(content[0]["type"], "text");
  EXPECT_EQ(content[0]["text"], "Rate this frame.");
  EXPECT_EQ(content[1]["type"], "image_url");
  EXPECT_EQ(content[1]["image_url"]["url"], "data:image/jpeg;base64,/9j/4A==");
}

TEST(ChatClientTest, ReadsFencedAndReasoningAnswers) {
  const std::string url = "http://h/v1/chat/completions";
  for (const char* content : {"```json\n{\"title\":\"x\"}\n```",
                              "<think>hmm</think>\n{\"title\":\"x\"}", "Sure! {\"title\":\"x\"}"}) {
    auto r = ParseChatAnswer(nlohmann::json::parse(CompletionAnswer(content)), TitleSchema(), url);
    ASSERT_TRUE(r.ok()) << content << ": " << r.status().ToString();
    EXPECT_EQ((*r)["title"], "x");
  }
}

TEST(ChatClientTest, MalformedAnswersAreDataErrors) {
  const std::string url = "http://h/v1/chat/completions";
  struct Case {
    nlohmann::json answer;
    std::string expect;
  };
  std::vector<Case> cases = {
      {nlohmann::json::parse(CompletionAnswer("I cannot do that")), "not JSON"},
      {nlohmann::json::parse(CompletionAnswer("{\"title\": \"Boss do", "length")), "max_tokens"},
      {nlohmann::json::parse(CompletionAnswer(R"({"name":"x"})")), "lacks \"title\""},
      {nlohmann::json::parse(CompletionAnswer(R"({"title":42})")), "\"title\" of type number"},
      {nlohmann::json::parse(CompletionAnswer("[1,2]")), "not a JSON object"},
      {nlohmann::json::parse(CompletionAnswer("")), "empty"},
      {{{"object", "chat.completion"}, {"choices", nlohmann::json::array()}}, "no choices[0]"},
      {{{"error", {{"message", "context length exceeded"}}}}, "context length exceeded"},
  };
  for (const Case& c : cases) {
    auto r = ParseChatAnswer(c.answer, TitleSchema(), url);
    ASSERT_FALSE(r.ok()) << c.answer.dump();
    EXPECT_EQ(r.status().code(), StatusCode::kDataError);
    EXPECT_NE(r.status().message().find(c.expect), std::string::npos) << r.status().message();
    EXPECT_TRUE(r.status().message().starts_with(url)) << r.status().message();
  }
}

TEST(ChatClientTest, AMalformedAnswerFromTheServerIsADataError) {
  LoopbackServer s;
  s.server().Post("/v1/chat/completions", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"choices":[{"message":{"content":"{\"title\": oops}"}}]})",
                    "application/json");
  });
  ASSERT_TRUE(s.Start());
  auto client = ChatClient::FromConfig(ChatConfig(s.url()));
  ASSERT_TRUE(client.ok());
  ChatRequest r;
  r.user_text = "t";
  r.schema = TitleSchema();
  auto answer = client->Complete(r);
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.status().code(), StatusCode::kDataError);
  EXPECT_NE(answer.status().message().find(s.url() + "/v1/chat/completions"), std::string::npos);
}

TEST(ChatClientTest, ConfigErrorsNameTheKey) {
  Config empty;
  auto r = ChatClient::FromConfig(empty);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(r.status().message().starts_with("llm.base_url")) << r.status().message();

  Config bad = ChatConfig("gpu-box:8080");
  r = ChatClient::FromConfig(bad);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().message().starts_with("llm.base_url")) << r.status().message();

  Config bad_timeout = ChatConfig("http://gpu-box:8080");
  bad_timeout.Set("llm.timeout_ms", "soon");
  r = ChatClient::FromConfig(bad_timeout);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("llm.timeout_ms"), std::string::npos);

  Config vision = ChatConfig("http://x");
  vision.Set("vision.remote.base_url", "http://gpu-box:8080");
  EXPECT_TRUE(ChatClient::FromConfig(vision, "vision.remote").ok());
}

TEST(LlmTitleTest, AsksForATitleAndCleansIt) {
  LoopbackServer s;
  nlohmann::json request;
  s.server().Post("/v1/chat/completions", [&](const httplib::Request& req, httplib::Response& res) {
    request = nlohmann::json::parse(req.body, nullptr, false);
    res.set_content(
        CompletionAnswer(R"({"title":"\"He hit the f*** jump first try KEKW \ud83d\ude31\""})"),
        "application/json");
  });
  ASSERT_TRUE(s.Start());
  auto client = ChatClient::FromConfig(ChatConfig(s.url()));
  ASSERT_TRUE(client.ok());
  auto title = WriteLlmTitle(*client, "no way I made that jump first try",
                             {"KEKW", "CLIP IT", "first try no way"});
  ASSERT_TRUE(title.ok()) << title.status().ToString();
  EXPECT_EQ(*title, "He hit the jump first try");
  const nlohmann::json& fmt = request["response_format"];
  EXPECT_EQ(fmt["type"], "json_schema");
  EXPECT_EQ(fmt["json_schema"]["schema"]["required"], nlohmann::json::array({"title"}));
  EXPECT_EQ(fmt["json_schema"]["schema"]["properties"]["title"]["type"], "string");
  const std::string user = request["messages"][1]["content"];
  EXPECT_NE(user.find("no way I made that jump first try"), std::string::npos);
  EXPECT_NE(user.find("- CLIP IT"), std::string::npos);
}

TEST(LlmTitleTest, AnUnusableTitleIsAnErrorSoTheCallerFallsBack) {
  LoopbackServer s;
  s.server().Post("/v1/chat/completions", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(CompletionAnswer(R"({"title":"KEKW KEKW PogChamp"})"), "application/json");
  });
  ASSERT_TRUE(s.Start());
  auto client = ChatClient::FromConfig(ChatConfig(s.url()));
  ASSERT_TRUE(client.ok());
  auto title = WriteLlmTitle(*client, "words", {});
  ASSERT_FALSE(title.ok());
  EXPECT_EQ(title.status().code(), StatusCode::kDataError);
  EXPECT_EQ(WriteLlmTitle(*client, "", {}).status().code(), StatusCode::kInvalidArgument);
}

TEST(LlmTitleTest, CleanTitleRules) {
  EXPECT_EQ(CleanTitle("  \"Chat Loses It Over The Final Boss\"\n"),
            "Chat Loses It Over The Final Boss");
  EXPECT_EQ(CleanTitle("What the f**k was that LUL"), "What the was that");
  EXPECT_EQ(CleanTitle("This is s#!t [censored] insane PogChamp!"), "This is insane");
  EXPECT_EQ(CleanTitle("Insane clutch monkaS :pog: #gaming @streamer"), "Insane clutch");
  EXPECT_EQ(CleanTitle("The streamer finally beats the hardest level in the game and then..."),
            "The streamer finally beats the hardest level in the game");
  const std::string cut = CleanTitle(
      "Streamer screams at jump scare and falls off the chair during the horror marathon");
  EXPECT_LE(cut.size(), kMaxTitleChars);
  EXPECT_EQ(cut, "Streamer screams at jump scare and falls off the chair");
  EXPECT_EQ(CleanTitle("Unbeliev- able comeback"), "able comeback");
  EXPECT_EQ(CleanTitle("Caf\xc3\xa9 chaos \xf0\x9f\x94\xa5\xf0\x9f\x94\xa5"), "Caf\xc3\xa9 chaos");
  EXPECT_EQ(CleanTitle("KEKW"), "");
}

}  // namespace
}  // namespace clipthat::ai
