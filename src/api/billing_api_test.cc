// Credits and Stripe through the API, on SQLite and (when CLIPTHAT_TEST_POSTGRES_URL is set)
// PostgreSQL. Stripe itself is a loopback server that speaks its wire format: Checkout Sessions
// are form-encoded POSTs checked field by field and answered with Stripe-shaped JSON, and
// webhook events are signed the way Stripe signs them (HMAC-SHA256 of "t.body").
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <thread>

#include "ai/testing/loopback_server.h"
#include "api/testing/api_test_server.h"
#include "billing/ledger.h"
#include "billing/stripe_signature.h"
#include "store/job_queue.h"
#include "store/testing/migrated_database_test.h"

namespace clipthat::api {
namespace {

using testing::Backend;
using testing::Reply;
using testing::TestServer;

constexpr char kStripeKey[] = "sk_test_clipthat_0123456789";
constexpr char kWebhookSecret[] = "whsec_clipthat_test_secret";

std::int64_t NowS() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Decodes an application/x-www-form-urlencoded body ('+' and %XX), in field order.
std::vector<std::pair<std::string, std::string>> DecodeForm(const std::string& body) {
  auto decode = [](const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '+') {
        out += ' ';
      } else if (s[i] == '%' && i + 2 < s.size()) {
        out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
        i += 2;
      } else {
        out += s[i];
      }
    }
    return out;
  };
  std::vector<std::pair<std::string, std::string>> fields;
  std::size_t start = 0;
  while (start < body.size()) {
    std::size_t amp = body.find('&', start);
    std::string item = body.substr(start, amp == std::string::npos ? body.npos : amp - start);
    std::size_t eq = item.find('=');
    fields.emplace_back(decode(item.substr(0, eq)),
                        eq == std::string::npos ? "" : decode(item.substr(eq + 1)));
    if (amp == std::string::npos) break;
    start = amp + 1;
  }
  return fields;
}

// A loopback Stripe: POST /v1/checkout/sessions, idempotent by Idempotency-Key like Stripe.
class FakeStripe {
 public:
  FakeStripe() {
    server_.server().Post("/v1/checkout/sessions", [this](const httplib::Request& req,
                                                          httplib::Response& res) {
      std::lock_guard<std::mutex> lock(mutex_);
      ++requests_;
      last_auth_ = req.get_header_value("Authorization");
      last_content_type_ = req.get_header_value("Content-Type");
      last_idempotency_key_ = req.get_header_value("Idempotency-Key");
      if (last_auth_ != std::string("Bearer ") + kStripeKey) {
        res.status = 401;
        res.set_content(
            R"({"error":{"type":"invalid_request_error","message":"Invalid API Key provided"}})",
            "application/json");
        return;
      }
      if (auto it = sessions_.find(last_idempotency_key_); it != sessions_.end()) {
        res.set_content(it->second.dump(), "application/json");
        return;
      }
      last_fields_.clear();
      for (auto& [name, value] : DecodeForm(req.body)) last_fields_[name] = value;
      std::string id = "cs_test_" + store::NewId();
      nlohmann::json session = {
          {"id", id},
          {"object", "checkout.session"},
          {"mode", last_fields_["mode"]},
          {"status", "open"},
          {"payment_status", "unpaid"},
          {"client_reference_id", last_fields_["client_reference_id"]},
          {"metadata",
           {{"credits", last_fields_["metadata[credits]"]},
            {"pack", last_fields_["metadata[pack]"]}}},
          {"amount_total", std::stoll(last_fields_["line_items[0][price_data][unit_amount]"])},
          {"currency", last_fields_["line_items[0][price_data][currency]"]},
          {"payment_intent", nullptr},
          {"url", "https://checkout.stripe.com/c/pay/" + id}};
      sessions_[last_idempotency_key_] = session;
      res.set_content(session.dump(), "application/json");
    });
    EXPECT_TRUE(server_.Start());
  }
  std::string url() const { return server_.url(); }

  std::mutex mutex_;
  int requests_ = 0;
  std::string last_auth_, last_content_type_, last_idempotency_key_;
  std::map<std::string, std::string> last_fields_;
  std::map<std::string, nlohmann::json> sessions_;

 private:
  ai::testing::LoopbackServer server_;
};

// The event Stripe sends when a session is paid, shaped like Stripe's.
nlohmann::json SessionEvent(const std::string& event_id, const std::string& type,
                            const std::string& session_id, const std::string& user_id,
                            const std::string& credits, const std::string& payment_status) {
  return {{"id", event_id},
          {"object", "event"},
          {"api_version", "2024-06-20"},
          {"created", NowS()},
          {"livemode", false},
          {"type", type},
          {"data",
           {{"object",
             {{"id", session_id},
              {"object", "checkout.session"},
              {"mode", "payment"},
              {"status", "complete"},
              {"payment_status", payment_status},
              {"client_reference_id", user_id},
              {"metadata", {{"credits", credits}, {"pack", "starter"}}},
              {"amount_total", 500},
              {"currency", "usd"},
              {"payment_intent", "pi_" + session_id}}}}}};
}

nlohmann::json RefundEvent(const std::string& event_id, const std::string& payment_intent,
                           std::int64_t refunded_cents) {
  return {{"id", event_id},
          {"object", "event"},
          {"type", "charge.refunded"},
          {"created", NowS()},
          {"data",
           {{"object",
             {{"id", "ch_" + payment_intent},
              {"object", "charge"},
              {"amount", 500},
              {"amount_refunded", refunded_cents},
              {"refunded", refunded_cents >= 500},
              {"payment_intent", payment_intent}}}}}};
}

void Configure(ApiServerOptions& o) {
  o.billing.signup_credits = 30;
  o.billing.stripe_secret_key = kStripeKey;
  o.billing.stripe_webhook_secret = kWebhookSecret;
  o.billing.packs = billing::DefaultPacks();
  o.billing_sweep_ms = 100;
  // These tests queue more jobs at once than a user may by default: credits are what they test
  // (api_quota_test tests the jobs quota).
  o.quota_max_active_jobs = 0;
}

class BillingApiTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    CLIPTHAT_API_TEST_SETUP(GetParam());
    static FakeStripe* stripe_for_tweak = nullptr;
    stripe_ = std::make_unique<FakeStripe>();
    stripe_for_tweak = stripe_.get();
    t_ = TestServer::Start(GetParam(), [](ApiServerOptions& o) {
      Configure(o);
      o.billing.stripe_api_base = stripe_for_tweak->url();
    });
    ASSERT_NE(t_, nullptr);
  }

  std::int64_t Balance(const std::string& token) {
    Reply r = t_->Call("GET", "/v1/billing", token);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json().value("balance", std::int64_t{-1});
  }

  Reply Deliver(const nlohmann::json& event, std::int64_t at_s, const std::string& secret,
                const std::string& tamper = "") {
    std::string body = event.dump();
    std::string header = billing::StripeSignatureHeader(secret, body, at_s);
    return t_->Call("POST", "/v1/billing/stripe-webhook", "", body + tamper, "application/json",
                    {{"Stripe-Signature", header}});
  }

  // A ready VOD of fake bytes (not media: priced by its size, one 10-minute block).
  std::string ReadyVod(const std::string& token) {
    return t_->ReadyVod(token, std::string(20000, 'x'));
  }

  Reply Analyze(const std::string& token, const std::string& vod, int render_top) {
    return t_->Json("POST", "/v1/vods/" + vod + "/analyze", token,
                    {{"top", 1}, {"render_top", render_top}});
  }
  Reply Lease(const std::string& key, const std::string& worker, const std::string& role,
              int lease_ms = 30000) {
    return t_->Json("POST", "/v1/worker/lease", key,
                    {{"worker_id", worker}, {"roles", {role}}, {"lease_ms", lease_ms}});
  }
  // Completes an analysis attempt with one moment of a 60-second VOD.
  Reply CompleteAnalysis(const std::string& key, const std::string& job_id,
                         const std::string& worker, int attempt) {
    nlohmann::json moments = {{{"id", 1},
                               {"start_ms", 1000},
                               {"end_ms", 16000},
                               {"score", 2.0},
                               {"title", "the moment"},
                               {"words", nlohmann::json::array()}}};
    return t_->Json("POST", "/v1/worker/jobs/" + job_id + "/complete", key,
                    {{"worker_id", worker},
                     {"attempt", attempt},
                     {"result", {{"moments", moments}, {"duration_ms", 60000}}}});
  }

  std::vector<nlohmann::json> Ledger(const std::string& token) {
    Reply r = t_->Call("GET", "/v1/billing/ledger?limit=100", token);
    EXPECT_EQ(r.status, 200) << r.body;
    const nlohmann::json page = r.json();
    std::vector<nlohmann::json> items;
    if (page.contains("items")) {
      for (const auto& e : page["items"]) items.push_back(e);
    }
    return items;
  }
  int CountKind(const std::string& token, const std::string& kind, const std::string& job = "") {
    int n = 0;
    for (const auto& e : Ledger(token)) {
      n += e["kind"] == kind && (job.empty() || e["job_id"] == job);
    }
    return n;
  }

  std::unique_ptr<FakeStripe> stripe_;
  std::unique_ptr<TestServer> t_;
};

TEST_P(BillingApiTest, PurchaseThroughCheckoutAndASignedWebhookGrantsOnce) {
  std::string token = t_->SignUp();
  std::string user_id = t_->Call("GET", "/v1/me", token).json()["id"];
  ASSERT_FALSE(user_id.empty());
  EXPECT_EQ(Balance(token), 30);  // the sign-up grant
  Reply info = t_->Call("GET", "/v1/billing", token);
  EXPECT_EQ(info.json()["checkout_enabled"], true);
  EXPECT_EQ(info.json()["packs"][0]["id"], "starter");

  Reply checkout = t_->Json("POST", "/v1/billing/checkout", token, {{"pack", "starter"}});
  ASSERT_EQ(checkout.status, 201) << checkout.body;
  std::string session_id = checkout.json()["id"];
  EXPECT_EQ(checkout.json()["url"], "https://checkout.stripe.com/c/pay/" + session_id);
  {
    std::lock_guard<std::mutex> lock(stripe_->mutex_);
    auto& f = stripe_->last_fields_;
    EXPECT_EQ(stripe_->last_auth_, std::string("Bearer ") + kStripeKey);
    EXPECT_EQ(stripe_->last_content_type_, "application/x-www-form-urlencoded");
    EXPECT_FALSE(stripe_->last_idempotency_key_.empty());
    EXPECT_EQ(f["mode"], "payment");
    EXPECT_EQ(f["client_reference_id"], user_id);
    EXPECT_EQ(f["metadata[credits]"], "100");
    EXPECT_EQ(f["metadata[pack]"], "starter");
    EXPECT_EQ(f["line_items[0][price_data][currency]"], "usd");
    EXPECT_EQ(f["line_items[0][price_data][unit_amount]"], "500");
    EXPECT_EQ(f["line_items[0][price_data][product_data][name]"], "ClipThat: 100 credits");
    EXPECT_EQ(f["line_items[0][quantity]"], "1");
    EXPECT_NE(f["success_url"].find("/billing.html?checkout=success"), std::string::npos);
    EXPECT_NE(f["success_url"].find("{CHECKOUT_SESSION_ID}"), std::string::npos);
    EXPECT_NE(f["cancel_url"].find("/billing.html?checkout=cancelled"), std::string::npos);
    EXPECT_TRUE(f["success_url"].starts_with("http://"));
  }
  EXPECT_EQ(Balance(token), 30);  // nothing before Stripe says it is paid

  nlohmann::json paid =
      SessionEvent("evt_paid_1", "checkout.session.completed", session_id, user_id, "100", "paid");
  Reply first = Deliver(paid, NowS(), kWebhookSecret);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.json()["received"], true);
  EXPECT_EQ(Balance(token), 130);

  // The same event delivered 8 times at once, then again an hour later (freshly signed, as
  // Stripe's retries are): granted once.
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      if (Deliver(paid, NowS(), kWebhookSecret).status == 200) ++ok;
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 8);
  nlohmann::json later = paid;
  later["created"] = NowS() + 3600;
  EXPECT_EQ(Deliver(later, NowS(), kWebhookSecret).status, 200);
  EXPECT_EQ(Balance(token), 130);
  EXPECT_EQ(CountKind(token, "purchase"), 1);

  // A refund takes the credits back.
  Reply refund =
      Deliver(RefundEvent("evt_refund_1", "pi_" + session_id, 500), NowS(), kWebhookSecret);
  ASSERT_EQ(refund.status, 200) << refund.body;
  EXPECT_EQ(Balance(token), 30);
  EXPECT_EQ(CountKind(token, "refund"), 1);

  // Unknown events: 200 and ignored.
  nlohmann::json other = {
      {"id", "evt_other"}, {"type", "customer.created"}, {"data", {{"object", {{"id", "cus_1"}}}}}};
  EXPECT_EQ(Deliver(other, NowS(), kWebhookSecret).status, 200);
  EXPECT_EQ(Balance(token), 30);
}

TEST_P(BillingApiTest, ForgedStaleUnsignedAndTamperedEventsAre400AndGrantNothing) {
  std::string user_id;
  std::string token = t_->SignUp(&user_id);
  nlohmann::json paid = SessionEvent("evt_forged", "checkout.session.completed", "cs_forged",
                                     user_id, "1000", "paid");
  Reply forged = Deliver(paid, NowS(), "whsec_not_the_secret");
  EXPECT_EQ(forged.status, 400) << forged.body;
  EXPECT_NE(forged.body.find("no signature matches"), std::string::npos) << forged.body;
  Reply stale = Deliver(paid, NowS() - 301, kWebhookSecret);
  EXPECT_EQ(stale.status, 400) << stale.body;
  EXPECT_NE(stale.body.find("tolerance"), std::string::npos) << stale.body;
  Reply missing = t_->Call("POST", "/v1/billing/stripe-webhook", "", paid.dump());
  EXPECT_EQ(missing.status, 400) << missing.body;
  EXPECT_NE(missing.body.find("Stripe-Signature: missing"), std::string::npos) << missing.body;
  Reply tampered = Deliver(paid, NowS(), kWebhookSecret, " ");
  EXPECT_EQ(tampered.status, 400) << tampered.body;
  EXPECT_EQ(Balance(token), 30);
  // The genuine delivery of that same event id still counts: refusals recorded nothing.
  EXPECT_EQ(Deliver(paid, NowS(), kWebhookSecret).status, 200);
  EXPECT_EQ(Balance(token), 1030);
}

TEST_P(BillingApiTest, DelayedPaymentsAreGrantedWhenTheyClearNotBefore) {
  std::string user_id;
  std::string token = t_->SignUp(&user_id);
  Reply checkout = t_->Json("POST", "/v1/billing/checkout", token, {{"pack", "creator"}});
  ASSERT_EQ(checkout.status, 201) << checkout.body;
  std::string session_id = checkout.json()["id"];
  ASSERT_EQ(Deliver(SessionEvent("evt_unpaid", "checkout.session.completed", session_id, user_id,
                                 "500", "unpaid"),
                    NowS(), kWebhookSecret)
                .status,
            200);
  EXPECT_EQ(Balance(token), 30);
  // The session's recorded pack decides the credits, whatever the metadata says.
  ASSERT_EQ(Deliver(SessionEvent("evt_cleared", "checkout.session.async_payment_succeeded",
                                 session_id, user_id, "999999", "paid"),
                    NowS(), kWebhookSecret)
                .status,
            200);
  EXPECT_EQ(Balance(token), 530);
}

TEST_P(BillingApiTest, CheckoutRefusesUnknownPacksAndSaysWhenBillingIsOff) {
  std::string token = t_->SignUp();
  Reply unknown = t_->Json("POST", "/v1/billing/checkout", token, {{"pack", "gold"}});
  EXPECT_EQ(unknown.status, 422) << unknown.body;
  EXPECT_EQ(t_->Json("POST", "/v1/billing/checkout", "", {{"pack", "starter"}}).status, 401);
  auto off = TestServer::Start(
      GetParam(), [](ApiServerOptions& o) { o.billing.packs = billing::DefaultPacks(); });
  ASSERT_NE(off, nullptr);
  std::string other = off->SignUp();
  EXPECT_EQ(off->Call("GET", "/v1/billing", other).json()["checkout_enabled"], false);
  Reply refused = off->Json("POST", "/v1/billing/checkout", other, {{"pack", "starter"}});
  EXPECT_EQ(refused.status, 503) << refused.body;
}

TEST_P(BillingApiTest, FiftyJobsAtOnceOnTwoApiServersAndTwentyCreditsAcceptExactlyTwenty) {
  std::string user_id;
  std::string token = t_->SignUp(&user_id);
  std::string vod = ReadyVod(token);
  Reply quote =
      t_->Call("GET", "/v1/billing/quote?kind=analyze&vod_id=" + vod + "&render_top=0", token);
  ASSERT_EQ(quote.status, 200) << quote.body;
  ASSERT_EQ(quote.json()["price"], 1);
  // Bring the balance to exactly 20 (30 from sign-up, minus 10 by an operator's adjustment).
  ASSERT_OK(billing::Ledger().Grant(t_->db(), user_id, -10, "test: leave 20"));
  ASSERT_EQ(Balance(token), 20);
  std::atomic<int> accepted{0}, refused{0}, other{0}, negative{0};
  std::atomic<bool> done{false};
  std::thread watcher([&] {
    while (!done) {
      auto b = billing::Ledger().GetBalance(t_->db(), user_id);
      if (b.ok() && b->available < 0) ++negative;
    }
  });
  // A second API server on the same database with its own connection pool, as on another
  // machine: the requests alternate between the two.
  auto second_db = store::OpenDatabase(t_->db_url(), 12);
  ASSERT_TRUE(second_db.ok()) << second_db.status().ToString();
  ApiServerOptions second_options;
  second_options.port = 0;
  second_options.threads = 8;
  second_options.jwt_secret = testing::kTestSecret;
  second_options.password_cost = PasswordCost::kMinimum;
  Configure(second_options);
  ApiServer second(second_options, **second_db, t_->objects(), Logger());
  ASSERT_OK(second.Start());
  auto analyze_on_second = [&]() {
    httplib::Client c("127.0.0.1", second.port());
    c.set_read_timeout(60, 0);
    auto r =
        c.Post(("/v1/vods/" + vod + "/analyze").c_str(), {{"Authorization", "Bearer " + token}},
               nlohmann::json({{"top", 1}, {"render_top", 0}}).dump(), "application/json");
    Reply reply;
    if (r) {
      reply.status = r->status;
      reply.body = r->body;
    } else {
      reply.body = "second server: " + httplib::to_string(r.error());
    }
    return reply;
  };
  std::vector<std::thread> threads;
  for (int i = 0; i < 50; ++i) {
    threads.emplace_back([&, i] {
      Reply r = i % 2 == 0 ? Analyze(token, vod, 0) : analyze_on_second();
      if (r.status == 202) {
        ++accepted;
      } else if (r.status == 402) {
        ++refused;
        auto e = r.json()["error"];
        if (e["code"] != "payment_required" || e["price"] != 1 || !e["balance"].is_number()) {
          ++other;
        }
      } else {
        ++other;
        ADD_FAILURE() << r.status << " " << r.body;
      }
    });
  }
  for (auto& th : threads) th.join();
  done = true;
  watcher.join();
  EXPECT_EQ(accepted.load(), 20);
  EXPECT_EQ(refused.load(), 30);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(negative.load(), 0);
  EXPECT_EQ(Balance(token), 0);
  EXPECT_EQ(t_->Call("GET", "/v1/billing", token).json()["reserved"], 20);
}

TEST_P(BillingApiTest, AnAnalysisIsChargedOnceThroughARetryAndReleasedWhenItFinallyFails) {
  std::string token = t_->SignUp();
  std::string key = t_->WorkerKey();
  std::string vod = ReadyVod(token);
  Reply a = Analyze(token, vod, 1);
  ASSERT_EQ(a.status, 202) << a.body;
  std::string job_id = a.json()["id"];
  EXPECT_EQ(Balance(token), 30 - 2);  // one analysis block and one render held

  // A worker leases it and dies: its lease expires and another worker takes attempt 2.
  Reply l1 = Lease(key, "doomed", "analyze", 1000);
  ASSERT_EQ(l1.status, 200) << l1.body;
  std::this_thread::sleep_for(std::chrono::milliseconds(1300));
  Reply l2 = Lease(key, "w2", "analyze");
  ASSERT_EQ(l2.status, 200) << l2.body;
  ASSERT_EQ(l2.json()["job"]["id"], job_id);
  int attempt = l2.json()["job"]["attempt"];
  EXPECT_EQ(attempt, 2);
  Reply done = CompleteAnalysis(key, job_id, "w2", attempt);
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(CountKind(token, "capture", job_id), 1);
  EXPECT_EQ(Balance(token), 30 - 2);  // the analysis charged, the render now held by its job
  Reply billing = t_->Call("GET", "/v1/billing", token);
  ASSERT_EQ(billing.json()["reservations"].size(), 1u);
  std::string render_job = billing.json()["reservations"][0]["job_id"];
  EXPECT_NE(render_job, job_id);

  // The render fails for good: its credit comes back at once.
  Reply lr = Lease(key, "w3", "render");
  ASSERT_EQ(lr.status, 200) << lr.body;
  ASSERT_EQ(lr.json()["job"]["id"], render_job);
  ASSERT_EQ(
      t_->Json(
            "POST", "/v1/worker/jobs/" + render_job + "/fail", key,
            {{"worker_id", "w3"}, {"attempt", 1}, {"error", "decoder broke"}, {"retryable", false}})
          .status,
      200);
  EXPECT_EQ(Balance(token), 30 - 1);
  EXPECT_EQ(CountKind(token, "release", render_job), 1);
  EXPECT_EQ(CountKind(token, "capture", render_job), 0);
}

TEST_P(BillingApiTest, TheSweeperReleasesJobsThatRanOutOfAttemptsOrVanished) {
  std::string token = t_->SignUp();
  std::string key = t_->WorkerKey();
  std::string vod = ReadyVod(token);
  Reply a = Analyze(token, vod, 0);
  ASSERT_EQ(a.status, 202) << a.body;
  std::string job_id = a.json()["id"];
  // Three workers die holding it: the third expiry fails the job inside the queue.
  for (int i = 0; i < 3; ++i) {
    Reply l = Lease(key, "doomed-" + std::to_string(i), "analyze", 1000);
    ASSERT_EQ(l.status, 200) << l.body;
    std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  }
  EXPECT_EQ(Lease(key, "w", "analyze").status, 204);
  EXPECT_EQ(t_->Call("GET", "/v1/jobs/" + job_id, token).json()["status"], "failed");
  // A second analysis, then its VOD is deleted (the job goes with it).
  std::string vod2 = ReadyVod(token);
  Reply b = Analyze(token, vod2, 0);
  ASSERT_EQ(b.status, 202) << b.body;
  std::string job2 = b.json()["id"];
  ASSERT_EQ(t_->Call("DELETE", "/v1/vods/" + vod2, token).status, 204);
  for (int i = 0; i < 100 && Balance(token) != 30; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(Balance(token), 30);
  EXPECT_EQ(CountKind(token, "release", job_id), 1);
  EXPECT_EQ(CountKind(token, "release", job2), 1);
}

TEST_P(BillingApiTest, RendersAndCancellationsAndAShortBalanceAnswer402WithThePrice) {
  std::string user_id;
  std::string token = t_->SignUp(&user_id);
  std::string key = t_->WorkerKey();
  std::string vod = ReadyVod(token);
  Reply a = Analyze(token, vod, 0);
  ASSERT_EQ(a.status, 202) << a.body;
  std::string job_id = a.json()["id"];
  ASSERT_EQ(t_->Call("POST", "/v1/jobs/" + job_id + "/cancel", token).status, 200);
  EXPECT_EQ(Balance(token), 30);  // the cancelled analysis returned its hold at once

  Reply again = Analyze(token, vod, 0);
  ASSERT_EQ(again.status, 202);
  std::string job2 = again.json()["id"];
  Reply l = Lease(key, "w", "analyze");
  ASSERT_EQ(l.status, 200);
  ASSERT_EQ(CompleteAnalysis(key, job2, "w", l.json()["job"]["attempt"]).status, 200);
  EXPECT_EQ(Balance(token), 29);
  // Make a clip of the moment, then spend everything but nothing: a render is 1 credit.
  Reply moment_list = t_->Call("GET", "/v1/vods/" + vod + "/moments", token);
  ASSERT_EQ(moment_list.status, 200);
  std::string moment_id = moment_list.json()["items"][0]["id"];
  Reply clip = t_->Json("POST", "/v1/clips", token, {{"vod_id", vod}, {"moment_id", moment_id}});
  ASSERT_EQ(clip.status, 201) << clip.body;
  std::string clip_id = clip.json()["id"];
  ASSERT_OK(billing::Ledger().Grant(t_->db(), user_id, -29, "test: empty the balance"));
  Reply short_render = t_->Call("POST", "/v1/clips/" + clip_id + "/render", token);
  EXPECT_EQ(short_render.status, 402) << short_render.body;
  EXPECT_EQ(short_render.json()["error"]["price"], 1);
  EXPECT_EQ(short_render.json()["error"]["balance"], 0);
  EXPECT_EQ(t_->Call("GET", "/v1/clips/" + clip_id, token).json()["status"], "pending")
      << "a refused render leaves the clip as it was";
  ASSERT_OK(billing::Ledger().Grant(t_->db(), user_id, 1, "test"));
  Reply render = t_->Call("POST", "/v1/clips/" + clip_id + "/render", token);
  ASSERT_EQ(render.status, 202) << render.body;
  EXPECT_EQ(Balance(token), 0);
  EXPECT_EQ(Analyze(token, vod, 0).status, 402);
}

TEST_P(BillingApiTest, LiveMinutesAreChargedOncePerMinuteUntilTheBalanceRunsOut) {
  std::string user_id;
  std::string token = t_->SignUp(&user_id);
  std::string key = t_->WorkerKey();
  ASSERT_OK(billing::Ledger().Grant(t_->db(), user_id, -28, "test: leave 2"));
  store::JobQueue queue(t_->db());
  store::NewJob live_job;
  live_job.user_id = user_id;
  live_job.kind = "live";
  auto live = queue.Enqueue(live_job);
  ASSERT_TRUE(live.ok());
  Reply l = Lease(key, "lw", "live");
  ASSERT_EQ(l.status, 200) << l.body;
  int attempt = l.json()["job"]["attempt"];
  auto minute = [&](int m, const std::string& worker = "lw") {
    return t_->Json("POST", "/v1/worker/jobs/" + *live + "/live-minute", key,
                    {{"worker_id", worker}, {"attempt", attempt}, {"minute", m}});
  };
  EXPECT_EQ(minute(0).status, 200);
  EXPECT_EQ(minute(0).json()["balance"], 1);  // the same minute again: not charged twice
  EXPECT_EQ(minute(0, "intruder").status, 409);
  Reply m1 = minute(1);
  EXPECT_EQ(m1.status, 200);
  EXPECT_EQ(m1.json()["balance"], 0);
  Reply m2 = minute(2);
  EXPECT_EQ(m2.status, 402) << m2.body;
  EXPECT_EQ(m2.json()["error"]["balance"], 0);
  EXPECT_EQ(Balance(token), 0);
  EXPECT_EQ(CountKind(token, "capture", *live), 2);
}

INSTANTIATE_TEST_SUITE_P(Backends, BillingApiTest, ::testing::ValuesIn(testing::TestBackends()),
                         [](const auto& info) { return store::testing::BackendName(info.param); });

}  // namespace
}  // namespace clipthat::api
