#include "core/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <system_error>

namespace clipthat {

namespace fs = std::filesystem;

Result<std::string> ReadFileToString(const fs::path& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return NotFoundError(path.string() + ": no such file");
  if (fs::is_directory(path, ec)) return InvalidArgumentError(path.string() + ": is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) return IoError(path.string() + ": cannot open: " + std::strerror(errno));
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return IoError(path.string() + ": read failed");
  return ss.str();
}

Status WriteFileAtomically(const fs::path& path, std::string_view data) {
  fs::path tmp = path;
  tmp += ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return IoError(tmp.string() + ": cannot create: " + std::strerror(errno));
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    out.flush();
    if (!out) return IoError(tmp.string() + ": write failed");
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    return IoError(path.string() + ": cannot replace: " + ec.message());
  }
  return Status::Ok();
}

Status EnsureDirectory(const fs::path& dir) {
  std::error_code ec;
  if (fs::exists(dir, ec)) {
    if (!fs::is_directory(dir, ec)) return InvalidArgumentError(dir.string() + ": not a directory");
    return Status::Ok();
  }
  fs::create_directories(dir, ec);
  if (ec) return IoError(dir.string() + ": cannot create directory: " + ec.message());
  return Status::Ok();
}

Status EnsurePrivateDirectory(const fs::path& dir) {
  std::error_code ec;
  if (dir.empty() || fs::exists(dir, ec)) return EnsureDirectory(dir);
  if (dir.has_parent_path() && dir.parent_path() != dir) {
    RETURN_IF_ERROR(EnsurePrivateDirectory(dir.parent_path()));
  }
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return IoError(dir.string() + ": cannot create directory: " + std::strerror(errno));
  }
  return EnsureDirectory(dir);
}

Status EnsurePrivateFile(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return IoError(path.string() + ": cannot create: " + std::strerror(errno));
  ::close(fd);
  return Status::Ok();
}

TempDir::TempDir(std::string_view prefix) {
  std::string tmpl = (fs::temp_directory_path() / (std::string(prefix) + "-XXXXXX")).string();
  if (char* p = ::mkdtemp(tmpl.data())) path_ = p;
}

TempDir::~TempDir() {
  if (!path_.empty()) {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
}

TempDir::TempDir(TempDir&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }

TempDir& TempDir::operator=(TempDir&& other) noexcept {
  if (this != &other) {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
    path_ = std::move(other.path_);
    other.path_.clear();
  }
  return *this;
}

}  // namespace clipthat
