// ChildProcess: a program started by a test (a server, a worker) that runs beside it, its
// stdout and stderr in a log file; SIGKILLed on destruction when still running, and never
// outliving the test (PR_SET_DEATHSIG).
//
//   ChildProcess server({kBin, "serve", "--port", port}, dir / "serve.log");
//   ... server.Kill(SIGTERM) == 0, server.Log() ...
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace clipthat::testing {

class ChildProcess {
 public:
  ChildProcess(const std::vector<std::string>& args, const std::filesystem::path& log);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Sends `signal` and waits up to 60 s for the exit; the exit code (-1 when killed).
  int Kill(int signal);
  // Waits up to `limit` for the exit (SIGKILL after it); the exit code (-1 when killed).
  int Wait(std::chrono::seconds limit);
  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }
  std::string Log() const;

 private:
  pid_t pid_ = -1;
  int exit_code_ = -1;
  std::filesystem::path log_;
};

// The port `clipthat serve --port 0` says it listens on ("listening on http://127.0.0.1:PORT"
// in its log), waiting up to `limit` for the line; 0 when it did not come.
int ServedPort(const ChildProcess& server, std::chrono::milliseconds limit);

}  // namespace clipthat::testing
