// Runs a program with arguments (no shell), capturing its exit code, stdout and stderr.
#pragma once

#include <string>
#include <vector>

namespace clipthat::testing {

struct CommandResult {
  int exit_code = -1;  // -1 when it could not start or was killed by a signal
  std::string out;
  std::string err;
};

CommandResult RunCommand(const std::vector<std::string>& args);

}  // namespace clipthat::testing
