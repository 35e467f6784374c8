#include "live/event_log.h"

#include <cerrno>
#include <cstring>
#include <utility>

namespace clipthat::live {

Result<EventLog> EventLog::Open(const std::string& path) {
  EventLog log;
  log.file_ = std::fopen(path.c_str(), "w");
  if (log.file_ == nullptr) return IoError(path + ": cannot write: " + std::strerror(errno));
  log.path_ = path;
  return log;
}

EventLog::EventLog(EventLog&& other) noexcept { *this = std::move(other); }

EventLog& EventLog::operator=(EventLog&& other) noexcept {
  if (this != &other) {
    if (file_ != nullptr) std::fclose(file_);
    path_ = std::move(other.path_);
    file_ = std::exchange(other.file_, nullptr);
    lines_ = other.lines_;
    observer_ = std::move(other.observer_);
  }
  return *this;
}

EventLog::~EventLog() {
  if (file_ != nullptr) std::fclose(file_);
}

void EventLog::Write(std::string_view event, TimeMs at_ms, nlohmann::json fields) {
  nlohmann::json line = nlohmann::json::object();
  line["event"] = std::string(event);
  line["at_ms"] = at_ms;
  if (fields.is_object()) {
    for (auto& [key, value] : fields.items()) {
      if (key != "event" && key != "at_ms") line[key] = std::move(value);
    }
  }
  std::function<void(const nlohmann::json&)> observer;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (file_ != nullptr) {
      const std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      std::fwrite(text.data(), 1, text.size(), file_);
      std::fputc('\n', file_);
      std::fflush(file_);
    }
    ++lines_;
    observer = observer_;
  }
  if (observer) observer(line);
}

void EventLog::set_observer(std::function<void(const nlohmann::json&)> observer) {
  std::lock_guard<std::mutex> lock(mutex_);
  observer_ = std::move(observer);
}

int EventLog::lines_written() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return lines_;
}

}  // namespace clipthat::live
