#include "core/config.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/json_document.h"

namespace clipthat {

namespace {
void Flatten(const nlohmann::json& j, const std::string& prefix,
             std::map<std::string, std::string, std::less<>>& out) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      Flatten(it.value(), prefix.empty() ? it.key() : prefix + "." + it.key(), out);
    }
  } else if (j.is_string()) {
    out[prefix] = j.get<std::string>();
  } else {
    out[prefix] = j.dump();
  }
}

std::string Trimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}
}  // namespace

Status Config::MergeFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return NotFoundError(path + ": cannot open config file");
  std::stringstream ss;
  ss << in.rdbuf();
  return MergeJsonText(ss.str(), path);
}

Status Config::MergeJsonText(std::string_view json_text, std::string_view origin) {
  Result<nlohmann::json> parsed = ParseJsonDocument(json_text, origin);
  if (!parsed.ok()) return DataError(parsed.status().message());
  const nlohmann::json& j = *parsed;
  if (!j.is_object()) return DataError(std::string(origin) + ": config must be a JSON object");
  Flatten(j, "", values_);
  return Status::Ok();
}

void Config::MergeEnvironment(char** envp) {
  static constexpr std::string_view kPrefix = "CLIPTHAT_";
  for (char** e = envp; e && *e; ++e) {
    std::string_view entry(*e);
    if (entry.substr(0, kPrefix.size()) != kPrefix) continue;
    size_t eq = entry.find('=');
    if (eq == std::string_view::npos) continue;
    std::string_view name = entry.substr(kPrefix.size(), eq - kPrefix.size());
    std::string key;
    for (size_t i = 0; i < name.size(); ++i) {
      if (name[i] == '_' && i + 1 < name.size() && name[i + 1] == '_') {
        key += '_';
        ++i;
      } else if (name[i] == '_') {
        key += '.';
      } else {
        key += static_cast<char>(std::tolower(static_cast<unsigned char>(name[i])));
      }
    }
    if (!key.empty()) values_[key] = std::string(entry.substr(eq + 1));
  }
}

void Config::Set(std::string key, std::string value) { values_[std::move(key)] = std::move(value); }

bool Config::Has(std::string_view key) const { return values_.find(key) != values_.end(); }

std::string Config::GetString(std::string_view key, std::string_view fallback) const {
  auto it = values_.find(key);
  return it == values_.end() ? std::string(fallback) : it->second;
}

Result<long long> Config::GetInt(std::string_view key, long long fallback) const {
  auto it = values_.find(key);
  if (it == values_.end()) return fallback;
  std::string v = Trimmed(it->second);
  char* end = nullptr;
  long long n = std::strtoll(v.c_str(), &end, 10);
  if (v.empty() || end != v.c_str() + v.size()) {
    return InvalidArgumentError("config " + std::string(key) + ": '" + it->second +
                                "' is not an integer");
  }
  return n;
}

Result<double> Config::GetDouble(std::string_view key, double fallback) const {
  auto it = values_.find(key);
  if (it == values_.end()) return fallback;
  std::string v = Trimmed(it->second);
  char* end = nullptr;
  double d = std::strtod(v.c_str(), &end);
  if (v.empty() || end != v.c_str() + v.size()) {
    return InvalidArgumentError("config " + std::string(key) + ": '" + it->second +
                                "' is not a number");
  }
  return d;
}

Result<bool> Config::GetBool(std::string_view key, bool fallback) const {
  auto it = values_.find(key);
  if (it == values_.end()) return fallback;
  std::string v = Trimmed(it->second);
  std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return std::tolower(c); });
  if (v == "1" || v == "true" || v == "yes" || v == "on") return true;
  if (v == "0" || v == "false" || v == "no" || v == "off") return false;
  return InvalidArgumentError("config " + std::string(key) + ": '" + it->second +
                              "' is not a boolean (true/false)");
}

}  // namespace clipthat
