#include "speech/sphinx_decoder.h"

#include <pocketsphinx.h>
#include <sphinxbase/err.h>

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <memory>
#include <mutex>

namespace clipthat::speech::internal {
namespace {

// pocketsphinx has one process-wide log callback, so the logger it feeds is process-wide too.
std::mutex g_mutex;
std::shared_ptr<const Logger> g_logger;  // guarded by g_mutex
thread_local std::string t_last_error;

void Callback(void* /*user_data*/, err_lvl_t level, const char* fmt, ...) {
  // Continuation pieces (ERR_INFOCONT) and lines are joined until a newline ends them.
  thread_local std::string pending;
  thread_local err_lvl_t pending_level = ERR_INFO;
  char text[2048];
  va_list ap;
  va_start(ap, fmt);
  std::vsnprintf(text, sizeof text, fmt, ap);
  va_end(ap);
  if (level != ERR_INFOCONT) pending_level = level;
  pending += text;
  if (pending.empty() || pending.back() != '\n') return;
  while (!pending.empty() && (pending.back() == '\n' || pending.back() == '\r')) {
    pending.pop_back();
  }
  bool is_error = pending_level >= ERR_ERROR;
  if (is_error) t_last_error = pending;
  std::shared_ptr<const Logger> logger;
  {
    std::lock_guard<std::mutex> lock(g_mutex);
    logger = g_logger;
  }
  if (logger && !pending.empty()) {
    logger->Log(is_error ? LogLevel::kWarn : LogLevel::kTrace, pending);
  }
  pending.clear();
}

struct CmdLnFree {
  void operator()(cmd_ln_t* c) const { cmd_ln_free_r(c); }
};

}  // namespace

void RouteSphinxLogs(const Logger& logger) {
  {
    std::lock_guard<std::mutex> lock(g_mutex);
    g_logger = std::make_shared<const Logger>(logger);
  }
  err_set_callback(&Callback, nullptr);
  // Some output (the argument table of cmd_ln_parse_r) goes to the log file, not the callback.
  err_set_logfp(nullptr);
}

std::string LastSphinxError() { return t_last_error; }

Result<SphinxDecoder> SphinxDecoder::Create(
    const std::vector<std::pair<std::string, std::string>>& args, const Logger& logger) {
  RouteSphinxLogs(logger);
  std::vector<char*> argv;
  for (const auto& [flag, value] : args) {
    // Model paths are checked here so a missing model is a plain NotFound.
    if (flag == "-hmm" || flag == "-dict" || flag == "-lm" || flag == "-kws") {
      std::error_code ec;
      if (!std::filesystem::exists(value, ec)) {
        return NotFoundError("pocketsphinx model: " + value + ": no such file or directory");
      }
    }
    argv.push_back(const_cast<char*>(flag.c_str()));
    argv.push_back(const_cast<char*>(value.c_str()));
  }
  t_last_error.clear();
  std::unique_ptr<cmd_ln_t, CmdLnFree> config(
      cmd_ln_parse_r(nullptr, ps_args(), static_cast<int>(argv.size()), argv.data(), TRUE));
  if (!config) {
    return InvalidArgumentError("pocketsphinx rejected its arguments: " + LastSphinxError());
  }
  ps_decoder_t* ps = ps_init(config.get());  // keeps its own reference to config
  if (ps == nullptr) {
    return InvalidArgumentError("pocketsphinx could not load its model: " + LastSphinxError());
  }
  return SphinxDecoder(ps);
}

SphinxDecoder& SphinxDecoder::operator=(SphinxDecoder&& other) noexcept {
  if (this != &other) {
    if (ps_ != nullptr) ps_free(ps_);
    ps_ = std::exchange(other.ps_, nullptr);
  }
  return *this;
}

SphinxDecoder::~SphinxDecoder() {
  if (ps_ != nullptr) ps_free(ps_);
}

std::vector<std::int16_t> ToInt16(const float* samples, std::size_t count) {
  std::vector<std::int16_t> out(count);
  for (std::size_t i = 0; i < count; ++i) {
    float v = samples[i];
    if (!(v > -1.0f)) v = -1.0f;  // also maps NaN to -1
    if (v > 1.0f) v = 1.0f;
    out[i] = static_cast<std::int16_t>(std::lround(v * 32767.0f));
  }
  return out;
}

void Dither(std::vector<std::int16_t>& pcm, std::uint32_t* state) {
  for (std::int16_t& s : pcm) {
    *state = *state * 1664525u + 1013904223u;  // LCG (Numerical Recipes)
    const int d = static_cast<int>((*state >> 30) & 1u) - static_cast<int>((*state >> 29) & 1u);
    const int v = static_cast<int>(s) + d;
    s = static_cast<std::int16_t>(std::clamp(v, -32768, 32767));
  }
}

double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

}  // namespace clipthat::speech::internal
