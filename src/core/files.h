// Small file helpers with Status errors that name the path.
#pragma once

#include <filesystem>
#include <string>

#include "core/result.h"

namespace clipthat {

// Reads a whole file. Missing: NotFound; unreadable: IoError.
Result<std::string> ReadFileToString(const std::filesystem::path& path);

// Writes `data` to `path` atomically (temp file in the same folder, then rename), so readers
// never see a half-written file.
Status WriteFileAtomically(const std::filesystem::path& path, std::string_view data);

// Creates `dir` and its parents if needed; an existing non-directory is an error.
Status EnsureDirectory(const std::filesystem::path& dir);

// EnsureDirectory for private data (databases, media, secrets): the folders it creates are
// mode 0700 (owner only). Existing folders are left as they are.
Status EnsurePrivateDirectory(const std::filesystem::path& dir);

// Creates an empty file at `path` with mode 0600 (owner only) unless one exists, so a library
// that creates its files with a wider mode (SQLite copies a database's mode to its -wal and
// -shm files) finds it. An existing file is left as it is.
Status EnsurePrivateFile(const std::filesystem::path& path);

// A fresh directory under the system temp folder, removed with its contents on destruction.
class TempDir {
 public:
  explicit TempDir(std::string_view prefix = "clipthat");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  TempDir(TempDir&& other) noexcept;
  TempDir& operator=(TempDir&& other) noexcept;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace clipthat
