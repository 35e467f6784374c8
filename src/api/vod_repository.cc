#include "api/vod_repository.h"

namespace clipthat::api {
namespace {
constexpr char kColumns[] =
    "id, user_id, title, status, source_url, media_key, chat_key, size_bytes, received_bytes, "
    "duration_ms, width, height, error, created_at_ms, updated_at_ms";

VodRecord FromRow(const store::Row& r) {
  VodRecord v;
  v.id = r.Text("id");
  v.user_id = r.Text("user_id");
  v.title = r.Text("title");
  v.status = r.Text("status");
  v.source_url = r.OptText("source_url");
  v.media_key = r.Text("media_key");
  v.chat_key = r.OptText("chat_key");
  v.size_bytes = r.Int("size_bytes");
  v.received_bytes = r.Int("received_bytes");
  v.duration_ms = r.OptInt("duration_ms");
  v.width = r.OptInt("width");
  v.height = r.OptInt("height");
  v.error = r.OptText("error");
  v.created_at_ms = r.Int("created_at_ms");
  v.updated_at_ms = r.Int("updated_at_ms");
  return v;
}

template <typename T>
nlohmann::json OrNull(const std::optional<T>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}
}  // namespace

nlohmann::json VodRecord::ToJson() const {
  return {{"id", id},
          {"title", title},
          {"status", status},
          {"source_url", OrNull(source_url)},
          {"size_bytes", size_bytes},
          {"received_bytes", received_bytes},
          {"has_chat", chat_key.has_value()},
          {"duration_ms", OrNull(duration_ms)},
          {"width", OrNull(width)},
          {"height", OrNull(height)},
          {"error", OrNull(error)},
          {"created_at_ms", created_at_ms},
          {"updated_at_ms", updated_at_ms}};
}

Status VodRepository::Insert(const VodRecord& v) {
  store::SqlValue url = v.source_url ? store::SqlValue(*v.source_url) : store::SqlValue();
  return db_
      .Execute(
          "INSERT INTO vods (id, user_id, title, status, source_url, media_key, size_bytes, "
          "received_bytes, created_at_ms, updated_at_ms) VALUES ($1, $2, $3, $4, $5, $6, "
          "$7, $8, $9, $10)",
          {v.id, v.user_id, v.title, v.status, url, v.media_key, v.size_bytes, v.received_bytes,
           v.created_at_ms, v.updated_at_ms})
      .status();
}

Result<std::optional<VodRecord>> VodRepository::Get(const std::string& id,
                                                    const std::string& user_id) {
  ASSIGN_OR_RETURN(auto rows, db_.Query(std::string("SELECT ") + kColumns +
                                            " FROM vods WHERE id = $1 AND user_id = $2",
                                        {id, user_id}));
  if (rows.empty()) return std::optional<VodRecord>();
  return std::optional<VodRecord>(FromRow(rows[0]));
}

Result<std::optional<VodRecord>> VodRepository::GetAnyUser(const std::string& id) {
  ASSIGN_OR_RETURN(auto rows,
                   db_.Query(std::string("SELECT ") + kColumns + " FROM vods WHERE id = $1", {id}));
  if (rows.empty()) return std::optional<VodRecord>();
  return std::optional<VodRecord>(FromRow(rows[0]));
}

Result<std::vector<VodRecord>> VodRepository::List(const std::string& user_id,
                                                   const PageRequest& page,
                                                   std::optional<std::string>* next_cursor) {
  std::vector<store::SqlValue> params{user_id};
  std::string sql = std::string("SELECT ") + kColumns + " FROM vods WHERE user_id = $1";
  sql += PageSql(page, params);
  ASSIGN_OR_RETURN(auto rows, db_.Query(sql, params));
  std::vector<VodRecord> out;
  for (const auto& r : rows) out.push_back(FromRow(r));
  if (static_cast<int>(out.size()) > page.limit) {
    out.resize(page.limit);
    *next_cursor = EncodeCursor(out.back().created_at_ms, out.back().id);
  }
  return out;
}

Status VodRepository::SetReceived(const std::string& id, std::int64_t received_bytes) {
  return db_
      .Execute(
          "UPDATE vods SET received_bytes = $1, updated_at_ms = $2, status = CASE WHEN $1 = "
          "size_bytes THEN 'ready' ELSE status END WHERE id = $3",
          {received_bytes, store::NowMs(), id})
      .status();
}

Status VodRepository::SetSizeAndReceived(const std::string& id, std::int64_t size_bytes,
                                         std::int64_t received_bytes, std::string_view status) {
  return db_
      .Execute(
          "UPDATE vods SET size_bytes = $1, received_bytes = $2, status = $3, "
          "updated_at_ms = $4 WHERE id = $5",
          {size_bytes, received_bytes, std::string(status), store::NowMs(), id})
      .status();
}

Status VodRepository::SetFailed(const std::string& id, const std::string& error) {
  return db_
      .Execute("UPDATE vods SET status = 'failed', error = $1, updated_at_ms = $2 WHERE id = $3",
               {error, store::NowMs(), id})
      .status();
}

Status VodRepository::SetChatKey(const std::string& id, const std::string& chat_key) {
  return db_
      .Execute("UPDATE vods SET chat_key = $1, updated_at_ms = $2 WHERE id = $3",
               {chat_key, store::NowMs(), id})
      .status();
}

Result<bool> VodRepository::Delete(const std::string& id, const std::string& user_id) {
  ASSIGN_OR_RETURN(std::int64_t n,
                   db_.Execute("DELETE FROM vods WHERE id = $1 AND user_id = $2", {id, user_id}));
  return n > 0;
}

}  // namespace clipthat::api
