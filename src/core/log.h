// Logging: one logger carrying module, job id and stage, writing to a shared sink.
//
//   Logger log = root.WithModule("media");
//   CT_LOG(log, kInfo) << "opened " << path << " (" << streams << " streams)";
//
// The level is checked before the message is formatted. Sinks write human-readable lines
// (terminals) or JSON lines (servers and workers); both are thread-safe. Loggers are cheap
// value types: copy them into the objects that log, never reach for a global.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace clipthat {

enum class LogLevel { kTrace = 0, kDebug, kInfo, kWarn, kError, kOff };

std::string_view LogLevelName(LogLevel level);
// Parses "trace", "debug", "info", "warn", "error", "off" (case-sensitive).
Result<LogLevel> ParseLogLevel(std::string_view text);

struct LogRecord {
  LogLevel level = LogLevel::kInfo;
  std::chrono::system_clock::time_point time;
  std::string_view module;
  std::string_view job;
  std::string_view stage;
  std::string_view message;
};

class LogSink {
 public:
  virtual ~LogSink() = default;
  virtual void Write(const LogRecord& record) = 0;
};

enum class LogFormat { kHuman, kJsonLines };

// Writes to stderr. Human lines: "12:00:01.234 W media [job 7] [probe] message".
class StderrSink final : public LogSink {
 public:
  explicit StderrSink(LogFormat format) : format_(format) {}
  void Write(const LogRecord& record) override;

 private:
  LogFormat format_;
  std::mutex mutex_;
};

// Keeps every record in memory; for tests.
class MemorySink final : public LogSink {
 public:
  struct Line {
    LogLevel level;
    std::string module, job, stage, message;
  };
  void Write(const LogRecord& record) override;
  std::vector<Line> lines() const;

 private:
  mutable std::mutex mutex_;
  std::vector<Line> lines_;
};

class Logger {
 public:
  // A logger that drops everything.
  Logger() = default;
  Logger(std::shared_ptr<LogSink> sink, LogLevel level, std::string module = "clipthat")
      : sink_(std::move(sink)), level_(level), module_(std::move(module)) {}

  Logger WithModule(std::string module) const;
  Logger WithJob(std::string job) const;
  Logger WithStage(std::string stage) const;

  bool Enabled(LogLevel level) const { return sink_ && level >= level_ && level != LogLevel::kOff; }
  void Log(LogLevel level, std::string_view message) const;
  LogLevel level() const { return level_; }

 private:
  std::shared_ptr<LogSink> sink_;
  LogLevel level_ = LogLevel::kOff;
  std::string module_ = "clipthat";
  std::string job_;
  std::string stage_;
};

namespace internal {
// Collects one message and hands it to the logger when destroyed (end of the CT_LOG statement).
class LogMessage {
 public:
  LogMessage(const Logger& logger, LogLevel level) : logger_(logger), level_(level) {}
  ~LogMessage() { logger_.Log(level_, stream_.str()); }
  std::ostringstream& stream() { return stream_; }

 private:
  const Logger& logger_;
  LogLevel level_;
  std::ostringstream stream_;
};
}  // namespace internal

}  // namespace clipthat

// CT_LOG(logger, kWarn) << ...; formats only when the level is enabled.
#define CT_LOG(logger, level)                           \
  if (!(logger).Enabled(::clipthat::LogLevel::level)) { \
  } else                                                \
    ::clipthat::internal::LogMessage((logger), ::clipthat::LogLevel::level).stream()
