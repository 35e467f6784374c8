// Config: flat key/value settings loaded once in apps/ and passed down.
//
// Keys are dotted lower-case names ("log.level", "speech.remote.base_url"). Layers, later wins:
//   1. a JSON file (nested objects are flattened: {"log":{"level":"debug"}} -> log.level);
//   2. the environment: CLIPTHAT_LOG_LEVEL -> log.level (prefix dropped, lower-cased, '_' -> '.',
//      and a doubled '__' -> a literal '_': CLIPTHAT_SPEECH_REMOTE_BASE__URL ->
//      speech.remote.base_url);
//   3. command-line flags (Set()).
// Typed getters return a clear error naming the key and the bad value.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "core/result.h"

namespace clipthat {

class Config {
 public:
  // Loads a JSON file and merges it in. Missing file: NotFound; bad JSON: DataError with the
  // parser's position.
  Status MergeFile(const std::string& path);
  // Merges a JSON object given as text (same rules as a file).
  Status MergeJsonText(std::string_view json_text, std::string_view origin);
  // Merges every CLIPTHAT_* variable of `envp` (a NULL-terminated array like `environ`).
  void MergeEnvironment(char** envp);
  void Set(std::string key, std::string value);

  bool Has(std::string_view key) const;
  std::string GetString(std::string_view key, std::string_view fallback) const;
  Result<long long> GetInt(std::string_view key, long long fallback) const;
  Result<double> GetDouble(std::string_view key, double fallback) const;
  Result<bool> GetBool(std::string_view key, bool fallback) const;

  const std::map<std::string, std::string, std::less<>>& values() const { return values_; }

 private:
  std::map<std::string, std::string, std::less<>> values_;
};

}  // namespace clipthat
