// `clipthat worker --api URL --key K [--roles analyze,render,live] [--lease-ms N]
//  [--scratch DIR]`:
// a stateless worker. It leases jobs of its roles from the API, downloads their inputs through
// it, runs them, reports progress, uploads the results and loops. SIGTERM or SIGINT: the running
// job is given back to the queue (its lease released) and the worker exits 0.
// The key may also come from the environment (CLIPTHAT_WORKER_KEY), which keeps it out of `ps`.
#include <signal.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <sstream>
#include <thread>

#include "app_env.h"
#include "worker_setup.h"

namespace clipthat::app {
namespace {

std::atomic<bool> g_stop_signal{false};
static_assert(std::atomic<bool>::is_always_lock_free, "used from a signal handler");

extern "C" void OnStopSignal(int) { g_stop_signal.store(true); }

struct WorkerArgs {
  std::string api;
  std::string key;
  std::string roles = "analyze,render";
  long long lease_ms = 30000;
  std::string scratch;
};

int RunWorkerCommand(AppEnv& env, const WorkerArgs& args) {
  worker::WorkerOptions options;
  options.api_url = args.api;
  options.api_key = args.key.empty() ? env.config.GetString("worker.key", "") : args.key;
  options.lease_ms = args.lease_ms;
  options.scratch_dir = args.scratch;
  options.log = env.logger;
  options.roles.clear();
  std::stringstream roles(args.roles);
  for (std::string role; std::getline(roles, role, ',');) {
    if (!role.empty()) options.roles.push_back(role);
  }
  if (options.api_key.empty()) {
    return ReportFailure(
        "worker", InvalidArgumentError("no worker key: give --key or set CLIPTHAT_WORKER_KEY"));
  }
  auto handlers = MakeJobHandlers(env);
  if (!handlers.ok()) return ReportFailure("worker", handlers.status());

  struct sigaction action {};
  action.sa_handler = OnStopSignal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGINT, &action, nullptr);

  std::stop_source stop;
  // Turns the signal flag into a stop request (a signal handler may only touch the atomic).
  std::jthread watcher([&stop](std::stop_token done) {
    while (!done.stop_requested()) {
      if (g_stop_signal.load()) {
        stop.request_stop();
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  });
  Status status = worker::RunWorker(options, *handlers, stop.get_token());
  watcher.request_stop();
  if (!status.ok()) return ReportFailure("worker", status);
  return kExitOk;
}

}  // namespace

void RegisterWorkerCommand(CLI::App& root, AppEnv& env) {
  auto* cmd = root.add_subcommand(
      "worker", "Run a stateless worker: lease jobs from a ClipThat API and run them");
  auto args = std::make_shared<WorkerArgs>();
  cmd->add_option("--api", args->api, "the API's base URL, e.g. http://10.0.0.5:8080")->required();
  cmd->add_option("--key", args->key,
                  "a worker-scoped API key (clipthat serve --create-worker-key); or set "
                  "CLIPTHAT_WORKER_KEY");
  cmd->add_option("--roles", args->roles,
                  "job kinds to run, comma-separated: analyze, render, live (default "
                  "analyze,render)")
      ->check([](const std::string& value) -> std::string {
        std::stringstream roles(value);
        int count = 0;
        for (std::string role; std::getline(roles, role, ',');) {
          if (role != "analyze" && role != "render" && role != "live") {
            return "'" + role + "' is not analyze, render or live";
          }
          ++count;
        }
        return count == 0 ? "no roles given" : "";
      });
  cmd->add_option("--lease-ms", args->lease_ms,
                  "lease length asked for, in ms (renewed every third of it; default 30000)")
      ->check(CLI::Range(1000LL, 3'600'000LL));
  cmd->add_option("--scratch", args->scratch,
                  "folder for per-job scratch files (default: the system temp folder)");
  cmd->callback([&env, args] { env.exit_code = RunWorkerCommand(env, *args); });
}

}  // namespace clipthat::app
