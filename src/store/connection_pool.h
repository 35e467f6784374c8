// ConnectionPool<Conn>: at most `max_size` connections, created on demand by a factory, checked out
// one per caller and returned when the checkout is destroyed. Callers block while all are in use.
// Internal to the database backends.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "core/result.h"

namespace clipthat::store::internal {

template <typename Conn>
class ConnectionPool {
 public:
  using Factory = std::function<Result<std::unique_ptr<Conn>>()>;

  // A checked-out connection; returns it to the pool on destruction unless Discard()ed.
  class Checkout {
   public:
    Checkout(ConnectionPool* pool, std::unique_ptr<Conn> conn)
        : pool_(pool), conn_(std::move(conn)) {}
    ~Checkout() {
      if (pool_ != nullptr) pool_->Return(std::move(conn_));
    }
    Checkout(const Checkout&) = delete;
    Checkout& operator=(const Checkout&) = delete;
    Checkout(Checkout&& other) noexcept
        : pool_(std::exchange(other.pool_, nullptr)), conn_(std::move(other.conn_)) {}
    Checkout& operator=(Checkout&&) = delete;

    Conn& operator*() const { return *conn_; }
    Conn* operator->() const { return conn_.get(); }
    // Drops a broken connection instead of returning it; the pool makes a new one when needed.
    void Discard() { conn_.reset(); }

   private:
    ConnectionPool* pool_;
    std::unique_ptr<Conn> conn_;
  };

  ConnectionPool(int max_size, Factory factory)
      : max_size_(max_size < 1 ? 1 : max_size), factory_(std::move(factory)) {}

  // Adds an already open connection (the one opened to check the URL).
  void Seed(std::unique_ptr<Conn> conn) {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(conn));
    ++open_;
  }

  Result<Checkout> Acquire() {
    std::unique_lock lock(mutex_);
    available_.wait(lock, [&] { return !idle_.empty() || open_ < max_size_; });
    if (!idle_.empty()) {
      std::unique_ptr<Conn> conn = std::move(idle_.back());
      idle_.pop_back();
      return Checkout(this, std::move(conn));
    }
    ++open_;
    lock.unlock();
    Result<std::unique_ptr<Conn>> conn = factory_();
    if (!conn.ok()) {
      lock.lock();
      --open_;
      available_.notify_one();
      return conn.status();
    }
    return Checkout(this, std::move(conn).value());
  }

 private:
  void Return(std::unique_ptr<Conn> conn) {
    {
      std::lock_guard lock(mutex_);
      if (conn) {
        idle_.push_back(std::move(conn));
      } else {
        --open_;
      }
    }
    available_.notify_one();
  }

  const int max_size_;
  Factory factory_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Conn>> idle_;
  int open_ = 0;
};

}  // namespace clipthat::store::internal
