#include "chat/twitch_json_importer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "core/files.h"

namespace clipthat::chat {
namespace {

constexpr const char* kReplay = R"({
  "streamer": {"name": "somestreamer", "id": 42},
  "video": {"id": "1", "title": "t", "start": 0, "end": 100, "length": 100},
  "comments": [
    {"_id": "a", "content_offset_seconds": 12.5,
     "commenter": {"display_name": "Foo", "_id": "123", "name": "foo"},
     "message": {"body": "hi LUL",
                 "fragments": [{"text": "hi ", "emoticon": null},
                               {"text": "LUL", "emoticon": {"emoticon_id": "425618"}}],
                 "emoticons": [{"_id": "425618", "begin": 3, "end": 5}],
                 "user_badges": [{"_id": "subscriber", "version": "12"}]}},
    {"content_offset_seconds": 3,
     "commenter": {"display_name": "Bar", "_id": 77, "name": "bar"},
     "message": {"body": "first", "emoticons": [{"_id": "1"}, {"_id": "2"}]}}
  ],
  "embeddedData": {"thirdParty": [{"data": "AAAA"}]}
})";

TEST(TwitchJsonImporter, ReadsCommentsSortedByTime) {
  auto log = ParseTwitchChatJson(kReplay, "chat.json");
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  ASSERT_EQ(log->messages.size(), 2u);
  EXPECT_EQ(log->skipped_count, 0);
  const ChatMessage& first = log->messages[0];
  EXPECT_EQ(first.time_ms, 3000);
  EXPECT_EQ(first.user_id, "77");
  EXPECT_EQ(first.user_name, "bar");
  EXPECT_EQ(first.text, "first");
  EXPECT_EQ(first.emote_count, 2);  // from emoticons[] when there are no fragments
  const ChatMessage& second = log->messages[1];
  EXPECT_EQ(second.time_ms, 12500);
  EXPECT_EQ(second.user_id, "123");
  EXPECT_EQ(second.display_name, "Foo");
  EXPECT_EQ(second.text, "hi LUL");
  EXPECT_EQ(second.emote_count, 1);
  ASSERT_EQ(second.fragments.size(), 2u);
  EXPECT_FALSE(second.fragments[0].is_emote);
  EXPECT_TRUE(second.fragments[1].is_emote);
  EXPECT_EQ(second.fragments[1].emote_id, "425618");
}

TEST(TwitchJsonImporter, BodyMissingUsesFragments) {
  auto log = ParseTwitchChatJson(
      R"({"comments":[{"content_offset_seconds":1,"commenter":{"name":"a"},
          "message":{"fragments":[{"text":"Pog","emoticon":{"emoticon_id":"9"}},
                                  {"text":" nice","emoticon":null}]}}]})",
      "c.json");
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  EXPECT_EQ(log->messages[0].text, "Pog nice");
  EXPECT_EQ(log->messages[0].emote_count, 1);
}

TEST(TwitchJsonImporter, NotJsonNamesFileAndPosition) {
  auto log =
      ParseTwitchChatJson("{\"comments\": [\n  {\"content_offset_seconds\": 1,}\n]}", "chat.json");
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.status().code(), StatusCode::kDataError);
  const std::string m = log.status().message();
  EXPECT_NE(m.find("chat.json: not JSON"), std::string::npos) << m;
  EXPECT_NE(m.find("line 2"), std::string::npos) << m;
}

TEST(TwitchJsonImporter, DeepNestingIsRefusedBeforeParsing) {
  const std::string deep = R"({"comments": [{"message": )" + std::string(100000, '[') + "}]}";
  auto log = ParseTwitchChatJson(deep, "chat.json");
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.status().code(), StatusCode::kDataError);
  EXPECT_EQ(log.status().message(),
            "chat.json: not a chat replay: nested 100003 levels deep (at most 64)");
}

TEST(TwitchJsonImporter, PlainTextIsNotJson) {
  auto log = ParseTwitchChatJson("hello world", "notes.txt");
  ASSERT_FALSE(log.ok());
  EXPECT_NE(log.status().message().find("notes.txt: not JSON"), std::string::npos);
}

TEST(TwitchJsonImporter, RootWithoutCommentsIsRejected) {
  for (const char* doc : {R"({"messages": []})", "[1,2]", R"({"comments": {}})"}) {
    auto log = ParseTwitchChatJson(doc, "x.json");
    ASSERT_FALSE(log.ok()) << doc;
    EXPECT_EQ(log.status().code(), StatusCode::kDataError);
    EXPECT_NE(log.status().message().find("x.json: not a Twitch chat replay"), std::string::npos);
  }
}

TEST(TwitchJsonImporter, CommentsWithoutOffsetAreSkippedAndCounted) {
  auto log = ParseTwitchChatJson(
      R"({"comments":[{"content_offset_seconds":2,"message":{"body":"ok"}},
                      {"message":{"body":"no time"}},
                      {"content_offset_seconds":"5","message":{"body":"string time"}},
                      42]})",
      "c.json");
  ASSERT_TRUE(log.ok());
  EXPECT_EQ(log->messages.size(), 2u);  // a numeric string is a time in some exports
  EXPECT_EQ(log->skipped_count, 2);
}

TEST(TwitchJsonImporter, NoUsableCommentIsAnError) {
  auto log = ParseTwitchChatJson(R"({"comments":[{"message":{"body":"x"}}]})", "c.json");
  ASSERT_FALSE(log.ok());
  EXPECT_NE(log.status().message().find("c.json: none of the 1 comments"), std::string::npos);
}

// An offset of 1e300 s overflowed the conversion to milliseconds (found by
// fuzz/twitch_chat_json_fuzz); offsets more than a week away are skipped.
TEST(TwitchJsonImporter, SkipsOffsetsBeyondAWeek) {
  auto log = ParseTwitchChatJson(
      R"({"comments": [{"content_offset_seconds": 1e300, "message": "far"},
                       {"content_offset_seconds": "-1e300", "message": "before"},
                       {"content_offset_seconds": 604801, "message": "week and a second"},
                       {"content_offset_seconds": 604800, "message": "a week"}]})",
      "chat.json");
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  ASSERT_EQ(log->messages.size(), 1u);
  EXPECT_EQ(log->messages[0].time_ms, 604800000);
  EXPECT_EQ(log->skipped_count, 3);
}

TEST(TwitchJsonImporter, EmptyCommentsIsAnEmptyLog) {
  auto log = ParseTwitchChatJson(R"({"comments":[]})", "c.json");
  ASSERT_TRUE(log.ok());
  EXPECT_TRUE(log->messages.empty());
}

TEST(TwitchJsonImporter, MissingFileIsNotFound) {
  auto log = ImportTwitchChatJson("/nonexistent/chat.json");
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.status().code(), StatusCode::kNotFound);
}

TEST(TwitchJsonImporter, LargeReplayFromFile) {
  // 70k messages, about 20 MB: the size of a busy four-hour stream.
  std::string doc = R"({"streamer":{"name":"s","id":1},"comments":[)";
  constexpr int kCount = 70000;
  for (int i = 0; i < kCount; ++i) {
    const std::string user = std::to_string(i % 900);
    if (i) doc += ',';
    doc += R"({"_id":"0123456789abcdef0123456789abcdef","created_at":"2024-01-01T00:00:00Z",)";
    doc += R"("content_offset_seconds":)";
    doc += std::to_string(i * 0.2);
    doc += R"(,"commenter":{"display_name":"User)";
    doc += user;
    doc += R"(","_id":"1)";
    doc += user;
    doc += R"(","name":"user)";
    doc += user;
    doc += R"(","bio":"a long enough biography to make the file realistically large, )"
           R"(like the ones TwitchDownloader writes for every single comment in the replay",)"
           R"("logo":"https://static-cdn.jtvnw.net/jtv_user_pictures/abcdef-profile_image.png"},)"
           R"("message":{"body":"KEKW that was insane","bits_spent":0,)"
           R"("fragments":[{"text":"KEKW","emoticon":{"emoticon_id":"1","emoticon_set_id":""}},)"
           R"({"text":" that was insane","emoticon":null}],)"
           R"("user_badges":[{"_id":"subscriber","version":"12"},{"_id":"premium","version":"1"}],)"
           R"("user_color":"#FF0000","emoticons":[{"_id":"1","begin":0,"end":3}]}})";
  }
  doc += "]}";
  ASSERT_GT(doc.size(), 20u * 1000 * 1000);
  TempDir dir;
  auto path = dir.path() / "chat.json";
  ASSERT_TRUE(WriteFileAtomically(path, doc).ok());
  auto log = ImportTwitchChatJson(path.string());
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  EXPECT_EQ(log->messages.size(), static_cast<size_t>(kCount));
  EXPECT_EQ(log->messages.back().time_ms, SecondsToMs((kCount - 1) * 0.2));
}

}  // namespace
}  // namespace clipthat::chat
