// StreamSlots: how many long-lived answers (job event streams) are open, per user and in all,
// so no user, and no crowd of users, can hold every request thread (internal to the api
// module).
//
//   auto slot = ctx.event_streams.Take(user_id);   // nullopt: over a limit (answer 429)
//   ... keep `slot` alive as long as the stream is open; destroying it frees the place ...
//
// Thread-safe. A limit of 0 or less means none.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace clipthat::api {

class StreamSlots {
 public:
  StreamSlots(int max_per_user, int max_total)
      : max_per_user_(max_per_user), max_total_(max_total) {}

  // A place, freed when the last copy is destroyed; null when the user, or the server, is at
  // its limit.
  std::shared_ptr<void> Take(const std::string& user_id);

  int open() const;
  int open_for(const std::string& user_id) const;

 private:
  void Free(const std::string& user_id);

  const int max_per_user_;
  const int max_total_;
  mutable std::mutex mutex_;
  std::map<std::string, int> per_user_;
  int total_ = 0;
};

}  // namespace clipthat::api
