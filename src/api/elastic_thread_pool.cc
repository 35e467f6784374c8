#include "api/elastic_thread_pool.h"

#include <algorithm>
#include <chrono>
#include <utility>

namespace clipthat::api {

ElasticThreadPool::ElasticThreadPool(std::size_t min_threads, std::size_t max_threads,
                                     std::int64_t idle_exit_ms)
    : min_threads_(std::max<std::size_t>(1, min_threads)),
      max_threads_(std::max(max_threads, std::max<std::size_t>(1, min_threads))),
      idle_exit_ms_(std::max<std::int64_t>(1, idle_exit_ms)) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (std::size_t i = 0; i < min_threads_; ++i) StartThreadLocked();
}

ElasticThreadPool::~ElasticThreadPool() { Shutdown(); }

void ElasticThreadPool::StartThreadLocked() {
  const std::uint64_t id = next_id_++;
  ++idle_;
  threads_.emplace(id, std::thread([this, id] { Run(id); }));
}

void ElasticThreadPool::JoinFinishedLocked() {
  for (std::uint64_t id : finished_) {
    auto it = threads_.find(id);
    if (it == threads_.end()) continue;
    it->second.join();  // it has left Run; only its return is left
    threads_.erase(it);
  }
  finished_.clear();
}

void ElasticThreadPool::Enqueue(std::function<void()> task) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (stopping_) {
    lock.unlock();
    return;  // `task` is destroyed here, on the caller's thread
  }
  JoinFinishedLocked();
  queue_.push_back(std::move(task));
  const std::size_t running = threads_.size() - finished_.size();
  if (queue_.size() > idle_ && running < max_threads_) StartThreadLocked();
  wake_.notify_one();
}

void ElasticThreadPool::Run(std::uint64_t id) {
  std::unique_lock<std::mutex> lock(mutex_);
  // Counted idle from its start (StartThreadLocked), so tasks queued meanwhile start no more
  // threads than they need.
  while (true) {
    const bool woke = wake_.wait_for(lock, std::chrono::milliseconds(idle_exit_ms_),
                                     [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) {
      if (stopping_) break;
      // Idle past idle_exit_ms: threads above the minimum end.
      if (!woke && threads_.size() - finished_.size() > min_threads_) break;
      continue;
    }
    std::function<void()> task = std::move(queue_.front());
    queue_.pop_front();
    --idle_;
    lock.unlock();
    task();
    task = nullptr;  // its captures (a connection) go before the next wait
    lock.lock();
    ++idle_;
  }
  --idle_;
  if (!stopping_) finished_.push_back(id);
}

void ElasticThreadPool::Shutdown() {
  std::map<std::uint64_t, std::thread> threads;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    wake_.notify_all();
  }
  // Threads never start once stopping_ is set, so the set is final; each drains the queue and
  // ends.
  while (true) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (threads_.empty()) break;
      threads.swap(threads_);
      finished_.clear();
    }
    for (auto& [id, thread] : threads) thread.join();
    threads.clear();
  }
}

std::size_t ElasticThreadPool::threads() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return threads_.size() - finished_.size();
}

std::size_t ElasticThreadPool::busy() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return threads_.size() - finished_.size() - idle_;
}

}  // namespace clipthat::api
