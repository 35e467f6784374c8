// VodRepository: the `vods` table. Every read and write of a user's VOD names the user
// (`WHERE id = $1 AND user_id = $2`), so another user's id is simply "not found".
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

struct VodRecord {
  std::string id;
  std::string user_id;
  std::string title;
  std::string status;  // "uploading" | "ready" | "failed"
  std::optional<std::string> source_url;
  std::string media_key;  // object key of the media
  std::optional<std::string> chat_key;
  std::int64_t size_bytes = 0;  // expected size (0 while a URL fetch does not know it)
  std::int64_t received_bytes = 0;
  std::optional<std::int64_t> duration_ms;
  std::optional<std::int64_t> width, height;  // video frame size, once analysed
  std::optional<std::string> error;
  std::int64_t created_at_ms = 0;
  std::int64_t updated_at_ms = 0;

  nlohmann::json ToJson() const;  // the API's representation (no object keys)
};

class VodRepository {
 public:
  explicit VodRepository(store::Database& db) : db_(db) {}

  Status Insert(const VodRecord& vod);
  Result<std::optional<VodRecord>> Get(const std::string& id, const std::string& user_id);
  Result<std::optional<VodRecord>> GetAnyUser(const std::string& id);  // for worker routes
  // One page, newest first; `next_cursor` is set when more rows follow.
  Result<std::vector<VodRecord>> List(const std::string& user_id, const PageRequest& page,
                                      std::optional<std::string>* next_cursor);
  // Records upload progress; status becomes "ready" when received == size.
  Status SetReceived(const std::string& id, std::int64_t received_bytes);
  // URL fetches: the size becomes known (or final) as bytes arrive.
  Status SetSizeAndReceived(const std::string& id, std::int64_t size_bytes,
                            std::int64_t received_bytes, std::string_view status);
  Status SetFailed(const std::string& id, const std::string& error);
  Status SetChatKey(const std::string& id, const std::string& chat_key);
  Result<bool> Delete(const std::string& id, const std::string& user_id);

 private:
  store::Database& db_;
};

}  // namespace clipthat::api
