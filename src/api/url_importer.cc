#include "api/url_importer.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <httplib.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>

#include "api/format_checks.h"
#include "api/text_checks.h"

extern char** environ;

namespace clipthat::api {
namespace {

struct ParsedUrl {
  std::string scheme_host_port;  // "https://example.com:8443"
  std::string host;
  std::string path;  // "/a/b?c"
};

bool ParseUrl(const std::string& url, ParsedUrl* out) {
  HttpUrlParts parts;
  if (!ParseHttpUrl(url, &parts)) return false;
  out->host = parts.host;
  out->scheme_host_port = parts.scheme + "://" + parts.authority;
  out->path = parts.path;
  return true;
}

bool IsInternalV4(std::uint32_t a) {  // host order
  auto in = [a](std::uint32_t net, int bits) {
    return bits == 0 || (a >> (32 - bits)) == (net >> (32 - bits));
  };
  return in(0x00000000, 8) || in(0x0A000000, 8) || in(0x7F000000, 8) || in(0xA9FE0000, 16) ||
         in(0xAC100000, 12) || in(0xC0A80000, 16) || in(0x64400000, 10) || in(0xC0000000, 24) ||
         in(0xC6120000, 15) || in(0xE0000000, 4) || in(0xF0000000, 4);
}

bool IsInternalAddress(const sockaddr* sa) {
  if (sa->sa_family == AF_INET) {
    return IsInternalV4(ntohl(reinterpret_cast<const sockaddr_in*>(sa)->sin_addr.s_addr));
  }
  if (sa->sa_family == AF_INET6) {
    const in6_addr& a = reinterpret_cast<const sockaddr_in6*>(sa)->sin6_addr;
    if (IN6_IS_ADDR_LOOPBACK(&a) || IN6_IS_ADDR_UNSPECIFIED(&a) || IN6_IS_ADDR_LINKLOCAL(&a) ||
        IN6_IS_ADDR_SITELOCAL(&a) || IN6_IS_ADDR_MULTICAST(&a) || (a.s6_addr[0] & 0xFE) == 0xFC) {
      return true;
    }
    if (IN6_IS_ADDR_V4MAPPED(&a) || IN6_IS_ADDR_V4COMPAT(&a)) {
      std::uint32_t v4;
      std::memcpy(&v4, a.s6_addr + 12, 4);
      return IsInternalV4(ntohl(v4));
    }
    return false;
  }
  return true;
}

bool OnPath(const char* tool) {
  const char* path = std::getenv("PATH");
  if (!path) return false;
  std::string p = path;
  std::size_t start = 0;
  while (start <= p.size()) {
    std::size_t end = p.find(':', start);
    if (end == std::string::npos) end = p.size();
    std::filesystem::path candidate = std::filesystem::path(p.substr(start, end - start)) / tool;
    if (::access(candidate.c_str(), X_OK) == 0) return true;
    start = end + 1;
  }
  return false;
}
}  // namespace

bool UrlImporter::IsTwitchUrl(const std::string& url) {
  ParsedUrl u;
  if (!ParseUrl(url, &u)) return false;
  std::string host = u.host;
  for (auto& c : host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return host == "twitch.tv" || (host.size() > 10 && host.ends_with(".twitch.tv"));
}

std::string UrlImporter::TwitchTool() {
  if (OnPath("yt-dlp")) return "yt-dlp";
  if (OnPath("streamlink")) return "streamlink";
  return "";
}

Status UrlImporter::CheckHost(const std::string& host) const {
  if (allow_private_) return Status::Ok();
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (getaddrinfo(host.c_str(), nullptr, &hints, &res) != 0 || !res) {
    return InvalidArgumentError("url: host '" + host + "' does not resolve");
  }
  bool internal = false;
  for (addrinfo* ai = res; ai; ai = ai->ai_next)
    internal = internal || IsInternalAddress(ai->ai_addr);
  freeaddrinfo(res);
  if (internal) return InvalidArgumentError("url: host '" + host + "' is an internal address");
  return Status::Ok();
}

Status UrlImporter::Check(const std::string& url) const {
  ParsedUrl u;
  if (!LooksLikeHttpUrl(url) || !ParseUrl(url, &u)) {
    return InvalidArgumentError("url: expected an http:// or https:// URL");
  }
  if (IsTwitchUrl(url)) {
    if (TwitchTool().empty()) {
      return UnsupportedError(
          "url: Twitch URLs need yt-dlp or streamlink installed on the server; neither is");
    }
    return Status::Ok();
  }
  return CheckHost(u.host);
}

void UrlImporter::Start(const std::string& vod_id, const std::string& media_key,
                        const std::string& url) {
  std::lock_guard lock(mutex_);
  if (stopping_) return;
  for (auto it = fetches_.begin(); it != fetches_.end();) {
    if (it->done->load()) {
      it->thread.join();
      it = fetches_.erase(it);
    } else {
      ++it;
    }
  }
  auto done = std::make_shared<std::atomic<bool>>(false);
  std::thread thread([this, vod_id, media_key, url, done] {
    Status st;
    try {  // the thread's one catch: nothing may escape a std::thread
      st = IsTwitchUrl(url) ? FetchTwitch(vod_id, media_key, url)
                            : FetchHttp(vod_id, media_key, url);
    } catch (const std::exception& e) {
      st = InternalError(std::string("url import: ") + e.what());
    }
    if (!st.ok()) {
      CT_LOG(logger_, kWarn) << "vod " << vod_id << ": import failed: " << st.message();
      (void)vods_.SetFailed(vod_id, st.message());
      (void)objects_.Remove(media_key);
    } else {
      CT_LOG(logger_, kInfo) << "vod " << vod_id << ": imported from URL";
    }
    done->store(true);
  });
  fetches_.push_back({std::move(thread), done});
}

void UrlImporter::Stop() {
  stopping_ = true;
  std::list<Fetch> fetches;
  {
    std::lock_guard lock(mutex_);
    fetches.swap(fetches_);
  }
  for (auto& f : fetches) {
    if (f.thread.joinable()) f.thread.join();
  }
}

Status UrlImporter::FetchHttp(const std::string& vod_id, const std::string& key, std::string url) {
  for (int hop = 0; hop < 6; ++hop) {
    ParsedUrl u;
    if (!ParseUrl(url, &u)) return InvalidArgumentError("url: cannot parse " + url);
    RETURN_IF_ERROR(CheckHost(u.host));
    httplib::Client client(u.scheme_host_port);
    client.set_connection_timeout(10, 0);
    client.set_read_timeout(60, 0);
    client.set_follow_location(false);
    std::int64_t size = 0, received = 0;
    int status = 0;
    std::string location;
    Status write_status;
    std::int64_t last_update_ms = 0;
    auto result = client.Get(
        u.path,
        [&](const httplib::Response& res) {
          status = res.status;
          if (status >= 300 && status < 400) {
            location = res.get_header_value("Location");
            return false;
          }
          if (status != 200) return false;
          if (res.has_header("Content-Length")) {
            size = static_cast<std::int64_t>(res.get_header_value<std::uint64_t>("Content-Length"));
            if (size > max_bytes_) {
              write_status = InvalidArgumentError("url: media larger than the limit");
              return false;
            }
          }
          (void)objects_.Remove(key);
          return true;
        },
        [&](const char* data, std::size_t n) {
          if (stopping_) {
            write_status = CancelledError("server stopped");
            return false;
          }
          if (received + static_cast<std::int64_t>(n) > max_bytes_) {
            write_status = InvalidArgumentError("url: media larger than the limit");
            return false;
          }
          auto appended = objects_.Append(key, received, std::string_view(data, n));
          if (!appended.ok()) {
            write_status = appended.status();
            return false;
          }
          received = *appended;
          std::int64_t now = store::NowMs();
          if (now - last_update_ms > 1000) {
            last_update_ms = now;
            (void)vods_.SetSizeAndReceived(vod_id, std::max(size, received), received, "uploading");
          }
          return true;
        });
    if (!write_status.ok()) return write_status;
    if (!location.empty()) {
      if (location.front() == '/') location = u.scheme_host_port + location;
      url = location;
      continue;
    }
    if (status != 200) {
      if (!result && status == 0) {
        return UnavailableError("url: fetch failed: " + httplib::to_string(result.error()));
      }
      return UnavailableError("url: the server answered HTTP " + std::to_string(status));
    }
    if (!result)
      return UnavailableError("url: fetch failed: " + httplib::to_string(result.error()));
    if (size > 0 && received != size) return DataError("url: connection ended early");
    if (received == 0) return DataError("url: the answer was empty");
    return vods_.SetSizeAndReceived(vod_id, received, received, "ready");
  }
  return InvalidArgumentError("url: too many redirects");
}

Status UrlImporter::FetchTwitch(const std::string& vod_id, const std::string& key,
                                const std::string& url) {
  std::string tool = TwitchTool();
  if (tool.empty()) return UnsupportedError("url: neither yt-dlp nor streamlink is installed");
  std::vector<std::string> args =
      tool == "yt-dlp" ? std::vector<std::string>{"yt-dlp", "-q", "-o", "-", url}
                       : std::vector<std::string>{"streamlink", "--stdout", url, "best"};
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return IoError("pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[1]);
  if (rc != 0) {
    ::close(fds[0]);
    return UnavailableError("url: cannot start " + tool);
  }
  (void)objects_.Remove(key);
  std::int64_t received = 0;
  std::vector<char> buffer(1 << 20);
  Status st;
  while (true) {
    if (stopping_) {
      st = CancelledError("server stopped");
      ::kill(pid, SIGTERM);
      break;
    }
    ssize_t n = ::read(fds[0], buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    auto appended = objects_.Append(key, received, std::string_view(buffer.data(), n));
    if (!appended.ok()) {
      st = appended.status();
      ::kill(pid, SIGTERM);
      break;
    }
    received = *appended;
    if (received > max_bytes_) {
      st = InvalidArgumentError("url: media larger than the limit");
      ::kill(pid, SIGTERM);
      break;
    }
  }
  ::close(fds[0]);
  int wstatus = 0;
  ::waitpid(pid, &wstatus, 0);
  if (!st.ok()) return st;
  if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0 || received == 0) {
    return UnavailableError("url: " + tool + " failed to fetch the stream");
  }
  return vods_.SetSizeAndReceived(vod_id, received, received, "ready");
}

}  // namespace clipthat::api
