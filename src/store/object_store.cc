#include "store/object_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include "core/files.h"
#include "store/database.h"

namespace clipthat::store {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxKeyChars = 512;
constexpr std::size_t kChunkBytes = 256 * 1024;

std::string Errno() { return std::strerror(errno); }

// A file descriptor closed on destruction.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  bool ok() const { return fd_ >= 0; }
  // Closes now, reporting the error (a failed close can lose written data).
  bool Close() {
    const int fd = fd_;
    fd_ = -1;
    return ::close(fd) == 0;
  }

 private:
  int fd_;
};

Status WriteAll(int fd, const char* data, std::size_t size, const std::string& what) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return IoError(what + ": write failed: " + Errno());
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return Status::Ok();
}

std::string Quoted(std::string_view key) {
  std::string out = "object key \"";
  for (char c : key) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      out += "\\x" + std::to_string(static_cast<int>(static_cast<unsigned char>(c)));
    } else {
      out.push_back(c);
    }
  }
  return out + "\"";
}

}  // namespace

Status ValidateKey(std::string_view key) {
  if (key.empty()) return InvalidArgumentError("object key is empty");
  if (key.size() > kMaxKeyChars) {
    return InvalidArgumentError(Quoted(key.substr(0, 40)) + "...: longer than " +
                                std::to_string(kMaxKeyChars) + " characters");
  }
  for (char c : key) {
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                         (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' || c == '/';
    if (!allowed) {
      return InvalidArgumentError(Quoted(key) +
                                  ": character not allowed (use A-Z a-z 0-9 . _ - /)");
    }
  }
  std::size_t begin = 0;
  while (true) {
    std::size_t end = key.find('/', begin);
    if (end == std::string_view::npos) end = key.size();
    const std::string_view segment = key.substr(begin, end - begin);
    if (segment.empty()) {
      return InvalidArgumentError(Quoted(key) +
                                  ": empty path segment (leading, trailing or doubled '/')");
    }
    if (segment == "." || segment == "..") {
      return InvalidArgumentError(Quoted(key) + ": '.' and '..' segments are not allowed");
    }
    if (end == key.size()) break;
    begin = end + 1;
  }
  return Status::Ok();
}

Result<std::int64_t> ObjectStore::Put(std::string_view key, std::istream& in) {
  return Put(key, [&in](char* buffer, std::size_t capacity) -> Result<std::size_t> {
    in.read(buffer, static_cast<std::streamsize>(capacity));
    if (in.bad()) return IoError("reading the input stream failed");
    return static_cast<std::size_t>(in.gcount());
  });
}

Result<std::int64_t> ObjectStore::PutBytes(std::string_view key, std::string_view bytes) {
  std::size_t pos = 0;
  return Put(key, [&](char* buffer, std::size_t capacity) -> Result<std::size_t> {
    const std::size_t n = std::min(capacity, bytes.size() - pos);
    std::memcpy(buffer, bytes.data() + pos, n);
    pos += n;
    return n;
  });
}

Result<std::string> ObjectStore::ReadAll(std::string_view key) {
  std::string out;
  RETURN_IF_ERROR(Read(key, 0, -1, [&out](std::string_view chunk) {
    out.append(chunk);
    return Status::Ok();
  }));
  return out;
}

Result<std::unique_ptr<LocalObjectStore>> LocalObjectStore::Open(const std::string& root_dir) {
  if (root_dir.empty()) return InvalidArgumentError("object store: root directory is empty");
  RETURN_IF_ERROR(EnsurePrivateDirectory(root_dir).WithPrefix("object store"));
  std::error_code ec;
  const fs::path root = fs::canonical(root_dir, ec);
  if (ec) return IoError("object store " + root_dir + ": " + ec.message());
  return std::unique_ptr<LocalObjectStore>(new LocalObjectStore(root.string()));
}

Result<std::string> LocalObjectStore::PathFor(std::string_view key) const {
  RETURN_IF_ERROR(ValidateKey(key));
  return root_ + "/" + std::string(key);
}

Result<std::int64_t> LocalObjectStore::Put(std::string_view key, const ByteSource& source) {
  ASSIGN_OR_RETURN(const std::string path, PathFor(key));
  const std::string what = "object " + std::string(key);
  RETURN_IF_ERROR(EnsurePrivateDirectory(fs::path(path).parent_path()).WithPrefix(what));
  const std::string temp = path + ".part-" + NewId().substr(0, 12);
  Fd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (!fd.ok()) return IoError(what + ": cannot create " + temp + ": " + Errno());
  std::vector<char> buffer(kChunkBytes);
  std::int64_t total = 0;
  Status status;
  while (true) {
    Result<std::size_t> n = source(buffer.data(), buffer.size());
    if (!n.ok()) {
      status = n.status().WithPrefix(what);
      break;
    }
    if (*n == 0) break;
    status = WriteAll(fd.get(), buffer.data(), *n, what);
    if (!status.ok()) break;
    total += static_cast<std::int64_t>(*n);
  }
  if (status.ok() && !fd.Close()) status = IoError(what + ": close failed: " + Errno());
  if (status.ok() && ::rename(temp.c_str(), path.c_str()) != 0) {
    status = IoError(what + ": rename failed: " + Errno());
  }
  if (!status.ok()) {
    ::unlink(temp.c_str());
    return status;
  }
  return total;
}

Result<std::int64_t> LocalObjectStore::Append(std::string_view key, std::int64_t offset,
                                              std::string_view bytes) {
  ASSIGN_OR_RETURN(const std::string path, PathFor(key));
  const std::string what = "object " + std::string(key);
  if (offset < 0) return InvalidArgumentError(what + ": negative append offset");
  std::lock_guard lock(append_mutex_);
  RETURN_IF_ERROR(EnsurePrivateDirectory(fs::path(path).parent_path()).WithPrefix(what));
  Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
  if (!fd.ok()) return IoError(what + ": cannot open for append: " + Errno());
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return IoError(what + ": stat failed: " + Errno());
  if (st.st_size != offset) {
    return ConflictError(what + ": append at offset " + std::to_string(offset) +
                         " but the object has " + std::to_string(st.st_size) + " bytes");
  }
  if (::lseek(fd.get(), offset, SEEK_SET) < 0) {
    return IoError(what + ": seek failed: " + Errno());
  }
  Status written = WriteAll(fd.get(), bytes.data(), bytes.size(), what);
  if (!written.ok()) {
    // Leave the object as it was, so the client can resend the chunk at the same offset.
    if (::ftruncate(fd.get(), offset) != 0) return written.WithPrefix("and truncate failed");
    return written;
  }
  if (!fd.Close()) return IoError(what + ": close failed: " + Errno());
  return offset + static_cast<std::int64_t>(bytes.size());
}

Result<std::int64_t> LocalObjectStore::Size(std::string_view key) {
  ASSIGN_OR_RETURN(const std::string path, PathFor(key));
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    if (errno == ENOENT || errno == ENOTDIR || errno == 0) {
      return NotFoundError("object " + std::string(key) + ": not found");
    }
    return IoError("object " + std::string(key) + ": stat failed: " + Errno());
  }
  return static_cast<std::int64_t>(st.st_size);
}

Status LocalObjectStore::Read(std::string_view key, std::int64_t offset, std::int64_t length,
                              const ByteSink& sink) {
  ASSIGN_OR_RETURN(const std::string path, PathFor(key));
  const std::string what = "object " + std::string(key);
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.ok()) {
    if (errno == ENOENT || errno == ENOTDIR) return NotFoundError(what + ": not found");
    return IoError(what + ": cannot open: " + Errno());
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return IoError(what + ": stat failed: " + Errno());
  if (!S_ISREG(st.st_mode)) return NotFoundError(what + ": not found");
  const std::int64_t size = st.st_size;
  if (offset < 0 || (offset > size) || (offset == size && size > 0 && length != 0)) {
    return InvalidArgumentError(what + ": range starts at " + std::to_string(offset) +
                                ", past the end (" + std::to_string(size) + " bytes)");
  }
  std::int64_t remaining = size - offset;
  if (length >= 0) remaining = std::min(remaining, length);
  std::vector<char> buffer(
      std::min<std::int64_t>(kChunkBytes, std::max<std::int64_t>(remaining, 1)));
  std::int64_t position = offset;
  while (remaining > 0) {
    const std::size_t want =
        static_cast<std::size_t>(std::min<std::int64_t>(remaining, buffer.size()));
    const ssize_t n = ::pread(fd.get(), buffer.data(), want, position);
    if (n < 0) {
      if (errno == EINTR) continue;
      return IoError(what + ": read failed: " + Errno());
    }
    if (n == 0) break;  // truncated meanwhile
    RETURN_IF_ERROR(sink(std::string_view(buffer.data(), static_cast<std::size_t>(n))));
    position += n;
    remaining -= n;
  }
  return Status::Ok();
}

Status LocalObjectStore::Remove(std::string_view key) {
  ASSIGN_OR_RETURN(const std::string path, PathFor(key));
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    return IoError("object " + std::string(key) + ": remove failed: " + Errno());
  }
  return Status::Ok();
}

Status LocalObjectStore::RemovePrefix(std::string_view prefix) {
  ASSIGN_OR_RETURN(const std::string path, PathFor(prefix));
  std::error_code ec;
  fs::remove_all(path, ec);
  if (ec)
    return IoError("objects under " + std::string(prefix) + ": remove failed: " + ec.message());
  return Status::Ok();
}

}  // namespace clipthat::store
