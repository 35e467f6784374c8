// The live chat client against a real IRC server (ngircd, started here on a loopback port) and
// against a small fake server speaking Twitch's tagged lines, PING and RECONNECT.
#include "chat/irc_chat_client.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace clipthat::chat {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

constexpr milliseconds kWait{15'000};  // generous: ngircd throttles fast senders

// Polls `condition` every 20 ms for up to `limit`.
bool WaitFor(const std::function<bool()>& condition, milliseconds limit = kWait) {
  const auto deadline = steady_clock::now() + limit;
  while (steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(milliseconds(20));
  }
  return condition();
}

int FreeLoopbackPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

// One TCP connection that speaks lines: the viewer's client, or the fake server's side.
class LineConnection {
 public:
  explicit LineConnection(int fd) : fd_(fd) {}
  static std::unique_ptr<LineConnection> Connect(int port) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
      ::close(fd);
      return nullptr;
    }
    return std::make_unique<LineConnection>(fd);
  }
  ~LineConnection() { ::close(fd_); }
  LineConnection(const LineConnection&) = delete;
  LineConnection& operator=(const LineConnection&) = delete;

  bool Send(const std::string& line) {
    const std::string data = line + "\r\n";
    return ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(data.size());
  }
  // The next line without CR LF; nullopt on close or after `limit` without one.
  std::optional<std::string> ReadLine(milliseconds limit = kWait) {
    const auto deadline = steady_clock::now() + limit;
    while (true) {
      const std::size_t nl = buffer_.find('\n');
      if (nl != std::string::npos) {
        std::string line = buffer_.substr(0, nl);
        buffer_.erase(0, nl + 1);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        return line;
      }
      const auto left =
          std::chrono::duration_cast<milliseconds>(deadline - steady_clock::now()).count();
      if (left <= 0) return std::nullopt;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left)) <= 0) return std::nullopt;
      char chunk[4096];
      const ssize_t n = ::recv(fd_, chunk, sizeof(chunk), 0);
      if (n <= 0) return std::nullopt;
      buffer_.append(chunk, static_cast<std::size_t>(n));
    }
  }
  // Reads lines until one contains `needle`; that line, or nullopt.
  std::optional<std::string> ReadUntil(const std::string& needle, milliseconds limit = kWait) {
    const auto deadline = steady_clock::now() + limit;
    while (steady_clock::now() < deadline) {
      auto line =
          ReadLine(std::chrono::duration_cast<milliseconds>(deadline - steady_clock::now()));
      if (!line) return std::nullopt;
      if (line->find(needle) != std::string::npos) return line;
    }
    return std::nullopt;
  }
  // True when the peer closed the connection within `limit` (lines before it are discarded).
  bool ClosedWithin(milliseconds limit) {
    const auto deadline = steady_clock::now() + limit;
    while (steady_clock::now() < deadline) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      char chunk[4096];
      if (::recv(fd_, chunk, sizeof(chunk), 0) <= 0) return true;
    }
    return false;
  }

 private:
  int fd_;
  std::string buffer_;
};

// A loopback listener for the fake server.
class Listener {
 public:
  Listener() : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    int one = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    ::listen(fd_, 4);
    socklen_t len = sizeof(addr);
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  }
  ~Listener() { ::close(fd_); }
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;
  int port() const { return port_; }
  std::unique_ptr<LineConnection> Accept(milliseconds limit = kWait) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(limit.count())) <= 0) return nullptr;
    const int fd = ::accept(fd_, nullptr, nullptr);
    return fd < 0 ? nullptr : std::make_unique<LineConnection>(fd);
  }

 private:
  int fd_;
  int port_ = 0;
};

std::string FindNgircd() {
  for (const char* path : {"/usr/sbin/ngircd", "/usr/local/sbin/ngircd", "/usr/bin/ngircd"}) {
    if (::access(path, X_OK) == 0) return path;
  }
  return "";
}

// ngircd in a temporary directory, listening on 127.0.0.1:port() only; killed when destroyed.
class Ngircd {
 public:
  explicit Ngircd(std::string binary) : binary_(std::move(binary)), port_(FreeLoopbackPort()) {
    char templ[] = "/tmp/clipthat-ngircd-XXXXXX";
    dir_ = ::mkdtemp(templ);
    config_ = dir_ + "/ngircd.conf";
    std::ofstream(config_) << "[Global]\n"
                           << "Name = irc.clipthat.test\n"
                           << "Info = ClipThat test server\n"
                           << "AdminInfo1 = ClipThat tests\nAdminInfo2 = loopback\n"
                           << "AdminEMail = tests@clipthat.invalid\n"
                           << "Listen = 127.0.0.1\n"
                           << "Ports = " << port_ << "\n"
                           << "PidFile = " << dir_ << "/ngircd.pid\n"
                           << "MotdPhrase = ClipThat test\n"
                           << "[Limits]\n"
                           // ngircd's ceiling is 31; justinfan12345 needs 14
                           << "MaxNickLength = 31\n"
                           << "MaxConnectionsIP = 0\n"
                           << "[Options]\n"
                           << "PAM = no\nIdent = no\nDNS = no\n";
  }
  ~Ngircd() {
    Kill();
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  Ngircd(const Ngircd&) = delete;
  Ngircd& operator=(const Ngircd&) = delete;

  int port() const { return port_; }

  // Starts the server and waits until its port accepts connections.
  bool Start() {
    const std::string log = dir_ + "/ngircd.log";
    pid_ = ::fork();
    if (pid_ == 0) {
      const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      ::dup2(out, 1);
      ::dup2(out, 2);
      ::execl(binary_.c_str(), binary_.c_str(), "--nodaemon", "--config", config_.c_str(),
              static_cast<char*>(nullptr));
      ::_exit(127);
    }
    if (pid_ < 0) return false;
    return WaitFor([&] {
             int status = 0;
             if (::waitpid(pid_, &status, WNOHANG) == pid_) {
               pid_ = -1;
               return true;  // exited: fail below
             }
             return LineConnection::Connect(port_) != nullptr;
           }) &&
           pid_ > 0;
  }

  void Kill() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

  std::string Log() const {
    std::ifstream in(dir_ + "/ngircd.log");
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

 private:
  std::string binary_;
  int port_;
  std::string dir_;
  std::string config_;
  pid_t pid_ = -1;
};

// A plain IRC user who joins the channel and talks.
std::unique_ptr<LineConnection> JoinAsViewer(int port, const std::string& nick) {
  auto viewer = LineConnection::Connect(port);
  if (!viewer) return nullptr;
  viewer->Send("NICK " + nick);
  viewer->Send("USER " + nick + " 0 * :" + nick);
  if (!viewer->ReadUntil(" 001 ")) return nullptr;
  viewer->Send("JOIN #clipthat");
  if (!viewer->ReadUntil(" 366 ")) return nullptr;
  return viewer;
}

// Collects what the client delivers.
struct Received {
  std::mutex mutex;
  std::vector<ChatMessage> messages;

  IrcChatClient::MessageCallback Callback() {
    return [this](ChatMessage m) {
      std::lock_guard<std::mutex> lock(mutex);
      messages.push_back(std::move(m));
    };
  }
  std::size_t size() {
    std::lock_guard<std::mutex> lock(mutex);
    return messages.size();
  }
  std::vector<ChatMessage> Copy() {
    std::lock_guard<std::mutex> lock(mutex);
    return messages;
  }
};

IrcTarget Loopback(int port) {
  IrcTarget target;
  target.host = "127.0.0.1";
  target.port = port;
  target.channel = "#clipthat";
  return target;
}

IrcChatClientOptions FastOptions() {
  IrcChatClientOptions options;
  options.backoff_min_ms = 100;
  options.backoff_max_ms = 800;
  options.connect_timeout_ms = 2'000;
  return options;
}

Logger TestLogger(std::shared_ptr<MemorySink> sink) {
  return Logger(std::move(sink), LogLevel::kDebug, "chat");
}

TEST(IrcChatClientNgircdTest, DeliversChannelMessagesInOrder) {
  const std::string binary = FindNgircd();
  if (binary.empty()) GTEST_SKIP() << "ngircd is not installed (apt-get install ngircd)";
  Ngircd server(binary);
  ASSERT_TRUE(server.Start()) << server.Log();

  Received received;
  auto sink = std::make_shared<MemorySink>();
  TimeMs now_ms = 1000;
  IrcChatClient client(
      Loopback(server.port()), FastOptions(), TestLogger(sink), [&] { return now_ms; },
      received.Callback());
  ASSERT_TRUE(client.Start().ok());
  ASSERT_TRUE(WaitFor([&] { return client.stats().joined; })) << client.stats().last_error;
  EXPECT_EQ(client.stats().nick.rfind("justinfan", 0), 0u) << client.stats().nick;
  EXPECT_EQ(client.stats().nick.size(), 14u);

  auto viewer = JoinAsViewer(server.port(), "Viewer_One");
  ASSERT_NE(viewer, nullptr) << server.Log();
  const std::vector<std::string> texts = {"first message", "second: with a colon",
                                          "\x01"
                                          "ACTION waves LUL\x01"};
  for (const std::string& t : texts) viewer->Send("PRIVMSG #clipthat :" + t);
  viewer->Send("PRIVMSG #elsewhere :not for us");

  ASSERT_TRUE(WaitFor([&] { return received.size() >= 3; })) << received.size();
  std::this_thread::sleep_for(milliseconds(200));
  auto messages = received.Copy();
  ASSERT_EQ(messages.size(), 3u);
  EXPECT_EQ(messages[0].text, "first message");
  EXPECT_EQ(messages[1].text, "second: with a colon");
  EXPECT_EQ(messages[2].text, "waves LUL");
  EXPECT_EQ(messages[2].emote_count, 1);
  for (const ChatMessage& m : messages) {
    EXPECT_EQ(m.user_name, "viewer_one");
    EXPECT_EQ(m.display_name, "Viewer_One");
    EXPECT_EQ(m.time_ms, 1000);
  }
  EXPECT_EQ(client.stats().messages, 3);
  EXPECT_EQ(client.stats().reconnects, 0);

  const auto before = steady_clock::now();
  client.Stop();
  EXPECT_LT(steady_clock::now() - before, milliseconds(5'000));  // generous; ~0.1 s expected
}

TEST(IrcChatClientNgircdTest, ReconnectsAfterTheServerDies) {
  const std::string binary = FindNgircd();
  if (binary.empty()) GTEST_SKIP() << "ngircd is not installed (apt-get install ngircd)";
  Ngircd server(binary);
  ASSERT_TRUE(server.Start()) << server.Log();

  Received received;
  auto sink = std::make_shared<MemorySink>();
  IrcChatClient client(
      Loopback(server.port()), FastOptions(), TestLogger(sink), [] { return TimeMs{0}; },
      received.Callback());
  ASSERT_TRUE(client.Start().ok());
  ASSERT_TRUE(WaitFor([&] { return client.stats().joined; })) << client.stats().last_error;
  {
    auto viewer = JoinAsViewer(server.port(), "viewer");
    ASSERT_NE(viewer, nullptr);
    viewer->Send("PRIVMSG #clipthat :before the crash");
    ASSERT_TRUE(WaitFor([&] { return received.size() >= 1; }));
  }

  server.Kill();
  ASSERT_TRUE(WaitFor([&] { return !client.stats().joined; }));
  ASSERT_TRUE(server.Start()) << server.Log();
  ASSERT_TRUE(WaitFor([&] { return client.stats().joins >= 2; })) << client.stats().last_error;

  auto viewer = JoinAsViewer(server.port(), "viewer");
  ASSERT_NE(viewer, nullptr);
  viewer->Send("PRIVMSG #clipthat :after the restart");
  viewer->Send("PRIVMSG #clipthat :still here");
  ASSERT_TRUE(WaitFor([&] { return received.size() >= 3; })) << received.size();
  auto messages = received.Copy();
  ASSERT_EQ(messages.size(), 3u);
  EXPECT_EQ(messages[0].text, "before the crash");
  EXPECT_EQ(messages[1].text, "after the restart");
  EXPECT_EQ(messages[2].text, "still here");
  const IrcChatStats stats = client.stats();
  EXPECT_GE(stats.reconnects, 1);
  EXPECT_GE(stats.connections, 2);
  EXPECT_NE(stats.last_error.find("127.0.0.1:" + std::to_string(server.port())), std::string::npos)
      << stats.last_error;
}

TEST(IrcChatClientFakeServerTest, TwitchLinesPingAndReconnect) {
  Listener listener;
  Received received;
  auto sink = std::make_shared<MemorySink>();
  IrcChatClient client(
      Loopback(listener.port()), FastOptions(), TestLogger(sink), [] { return TimeMs{4242}; },
      received.Callback());
  ASSERT_TRUE(client.Start().ok());

  auto twitch = listener.Accept();
  ASSERT_NE(twitch, nullptr);
  // Registration: CAP REQ first, NICK and USER without waiting for the CAP answer.
  EXPECT_EQ(twitch->ReadLine().value_or(""), "CAP REQ :twitch.tv/tags twitch.tv/commands");
  const std::string nick_line = twitch->ReadLine().value_or("");
  ASSERT_EQ(nick_line.rfind("NICK justinfan", 0), 0u) << nick_line;
  const std::string nick = nick_line.substr(5);
  EXPECT_EQ(twitch->ReadLine().value_or(""), "USER " + nick + " 0 * :" + nick);
  twitch->Send(":tmi.twitch.tv CAP * ACK :twitch.tv/tags twitch.tv/commands");
  EXPECT_EQ(twitch->ReadLine().value_or(""), "CAP END");
  twitch->Send(":tmi.twitch.tv 001 " + nick + " :Welcome, GLHF!");
  EXPECT_EQ(twitch->ReadLine().value_or(""), "JOIN #clipthat");
  twitch->Send(":" + nick + "!" + nick + "@" + nick + ".tmi.twitch.tv JOIN #clipthat");
  ASSERT_TRUE(WaitFor([&] { return client.stats().joined; }));

  twitch->Send("PING :tmi.twitch.tv");
  EXPECT_EQ(twitch->ReadLine().value_or(""), "PONG :tmi.twitch.tv");

  twitch->Send(
      "@badge-info=;badges=;color=#FF0000;display-name=Some\\sStreamer\\:Fan;emotes=25:0-4/"
      "1902:12-16;id=abc;mod=0;tmi-sent-ts=1700000000000;user-id=9876 "
      ":somefan!somefan@somefan.tmi.twitch.tv PRIVMSG #clipthat :Kappa nice! Keepo");
  twitch->Send(":other!other@other.tmi.twitch.tv PRIVMSG #otherchannel :elsewhere");
  twitch->Send("@garbage-only");
  twitch->Send(":x!x@x PRIVMSG #clipthat :" + std::string(9000, 'x'));  // over the limit
  twitch->Send(":second!second@second.tmi.twitch.tv PRIVMSG #ClipThat :after the junk");
  ASSERT_TRUE(WaitFor([&] { return received.size() >= 2; }));
  auto messages = received.Copy();
  ASSERT_EQ(messages.size(), 2u);
  const ChatMessage& m = messages[0];
  EXPECT_EQ(m.time_ms, 4242);
  EXPECT_EQ(m.user_name, "somefan");
  EXPECT_EQ(m.display_name, "Some Streamer;Fan");
  EXPECT_EQ(m.user_id, "9876");
  EXPECT_EQ(m.text, "Kappa nice! Keepo");
  EXPECT_EQ(m.emote_count, 2);
  ASSERT_EQ(m.fragments.size(), 3u);
  EXPECT_EQ(m.fragments[0].emote_id, "25");
  EXPECT_EQ(m.fragments[1].text, " nice! ");
  EXPECT_EQ(m.fragments[2].text, "Keepo");
  EXPECT_EQ(messages[1].text, "after the junk");
  EXPECT_GE(client.stats().lines_skipped, 2);

  // RECONNECT: the client drops this connection and opens another.
  twitch->Send(":tmi.twitch.tv RECONNECT");
  EXPECT_TRUE(twitch->ClosedWithin(kWait));
  auto second = listener.Accept();
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(second->ReadLine().value_or(""), "CAP REQ :twitch.tv/tags twitch.tv/commands");
  const std::string nick2 = second->ReadLine().value_or("").substr(5);
  ASSERT_FALSE(nick2.empty());
  ASSERT_TRUE(second->ReadLine().has_value());  // USER
  // This server ignores CAP: the welcome alone lets the client join.
  second->Send(":irc.example 001 " + nick2 + " :hi");
  EXPECT_EQ(second->ReadLine().value_or(""), "JOIN #clipthat");
  second->Send(":" + nick2 + "!u@h JOIN :#clipthat");
  ASSERT_TRUE(WaitFor([&] { return client.stats().joins >= 2; }));
  EXPECT_GE(client.stats().reconnects, 1);
  second->Send(":late!late@h PRIVMSG #clipthat :on the new connection");
  ASSERT_TRUE(WaitFor([&] { return received.size() >= 3; }));
  EXPECT_EQ(received.Copy()[2].text, "on the new connection");
  EXPECT_EQ(client.stats().messages, 3);
}

TEST(IrcChatClientFakeServerTest, NickInUseTakesAnother) {
  Listener listener;
  Received received;
  IrcChatClient client(
      Loopback(listener.port()), FastOptions(), Logger(), [] { return TimeMs{0}; },
      received.Callback());
  ASSERT_TRUE(client.Start().ok());
  auto server = listener.Accept();
  ASSERT_NE(server, nullptr);
  auto nick_line = server->ReadUntil("NICK ");
  ASSERT_TRUE(nick_line.has_value());
  server->Send(":srv 433 * " + nick_line->substr(5) + " :Nickname already in use");
  auto again = server->ReadUntil("NICK ");
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->rfind("NICK justinfan", 0), 0u);
}

TEST(IrcChatClientFakeServerTest, ACallbackThatThrowsDoesNotEndTheClient) {
  Listener listener;
  std::atomic<int> calls{0};
  IrcChatClient client(
      Loopback(listener.port()), FastOptions(), Logger(), [] { return TimeMs{0}; },
      [&](ChatMessage m) {
        ++calls;
        if (m.text == "boom") throw std::runtime_error("session full");
      });
  ASSERT_TRUE(client.Start().ok());
  auto server = listener.Accept();
  ASSERT_NE(server, nullptr);
  ASSERT_TRUE(server->ReadUntil("USER ").has_value());
  server->Send(":a!a@a PRIVMSG #clipthat :boom");
  server->Send(":a!a@a PRIVMSG #clipthat :fine");
  ASSERT_TRUE(WaitFor([&] { return calls.load() >= 2; }));
  EXPECT_NE(client.stats().last_error.find("session full"), std::string::npos);
  EXPECT_EQ(client.stats().connections, 1);
}

TEST(IrcChatClientTest, ConnectFailuresAreRetriedAndNameTheServer) {
  const int port = FreeLoopbackPort();  // nothing listens here
  auto sink = std::make_shared<MemorySink>();
  IrcChatClient client(
      Loopback(port), FastOptions(), TestLogger(sink), [] { return TimeMs{0}; },
      [](ChatMessage) {});
  ASSERT_TRUE(client.Start().ok());
  ASSERT_TRUE(WaitFor([&] { return client.stats().reconnects >= 2; }));
  const IrcChatStats stats = client.stats();
  EXPECT_NE(stats.last_error.find("irc 127.0.0.1:" + std::to_string(port) + ": connect:"),
            std::string::npos)
      << stats.last_error;
  bool logged = false;
  for (const auto& line : sink->lines()) {
    logged |= line.level == LogLevel::kWarn && line.message == stats.last_error;
  }
  EXPECT_TRUE(logged);
  client.Stop();
  client.Stop();  // idempotent
}

TEST(IrcChatClientTest, StartRefusesTlsAndBadOptions) {
  auto noop = [](ChatMessage) {};
  auto clock = [] { return TimeMs{0}; };
  auto tls = ParseIrcUrl("ircs://irc.chat.twitch.tv/#x");
  ASSERT_TRUE(tls.ok());
  IrcChatClient tls_client(*tls, {}, Logger(), clock, noop);
  Status s = tls_client.Start();
  EXPECT_EQ(s.code(), StatusCode::kUnsupported);
  EXPECT_NE(s.message().find("not supported yet"), std::string::npos);

  IrcChatClientOptions bad;
  bad.backoff_min_ms = 5'000;
  bad.backoff_max_ms = 1'000;
  IrcChatClient bad_client(Loopback(1), bad, Logger(), clock, noop);
  EXPECT_EQ(bad_client.Start().code(), StatusCode::kInvalidArgument);

  IrcChatClientOptions bad_nick;
  bad_nick.nick = "two words";
  IrcChatClient nick_client(Loopback(1), bad_nick, Logger(), clock, noop);
  EXPECT_EQ(nick_client.Start().code(), StatusCode::kInvalidArgument);

  IrcChatClient twice(Loopback(FreeLoopbackPort()), FastOptions(), Logger(), clock, noop);
  ASSERT_TRUE(twice.Start().ok());
  EXPECT_EQ(twice.Start().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace clipthat::chat
