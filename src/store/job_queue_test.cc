#include "store/job_queue.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "store/testing/migrated_database_test.h"
#include "store/testing/test_database.h"

namespace clipthat::store {
namespace {

using testing::Backend;

class JobQueueTest : public testing::MigratedDatabaseTest {
 protected:
  void SetUp() override {
    MigratedDatabaseTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    user_ = NewId();
    ASSERT_TRUE(db().Execute("INSERT INTO users (id, email, password_hash, created_at_ms) "
                             "VALUES ($1, $2, 'h', 1)",
                             {user_, user_ + "@example.com"})
                    .ok());
  }

  // A queue on a clock the test moves by hand.
  JobQueue Queue() {
    return JobQueue(db(), [this] { return now_ms_.load(); });
  }

  std::string Enqueue(JobQueue& queue, const std::string& kind, int max_attempts = 3) {
    NewJob job;
    job.user_id = user_;
    job.kind = kind;
    job.params = {{"top", 5}, {"note", "it's \"quoted\""}};
    job.max_attempts = max_attempts;
    auto id = queue.Enqueue(job);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    now_ms_ += 1;  // distinct creation times: the order is well defined
    return id.ok() ? *id : "";
  }

  Row JobRow(const std::string& id) {
    auto rows = db().Query("SELECT * FROM jobs WHERE id = $1", {id});
    EXPECT_TRUE(rows.ok() && rows->size() == 1);
    return rows.ok() && !rows->empty() ? rows->at(0) : Row();
  }

  std::string user_;
  std::atomic<std::int64_t> now_ms_{1'700'000'000'000};
};

TEST_P(JobQueueTest, LeaseHandsTheOldestJobOfTheRolesOnce) {
  JobQueue queue = Queue();
  const std::string render = Enqueue(queue, "render");
  const std::string analyze = Enqueue(queue, "analyze");
  const std::string analyze2 = Enqueue(queue, "analyze");

  auto lease = queue.LeaseNext("w1", {"analyze"}, 30'000);
  ASSERT_TRUE(lease.ok()) << lease.status().ToString();
  ASSERT_TRUE(lease->has_value());
  EXPECT_EQ((*lease)->job_id, analyze);
  EXPECT_EQ((*lease)->kind, "analyze");
  EXPECT_EQ((*lease)->user_id, user_);
  EXPECT_EQ((*lease)->attempt, 1);
  EXPECT_EQ((*lease)->params["top"], 5);
  EXPECT_EQ((*lease)->params["note"], "it's \"quoted\"");
  EXPECT_EQ((*lease)->lease_expires_at_ms, now_ms_.load() + 30'000);
  const Row row = JobRow(analyze);
  EXPECT_EQ(row.Text("status"), "running");
  EXPECT_EQ(row.Text("lease_owner"), "w1");
  EXPECT_EQ(row.Int("attempts"), 1);

  auto next = queue.LeaseNext("w2", {"analyze", "render"}, 30'000);
  ASSERT_TRUE(next.ok() && next->has_value());
  EXPECT_EQ((*next)->job_id, render);  // older than analyze2
  auto third = queue.LeaseNext("w2", {"analyze"}, 30'000);
  ASSERT_TRUE(third.ok() && third->has_value());
  EXPECT_EQ((*third)->job_id, analyze2);
  auto none = queue.LeaseNext("w3", {"analyze", "render"}, 30'000);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

TEST_P(JobQueueTest, ConcurrentLeasesNeverHandOneJobTwice) {
  constexpr int kJobs = 50;
  constexpr int kThreads = 4;
  {
    JobQueue queue = Queue();
    for (int i = 0; i < kJobs * kThreads; ++i) Enqueue(queue, i % 2 == 0 ? "analyze" : "render");
  }
  std::mutex mutex;
  std::vector<std::string> leased;
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      JobQueue queue = Queue();
      const std::string worker = "w" + std::to_string(t);
      while (true) {
        auto lease = queue.LeaseNext(worker, {"analyze", "render"}, 60'000);
        if (!lease.ok()) {
          ++errors;
          ADD_FAILURE() << lease.status().ToString();
          return;
        }
        if (!lease->has_value()) return;
        if (!queue.Complete((*lease)->job_id, (*lease)->attempt, worker, {{"ok", true}}).ok()) {
          ++errors;
        }
        std::lock_guard lock(mutex);
        leased.push_back((*lease)->job_id);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  std::set<std::string> distinct(leased.begin(), leased.end());
  EXPECT_EQ(leased.size(), static_cast<std::size_t>(kJobs * kThreads));
  EXPECT_EQ(distinct.size(), leased.size());
  auto rows = db().Query(
      "SELECT COUNT(*) AS n FROM jobs WHERE status = 'succeeded' AND "
      "attempts = 1");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(rows->at(0).Int("n"), kJobs * kThreads);
}

TEST_P(JobQueueTest, ExpiredLeaseReturnsTheJobAndSilencesTheOldHolder) {
  JobQueue queue = Queue();
  const std::string id = Enqueue(queue, "analyze");
  auto first = queue.LeaseNext("w1", {"analyze"}, 3'000);
  ASSERT_TRUE(first.ok() && first->has_value());

  now_ms_ += 2'000;  // still held
  auto early = queue.LeaseNext("w2", {"analyze"}, 3'000);
  ASSERT_TRUE(early.ok());
  EXPECT_FALSE(early->has_value());

  now_ms_ += 2'000;  // expired
  auto second = queue.LeaseNext("w2", {"analyze"}, 3'000);
  ASSERT_TRUE(second.ok() && second->has_value()) << second.status().ToString();
  EXPECT_EQ((*second)->job_id, id);
  EXPECT_EQ((*second)->attempt, 2);

  auto renew = queue.Renew(id, 1, "w1", 3'000, 0.5, "transcribe");
  EXPECT_EQ(renew.status().code(), StatusCode::kConflict) << renew.status().ToString();
  Status late = queue.Complete(id, 1, "w1", {{"moments", nlohmann::json::array()}});
  EXPECT_EQ(late.code(), StatusCode::kConflict) << late.ToString();
  EXPECT_NE(late.message().find("attempt 1 is no longer current"), std::string::npos)
      << late.message();
  EXPECT_EQ(queue.Fail(id, 1, "w1", "x", true).code(), StatusCode::kConflict);
  EXPECT_EQ(queue.Release(id, 1, "w1").code(), StatusCode::kConflict);
  EXPECT_OK(queue.Complete(id, 2, "w2", {{"moments", nlohmann::json::array()}}));
  EXPECT_EQ(JobRow(id).Text("status"), "succeeded");
}

TEST_P(JobQueueTest, RenewExtendsTheLeaseAndRecordsProgress) {
  JobQueue queue = Queue();
  const std::string id = Enqueue(queue, "render");
  auto lease = queue.LeaseNext("w1", {"render"}, 3'000);
  ASSERT_TRUE(lease.ok() && lease->has_value());
  now_ms_ += 2'500;
  auto expires = queue.Renew(id, 1, "w1", 3'000, 1.7, "encode");
  ASSERT_TRUE(expires.ok()) << expires.status().ToString();
  EXPECT_EQ(*expires, now_ms_.load() + 3'000);
  Row row = JobRow(id);
  EXPECT_DOUBLE_EQ(row.Real("progress"), 1.0);  // clamped
  EXPECT_EQ(row.Text("stage"), "encode");
  EXPECT_EQ(row.Int("lease_expires_at_ms"), *expires);

  ASSERT_TRUE(queue.Renew(id, 1, "w1", 3'000, std::nullopt, std::nullopt).ok());
  EXPECT_EQ(JobRow(id).Text("stage"), "encode");  // kept when not given
  now_ms_ += 2'500;                               // past the first lease, within the renewed one
  auto other = queue.LeaseNext("w2", {"render"}, 3'000);
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other->has_value());
  EXPECT_EQ(queue.Renew("no-such-job", 1, "w1", 3'000, 0.1, "x").status().code(),
            StatusCode::kNotFound);
}

TEST_P(JobQueueTest, AttemptsAreCappedAndTheLastErrorKept) {
  JobQueue queue = Queue();
  const std::string id = Enqueue(queue, "analyze", /*max_attempts=*/2);
  auto a1 = queue.LeaseNext("w1", {"analyze"}, 3'000);
  ASSERT_TRUE(a1.ok() && a1->has_value());
  ASSERT_OK(queue.Fail(id, 1, "w1", "decoder crashed", /*retryable=*/true));
  EXPECT_EQ(JobRow(id).Text("status"), "queued");

  auto a2 = queue.LeaseNext("w2", {"analyze"}, 3'000);
  ASSERT_TRUE(a2.ok() && a2->has_value());
  EXPECT_EQ((*a2)->attempt, 2);
  ASSERT_OK(queue.Fail(id, 2, "w2", "out of disk: 'scratch' full", true));
  Row row = JobRow(id);
  EXPECT_EQ(row.Text("status"), "failed");
  EXPECT_EQ(row.Text("error"), "out of disk: 'scratch' full");
  EXPECT_FALSE(row.IsNull("finished_at_ms"));
  auto none = queue.LeaseNext("w3", {"analyze"}, 3'000);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

TEST_P(JobQueueTest, ExpiryUsesUpAttemptsToo) {
  JobQueue queue = Queue();
  const std::string id = Enqueue(queue, "render", /*max_attempts=*/2);
  for (int attempt = 1; attempt <= 2; ++attempt) {
    auto lease = queue.LeaseNext("w" + std::to_string(attempt), {"render"}, 1'000);
    ASSERT_TRUE(lease.ok() && lease->has_value());
    EXPECT_EQ((*lease)->attempt, attempt);
    if (attempt == 1) {
      ASSERT_TRUE(queue.Renew(id, 1, "w1", 1'000, 0.2, "encode").ok());
    }
    now_ms_ += 5'000;
  }
  auto touched = queue.RequeueExpired();
  ASSERT_TRUE(touched.ok()) << touched.status().ToString();
  EXPECT_EQ(*touched, 1);
  Row row = JobRow(id);
  EXPECT_EQ(row.Text("status"), "failed");
  EXPECT_NE(row.Text("error").find("lease expired on attempt 2 of 2"), std::string::npos)
      << row.Text("error");
}

TEST_P(JobQueueTest, NonRetryableFailureEndsTheJob) {
  JobQueue queue = Queue();
  const std::string id = Enqueue(queue, "analyze");
  ASSERT_TRUE(queue.LeaseNext("w1", {"analyze"}, 3'000).ok());
  ASSERT_OK(queue.Fail(id, 1, "w1", "not media", /*retryable=*/false));
  EXPECT_EQ(JobRow(id).Text("status"), "failed");
  EXPECT_EQ(JobRow(id).Text("error"), "not media");
}

TEST_P(JobQueueTest, ResultsAreWrittenOnce) {
  JobQueue queue = Queue();
  const std::string id = Enqueue(queue, "analyze");
  auto lease = queue.LeaseNext("w1", {"analyze"}, 3'000);
  ASSERT_TRUE(lease.ok() && lease->has_value());
  int writes = 0;
  auto write_moment = [&](Database& tx) -> Status {
    ++writes;
    return tx
        .Execute(
            "INSERT INTO templates (id, user_id, name, document, created_at_ms, "
            "updated_at_ms) VALUES ($1, $2, 'from job', '{}', 1, 1)",
            {NewId(), user_})
        .status();
  };
  // A failing completion writes nothing and leaves the lease in place.
  Status broken = queue.Complete(id, 1, "w1", {{"n", 1}},
                                 [](Database&) { return DataError("moments: not an array"); });
  EXPECT_EQ(broken.code(), StatusCode::kDataError);
  EXPECT_EQ(JobRow(id).Text("status"), "running");

  ASSERT_OK(queue.Complete(id, 1, "w1", {{"n", 1}}, write_moment));
  Status again = queue.Complete(id, 1, "w1", {{"n", 2}}, write_moment);
  EXPECT_EQ(again.code(), StatusCode::kConflict) << again.ToString();
  EXPECT_EQ(writes, 1);
  Row row = JobRow(id);
  EXPECT_EQ(row.Text("status"), "succeeded");
  EXPECT_EQ(nlohmann::json::parse(row.Text("result"))["n"], 1);
  EXPECT_DOUBLE_EQ(row.Real("progress"), 1.0);
  auto templates = db().Query("SELECT COUNT(*) AS n FROM templates");
  ASSERT_TRUE(templates.ok());
  EXPECT_EQ(templates->at(0).Int("n"), 1);
  EXPECT_EQ(queue.Fail(id, 1, "w1", "late", true).code(), StatusCode::kConflict);
}

TEST_P(JobQueueTest, ReleaseReturnsTheJobWithoutCountingTheAttempt) {
  JobQueue queue = Queue();
  const std::string id = Enqueue(queue, "render", /*max_attempts=*/1);
  auto lease = queue.LeaseNext("w1", {"render"}, 3'000);
  ASSERT_TRUE(lease.ok() && lease->has_value());
  EXPECT_EQ(queue.Release(id, 1, "intruder").code(), StatusCode::kConflict);
  ASSERT_OK(queue.Release(id, 1, "w1"));
  Row row = JobRow(id);
  EXPECT_EQ(row.Text("status"), "queued");
  EXPECT_EQ(row.Int("attempts"), 0);
  EXPECT_TRUE(row.IsNull("lease_owner"));
  auto again = queue.LeaseNext("w2", {"render"}, 3'000);
  ASSERT_TRUE(again.ok() && again->has_value());
  EXPECT_EQ((*again)->attempt, 1);
  EXPECT_EQ(queue.Release(id, 1, "w1").code(), StatusCode::kConflict);  // w2 holds it now
}

TEST_P(JobQueueTest, CancelStopsQueuedAndRunningJobs) {
  JobQueue queue = Queue();
  const std::string queued = Enqueue(queue, "render");
  const std::string running = Enqueue(queue, "analyze");
  ASSERT_TRUE(queue.LeaseNext("w1", {"analyze"}, 3'000).ok());
  ASSERT_OK(queue.Cancel(queued));
  ASSERT_OK(queue.Cancel(running));
  EXPECT_EQ(JobRow(queued).Text("status"), "cancelled");
  EXPECT_EQ(queue.Renew(running, 1, "w1", 3'000, 0.5, "x").status().code(), StatusCode::kConflict);
  EXPECT_EQ(queue.Cancel(running).code(), StatusCode::kConflict);
  EXPECT_EQ(queue.Cancel("missing").code(), StatusCode::kNotFound);
}

TEST_P(JobQueueTest, EnqueueJoinsATransaction) {
  Status status = db().Transaction([&](Database& tx) -> Status {
    JobQueue in_tx(tx);
    NewJob job{user_, "render", "", "", {{"clip_id", "c1"}}, 3};
    RETURN_IF_ERROR(in_tx.Enqueue(job).status());
    return DataError("roll back");
  });
  EXPECT_EQ(status.code(), StatusCode::kDataError);
  auto rows = db().Query("SELECT COUNT(*) AS n FROM jobs");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(rows->at(0).Int("n"), 0);
  JobQueue queue = Queue();
  EXPECT_EQ(queue.Enqueue(NewJob{user_, "render", "", "", {}, 0}).status().code(),
            StatusCode::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(Backends, JobQueueTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace
}  // namespace clipthat::store
