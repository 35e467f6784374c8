// ElasticThreadPool: the API server's request threads (internal to the api module).
//
// A request that finds no idle thread starts a new one, up to max_threads; past that it waits
// in a queue for the next free thread. Threads beyond min_threads end after idle_exit_ms
// without work. So a burst of long requests (event streams, uploads) does not make short ones
// wait behind them, and a quiet server keeps only min_threads.
//
// Semantics:
//   - Enqueue never blocks; tasks run in the order they were queued.
//   - Shutdown stops taking tasks (later ones are dropped, so their captures are destroyed on
//     the caller's thread), runs the ones already queued, then joins every thread. Tasks must
//     end on their own (the API's event streams watch the server's stopping flag).
//   - A task must not throw (the API's handlers catch everything); one that does ends the
//     process, as an escaped exception on any thread does.
//
// Thread-safe: every member may be called from any thread, including from inside a task
// (Shutdown excepted: it would wait for itself).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

namespace clipthat::api {

class ElasticThreadPool {
 public:
  // min_threads >= 1 start at once; max_threads is raised to min_threads if below it.
  ElasticThreadPool(std::size_t min_threads, std::size_t max_threads, std::int64_t idle_exit_ms);
  ~ElasticThreadPool();  // Shutdown()
  ElasticThreadPool(const ElasticThreadPool&) = delete;
  ElasticThreadPool& operator=(const ElasticThreadPool&) = delete;

  void Enqueue(std::function<void()> task);
  void Shutdown();

  std::size_t threads() const;  // running now
  std::size_t busy() const;     // running a task now

 private:
  void StartThreadLocked();
  void JoinFinishedLocked();
  void Run(std::uint64_t id);

  const std::size_t min_threads_;
  const std::size_t max_threads_;
  const std::int64_t idle_exit_ms_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> queue_;
  std::map<std::uint64_t, std::thread> threads_;  // by id; a finished one until joined
  std::vector<std::uint64_t> finished_;           // ended on their own, to be joined
  std::uint64_t next_id_ = 0;
  std::size_t idle_ = 0;  // threads not running a task (waiting, or just started)
  bool stopping_ = false;
};

}  // namespace clipthat::api
