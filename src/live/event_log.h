// EventLog: DIR/events.jsonl of a live session, one JSON object per line, written as events
// happen (each line flushed, so a reader tailing the file sees it at once).
//
// Contract (docs/live.md; other tools rely on it): every line has "event" (trigger, tick,
// moment, clip, credit, error) and "at_ms" (time in the source, from its start). A `trigger`
// line has "source" (voice, chat, vision, signal), "phrase" where there is one, and
// "confidence"; a `clip` line has "path", "start_ms", "end_ms" and "reason". Other fields may
// be added; readers ignore what they do not know.
//
// Thread-safe: the session's threads share one log. An observer (the worker, which forwards
// events to the API) sees each line after it is written.
#pragma once

#include <cstdio>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/result.h"
#include "core/time_units.h"

namespace clipthat::live {

class EventLog {
 public:
  // Creates (or truncates) `path`. IoError naming it when it cannot be written.
  static Result<EventLog> Open(const std::string& path);
  // A log that writes nowhere (the observer still sees every event).
  EventLog() = default;

  EventLog(EventLog&& other) noexcept;
  EventLog& operator=(EventLog&& other) noexcept;
  EventLog(const EventLog&) = delete;
  EventLog& operator=(const EventLog&) = delete;
  ~EventLog();

  // Writes {"event": event, "at_ms": at_ms, ...fields}. `fields` must be an object (or null);
  // its "event" and "at_ms" keys, if any, are overwritten.
  void Write(std::string_view event, TimeMs at_ms, nlohmann::json fields = nullptr);

  void set_observer(std::function<void(const nlohmann::json&)> observer);
  const std::string& path() const { return path_; }
  int lines_written() const;

 private:
  std::string path_;
  std::FILE* file_ = nullptr;
  int lines_ = 0;
  std::function<void(const nlohmann::json&)> observer_;
  mutable std::mutex mutex_;
};

}  // namespace clipthat::live
