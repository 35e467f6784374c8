// IrcChatClient: reads a live chat over IRC, anonymously and read-only, for `clipthat live
// --chat irc://HOST[:PORT]/#channel` (irc_url.h).
//
//   IrcChatClient client(*target, {}, log, [&] { return session.now_ms(); },
//                        [&](ChatMessage m) { queue.Push(std::move(m)); });
//   RETURN_IF_ERROR(client.Start());
//   ...
//   client.Stop();  // or let the destructor do it
//
// The client runs one thread of its own. It resolves the host (getaddrinfo, every address in
// turn), connects without blocking (options.connect_timeout_ms), then sends
//
//   CAP REQ :twitch.tv/tags twitch.tv/commands
//   NICK justinfan12345
//   USER justinfan12345 0 * :justinfan12345
//
// Twitch needs no password for a `justinfan` nick and ignores USER; plain IRC servers need USER.
// The CAP answer is not awaited: `CAP * ACK` (Twitch) or `CAP * NAK` (ngircd) is answered with
// `CAP END` (which a server that suspended registration for CAP waits for), and a server that
// ignores CAP registers right away. `JOIN #channel` is sent on the welcome (001). While
// connected it answers `PING :token` with `PONG :token`, takes a new random nick when the nick is
// in use (433), and hands every PRIVMSG to the joined channel to `on_message` as a ChatMessage
// (irc_line.h) stamped with `clock()`, the session's time. CTCP requests other than ACTION,
// other channels' and unparsable lines are skipped (unparsable ones counted).
//
// Reconnects: after `RECONNECT` (Twitch moving its servers), a closed or failed connection, a
// failed connect or resolve, a refused JOIN or a KICK, or options.silence_timeout_ms without a
// byte, the client waits and tries again: options.backoff_min_ms first, doubling up to
// options.backoff_max_ms; a JOIN the server confirms resets the wait to the minimum. It never gives
// up until stopped. Errors are logged (warn) naming host:port ("irc 127.0.0.1:6667: connect:
// Connection refused") and kept in stats().last_error.
//
// Threads: `on_message` and `clock` run on the client's thread, one call at a time; they must
// not call Stop() or destroy the client. An exception thrown by `on_message` is caught, logged
// and kept in last_error; the client reads on. stats() may be called from any thread. Stop()
// returns within about 0.2 s (reads and waits poll in short slices), except while a name is being
// resolved: getaddrinfo cannot be interrupted (a literal address or a local name resolves
// at once).
//
// Not supported yet: TLS (ircs://; Start() answers Unsupported), passwords and logins, sending
// chat.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "chat/chat_message.h"
#include "chat/irc_line.h"
#include "chat/irc_url.h"
#include "core/log.h"
#include "core/status.h"
#include "core/time_units.h"

namespace clipthat::chat {

struct IrcChatClientOptions {
  // Nick to register; empty: "justinfan" and 5 random digits (anonymous on Twitch).
  std::string nick;
  int connect_timeout_ms = 10'000;  // per address tried
  int backoff_min_ms = 1'000;       // first wait before reconnecting
  int backoff_max_ms = 30'000;      // the wait doubles up to this
  // A connection that sends nothing for this long is dropped and reopened (Twitch PINGs about
  // every 5 minutes); 0 never.
  int silence_timeout_ms = 6 * 60'000;
  // Longer lines are skipped (counted in stats().lines_skipped); at most kMaxIrcLineBytes.
  std::size_t max_line_bytes = kMaxIrcLineBytes;
};

struct IrcChatStats {
  std::int64_t messages = 0;       // chat messages handed to on_message
  std::int64_t connections = 0;    // connections opened (TCP connected)
  std::int64_t reconnects = 0;     // attempts to connect again after a drop or a failure
  std::int64_t joins = 0;          // JOINs of the channel the server confirmed
  std::int64_t lines_skipped = 0;  // lines too long or unparsable
  bool joined = false;             // in the channel now
  std::string nick;                // the nick of the current or last connection
  std::string last_error;          // the latest error, "" when none happened yet
};

class IrcChatClient {
 public:
  using Clock = std::function<TimeMs()>;  // the session's current time in ms
  using MessageCallback = std::function<void(ChatMessage)>;

  IrcChatClient(IrcTarget target, IrcChatClientOptions options, Logger log, Clock clock,
                MessageCallback on_message);
  ~IrcChatClient();  // Stop()
  IrcChatClient(const IrcChatClient&) = delete;
  IrcChatClient& operator=(const IrcChatClient&) = delete;

  // Starts the client's thread. Errors: Unsupported for a TLS target; InvalidArgument for
  // unusable options (a backoff under 1 ms or min over max, a non-positive connect timeout, a
  // max_line_bytes of 0 or over kMaxIrcLineBytes, a nick with a space), or when already
  // started.
  Status Start();

  // Ends the thread and closes the connection (no QUIT is sent); idempotent.
  void Stop();

  IrcChatStats stats() const;

 private:
  void Run();
  // One connection, from resolving the host until it ends. OK when it ended without an error
  // (stopped, or the server sent RECONNECT); `backoff_ms` is reset on a confirmed JOIN.
  Status RunConnection(int* backoff_ms);
  bool Stopping() const { return stop_.load(std::memory_order_relaxed); }
  // Sleeps up to `ms` in short slices; false when stopped meanwhile.
  bool SleepUnlessStopped(int ms);
  void RecordError(const std::string& message);
  template <typename F>
  void UpdateStats(F&& f) {
    std::lock_guard<std::mutex> lock(stats_mutex_);
    f(stats_);
  }

  const IrcTarget target_;
  const IrcChatClientOptions options_;
  const Logger log_;
  const Clock clock_;
  const MessageCallback on_message_;

  std::atomic<bool> stop_{false};
  std::thread thread_;
  mutable std::mutex stats_mutex_;
  IrcChatStats stats_;
};

}  // namespace clipthat::chat
