#include "billing/billing_options.h"

#include <gtest/gtest.h>

namespace clipthat::billing {
namespace {

TEST(BillingOptionsTest, DefaultsWithoutConfiguration) {
  auto options = LoadBillingOptions(Config());
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  EXPECT_EQ(options->signup_credits, 30);
  EXPECT_EQ(options->prices.analysis_per_hour_credits, 6);
  EXPECT_EQ(options->stripe_api_base, "https://api.stripe.com");
  EXPECT_TRUE(options->stripe_secret_key.empty());
  ASSERT_EQ(options->packs.size(), 3u);
  EXPECT_EQ(options->FindPack("creator")->credits, 500);
  EXPECT_FALSE(options->FindPack("gold"));
}

TEST(BillingOptionsTest, TheDocumentedEnvironmentVariablesWorkAsWritten) {
  std::string vars[] = {"CLIPTHAT_BILLING_STRIPE_SECRET_KEY=sk_test_x",
                        "CLIPTHAT_BILLING_STRIPE_WEBHOOK_SECRET=whsec_y",
                        "CLIPTHAT_BILLING_STRIPE_API_BASE=http://127.0.0.1:9",
                        "CLIPTHAT_BILLING_SIGNUP_CREDITS=0",
                        "CLIPTHAT_BILLING_PRICE_RENDER_CLIP=3",
                        "CLIPTHAT_BILLING_PRICE_ANALYSIS_PER_HOUR=12"};
  std::vector<char*> envp;
  for (std::string& v : vars) envp.push_back(v.data());
  envp.push_back(nullptr);
  Config config;
  config.MergeEnvironment(envp.data());
  auto options = LoadBillingOptions(config);
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  EXPECT_EQ(options->stripe_secret_key, "sk_test_x");
  EXPECT_EQ(options->stripe_webhook_secret, "whsec_y");
  EXPECT_EQ(options->stripe_api_base, "http://127.0.0.1:9");
  EXPECT_EQ(options->signup_credits, 0);
  EXPECT_EQ(options->prices.render_clip_credits, 3);
  EXPECT_EQ(options->prices.analysis_per_hour_credits, 12);
}

TEST(BillingOptionsTest, FileKeysAndPacks) {
  Config config;
  ASSERT_TRUE(config
                  .MergeJsonText(R"({"billing": {"stripe_secret_key": "sk_live_z",
                      "packs": "small:10:99, big:1000:4900:A big pack: best value",
                      "currency": "EUR", "price": {"live_minute": 2}}})",
                                 "test")
                  .ok());
  auto options = LoadBillingOptions(config);
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  EXPECT_EQ(options->stripe_secret_key, "sk_live_z");
  EXPECT_EQ(options->currency, "eur");
  EXPECT_EQ(options->prices.live_minute_credits, 2);
  ASSERT_EQ(options->packs.size(), 2u);
  EXPECT_EQ(options->packs[0].name, "10 credits");
  EXPECT_EQ(options->packs[1].name, "A big pack: best value");
  EXPECT_EQ(options->packs[1].amount_cents, 4900);
}

TEST(BillingOptionsTest, BadValuesNameTheKeyAndNeverTheSecret) {
  auto bad = [](const char* json) {
    Config config;
    EXPECT_TRUE(config.MergeJsonText(json, "test").ok());
    auto options = LoadBillingOptions(config);
    EXPECT_FALSE(options.ok()) << json;
    return options.ok() ? std::string() : options.status().message();
  };
  EXPECT_NE(bad(R"({"billing": {"signup_credits": -5}})").find("billing.signup_credits"),
            std::string::npos);
  EXPECT_NE(bad(R"({"billing": {"packs": "x:10"}})").find("billing.packs"), std::string::npos);
  EXPECT_NE(bad(R"({"billing": {"packs": "x:10:20"}})").find(">= 50"), std::string::npos);
  EXPECT_NE(bad(R"({"billing": {"packs": "a:1:100,a:2:200"}})").find("used twice"),
            std::string::npos);
  EXPECT_NE(bad(R"({"billing": {"packs": "Bad Id:1:100"}})").find("the id"), std::string::npos);
  EXPECT_NE(bad(R"({"billing": {"currency": "dollars"}})").find("billing.currency"),
            std::string::npos);
  std::string base =
      bad(R"({"billing": {"stripe_api_base": "ftp://x", "stripe_secret_key": "sk_secret_1"}})");
  EXPECT_NE(base.find("billing.stripe_api_base"), std::string::npos);
  EXPECT_EQ(base.find("sk_secret_1"), std::string::npos);
}

}  // namespace
}  // namespace clipthat::billing
