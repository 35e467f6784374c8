#include "api/clip_repository.h"

namespace clipthat::api {
namespace {
constexpr char kClipColumns[] =
    "id, user_id, vod_id, live_job_id, moment_id, status, edit_list, template_id, title, "
    "output_key, thumbnail_key, duration_ms, size_bytes, error, created_at_ms, updated_at_ms";
constexpr char kClipListColumns[] =
    "id, user_id, vod_id, live_job_id, moment_id, status, template_id, title, output_key, "
    "thumbnail_key, duration_ms, size_bytes, error, created_at_ms, updated_at_ms";
constexpr char kMomentColumns[] =
    "id, user_id, vod_id, job_id, rank, start_ms, end_ms, score, title, data, created_at_ms";

ClipRecord ClipFromRow(const store::Row& r) {
  ClipRecord c;
  c.id = r.Text("id");
  c.user_id = r.Text("user_id");
  c.vod_id = r.Text("vod_id");
  c.live_job_id = r.OptText("live_job_id");
  c.moment_id = r.OptText("moment_id");
  c.status = r.Text("status");
  c.edit_list = r.Text("edit_list");
  c.template_id = r.OptText("template_id");
  c.title = r.Text("title");
  c.output_key = r.OptText("output_key");
  c.thumbnail_key = r.OptText("thumbnail_key");
  c.duration_ms = r.OptInt("duration_ms");
  c.size_bytes = r.OptInt("size_bytes");
  c.error = r.OptText("error");
  c.created_at_ms = r.Int("created_at_ms");
  c.updated_at_ms = r.Int("updated_at_ms");
  return c;
}

MomentRecord MomentFromRow(const store::Row& r) {
  MomentRecord m;
  m.id = r.Text("id");
  m.user_id = r.Text("user_id");
  m.vod_id = r.Text("vod_id");
  m.job_id = r.OptText("job_id");
  m.rank = r.Int("rank");
  m.start_ms = r.Int("start_ms");
  m.end_ms = r.Int("end_ms");
  m.score = r.Real("score");
  m.title = r.Text("title");
  m.data = r.Text("data");
  m.created_at_ms = r.Int("created_at_ms");
  return m;
}

template <typename T>
nlohmann::json OrNull(const std::optional<T>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}
store::SqlValue OrSqlNull(const std::optional<std::string>& v) {
  return v ? store::SqlValue(*v) : store::SqlValue();
}
}  // namespace

nlohmann::json ClipRecord::ToJson(ClipView view) const {
  nlohmann::json out = {
      {"id", id},
      {"vod_id", vod_id.empty() ? nlohmann::json(nullptr) : nlohmann::json(vod_id)},
      {"live_job_id", OrNull(live_job_id)},
      {"moment_id", OrNull(moment_id)},
      {"status", status},
      {"title", title},
      {"template_id", OrNull(template_id)},
      {"has_output", output_key.has_value()},
      {"has_thumbnail", thumbnail_key.has_value()},
      {"duration_ms", OrNull(duration_ms)},
      {"size_bytes", OrNull(size_bytes)},
      {"error", OrNull(error)},
      {"created_at_ms", created_at_ms},
      {"updated_at_ms", updated_at_ms}};
  if (view == ClipView::kFull) {
    nlohmann::json edit = nlohmann::json::parse(edit_list, nullptr, false);
    out["edit_list"] = edit.is_discarded() ? nlohmann::json(nullptr) : std::move(edit);
  }
  return out;
}

nlohmann::json MomentRecord::ToJson() const {
  nlohmann::json d = nlohmann::json::parse(data, nullptr, false);
  return {{"id", id},
          {"vod_id", vod_id},
          {"job_id", OrNull(job_id)},
          {"rank", rank},
          {"start_ms", start_ms},
          {"end_ms", end_ms},
          {"score", score},
          {"title", title},
          {"data", d.is_discarded() ? nlohmann::json(nullptr) : d},
          {"created_at_ms", created_at_ms}};
}

namespace {
void AppendString(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20 || c == 0x7f) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 15];
        } else {
          out += ch;  // UTF-8 passes through (input was validated when stored)
        }
    }
  }
  out += '"';
}
void AppendOptString(std::string& out, const std::optional<std::string>& s) {
  if (s) {
    AppendString(out, *s);
  } else {
    out += "null";
  }
}
void AppendOptInt(std::string& out, const std::optional<std::int64_t>& v) {
  out += v ? std::to_string(*v) : "null";
}
}  // namespace

void ClipRecord::AppendSummaryJson(std::string& out) const {
  // Keys in nlohmann's (sorted) order, so the text equals ToJson(kSummary).dump().
  out += "{\"created_at_ms\":";
  out += std::to_string(created_at_ms);
  out += ",\"duration_ms\":";
  AppendOptInt(out, duration_ms);
  out += ",\"error\":";
  AppendOptString(out, error);
  out += ",\"has_output\":";
  out += output_key ? "true" : "false";
  out += ",\"has_thumbnail\":";
  out += thumbnail_key ? "true" : "false";
  out += ",\"id\":";
  AppendString(out, id);
  out += ",\"live_job_id\":";
  AppendOptString(out, live_job_id);
  out += ",\"moment_id\":";
  AppendOptString(out, moment_id);
  out += ",\"size_bytes\":";
  AppendOptInt(out, size_bytes);
  out += ",\"status\":";
  AppendString(out, status);
  out += ",\"template_id\":";
  AppendOptString(out, template_id);
  out += ",\"title\":";
  AppendString(out, title);
  out += ",\"updated_at_ms\":";
  out += std::to_string(updated_at_ms);
  out += ",\"vod_id\":";
  if (vod_id.empty()) {
    out += "null";
  } else {
    AppendString(out, vod_id);
  }
  out += '}';
}

Status ClipRepository::Insert(store::Database& db, const ClipRecord& c) {
  return db
      .Execute(
          "INSERT INTO clips (id, user_id, vod_id, live_job_id, moment_id, status, edit_list, "
          "template_id, title, created_at_ms, updated_at_ms) VALUES ($1, $2, $3, $4, $5, $6, "
          "$7, $8, $9, $10, $11)",
          {c.id, c.user_id, c.vod_id.empty() ? store::SqlValue() : store::SqlValue(c.vod_id),
           OrSqlNull(c.live_job_id), OrSqlNull(c.moment_id), c.status, c.edit_list,
           OrSqlNull(c.template_id), c.title, c.created_at_ms, c.updated_at_ms})
      .status();
}

Result<std::optional<ClipRecord>> ClipRepository::Get(store::Database& db, const std::string& id,
                                                      const std::string& user_id) {
  ASSIGN_OR_RETURN(auto rows, db.Query(std::string("SELECT ") + kClipColumns +
                                           " FROM clips WHERE id = $1 AND user_id = $2",
                                       {id, user_id}));
  if (rows.empty()) return std::optional<ClipRecord>();
  return std::optional<ClipRecord>(ClipFromRow(rows[0]));
}

Result<std::optional<ClipRecord>> ClipRepository::GetAnyUser(store::Database& db,
                                                             const std::string& id) {
  ASSIGN_OR_RETURN(
      auto rows,
      db.Query(std::string("SELECT ") + kClipColumns + " FROM clips WHERE id = $1", {id}));
  if (rows.empty()) return std::optional<ClipRecord>();
  return std::optional<ClipRecord>(ClipFromRow(rows[0]));
}

Result<std::vector<ClipRecord>> ClipRepository::List(store::Database& db,
                                                     const std::string& user_id,
                                                     const std::string& vod_id,
                                                     const PageRequest& page,
                                                     std::optional<std::string>* next_cursor) {
  std::vector<store::SqlValue> params{user_id};
  std::string sql = std::string("SELECT ") + kClipListColumns + " FROM clips WHERE user_id = $1";
  if (!vod_id.empty()) {
    params.emplace_back(vod_id);
    sql += " AND vod_id = $2";
  }
  sql += PageSql(page, params);
  ASSIGN_OR_RETURN(auto rows, db.Query(sql, params));
  std::vector<ClipRecord> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(ClipFromRow(r));
  if (static_cast<int>(out.size()) > page.limit) {
    out.resize(page.limit);
    *next_cursor = EncodeCursor(out.back().created_at_ms, out.back().id);
  }
  return out;
}

Result<bool> ClipRepository::Update(store::Database& db, const std::string& id,
                                    const std::string& user_id,
                                    const std::optional<std::string>& edit_list,
                                    const std::optional<std::string>& title,
                                    const std::optional<std::string>& template_id) {
  std::vector<store::SqlValue> params{store::NowMs()};
  std::string sql = "UPDATE clips SET updated_at_ms = $1";
  if (edit_list) {
    params.emplace_back(*edit_list);
    sql += ", edit_list = $" + std::to_string(params.size());
  }
  if (title) {
    params.emplace_back(*title);
    sql += ", title = $" + std::to_string(params.size());
  }
  if (template_id) {
    params.emplace_back(template_id->empty() ? store::SqlValue() : store::SqlValue(*template_id));
    sql += ", template_id = $" + std::to_string(params.size());
  }
  params.emplace_back(id);
  sql += " WHERE id = $" + std::to_string(params.size());
  params.emplace_back(user_id);
  sql += " AND user_id = $" + std::to_string(params.size());
  ASSIGN_OR_RETURN(std::int64_t n, db.Execute(sql, params));
  return n > 0;
}

Status ClipRepository::SetStatus(store::Database& db, const std::string& id,
                                 std::string_view status, const std::optional<std::string>& error) {
  return db
      .Execute("UPDATE clips SET status = $1, error = $2, updated_at_ms = $3 WHERE id = $4",
               {std::string(status), OrSqlNull(error), store::NowMs(), id})
      .status();
}

Status ClipRepository::SetRendered(store::Database& db, const std::string& id,
                                   const std::string& output_key,
                                   const std::optional<std::string>& thumbnail_key,
                                   std::int64_t duration_ms, std::int64_t size_bytes) {
  return db
      .Execute(
          "UPDATE clips SET status = 'ready', error = NULL, output_key = $1, "
          "thumbnail_key = $2, duration_ms = $3, size_bytes = $4, updated_at_ms = $5 "
          "WHERE id = $6",
          {output_key, OrSqlNull(thumbnail_key), duration_ms, size_bytes, store::NowMs(), id})
      .status();
}

Status ClipRepository::SetThumbnail(store::Database& db, const std::string& id,
                                    const std::string& thumbnail_key) {
  return db
      .Execute("UPDATE clips SET thumbnail_key = $1, updated_at_ms = $2 WHERE id = $3",
               {thumbnail_key, store::NowMs(), id})
      .status();
}

Result<std::pair<std::int64_t, std::string>> ClipRepository::CountLiveClips(
    store::Database& db, const std::string& job_id) {
  ASSIGN_OR_RETURN(auto count,
                   db.Query("SELECT COUNT(*) AS n FROM clips WHERE live_job_id = $1 AND "
                            "status = 'ready'",
                            {job_id}));
  ASSIGN_OR_RETURN(auto newest, db.Query("SELECT id FROM clips WHERE live_job_id = $1 AND "
                                         "status = 'ready' ORDER BY updated_at_ms DESC, "
                                         "created_at_ms DESC, id DESC LIMIT 1",
                                         {job_id}));
  return std::make_pair(count.empty() ? std::int64_t{0} : count[0].Int("n"),
                        newest.empty() ? std::string() : newest[0].Text("id"));
}

Result<bool> ClipRepository::Delete(store::Database& db, const std::string& id,
                                    const std::string& user_id) {
  ASSIGN_OR_RETURN(std::int64_t n,
                   db.Execute("DELETE FROM clips WHERE id = $1 AND user_id = $2", {id, user_id}));
  return n > 0;
}

Status ClipRepository::InsertMoment(store::Database& db, const MomentRecord& m) {
  store::SqlValue job = m.job_id ? store::SqlValue(*m.job_id) : store::SqlValue();
  return db
      .Execute(
          "INSERT INTO moments (id, user_id, vod_id, job_id, rank, start_ms, end_ms, score, "
          "title, data, created_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
          {m.id, m.user_id, m.vod_id, job, m.rank, m.start_ms, m.end_ms, m.score, m.title, m.data,
           m.created_at_ms})
      .status();
}

Result<std::vector<MomentRecord>> ClipRepository::ListMoments(store::Database& db,
                                                              const std::string& vod_id,
                                                              const std::string& user_id) {
  ASSIGN_OR_RETURN(
      auto rows, db.Query(std::string("SELECT ") + kMomentColumns +
                              " FROM moments WHERE vod_id = $1 AND user_id = $2 ORDER BY rank, id",
                          {vod_id, user_id}));
  std::vector<MomentRecord> out;
  for (const auto& r : rows) out.push_back(MomentFromRow(r));
  return out;
}

Result<std::optional<MomentRecord>> ClipRepository::GetMoment(store::Database& db,
                                                              const std::string& id,
                                                              const std::string& user_id) {
  ASSIGN_OR_RETURN(auto rows, db.Query(std::string("SELECT ") + kMomentColumns +
                                           " FROM moments WHERE id = $1 AND user_id = $2",
                                       {id, user_id}));
  if (rows.empty()) return std::optional<MomentRecord>();
  return std::optional<MomentRecord>(MomentFromRow(rows[0]));
}

Status ClipRepository::DeleteMomentsOfVod(store::Database& db, const std::string& vod_id) {
  return db.Execute("DELETE FROM moments WHERE vod_id = $1", {vod_id}).status();
}

Result<bool> ClipRepository::DeleteMoment(store::Database& db, const std::string& id,
                                          const std::string& vod_id, const std::string& user_id) {
  ASSIGN_OR_RETURN(std::int64_t n,
                   db.Execute("DELETE FROM moments WHERE id = $1 AND vod_id = $2 AND user_id = $3",
                              {id, vod_id, user_id}));
  return n > 0;
}

}  // namespace clipthat::api
