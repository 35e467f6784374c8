#include "chat/irc_chat_client.h"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <exception>
#include <memory>
#include <random>
#include <string_view>
#include <utility>

namespace clipthat::chat {
namespace {

constexpr int kSliceMs = 100;  // how long one poll or sleep waits before checking Stop()
constexpr int kSendTimeoutMs = 10'000;

using SteadyClock = std::chrono::steady_clock;

// Owns one socket descriptor; closes it when destroyed.
class SocketFd {
 public:
  SocketFd() = default;
  explicit SocketFd(int fd) : fd_(fd) {}
  ~SocketFd() { Reset(); }
  SocketFd(SocketFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  SocketFd& operator=(SocketFd&& other) noexcept {
    if (this != &other) {
      Reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  SocketFd(const SocketFd&) = delete;
  SocketFd& operator=(const SocketFd&) = delete;

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  void Reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

// Owns a getaddrinfo() result.
struct AddrInfoDeleter {
  void operator()(addrinfo* list) const { ::freeaddrinfo(list); }
};
using AddrInfoList = std::unique_ptr<addrinfo, AddrInfoDeleter>;

std::string ErrnoText(int err) { return std::strerror(err); }

std::string RandomJustinfanNick() {
  std::random_device device;
  std::uniform_int_distribution<int> digits(0, 99'999);
  std::string n = std::to_string(digits(device));
  return "justinfan" + std::string(5 - n.size(), '0') + n;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

int MsLeft(SteadyClock::time_point deadline) {
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now()).count();
  return static_cast<int>(std::max<std::int64_t>(0, left));
}

}  // namespace

IrcChatClient::IrcChatClient(IrcTarget target, IrcChatClientOptions options, Logger log,
                             Clock clock, MessageCallback on_message)
    : target_(std::move(target)),
      options_(std::move(options)),
      log_(std::move(log)),
      clock_(std::move(clock)),
      on_message_(std::move(on_message)) {}

IrcChatClient::~IrcChatClient() { Stop(); }

Status IrcChatClient::Start() {
  const std::string where = "irc " + target_.HostPort();
  if (target_.tls) {
    return UnsupportedError(where + ": TLS (ircs://) is not supported yet; use irc://" +
                            target_.host + "/" + target_.channel);
  }
  if (options_.backoff_min_ms < 1 || options_.backoff_max_ms < options_.backoff_min_ms) {
    return InvalidArgumentError(where + ": the reconnect backoff must be 1 ms or more, min <= max");
  }
  if (options_.connect_timeout_ms < 1) {
    return InvalidArgumentError(where + ": the connect timeout must be 1 ms or more");
  }
  if (options_.max_line_bytes == 0 || options_.max_line_bytes > kMaxIrcLineBytes) {
    return InvalidArgumentError(where + ": max_line_bytes must be 1.." +
                                std::to_string(kMaxIrcLineBytes));
  }
  if (options_.nick.find_first_of(" \r\n\0:!@", 0, 7) != std::string::npos) {
    return InvalidArgumentError(where + ": the nick '" + options_.nick +
                                "' holds a character a nick cannot have");
  }
  if (target_.channel.size() < 2 || target_.channel.front() != '#') {
    return InvalidArgumentError(where + ": no channel to join");
  }
  if (thread_.joinable() || Stopping()) return InvalidArgumentError(where + ": already started");
  thread_ = std::thread([this] { Run(); });
  return Status::Ok();
}

void IrcChatClient::Stop() {
  stop_.store(true);
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

IrcChatStats IrcChatClient::stats() const {
  std::lock_guard<std::mutex> lock(stats_mutex_);
  return stats_;
}

bool IrcChatClient::SleepUnlessStopped(int ms) {
  const auto deadline = SteadyClock::now() + std::chrono::milliseconds(ms);
  while (!Stopping()) {
    const int left = MsLeft(deadline);
    if (left == 0) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(std::min(left, kSliceMs)));
  }
  return false;
}

void IrcChatClient::RecordError(const std::string& message) {
  CT_LOG(log_, kWarn) << message;
  UpdateStats([&](IrcChatStats& s) { s.last_error = message; });
}

void IrcChatClient::Run() {
  int backoff_ms = options_.backoff_min_ms;
  bool first = true;
  while (!Stopping()) {
    if (!first) {
      CT_LOG(log_, kInfo) << "irc " << target_.HostPort() << ": reconnecting in " << backoff_ms
                          << " ms";
      if (!SleepUnlessStopped(backoff_ms)) break;
      backoff_ms = std::min(options_.backoff_max_ms, backoff_ms * 2);
      UpdateStats([](IrcChatStats& s) { ++s.reconnects; });
    }
    first = false;
    Status status = RunConnection(&backoff_ms);
    UpdateStats([](IrcChatStats& s) { s.joined = false; });
    if (Stopping()) break;
    if (!status.ok()) RecordError(status.message());
  }
}

Status IrcChatClient::RunConnection(int* backoff_ms) {
  const std::string where = "irc " + target_.HostPort();
  auto fail = [&](const std::string& what) { return UnavailableError(where + ": " + what); };

  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* raw_list = nullptr;
  const int gai =
      ::getaddrinfo(target_.host.c_str(), std::to_string(target_.port).c_str(), &hints, &raw_list);
  AddrInfoList list(raw_list);
  if (gai != 0) return fail(std::string("resolve: ") + ::gai_strerror(gai));

  SocketFd socket;
  std::string connect_error = "no address";
  for (const addrinfo* ai = list.get(); ai != nullptr && !socket.valid(); ai = ai->ai_next) {
    SocketFd candidate(
        ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol));
    if (!candidate.valid()) {
      connect_error = ErrnoText(errno);
      continue;
    }
    if (::connect(candidate.get(), ai->ai_addr, ai->ai_addrlen) != 0) {
      if (errno != EINPROGRESS) {
        connect_error = ErrnoText(errno);
        continue;
      }
      const auto deadline =
          SteadyClock::now() + std::chrono::milliseconds(options_.connect_timeout_ms);
      int ready = 0;
      while (ready == 0 && !Stopping() && MsLeft(deadline) > 0) {
        pollfd p{candidate.get(), POLLOUT, 0};
        ready = ::poll(&p, 1, std::min(kSliceMs, MsLeft(deadline)));
        if (ready < 0 && errno == EINTR) ready = 0;
      }
      if (Stopping()) return Status::Ok();
      if (ready == 0) {
        connect_error = "timed out after " + std::to_string(options_.connect_timeout_ms) + " ms";
        continue;
      }
      int err = 0;
      socklen_t len = sizeof(err);
      if (ready < 0 || ::getsockopt(candidate.get(), SOL_SOCKET, SO_ERROR, &err, &len) != 0) {
        err = errno;
      }
      if (err != 0) {
        connect_error = ErrnoText(err);
        continue;
      }
    }
    socket = std::move(candidate);
  }
  if (!socket.valid()) return fail("connect: " + connect_error);

  std::string nick = options_.nick.empty() ? RandomJustinfanNick() : options_.nick;
  UpdateStats([&](IrcChatStats& s) {
    ++s.connections;
    s.nick = nick;
  });
  CT_LOG(log_, kInfo) << where << ": connected as " << nick << ", joining " << target_.channel;

  auto send_line = [&](const std::string& text) -> Status {
    CT_LOG(log_, kDebug) << where << " > " << text;
    std::string data = text + "\r\n";
    std::string_view rest = data;
    const auto deadline = SteadyClock::now() + std::chrono::milliseconds(kSendTimeoutMs);
    while (!rest.empty()) {
      const ssize_t n = ::send(socket.get(), rest.data(), rest.size(), MSG_NOSIGNAL);
      if (n > 0) {
        rest.remove_prefix(static_cast<std::size_t>(n));
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        if (Stopping()) return CancelledError(where + ": stopped");
        if (MsLeft(deadline) == 0) return fail("write: the server takes no bytes");
        pollfd p{socket.get(), POLLOUT, 0};
        ::poll(&p, 1, std::min(kSliceMs, MsLeft(deadline)));
        continue;
      }
      return fail("write: " + ErrnoText(errno));
    }
    return Status::Ok();
  };

  RETURN_IF_ERROR(send_line("CAP REQ :twitch.tv/tags twitch.tv/commands"));
  RETURN_IF_ERROR(send_line("NICK " + nick));
  RETURN_IF_ERROR(send_line("USER " + nick + " 0 * :" + nick));

  bool cap_ended = false;
  bool registered = false;
  bool joined = false;
  std::string buffer;
  bool discarding = false;  // inside a line over max_line_bytes, dropped up to its end
  auto last_byte = SteadyClock::now();
  char chunk[4096];

  // Handles one line; sets `reconnect` for RECONNECT.
  auto handle = [&](std::string_view text, bool* reconnect) -> Status {
    Result<IrcLine> parsed = ParseIrcLine(text);
    if (!parsed.ok()) {
      CT_LOG(log_, kDebug) << where << ": skipped a line: " << parsed.status().message();
      UpdateStats([](IrcChatStats& s) { ++s.lines_skipped; });
      return Status::Ok();
    }
    const IrcLine& line = *parsed;
    const std::string& cmd = line.command;
    if (cmd == "PRIVMSG") {
      if (line.params.empty() || Lower(line.params[0]) != target_.channel) return Status::Ok();
      Result<ChatMessage> msg = ChatMessageFromPrivmsg(line, clock_ ? clock_() : 0);
      if (!msg.ok()) return Status::Ok();
      UpdateStats([](IrcChatStats& s) { ++s.messages; });
      if (!on_message_) return Status::Ok();
      try {
        on_message_(std::move(msg).value());
      } catch (const std::exception& e) {  // the session's code: its exceptions stay here
        RecordError(where + ": the message callback threw: " + e.what());
      } catch (...) {
        RecordError(where + ": the message callback threw");
      }
    } else if (cmd == "PING") {
      return send_line("PONG :" + (line.params.empty() ? std::string() : line.params.back()));
    } else if (cmd == "CAP") {
      const std::string sub = line.params.size() >= 2 ? line.params[1] : "";
      if ((sub == "ACK" || sub == "NAK") && !cap_ended) {
        cap_ended = true;
        CT_LOG(log_, kDebug) << where << ": CAP " << sub << " "
                             << (line.params.empty() ? "" : line.params.back());
        return send_line("CAP END");
      }
    } else if (cmd == "001") {
      registered = true;
      if (!line.params.empty()) nick = line.params[0];
      UpdateStats([&](IrcChatStats& s) { s.nick = nick; });
      return send_line("JOIN " + target_.channel);
    } else if (cmd == "433" && !registered) {  // nick in use
      nick = RandomJustinfanNick();
      UpdateStats([&](IrcChatStats& s) { s.nick = nick; });
      return send_line("NICK " + nick);
    } else if (cmd == "432") {
      return fail("the server refused the nick " + nick + ": " +
                  (line.params.empty() ? "" : line.params.back()));
    } else if (cmd == "JOIN" || cmd == "366") {
      const bool ours = cmd == "JOIN"
                            ? Lower(line.nick) == Lower(nick) && !line.params.empty() &&
                                  Lower(line.params[0]) == target_.channel
                            : line.params.size() >= 2 && Lower(line.params[1]) == target_.channel;
      if (ours && !joined) {
        joined = true;
        *backoff_ms = options_.backoff_min_ms;
        UpdateStats([](IrcChatStats& s) {
          s.joined = true;
          ++s.joins;
        });
        CT_LOG(log_, kInfo) << where << ": joined " << target_.channel;
      }
    } else if (cmd == "403" || cmd == "405" || cmd == "471" || cmd == "473" || cmd == "474" ||
               cmd == "475") {
      return fail("JOIN " + target_.channel + " refused: " + cmd + " " +
                  (line.params.empty() ? "" : line.params.back()));
    } else if (cmd == "KICK" && line.params.size() >= 2 &&
               Lower(line.params[0]) == target_.channel && Lower(line.params[1]) == Lower(nick)) {
      return fail("kicked from " + target_.channel + ": " + line.params.back());
    } else if (cmd == "RECONNECT") {
      *reconnect = true;
    } else if (cmd == "ERROR") {
      return fail("the server closed the link: " +
                  (line.params.empty() ? std::string() : line.params.back()));
    }
    return Status::Ok();
  };

  while (!Stopping()) {
    pollfd p{socket.get(), POLLIN, 0};
    const int ready = ::poll(&p, 1, kSliceMs);
    if (ready < 0 && errno != EINTR) return fail("poll: " + ErrnoText(errno));
    if (ready <= 0) {
      if (options_.silence_timeout_ms > 0 &&
          SteadyClock::now() - last_byte > std::chrono::milliseconds(options_.silence_timeout_ms)) {
        return fail("no data for " + std::to_string(options_.silence_timeout_ms) + " ms");
      }
      continue;
    }
    const ssize_t n = ::recv(socket.get(), chunk, sizeof(chunk), 0);
    if (n == 0) return fail("the server closed the connection");
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) continue;
      return fail("read: " + ErrnoText(errno));
    }
    last_byte = SteadyClock::now();
    buffer.append(chunk, static_cast<std::size_t>(n));
    std::size_t start = 0;
    while (true) {
      const std::size_t newline = buffer.find('\n', start);
      if (newline == std::string::npos) break;
      std::string_view text(buffer.data() + start, newline - start);
      start = newline + 1;
      if (discarding) {
        discarding = false;
        continue;
      }
      if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
      if (text.empty()) continue;
      if (text.size() > options_.max_line_bytes) {
        UpdateStats([](IrcChatStats& s) { ++s.lines_skipped; });
        continue;
      }
      bool reconnect = false;
      RETURN_IF_ERROR(handle(text, &reconnect));
      if (reconnect) {
        CT_LOG(log_, kInfo) << where << ": the server asked to reconnect (RECONNECT)";
        return Status::Ok();
      }
      if (Stopping()) return Status::Ok();
    }
    buffer.erase(0, start);
    if (buffer.size() > options_.max_line_bytes + 2) {  // a line too long to keep: drop it
      UpdateStats([](IrcChatStats& s) { ++s.lines_skipped; });
      buffer.clear();
      discarding = true;
    }
  }
  return Status::Ok();
}

}  // namespace clipthat::chat
