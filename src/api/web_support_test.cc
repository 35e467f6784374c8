// The routes the web app needs beyond the resources: signed media links a <video> element can
// play (Range, expiry, tampering, ownership) and the password change, over real HTTP on
// loopback, against SQLite and (when CLIPTHAT_TEST_POSTGRES_URL is set) PostgreSQL.
#include <gtest/gtest.h>

#include "api/clip_repository.h"
#include "api/testing/api_test_server.h"

namespace clipthat::api {
namespace {

using testing::Backend;
using testing::Reply;
using testing::TestServer;

class WebSupportTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    CLIPTHAT_API_TEST_SETUP(GetParam());
    t_ = TestServer::Start(GetParam());
    ASSERT_NE(t_, nullptr);
  }
  std::unique_ptr<TestServer> t_;
};

TEST_P(WebSupportTest, AMediaLinkPlaysWithRangesWithoutCredentialsAndOnlyAsSigned) {
  std::string token = t_->SignUp();
  std::string media(200000, '\0');
  for (std::size_t i = 0; i < media.size(); ++i) media[i] = static_cast<char>(i * 7 + i / 300);
  std::string id = t_->ReadyVod(token, media, "s.MP4");

  Reply link = t_->Call("POST", "/v1/vods/" + id + "/media-link", token);
  ASSERT_EQ(link.status, 200) << link.body;
  std::string url = link.json()["url"];
  EXPECT_EQ(url.rfind("/v1/media/vods/" + id + "?exp=", 0), 0u) << url;
  EXPECT_GT(link.json()["expires_at_ms"].get<std::int64_t>(), store::NowMs() + 3600 * 1000);

  // No Authorization: the link alone reads the media, whole or by range, typed for a player.
  Reply whole = t_->Call("GET", url, "");
  ASSERT_EQ(whole.status, 200) << whole.body;
  EXPECT_EQ(whole.body, media);
  EXPECT_EQ(whole.header("Content-Type"), "video/mp4");
  Reply part = t_->Call("GET", url, "", "", "", {{"Range", "bytes=1000-1999"}});
  ASSERT_EQ(part.status, 206);
  EXPECT_EQ(part.body, media.substr(1000, 1000));
  EXPECT_EQ(part.header("Content-Range"), "bytes 1000-1999/200000");

  // Altered signature, altered expiry, another VOD's id, a missing part: 403, nothing served.
  std::string bad_sig = url;
  bad_sig.back() = bad_sig.back() == '0' ? '1' : '0';
  EXPECT_EQ(t_->Call("GET", bad_sig, "").status, 403);
  std::size_t exp_at = url.find("exp=") + 4;
  std::string later = url;
  later[exp_at + 9] = later[exp_at + 9] == '9' ? '8' : '9';
  EXPECT_EQ(t_->Call("GET", later, "").status, 403);
  std::string other_id = t_->ReadyVod(token, media.substr(0, 5000));
  std::string swapped = url;
  swapped.replace(std::string("/v1/media/vods/").size(), id.size(), other_id);
  EXPECT_EQ(t_->Call("GET", swapped, "").status, 403);
  EXPECT_EQ(t_->Call("GET", url.substr(0, url.find("&sig=")), "").status, 403);
  EXPECT_EQ(t_->Call("GET", "/v1/media/vods/" + id + "?exp=99999999999999&sig=x", "").status, 403);

  // Another user cannot get a link to this VOD; credentials are needed to make one.
  std::string stranger = t_->SignUp();
  EXPECT_EQ(t_->Call("POST", "/v1/vods/" + id + "/media-link", stranger).status, 404);
  EXPECT_EQ(t_->Call("POST", "/v1/vods/" + id + "/media-link", "").status, 401);

  // A deleted VOD's link plays no more.
  ASSERT_EQ(t_->Call("DELETE", "/v1/vods/" + id, token).status, 204);
  EXPECT_EQ(t_->Call("GET", url, "").status, 404);
}

TEST_P(WebSupportTest, APasswordChangeNeedsTheCurrentPassword) {
  std::string email = "pw-" + store::NewId().substr(0, 10) + "@example.com";
  Reply signup =
      t_->Json("POST", "/v1/auth/signup", "", {{"email", email}, {"password", "password-123"}});
  ASSERT_EQ(signup.status, 201);
  std::string token = signup.json()["token"];

  Reply wrong = t_->Json("POST", "/v1/me/password", token,
                         {{"current_password", "not-it-at-all"}, {"new_password", "new-pass-456"}});
  EXPECT_EQ(wrong.status, 422) << wrong.body;
  EXPECT_NE(wrong.body.find("current_password"), std::string::npos) << wrong.body;
  Reply short_new = t_->Json("POST", "/v1/me/password", token,
                             {{"current_password", "password-123"}, {"new_password", "short"}});
  EXPECT_EQ(short_new.status, 422);
  EXPECT_NE(short_new.body.find("new_password"), std::string::npos) << short_new.body;
  EXPECT_EQ(t_->Json("POST", "/v1/me/password", "",
                     {{"current_password", "password-123"}, {"new_password", "new-pass-456"}})
                .status,
            401);

  Reply changed =
      t_->Json("POST", "/v1/me/password", token,
               {{"current_password", "password-123"}, {"new_password", "new-pass-456"}});
  EXPECT_EQ(changed.status, 204) << changed.body;
  EXPECT_EQ(t_->Json("POST", "/v1/auth/login", "", {{"email", email}, {"password", "password-123"}})
                .status,
            401);
  EXPECT_EQ(t_->Json("POST", "/v1/auth/login", "", {{"email", email}, {"password", "new-pass-456"}})
                .status,
            200);
}

TEST_P(WebSupportTest, CaptionLayoutGroupsWordsAsTheRendererDoesAndChecksTheStyle) {
  std::string token = t_->SignUp();
  Reply presets = t_->Call("GET", "/v1/formats/caption-presets");
  ASSERT_EQ(presets.status, 200);
  EXPECT_EQ(presets.json()["presets"]["bold"]["active_color"], "#FFE500FF") << presets.body;
  EXPECT_TRUE(presets.json()["presets"].contains("boxed"));

  nlohmann::json words = nlohmann::json::array();
  const char* texts[] = {"no", "way", "he", "actually", "hit", "that"};
  for (int i = 0; i < 6; ++i) {
    words.push_back({{"text", texts[i]}, {"start_ms", 1000 + i * 300}, {"end_ms", 1250 + i * 300}});
  }
  // A pause longer than max_gap_ms starts a new block.
  words.push_back({{"text", "later"}, {"start_ms", 6000}, {"end_ms", 6400}});
  Reply layout =
      t_->Json("POST", "/v1/captions/layout", token,
               {{"style", {{"preset", "bold"}, {"max_words_per_line", 2}}}, {"words", words}});
  ASSERT_EQ(layout.status, 200) << layout.body;
  nlohmann::json lines = layout.json()["lines"];
  ASSERT_EQ(lines.size(), 4u) << layout.body;
  EXPECT_EQ(lines[0]["words"][0]["text"], "NO") << "the style upper-cases";
  EXPECT_EQ(lines[0]["block"], 0);
  EXPECT_EQ(lines[1]["block"], 0);
  EXPECT_EQ(lines[2]["block"], 1);
  EXPECT_EQ(lines[3]["words"][0]["text"], "LATER");
  EXPECT_GT(lines[3]["block"].get<int>(), lines[2]["block"].get<int>());
  EXPECT_EQ(layout.json()["style"]["max_words_per_line"], 2);

  Reply bad_colour = t_->Json("POST", "/v1/captions/layout", token,
                              {{"style", {{"active_color", "red"}}}, {"words", words}});
  EXPECT_EQ(bad_colour.status, 422);
  EXPECT_NE(bad_colour.body.find("style.active_color"), std::string::npos) << bad_colour.body;
  Reply unsafe =
      t_->Json("POST", "/v1/captions/layout", token, {{"style", {{"position_y_fraction", 0.95}}}});
  EXPECT_EQ(unsafe.status, 422) << unsafe.body;
  Reply bad_word = t_->Json("POST", "/v1/captions/layout", token,
                            {{"words", {{{"text", "x"}, {"start_ms", 5}, {"end_ms", 1}}}}});
  EXPECT_EQ(bad_word.status, 422);
  EXPECT_NE(bad_word.body.find("words[0].end_ms"), std::string::npos) << bad_word.body;
  EXPECT_EQ(t_->Json("POST", "/v1/captions/layout", "", {{"words", words}}).status, 401);
}

TEST_P(WebSupportTest, AClipsBrandTemplateCanBeChangedToOneOfTheUsersOwn) {
  std::string token = t_->SignUp();
  std::string vod = t_->ReadyVod(token, std::string(5000, 'x'));
  Reply clip = t_->Json(
      "POST", "/v1/clips", token,
      {{"vod_id", vod}, {"edit_list", {{"start_ms", 0}, {"end_ms", 5000}, {"source", ""}}}});
  ASSERT_EQ(clip.status, 201) << clip.body;
  std::string id = clip.json()["id"];
  Reply tpl = t_->Json("POST", "/v1/templates", token,
                       {{"name", "mine"}, {"document", {{"version", 1}, {"id", "mine"}}}});
  ASSERT_EQ(tpl.status, 201) << tpl.body;
  std::string tpl_id = tpl.json()["id"];
  Reply set = t_->Json("PATCH", "/v1/clips/" + id, token, {{"template_id", tpl_id}});
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_EQ(set.json()["template_id"], tpl_id);
  std::string stranger = t_->SignUp();
  Reply theirs = t_->Json("POST", "/v1/templates", stranger,
                          {{"name", "theirs"}, {"document", {{"version", 1}, {"id", "theirs"}}}});
  ASSERT_EQ(theirs.status, 201) << theirs.body;
  Reply refused = t_->Json("PATCH", "/v1/clips/" + id, token,
                           {{"template_id", theirs.json()["id"].get<std::string>()}});
  EXPECT_EQ(refused.status, 422) << refused.body;
  Reply cleared = t_->Json("PATCH", "/v1/clips/" + id, token, {{"template_id", ""}});
  ASSERT_EQ(cleared.status, 200) << cleared.body;
  EXPECT_TRUE(cleared.json()["template_id"].is_null());
}

TEST_P(WebSupportTest, AMomentCanBeDiscardedByItsOwnerOnly) {
  std::string user_id;
  std::string token = t_->SignUp(&user_id);
  std::string vod = t_->ReadyVod(token, std::string(5000, 'x'));
  MomentRecord moment{.id = store::NewId(),
                      .user_id = user_id,
                      .vod_id = vod,
                      .job_id = {},
                      .rank = 1,
                      .start_ms = 0,
                      .end_ms = 3000,
                      .score = 1.0,
                      .title = "m",
                      .data = "{}",
                      .created_at_ms = store::NowMs()};
  ASSERT_TRUE(ClipRepository::InsertMoment(t_->db(), moment).ok());
  const std::string path = "/v1/vods/" + vod + "/moments/" + moment.id;
  std::string stranger = t_->SignUp();
  EXPECT_EQ(t_->Call("DELETE", path, stranger).status, 404);
  ASSERT_EQ(t_->Call("GET", "/v1/vods/" + vod + "/moments", token).json()["items"].size(), 1u);
  EXPECT_EQ(t_->Call("DELETE", path, token).status, 204);
  EXPECT_EQ(t_->Call("GET", "/v1/vods/" + vod + "/moments", token).json()["items"].size(), 0u);
  EXPECT_EQ(t_->Call("DELETE", path, token).status, 404);
}

INSTANTIATE_TEST_SUITE_P(Backends, WebSupportTest, ::testing::ValuesIn(testing::TestBackends()),
                         [](const auto& info) {
                           return std::string(store::testing::BackendName(info.param));
                         });

}  // namespace
}  // namespace clipthat::api
