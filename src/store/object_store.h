// ObjectStore: named blobs (media, chat replays, rendered clips, thumbnails) behind an interface;
// LocalObjectStore keeps them in a directory. Keys used by the product:
//   vods/<vod_id>/media<ext>, vods/<vod_id>/chat.json, clips/<clip_id>/clip.mp4,
//   clips/<clip_id>/thumb.jpg
// Keys come from ids the server made, but every key is still checked (ValidateKey) so none can
// escape the store. Data moves in chunks through callbacks; nothing holds a whole file in memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <istream>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "core/result.h"
#include "core/status.h"

namespace clipthat::store {

// Fills `buffer` with up to `capacity` bytes; returns how many were written, 0 at the end.
using ByteSource = std::function<Result<std::size_t>(char* buffer, std::size_t capacity)>;
// Receives one chunk; a non-OK Status stops the read and is returned from it.
using ByteSink = std::function<Status(std::string_view chunk)>;

// OK when `key` is relative, at most 512 characters of [A-Za-z0-9._/-], with no empty, "." or
// ".." segment (so no leading or trailing '/', no "a//b"); else kInvalidArgument naming the key.
Status ValidateKey(std::string_view key);

class ObjectStore {
 public:
  virtual ~ObjectStore() = default;

  // Stores the bytes `source` yields under `key`, replacing any object there. Readers never see
  // a partial object (written to a temporary, then renamed). Returns the size in bytes.
  virtual Result<std::int64_t> Put(std::string_view key, const ByteSource& source) = 0;
  Result<std::int64_t> Put(std::string_view key, std::istream& in);
  Result<std::int64_t> PutBytes(std::string_view key, std::string_view bytes);

  // Appends `bytes` at `offset`, which must equal the object's current size (0 creates it): a
  // resumable chunked upload. kConflict naming the key and both sizes otherwise. Returns the new
  // size.
  virtual Result<std::int64_t> Append(std::string_view key, std::int64_t offset,
                                      std::string_view bytes) = 0;

  // Size in bytes; kNotFound when there is no such object.
  virtual Result<std::int64_t> Size(std::string_view key) = 0;

  // Streams bytes [offset, offset + length) to `sink` in chunks (length < 0: to the end; a range
  // past the end is cut at the end). kNotFound for a missing object, kInvalidArgument for an
  // offset past the end (HTTP 416).
  virtual Status Read(std::string_view key, std::int64_t offset, std::int64_t length,
                      const ByteSink& sink) = 0;
  Result<std::string> ReadAll(std::string_view key);  // small objects only

  // Removes one object; OK when it did not exist.
  virtual Status Remove(std::string_view key) = 0;
  // Removes every object whose key starts with `prefix` + "/" (e.g. "vods/<id>").
  virtual Status RemovePrefix(std::string_view prefix) = 0;
};

class LocalObjectStore : public ObjectStore {
 public:
  // Creates `root_dir` when missing.
  static Result<std::unique_ptr<LocalObjectStore>> Open(const std::string& root_dir);

  Result<std::int64_t> Put(std::string_view key, const ByteSource& source) override;
  using ObjectStore::Put;
  Result<std::int64_t> Append(std::string_view key, std::int64_t offset,
                              std::string_view bytes) override;
  Result<std::int64_t> Size(std::string_view key) override;
  Status Read(std::string_view key, std::int64_t offset, std::int64_t length,
              const ByteSink& sink) override;
  Status Remove(std::string_view key) override;
  Status RemovePrefix(std::string_view prefix) override;

  // The file that holds `key` (validated; the file may not exist). Local backend only: for the
  // in-process case that hands a path to a library instead of streaming.
  Result<std::string> PathFor(std::string_view key) const;
  const std::string& root() const { return root_; }

 private:
  explicit LocalObjectStore(std::string root) : root_(std::move(root)) {}

  std::string root_;
  std::mutex append_mutex_;  // serialises Append's size check and write
};

}  // namespace clipthat::store
