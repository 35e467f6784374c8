#include "api/elastic_thread_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace clipthat::api {
namespace {

// Tasks that wait until Open(): they keep their threads busy.
class Gate {
 public:
  void Wait() {
    std::unique_lock<std::mutex> lock(mutex_);
    ++waiting_;
    changed_.notify_all();
    changed_.wait(lock, [this] { return open_; });
  }
  void Open() {
    std::lock_guard<std::mutex> lock(mutex_);
    open_ = true;
    changed_.notify_all();
  }
  // True once `n` tasks wait at the gate (within 10 s).
  bool WaitingReaches(int n) {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, std::chrono::seconds(10), [&] { return waiting_ >= n; });
  }
  int waiting() {
    std::lock_guard<std::mutex> lock(mutex_);
    return waiting_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int waiting_ = 0;
  bool open_ = false;
};

// Polls `done` for up to 10 s.
template <typename F>
bool Eventually(F done) {
  for (int i = 0; i < 1000; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return done();
}

TEST(ElasticThreadPoolTest, BusyThreadsDoNotMakeNewTasksWaitUpToTheMaximum) {
  ElasticThreadPool pool(2, 16, 60 * 1000);
  EXPECT_EQ(pool.threads(), 2u);
  Gate gate;
  for (int i = 0; i < 10; ++i) pool.Enqueue([&] { gate.Wait(); });
  EXPECT_TRUE(gate.WaitingReaches(10)) << "only " << gate.waiting() << " ran at once";
  EXPECT_EQ(pool.threads(), 10u);
  EXPECT_EQ(pool.busy(), 10u);
  gate.Open();
  EXPECT_TRUE(Eventually([&] { return pool.busy() == 0; }));
}

TEST(ElasticThreadPoolTest, PastTheMaximumTasksQueueAndAllRun) {
  ElasticThreadPool pool(1, 4, 60 * 1000);
  Gate gate;
  std::atomic<int> ran{0};
  for (int i = 0; i < 7; ++i) {
    pool.Enqueue([&] {
      gate.Wait();
      ++ran;
    });
  }
  EXPECT_TRUE(gate.WaitingReaches(4));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(gate.waiting(), 4) << "more tasks ran at once than max_threads";
  EXPECT_EQ(pool.threads(), 4u);
  gate.Open();
  EXPECT_TRUE(Eventually([&] { return ran == 7; }));
}

TEST(ElasticThreadPoolTest, ThreadsAboveTheMinimumEndWhenIdle) {
  ElasticThreadPool pool(2, 16, 50);
  Gate gate;
  for (int i = 0; i < 8; ++i) pool.Enqueue([&] { gate.Wait(); });
  ASSERT_TRUE(gate.WaitingReaches(8));
  gate.Open();
  EXPECT_TRUE(Eventually([&] { return pool.threads() == 2; })) << pool.threads();
  // The pool still works, and grows again.
  std::atomic<int> ran{0};
  for (int i = 0; i < 5; ++i) pool.Enqueue([&] { ++ran; });
  EXPECT_TRUE(Eventually([&] { return ran == 5; }));
}

TEST(ElasticThreadPoolTest, ShutdownRunsWhatIsQueuedAndDropsLaterTasks) {
  std::atomic<int> ran{0};
  ElasticThreadPool pool(1, 1, 60 * 1000);
  Gate gate;
  pool.Enqueue([&] { gate.Wait(); });
  ASSERT_TRUE(gate.WaitingReaches(1));
  for (int i = 0; i < 3; ++i) pool.Enqueue([&] { ++ran; });
  std::thread opener([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    gate.Open();
  });
  pool.Shutdown();
  opener.join();
  EXPECT_EQ(ran, 3);
  EXPECT_EQ(pool.threads(), 0u);
  auto witness = std::make_shared<int>(0);
  pool.Enqueue([witness] { ++*witness; });
  EXPECT_EQ(witness.use_count(), 1) << "a task given after Shutdown was kept";
  EXPECT_EQ(*witness, 0);
}

}  // namespace
}  // namespace clipthat::api
