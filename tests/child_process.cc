#include "child_process.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <thread>

#include "core/files.h"

namespace clipthat::testing {

ChildProcess::ChildProcess(const std::vector<std::string>& args, const std::filesystem::path& log)
    : log_(log) {
  pid_ = ::fork();
  if (pid_ == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive the test
    std::FILE* out = std::fopen(log.c_str(), "w");
    if (out != nullptr) {
      ::dup2(::fileno(out), STDOUT_FILENO);
      ::dup2(::fileno(out), STDERR_FILENO);
    }
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    std::_Exit(127);
  }
}

ChildProcess::~ChildProcess() { Kill(SIGKILL); }

int ChildProcess::Kill(int signal) {
  if (pid_ <= 0) return exit_code_;
  ::kill(pid_, signal);
  return Wait(std::chrono::seconds(60));
}

int ChildProcess::Wait(std::chrono::seconds limit) {
  if (pid_ <= 0) return exit_code_;
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      return exit_code_;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
  return exit_code_ = -1;
}

std::string ChildProcess::Log() const {
  auto text = ReadFileToString(log_);
  return text.ok() ? *text : std::string();
}

int ServedPort(const ChildProcess& server, std::chrono::milliseconds limit) {
  static constexpr std::string_view kListening = "listening on http://127.0.0.1:";
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (true) {
    const std::string log = server.Log();
    const std::size_t at = log.find(kListening);
    if (at != std::string::npos) return std::atoi(log.c_str() + at + kListening.size());
    if (std::chrono::steady_clock::now() >= deadline) return 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace clipthat::testing
