#include "core/log.h"

#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>

namespace clipthat {

std::string_view LogLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kTrace: return "trace";
    case LogLevel::kDebug: return "debug";
    case LogLevel::kInfo: return "info";
    case LogLevel::kWarn: return "warn";
    case LogLevel::kError: return "error";
    case LogLevel::kOff: return "off";
  }
  return "?";
}

Result<LogLevel> ParseLogLevel(std::string_view text) {
  for (LogLevel l : {LogLevel::kTrace, LogLevel::kDebug, LogLevel::kInfo, LogLevel::kWarn,
                     LogLevel::kError, LogLevel::kOff}) {
    if (LogLevelName(l) == text) return l;
  }
  return InvalidArgumentError("unknown log level '" + std::string(text) +
                              "' (expected trace, debug, info, warn, error or off)");
}

namespace {
std::string FormatTime(std::chrono::system_clock::time_point t, bool iso) {
  auto secs = std::chrono::system_clock::to_time_t(t);
  auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  if (iso) {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03lldZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<long long>(ms));
  } else {
    std::snprintf(buf, sizeof buf, "%02d:%02d:%02d.%03lld", tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<long long>(ms));
  }
  return buf;
}
}  // namespace

void StderrSink::Write(const LogRecord& r) {
  std::string line;
  if (format_ == LogFormat::kJsonLines) {
    nlohmann::json j = {{"time", FormatTime(r.time, true)},
                        {"level", LogLevelName(r.level)},
                        {"module", r.module},
                        {"msg", r.message}};
    if (!r.job.empty()) j["job"] = r.job;
    if (!r.stage.empty()) j["stage"] = r.stage;
    line = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  } else {
    static constexpr char kLetters[] = "TDIWEO";
    line = FormatTime(r.time, false) + " " + kLetters[static_cast<int>(r.level)] + " " +
           std::string(r.module);
    if (!r.job.empty()) line += " [job " + std::string(r.job) + "]";
    if (!r.stage.empty()) line += " [" + std::string(r.stage) + "]";
    line += " ";
    line += r.message;
  }
  line += '\n';
  std::lock_guard<std::mutex> lock(mutex_);
  std::fputs(line.c_str(), stderr);
}

void MemorySink::Write(const LogRecord& r) {
  std::lock_guard<std::mutex> lock(mutex_);
  lines_.push_back({r.level, std::string(r.module), std::string(r.job), std::string(r.stage),
                    std::string(r.message)});
}

std::vector<MemorySink::Line> MemorySink::lines() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return lines_;
}

Logger Logger::WithModule(std::string module) const {
  Logger l = *this;
  l.module_ = std::move(module);
  return l;
}
Logger Logger::WithJob(std::string job) const {
  Logger l = *this;
  l.job_ = std::move(job);
  return l;
}
Logger Logger::WithStage(std::string stage) const {
  Logger l = *this;
  l.stage_ = std::move(stage);
  return l;
}

void Logger::Log(LogLevel level, std::string_view message) const {
  if (!Enabled(level)) return;
  LogRecord r;
  r.level = level;
  r.time = std::chrono::system_clock::now();
  r.module = module_;
  r.job = job_;
  r.stage = stage_;
  r.message = message;
  sink_->Write(r);
}

}  // namespace clipthat
