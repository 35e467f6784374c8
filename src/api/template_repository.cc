#include "api/template_repository.h"

namespace clipthat::api {
namespace {
constexpr char kColumns[] = "id, user_id, name, document, created_at_ms, updated_at_ms";
TemplateRecord FromRow(const store::Row& r) {
  return {r.Text("id"),       r.Text("user_id"),      r.Text("name"),
          r.Text("document"), r.Int("created_at_ms"), r.Int("updated_at_ms")};
}
}  // namespace

nlohmann::json TemplateRecord::ToJson() const {
  nlohmann::json doc = nlohmann::json::parse(document, nullptr, false);
  return {{"id", id},
          {"name", name},
          {"document", doc.is_discarded() ? nlohmann::json(nullptr) : doc},
          {"created_at_ms", created_at_ms},
          {"updated_at_ms", updated_at_ms}};
}

nlohmann::json SettingsRecord::ToJson() const {
  nlohmann::json a = nlohmann::json::parse(ai, nullptr, false);
  return {{"default_template_id",
           default_template_id ? nlohmann::json(*default_template_id) : nlohmann::json(nullptr)},
          {"ai", a.is_object() ? a : nlohmann::json::object()},
          {"updated_at_ms", updated_at_ms}};
}

Status TemplateRepository::Insert(const TemplateRecord& t) {
  return db_
      .Execute(
          "INSERT INTO templates (id, user_id, name, document, created_at_ms, updated_at_ms) "
          "VALUES ($1, $2, $3, $4, $5, $6)",
          {t.id, t.user_id, t.name, t.document, t.created_at_ms, t.updated_at_ms})
      .status();
}

Result<std::optional<TemplateRecord>> TemplateRepository::Get(const std::string& id,
                                                              const std::string& user_id) {
  ASSIGN_OR_RETURN(auto rows, db_.Query(std::string("SELECT ") + kColumns +
                                            " FROM templates WHERE id = $1 AND user_id = $2",
                                        {id, user_id}));
  if (rows.empty()) return std::optional<TemplateRecord>();
  return std::optional<TemplateRecord>(FromRow(rows[0]));
}

Result<std::vector<TemplateRecord>> TemplateRepository::List(const std::string& user_id) {
  ASSIGN_OR_RETURN(auto rows, db_.Query(std::string("SELECT ") + kColumns +
                                            " FROM templates WHERE user_id = $1 ORDER BY name, id",
                                        {user_id}));
  std::vector<TemplateRecord> out;
  for (const auto& r : rows) out.push_back(FromRow(r));
  return out;
}

Result<bool> TemplateRepository::Update(const std::string& id, const std::string& user_id,
                                        const std::string& name, const std::string& document) {
  ASSIGN_OR_RETURN(std::int64_t n,
                   db_.Execute("UPDATE templates SET name = $1, document = $2, updated_at_ms = $3 "
                               "WHERE id = $4 AND user_id = $5",
                               {name, document, store::NowMs(), id, user_id}));
  return n > 0;
}

Result<bool> TemplateRepository::Delete(const std::string& id, const std::string& user_id) {
  bool deleted = false;
  RETURN_IF_ERROR(db_.Transaction([&](store::Database& tx) -> Status {
    ASSIGN_OR_RETURN(std::int64_t n, tx.Execute("DELETE FROM templates WHERE id = $1 AND "
                                                "user_id = $2",
                                                {id, user_id}));
    deleted = n > 0;
    if (!deleted) return Status::Ok();
    return tx
        .Execute(
            "UPDATE settings SET default_template_id = NULL WHERE user_id = $1 AND "
            "default_template_id = $2",
            {user_id, id})
        .status();
  }));
  return deleted;
}

Result<SettingsRecord> TemplateRepository::GetSettings(const std::string& user_id) {
  ASSIGN_OR_RETURN(auto rows, db_.Query("SELECT default_template_id, ai, updated_at_ms FROM "
                                        "settings WHERE user_id = $1",
                                        {user_id}));
  SettingsRecord s;
  if (!rows.empty()) {
    s.default_template_id = rows[0].OptText("default_template_id");
    s.ai = rows[0].Text("ai");
    s.updated_at_ms = rows[0].Int("updated_at_ms");
  }
  return s;
}

Status TemplateRepository::PutSettings(const std::string& user_id, const SettingsRecord& s) {
  store::SqlValue tpl =
      s.default_template_id ? store::SqlValue(*s.default_template_id) : store::SqlValue();
  return db_
      .Execute(
          "INSERT INTO settings (user_id, default_template_id, ai, updated_at_ms) VALUES "
          "($1, $2, $3, $4) ON CONFLICT (user_id) DO UPDATE SET default_template_id = "
          "excluded.default_template_id, ai = excluded.ai, updated_at_ms = "
          "excluded.updated_at_ms",
          {user_id, tpl, s.ai, s.updated_at_ms})
      .status();
}

}  // namespace clipthat::api
