#include "api/job_repository.h"

namespace clipthat::api {
namespace {
constexpr char kColumns[] =
    "id, user_id, kind, status, vod_id, clip_id, params, progress, stage, error, attempts, "
    "max_attempts, lease_owner, lease_expires_at_ms, result, timings, created_at_ms, "
    "updated_at_ms, started_at_ms, finished_at_ms";

JobRecord FromRow(const store::Row& r) {
  JobRecord j;
  j.id = r.Text("id");
  j.user_id = r.Text("user_id");
  j.kind = r.Text("kind");
  j.status = r.Text("status");
  j.vod_id = r.OptText("vod_id");
  j.clip_id = r.OptText("clip_id");
  j.params = r.Text("params");
  j.progress = r.Real("progress");
  j.stage = r.OptText("stage");
  j.error = r.OptText("error");
  j.attempts = r.Int("attempts");
  j.max_attempts = r.Int("max_attempts");
  j.lease_owner = r.OptText("lease_owner");
  j.lease_expires_at_ms = r.OptInt("lease_expires_at_ms");
  j.result = r.OptText("result");
  j.timings = r.OptText("timings");
  j.created_at_ms = r.Int("created_at_ms");
  j.updated_at_ms = r.Int("updated_at_ms");
  j.started_at_ms = r.OptInt("started_at_ms");
  j.finished_at_ms = r.OptInt("finished_at_ms");
  return j;
}

template <typename T>
nlohmann::json OrNull(const std::optional<T>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}
nlohmann::json ParsedOrNull(const std::optional<std::string>& text) {
  if (!text || text->empty()) return nullptr;
  return nlohmann::json::parse(*text, nullptr, false);
}
}  // namespace

nlohmann::json JobRecord::ToJson() const {
  nlohmann::json p = nlohmann::json::parse(params, nullptr, false);
  if (p.is_object()) p.erase("edit_list");  // large; the clip carries it
  if (p.is_object()) p.erase("template");
  return {{"id", id},
          {"kind", kind},
          {"status", status},
          {"vod_id", OrNull(vod_id)},
          {"clip_id", OrNull(clip_id)},
          {"params", p.is_discarded() ? nlohmann::json::object() : p},
          {"progress", progress},
          {"stage", OrNull(stage)},
          {"error", OrNull(error)},
          {"attempts", attempts},
          {"max_attempts", max_attempts},
          {"result", ParsedOrNull(result)},
          {"timings", ParsedOrNull(timings)},
          {"created_at_ms", created_at_ms},
          {"updated_at_ms", updated_at_ms},
          {"started_at_ms", OrNull(started_at_ms)},
          {"finished_at_ms", OrNull(finished_at_ms)}};
}

Result<std::optional<JobRecord>> JobRepository::Get(const std::string& id,
                                                    const std::string& user_id) {
  ASSIGN_OR_RETURN(auto rows, db_.Query(std::string("SELECT ") + kColumns +
                                            " FROM jobs WHERE id = $1 AND user_id = $2",
                                        {id, user_id}));
  if (rows.empty()) return std::optional<JobRecord>();
  return std::optional<JobRecord>(FromRow(rows[0]));
}

Result<std::optional<JobRecord>> JobRepository::GetAnyUser(const std::string& id) {
  ASSIGN_OR_RETURN(auto rows,
                   db_.Query(std::string("SELECT ") + kColumns + " FROM jobs WHERE id = $1", {id}));
  if (rows.empty()) return std::optional<JobRecord>();
  return std::optional<JobRecord>(FromRow(rows[0]));
}

Result<std::vector<JobRecord>> JobRepository::List(const std::string& user_id,
                                                   const PageRequest& page,
                                                   std::optional<std::string>* next_cursor,
                                                   const std::string& kind) {
  std::vector<store::SqlValue> params{user_id};
  std::string sql = std::string("SELECT ") + kColumns + " FROM jobs WHERE user_id = $1";
  if (!kind.empty()) {
    params.emplace_back(kind);
    sql += " AND kind = $2";
  }
  sql += PageSql(page, params);
  ASSIGN_OR_RETURN(auto rows, db_.Query(sql, params));
  std::vector<JobRecord> out;
  for (const auto& r : rows) out.push_back(FromRow(r));
  if (static_cast<int>(out.size()) > page.limit) {
    out.resize(page.limit);
    *next_cursor = EncodeCursor(out.back().created_at_ms, out.back().id);
  }
  return out;
}

}  // namespace clipthat::api
