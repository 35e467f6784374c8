// ClipRepository: the `clips` and `moments` tables. Reads and user writes name the user, so
// another user's ids are "not found". Methods take the Database to use, so the same code runs
// inside a transaction (the analyze completion writes moments and clips in one).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "api/pagination.h"
#include "core/result.h"
#include "store/database.h"

namespace clipthat::api {

// How much of a clip an answer shows: lists show summaries (no edit list).
enum class ClipView { kFull, kSummary };

struct ClipRecord {
  std::string id;
  std::string user_id;
  std::string vod_id;                      // "" for a live clip (stored as NULL)
  std::optional<std::string> live_job_id;  // the live job that cut it (no VOD then)
  std::optional<std::string> moment_id;
  std::string status;     // "pending" | "rendering" | "ready" | "failed"
  std::string edit_list;  // JSON text
  std::optional<std::string> template_id;
  std::string title;
  std::optional<std::string> output_key;
  std::optional<std::string> thumbnail_key;
  std::optional<std::int64_t> duration_ms;
  std::optional<std::int64_t> size_bytes;
  std::optional<std::string> error;
  std::int64_t created_at_ms = 0;
  std::int64_t updated_at_ms = 0;

  // The API's representation: no object keys; the edit list parsed (kFull only).
  nlohmann::json ToJson(ClipView view = ClipView::kFull) const;
  // Appends ToJson(ClipView::kSummary) as compact JSON text, without building a JSON tree (the
  // clip list is the hottest read).
  void AppendSummaryJson(std::string& out) const;
};

struct MomentRecord {
  std::string id;
  std::string user_id;
  std::string vod_id;
  std::optional<std::string> job_id;
  std::int64_t rank = 0;  // 0 = best
  std::int64_t start_ms = 0;
  std::int64_t end_ms = 0;
  double score = 0;
  std::string title;
  std::string data;  // the moment object of moments.json, JSON text
  std::int64_t created_at_ms = 0;

  nlohmann::json ToJson() const;
};

class ClipRepository {
 public:
  static Status Insert(store::Database& db, const ClipRecord& clip);
  static Result<std::optional<ClipRecord>> Get(store::Database& db, const std::string& id,
                                               const std::string& user_id);
  static Result<std::optional<ClipRecord>> GetAnyUser(store::Database& db, const std::string& id);
  // Newest first; `vod_id` filters when not empty. The records carry no edit list (lists show
  // summaries; GET one clip for its edit list).
  static Result<std::vector<ClipRecord>> List(store::Database& db, const std::string& user_id,
                                              const std::string& vod_id, const PageRequest& page,
                                              std::optional<std::string>* next_cursor);
  // Changes the edit list, title and/or brand template (template_id "" clears it); false when
  // the user has no such clip.
  static Result<bool> Update(store::Database& db, const std::string& id, const std::string& user_id,
                             const std::optional<std::string>& edit_list,
                             const std::optional<std::string>& title,
                             const std::optional<std::string>& template_id = std::nullopt);
  static Status SetStatus(store::Database& db, const std::string& id, std::string_view status,
                          const std::optional<std::string>& error);
  // Marks the clip "ready" with its files (thumbnail_key nullopt: it has none).
  static Status SetRendered(store::Database& db, const std::string& id,
                            const std::string& output_key,
                            const std::optional<std::string>& thumbnail_key,
                            std::int64_t duration_ms, std::int64_t size_bytes);
  static Status SetThumbnail(store::Database& db, const std::string& id,
                             const std::string& thumbnail_key);
  // The number of "ready" clips live job `job_id` has cut, and the newest one's id ("" when none).
  static Result<std::pair<std::int64_t, std::string>> CountLiveClips(store::Database& db,
                                                                     const std::string& job_id);
  static Result<bool> Delete(store::Database& db, const std::string& id,
                             const std::string& user_id);

  static Status InsertMoment(store::Database& db, const MomentRecord& moment);
  static Result<std::vector<MomentRecord>> ListMoments(store::Database& db,
                                                       const std::string& vod_id,
                                                       const std::string& user_id);
  static Result<std::optional<MomentRecord>> GetMoment(store::Database& db, const std::string& id,
                                                       const std::string& user_id);
  static Status DeleteMomentsOfVod(store::Database& db, const std::string& vod_id);
  // Deletes one moment of the user's VOD (a discarded suggestion); false when there is none.
  // Clips made from it keep their edit lists (their moment_id then names nothing).
  static Result<bool> DeleteMoment(store::Database& db, const std::string& id,
                                   const std::string& vod_id, const std::string& user_id);
};

}  // namespace clipthat::api
