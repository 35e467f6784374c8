#include "billing/ledger.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "store/job_queue.h"
#include "store/testing/migrated_database_test.h"

namespace clipthat::billing {
namespace {

using store::testing::Backend;

class LedgerTest : public store::testing::MigratedDatabaseTest {
 protected:
  void SetUp() override {
    MigratedDatabaseTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    user_ = AddUser();
  }

  std::string AddUser() {
    std::string id = store::NewId();
    EXPECT_OK(db().Execute("INSERT INTO users (id, email, password_hash, created_at_ms) VALUES "
                           "($1, $2, 'h', 1)",
                           {id, id + "@example.com"})
                  .status());
    return id;
  }

  std::string AddJob(const std::string& kind = "render") {
    store::JobQueue queue(db());
    store::NewJob job;
    job.user_id = user_;
    job.kind = kind;
    auto id = queue.Enqueue(job);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : "";
  }

  void SetJobStatus(const std::string& job_id, const std::string& status) {
    EXPECT_OK(db().Execute("UPDATE jobs SET status = $1 WHERE id = $2", {status, job_id}).status());
  }

  Balance BalanceOf(const std::string& user) {
    auto b = ledger_.GetBalance(db(), user);
    EXPECT_TRUE(b.ok()) << b.status().ToString();
    return b.ok() ? *b : Balance{};
  }

  std::vector<LedgerEntry> EntriesOf(const std::string& user) {
    auto e = ledger_.Entries(db(), user, 1000, std::nullopt, "");
    EXPECT_TRUE(e.ok()) << e.status().ToString();
    return e.ok() ? *e : std::vector<LedgerEntry>{};
  }

  int CountKind(const std::string& user, const std::string& kind) {
    int n = 0;
    for (const LedgerEntry& e : EntriesOf(user)) n += e.kind == kind;
    return n;
  }

  Ledger ledger_;
  std::string user_;
};

TEST_P(LedgerTest, GrantsReservationsCapturesAndReleasesSumToTheBalance) {
  ASSERT_OK(ledger_.Grant(db(), user_, 10, "sign-up credits"));
  std::string job_a = AddJob(), job_b = AddJob();
  auto a = ledger_.Reserve(db(), user_, job_a, 4, "render clip A");
  ASSERT_TRUE(a.ok() && a->ok);
  EXPECT_EQ(a->balance, 10);
  auto b = ledger_.Reserve(db(), user_, job_b, 3, "render clip B");
  ASSERT_TRUE(b.ok() && b->ok);
  EXPECT_EQ(BalanceOf(user_).available, 3);
  EXPECT_EQ(BalanceOf(user_).reserved, 7);

  // A partial capture charges 1 of A's 4 and releases 3; B fails and is released in full.
  auto captured = ledger_.CaptureJob(db(), job_a, 1);
  ASSERT_TRUE(captured.ok());
  EXPECT_EQ(*captured, Settlement::kCaptured);
  SetJobStatus(job_b, "failed");
  auto released = ledger_.SettleJob(db(), job_b);
  ASSERT_TRUE(released.ok());
  EXPECT_EQ(*released, Settlement::kReleased);
  EXPECT_EQ(BalanceOf(user_).available, 9);
  EXPECT_EQ(BalanceOf(user_).reserved, 0);

  // Settling again changes nothing.
  EXPECT_EQ(*ledger_.CaptureJob(db(), job_a), Settlement::kNone);
  EXPECT_EQ(*ledger_.SettleJob(db(), job_b), Settlement::kNone);
  EXPECT_EQ(BalanceOf(user_).available, 9);

  std::int64_t sum = 0;
  for (const LedgerEntry& e : EntriesOf(user_)) sum += e.amount;
  EXPECT_EQ(sum, 9);
  EXPECT_EQ(CountKind(user_, "reserve"), 2);
  EXPECT_EQ(CountKind(user_, "capture"), 1);
  EXPECT_EQ(CountKind(user_, "release"), 2);
}

TEST_P(LedgerTest, AShortBalanceReservesNothingAndAZeroPriceNeedsNoCredits) {
  ASSERT_OK(ledger_.Grant(db(), user_, 2, "grant"));
  auto r = ledger_.Reserve(db(), user_, AddJob(), 3, "analysis");
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->ok);
  EXPECT_EQ(r->balance, 2);
  EXPECT_EQ(r->price, 3);
  EXPECT_EQ(CountKind(user_, "reserve"), 0);
  auto free = ledger_.Reserve(db(), user_, AddJob(), 0, "free");
  ASSERT_TRUE(free.ok());
  EXPECT_TRUE(free->ok);
  EXPECT_TRUE(free->reservation_id.empty());
  EXPECT_EQ(BalanceOf(user_).available, 2);
  // A negative operator adjustment may not take the balance below zero.
  EXPECT_FALSE(ledger_.Grant(db(), user_, -3, "correction").ok());
  ASSERT_OK(ledger_.Grant(db(), user_, -2, "correction"));
  EXPECT_EQ(BalanceOf(user_).available, 0);
  EXPECT_EQ(CountKind(user_, "adjust"), 1);
}

TEST_P(LedgerTest, TheSweeperSettlesReservationsOfEndedAndVanishedJobsOnly) {
  ASSERT_OK(ledger_.Grant(db(), user_, 100, "grant"));
  std::string done = AddJob(), failed = AddJob(), cancelled = AddJob(), running = AddJob(),
              vanished = AddJob();
  for (const std::string& job : {done, failed, cancelled, running, vanished}) {
    auto r = ledger_.Reserve(db(), user_, job, 10, "job " + job);
    ASSERT_TRUE(r.ok() && r->ok);
  }
  SetJobStatus(done, "succeeded");
  SetJobStatus(failed, "failed");
  SetJobStatus(cancelled, "cancelled");
  SetJobStatus(running, "running");
  ASSERT_OK(db().Execute("DELETE FROM jobs WHERE id = $1", {vanished}).status());
  auto swept = ledger_.Sweep(db());
  ASSERT_TRUE(swept.ok()) << swept.status().ToString();
  EXPECT_EQ(*swept, 4);
  EXPECT_EQ(BalanceOf(user_).available, 100 - 10 - 10);  // captured + still held
  EXPECT_EQ(BalanceOf(user_).reserved, 10);
  auto again = ledger_.Sweep(db());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);
}

TEST_P(LedgerTest, LiveMinutesAreChargedOnceEachAndStopAtZero) {
  ASSERT_OK(ledger_.Grant(db(), user_, 2, "grant"));
  std::string job = AddJob("live");
  auto m0 = ledger_.ChargeLiveMinute(db(), user_, job, 0, 1);
  ASSERT_TRUE(m0.ok());
  EXPECT_TRUE(m0->charged);
  EXPECT_FALSE(m0->again);
  EXPECT_EQ(m0->balance, 1);
  auto m0_again = ledger_.ChargeLiveMinute(db(), user_, job, 0, 1);
  ASSERT_TRUE(m0_again.ok());
  EXPECT_TRUE(m0_again->charged);
  EXPECT_TRUE(m0_again->again);
  EXPECT_EQ(m0_again->balance, 1);
  EXPECT_TRUE(ledger_.ChargeLiveMinute(db(), user_, job, 1, 1)->charged);
  auto m2 = ledger_.ChargeLiveMinute(db(), user_, job, 2, 1);
  ASSERT_TRUE(m2.ok());
  EXPECT_FALSE(m2->charged);
  EXPECT_EQ(m2->balance, 0);
  EXPECT_EQ(BalanceOf(user_).available, 0);
  EXPECT_EQ(CountKind(user_, "capture"), 2);
}

TEST_P(LedgerTest, ConcurrentReservationsNeverOverdrawTheBalance) {
  ASSERT_OK(ledger_.Grant(db(), user_, 20, "grant"));
  std::vector<std::string> jobs;
  for (int i = 0; i < 50; ++i) jobs.push_back(AddJob());
  std::atomic<int> accepted{0}, refused{0}, errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 10; ++t) {
    threads.emplace_back([&, t] {
      for (int i = t; i < 50; i += 10) {
        auto r = ledger_.Reserve(db(), user_, jobs[i], 1, "render");
        if (!r.ok()) {
          ++errors;
          ADD_FAILURE() << r.status().ToString();
        } else if (r->ok) {
          ++accepted;
        } else {
          ++refused;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(accepted.load(), 20);
  EXPECT_EQ(refused.load(), 30);
  EXPECT_EQ(BalanceOf(user_).available, 0);
  EXPECT_EQ(BalanceOf(user_).reserved, 20);
}

PaidCheckout Paid(const std::string& event_id, const std::string& session, const std::string& user,
                  std::int64_t credits) {
  PaidCheckout paid;
  paid.event_id = event_id;
  paid.event_type = "checkout.session.completed";
  paid.session_id = session;
  paid.user_id = user;
  paid.credits = credits;
  paid.pack = "starter";
  paid.payment_intent = "pi_" + session;
  paid.amount_cents = 500;
  paid.currency = "usd";
  return paid;
}

TEST_P(LedgerTest, APaidSessionIsGrantedOnceWhateverEventOrDeliveryAnnouncesIt) {
  ASSERT_OK(ledger_.RecordCheckout(db(), "cs_1", user_, "starter", 100, 500, "usd"));
  auto first = ledger_.ApplyPaidCheckout(db(), Paid("evt_1", "cs_1", user_, 100));
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_TRUE(first->applied);
  auto again = ledger_.ApplyPaidCheckout(db(), Paid("evt_1", "cs_1", user_, 100));
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->duplicate);
  EXPECT_FALSE(again->applied);
  // Another event for the same session (async_payment_succeeded after completed).
  auto other = ledger_.ApplyPaidCheckout(db(), Paid("evt_2", "cs_1", user_, 100));
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other->applied);
  EXPECT_EQ(BalanceOf(user_).available, 100);
  EXPECT_EQ(CountKind(user_, "purchase"), 1);
}

TEST_P(LedgerTest, TheRecordedCheckoutDecidesTheCreditsAndItsUser) {
  std::string other = AddUser();
  ASSERT_OK(ledger_.RecordCheckout(db(), "cs_2", user_, "starter", 100, 500, "usd"));
  // Metadata claiming more credits is not what was sold.
  auto inflated = ledger_.ApplyPaidCheckout(db(), Paid("evt_3", "cs_2", user_, 100000));
  ASSERT_TRUE(inflated.ok());
  EXPECT_EQ(inflated->credits, 100);
  // A known session naming another user grants nothing.
  ASSERT_OK(ledger_.RecordCheckout(db(), "cs_3", user_, "starter", 100, 500, "usd"));
  auto mismatch = ledger_.ApplyPaidCheckout(db(), Paid("evt_4", "cs_3", other, 100));
  ASSERT_TRUE(mismatch.ok());
  EXPECT_FALSE(mismatch->applied);
  // An unknown user grants nothing.
  auto unknown = ledger_.ApplyPaidCheckout(db(), Paid("evt_5", "cs_4", "nobody", 100));
  ASSERT_TRUE(unknown.ok());
  EXPECT_FALSE(unknown->applied);
  EXPECT_EQ(BalanceOf(user_).available, 100);
  EXPECT_EQ(BalanceOf(other).available, 0);
}

TEST_P(LedgerTest, ConcurrentDeliveriesOfOneEventGrantOnce) {
  ASSERT_OK(ledger_.RecordCheckout(db(), "cs_5", user_, "starter", 100, 500, "usd"));
  std::atomic<int> applied{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      auto r = ledger_.ApplyPaidCheckout(db(), Paid("evt_6", "cs_5", user_, 100));
      if (!r.ok()) {
        ADD_FAILURE() << r.status().ToString();
      } else if (r->applied) {
        ++applied;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(applied.load(), 1);
  EXPECT_EQ(BalanceOf(user_).available, 100);
}

TEST_P(LedgerTest, RefundsTakeBackTheRefundedShareButNeverBelowZero) {
  ASSERT_OK(ledger_.RecordCheckout(db(), "cs_6", user_, "starter", 100, 500, "usd"));
  ASSERT_TRUE(ledger_.ApplyPaidCheckout(db(), Paid("evt_7", "cs_6", user_, 100))->applied);
  // A partial refund of 2.00 of 5.00: 40 credits back to Stripe.
  auto partial = ledger_.ApplyRefund(db(), "evt_8", "pi_cs_6", 200);
  ASSERT_TRUE(partial.ok()) << partial.status().ToString();
  EXPECT_TRUE(partial->applied);
  EXPECT_EQ(partial->credits, 40);
  EXPECT_EQ(BalanceOf(user_).available, 60);
  EXPECT_TRUE(ledger_.ApplyRefund(db(), "evt_8", "pi_cs_6", 200)->duplicate);
  // Spend 50, then the rest is refunded (cumulative 5.00): 60 owed, 10 left to take.
  ASSERT_TRUE(ledger_.Reserve(db(), user_, AddJob(), 50, "analysis")->ok);
  auto full = ledger_.ApplyRefund(db(), "evt_9", "pi_cs_6", 500);
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(full->credits, 10);
  EXPECT_NE(full->note.find("50 of them were already spent"), std::string::npos) << full->note;
  EXPECT_EQ(BalanceOf(user_).available, 0);
  // An unknown payment changes nothing.
  auto unknown = ledger_.ApplyRefund(db(), "evt_10", "pi_other", 500);
  ASSERT_TRUE(unknown.ok());
  EXPECT_FALSE(unknown->applied);
}

INSTANTIATE_TEST_SUITE_P(Backends, LedgerTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         [](const auto& info) { return store::testing::BackendName(info.param); });

}  // namespace
}  // namespace clipthat::billing
