#include "api/stream_slots.h"

namespace clipthat::api {

std::shared_ptr<void> StreamSlots::Take(const std::string& user_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  int& mine = per_user_[user_id];
  if ((max_per_user_ > 0 && mine >= max_per_user_) || (max_total_ > 0 && total_ >= max_total_)) {
    if (mine == 0) per_user_.erase(user_id);
    return nullptr;
  }
  ++mine;
  ++total_;
  // The slots outlive every place they hand out (the API context owns them and stops after
  // the last stream ended).
  return std::shared_ptr<void>(static_cast<void*>(this), [this, user_id](void*) { Free(user_id); });
}

void StreamSlots::Free(const std::string& user_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = per_user_.find(user_id);
  if (it != per_user_.end() && --it->second <= 0) per_user_.erase(it);
  --total_;
}

int StreamSlots::open() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return total_;
}

int StreamSlots::open_for(const std::string& user_id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = per_user_.find(user_id);
  return it == per_user_.end() ? 0 : it->second;
}

}  // namespace clipthat::api
