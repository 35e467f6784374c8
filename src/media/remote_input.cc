#include "media/remote_input.h"

#include <atomic>
#include <map>
#include <mutex>

namespace clipthat::media {
namespace {

constexpr std::string_view kPrefix = "remote:";

// The process's registered inputs. A table rather than a parameter: see the header.
struct Registry {
  std::mutex mutex;
  std::map<std::string, std::shared_ptr<RemoteInput>, std::less<>> inputs;
  std::atomic<std::uint64_t> next_id{1};
};

Registry& TheRegistry() {
  static Registry* registry = new Registry();  // never destroyed: workers outlive main's locals
  return *registry;
}

void Unregister(const std::string& path) {
  if (path.empty()) return;
  Registry& registry = TheRegistry();
  std::lock_guard lock(registry.mutex);
  registry.inputs.erase(path);
}

}  // namespace

RemoteInputRegistration::~RemoteInputRegistration() { Unregister(path_); }

RemoteInputRegistration::RemoteInputRegistration(RemoteInputRegistration&& other) noexcept
    : path_(std::move(other.path_)) {
  other.path_.clear();
}

RemoteInputRegistration& RemoteInputRegistration::operator=(
    RemoteInputRegistration&& other) noexcept {
  if (this != &other) {
    Unregister(path_);
    path_ = std::move(other.path_);
    other.path_.clear();
  }
  return *this;
}

RemoteInputRegistration RegisterRemoteInput(std::shared_ptr<RemoteInput> input,
                                            std::string_view label) {
  Registry& registry = TheRegistry();
  RemoteInputRegistration registration;
  registration.path_ =
      std::string(kPrefix) + std::to_string(registry.next_id++) + ":" + std::string(label);
  std::lock_guard lock(registry.mutex);
  registry.inputs[registration.path_] = std::move(input);
  return registration;
}

bool IsRemoteInputPath(std::string_view path) { return path.starts_with(kPrefix); }

Result<std::shared_ptr<RemoteInput>> FindRemoteInput(const std::string& path) {
  Registry& registry = TheRegistry();
  std::lock_guard lock(registry.mutex);
  auto it = registry.inputs.find(path);
  if (it == registry.inputs.end()) return NotFoundError(path + ": no such remote input");
  return it->second;
}

}  // namespace clipthat::media
