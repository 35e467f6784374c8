// TemplateRepository: brand templates (`templates`) and the per-user settings record
// (`settings`). Every statement names the user.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "store/database.h"

namespace clipthat::api {

struct TemplateRecord {
  std::string id;
  std::string user_id;
  std::string name;
  std::string document;  // JSON text
  std::int64_t created_at_ms = 0;
  std::int64_t updated_at_ms = 0;

  nlohmann::json ToJson() const;
};

struct SettingsRecord {
  std::optional<std::string> default_template_id;
  std::string ai = "{}";  // JSON text
  std::int64_t updated_at_ms = 0;

  nlohmann::json ToJson() const;
};

class TemplateRepository {
 public:
  explicit TemplateRepository(store::Database& db) : db_(db) {}

  Status Insert(const TemplateRecord& t);
  Result<std::optional<TemplateRecord>> Get(const std::string& id, const std::string& user_id);
  Result<std::vector<TemplateRecord>> List(const std::string& user_id);  // by name
  Result<bool> Update(const std::string& id, const std::string& user_id, const std::string& name,
                      const std::string& document);
  // Also clears the user's default_template_id when it pointed at this template.
  Result<bool> Delete(const std::string& id, const std::string& user_id);

  // The user's settings; defaults when none were saved.
  Result<SettingsRecord> GetSettings(const std::string& user_id);
  Status PutSettings(const std::string& user_id, const SettingsRecord& settings);

 private:
  store::Database& db_;
};

}  // namespace clipthat::api
