// `clipthat serve [--host H] [--port P] [--data DIR] [--db URL] [--workers N] [--threads N]
//  [--web DIR] [--create-worker-key]`
//
// Runs the control plane: the HTTP API (docs/api.md), the static web folder and, with
// --workers N, N workers in-process (talking to the API over loopback like remote ones).
//   --db      sqlite:PATH (default sqlite:<data>/clipthat.db) or postgres://...
//   --data    objects under <data>/objects (unless store.url names another store, e.g.
//             s3://BUCKET with store.s3.*: docs/deploy.md); the JWT signing secret in
//             <data>/jwt_secret (0600) unless the configuration sets api.jwt_secret.
//   --create-worker-key  prints a new worker-scoped API key once (for `clipthat worker --key`)
//             and exits.
// SIGINT/SIGTERM: stop accepting, finish requests in flight, in-process workers release their
// leases, exit 0.
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <utility>

#include "api/api_keys.h"
#include "api/api_server.h"
#include "app_env.h"
#include "billing/billing_options.h"
#include "core/crypto.h"
#include "core/files.h"
#include "core/ip_address.h"
#include "core/text.h"
#include "render_setup.h"
#include "store/database.h"
#include "store/object_store.h"
#include "store/open_object_store.h"
#if __has_include("worker_setup.h")
#include "worker_setup.h"  // defines CLIPTHAT_HAVE_WORKER_SETUP
#endif

namespace clipthat::app {
namespace {

struct ServeArgs {
  std::string host = "127.0.0.1";
  int port = 8080;
  std::string data_dir = "clipthat-data";
  std::string db_url;
  std::string web_dir;
  int workers = 0;
  int threads = 32;
  bool create_worker_key = false;
};

// The signing secret: api.jwt_secret from the configuration, else <data>/jwt_secret, made once
// (48 random bytes, base64url) with mode 0600.
Result<std::string> LoadJwtSecret(const AppEnv& env, const std::string& data_dir) {
  std::string configured = env.config.GetString("api.jwt_secret", "");
  if (!configured.empty()) {
    if (configured.size() < 32)
      return InvalidArgumentError("api.jwt_secret: shorter than 32 bytes");
    return configured;
  }
  std::filesystem::path path = std::filesystem::path(data_dir) / "jwt_secret";
  if (std::filesystem::exists(path)) {
    ASSIGN_OR_RETURN(std::string secret, ReadFileToString(path));
    while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
    if (secret.size() < 32) return DataError(path.string() + ": secret shorter than 32 bytes");
    return secret;
  }
  std::string secret = Base64UrlEncode(RandomBytes(48));
  mode_t old = ::umask(077);
  Status st = WriteFileAtomically(path, secret + "\n");
  ::umask(old);
  RETURN_IF_ERROR(st);
  std::filesystem::permissions(
      path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  return secret;
}

// The object store from store.url and store.s3.* (docs/deploy.md); <data>/objects by default.
Result<std::unique_ptr<store::ObjectStore>> OpenConfiguredObjectStore(const AppEnv& env,
                                                                      const std::string& data_dir) {
  const Config& config = env.config;
  store::ObjectStoreOptions options;
  options.url = config.GetString("store.url", "");
  options.local_dir = (std::filesystem::path(data_dir) / "objects").string();
  options.s3.endpoint = config.GetString("store.s3.endpoint", "");
  options.s3.credentials.region = config.GetString("store.s3.region", "us-east-1");
  options.s3.credentials.access_key = config.GetString("store.s3.access_key", "");
  options.s3.credentials.secret_key = config.GetString("store.s3.secret_key", "");
  ASSIGN_OR_RETURN(const long long part_bytes,
                   config.GetInt("store.s3.part_bytes", options.s3.multipart_part_bytes));
  options.s3.multipart_part_bytes = part_bytes;
  return store::OpenObjectStore(options);
}

int RunServe(AppEnv& env, const ServeArgs& args) {
  Status st = EnsurePrivateDirectory(args.data_dir);
  if (!st.ok()) return ReportFailure("serve", st);
  std::string db_url =
      args.db_url.empty()
          ? "sqlite:" + (std::filesystem::path(args.data_dir) / "clipthat.db").string()
          : args.db_url;
  // One connection per request thread, plus a few for background work.
  auto db = store::OpenDatabase(db_url, args.threads + 4);
  if (!db.ok()) return ReportFailure("serve", db.status());
  st = store::Migrate(**db);
  if (!st.ok()) return ReportFailure("serve", st);

  if (args.create_worker_key) {
    auto key = api::CreateWorkerKey(**db, "operator worker key");
    if (!key.ok()) return ReportFailure("serve", key.status());
    std::printf("%s\n", key->c_str());
    return kExitOk;
  }

  auto objects = OpenConfiguredObjectStore(env, args.data_dir);
  if (!objects.ok()) return ReportFailure("serve", objects.status());
  auto secret = LoadJwtSecret(env, args.data_dir);
  if (!secret.ok()) return ReportFailure("serve", secret.status());

  api::ApiServerOptions options;
  options.host = args.host;
  options.port = args.port;
  options.threads = args.threads;
  options.jwt_secret = *secret;
  options.web_dir = args.web_dir;
  if (options.web_dir.empty() && std::filesystem::is_directory("web")) options.web_dir = "web";
  options.template_dirs = DefaultTemplateDirs();
  auto allow_private = env.config.GetBool("api.allow_private_urls", false);
  if (!allow_private.ok()) return ReportFailure("serve", allow_private.status());
  options.allow_private_urls = *allow_private;
  options.public_url = env.config.GetString("api.public_url", "");
  auto billing = billing::LoadBillingOptions(env.config);
  if (!billing.ok()) return ReportFailure("serve", billing.status());
  options.billing = std::move(*billing);
  // Lists of networks, commas or spaces between them:
  //   api.allowed_url_networks "10.20.0.5/32, fd00:1::/64": URL imports may reach them although
  //     they are not public;
  //   api.trusted_proxies "10.0.0.2, 10.0.0.3": the load balancers whose X-Forwarded-For is
  //     believed.
  for (auto [key, target] : {std::pair{"api.allowed_url_networks", &options.allowed_url_networks},
                             std::pair{"api.trusted_proxies", &options.trusted_proxies}}) {
    std::string text = env.config.GetString(key, "");
    std::replace(text.begin(), text.end(), ',', ' ');
    for (std::string_view word : SpaceSeparatedWords(text)) {
      Result<IpNetwork> network = IpNetwork::Parse(word);
      if (!network.ok()) return ReportFailure("serve", network.status().WithPrefix(key));
      target->push_back(*network);
    }
  }
  // Per-user quotas (docs/api.md, "Quotas"); 0 turns one off.
  for (auto [key, target] :
       {std::pair{"api.quota.max_active_jobs", &options.quota_max_active_jobs},
        std::pair{"api.quota.max_open_uploads", &options.quota_max_open_uploads},
        std::pair{"api.quota.max_stored_bytes", &options.quota_max_stored_bytes}}) {
    auto value = env.config.GetInt(key, *target);
    if (!value.ok()) return ReportFailure("serve", value.status());
    if (*value < 0) {
      return ReportFailure(
          "serve", InvalidArgumentError(std::string(key) + ": must be 0 (no quota) or positive"));
    }
    *target = *value;
  }

  // Connections and long-lived answers (docs/api.md, "Connections").
  for (auto [key, target] : {std::pair{"api.max_threads", &options.max_threads},
                             std::pair{"api.max_connections", &options.max_connections}}) {
    auto value = env.config.GetInt(key, static_cast<std::int64_t>(*target));
    if (!value.ok()) return ReportFailure("serve", value.status());
    if (*value < 1) {
      return ReportFailure("serve", InvalidArgumentError(std::string(key) + ": must be positive"));
    }
    *target = static_cast<std::size_t>(*value);
  }
  for (auto [key, target] :
       {std::pair{"api.max_event_streams", &options.max_event_streams},
        std::pair{"api.max_event_streams_per_user", &options.max_event_streams_per_user}}) {
    auto value = env.config.GetInt(key, *target);
    if (!value.ok()) return ReportFailure("serve", value.status());
    if (*value < 1 || *value > 1000000) {
      return ReportFailure("serve",
                           InvalidArgumentError(std::string(key) + ": must be 1..1000000"));
    }
    *target = static_cast<int>(*value);
  }

  // Signals are taken by sigwait below: block them before any thread starts, so every thread
  // inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  Logger log = env.logger.WithModule("api");
  api::ApiServer server(options, **db, **objects, log);
  st = server.Start();
  if (!st.ok()) return ReportFailure("serve", st);
  std::fprintf(stderr, "clipthat serve: listening on http://%s:%d (database %s)\n",
               args.host.c_str(), server.port(), store::RedactUrl(db_url).c_str());

#if defined(CLIPTHAT_HAVE_WORKER_SETUP)
  std::unique_ptr<InProcessWorkers> workers;
  if (args.workers > 0) {
    auto key = api::CreateWorkerKey(**db, "in-process workers");
    if (!key.ok()) return ReportFailure("serve", key.status());
    auto started = RunInProcessWorkers(env, "http://127.0.0.1:" + std::to_string(server.port()),
                                       *key, args.workers);
    if (!started.ok()) return ReportFailure("serve", started.status());
    workers = std::move(*started);
  }
#else
  if (args.workers > 0) {
    server.Stop();
    return ReportFailure("serve", UnsupportedError("--workers: in-process workers are not built "
                                                   "into this clipthat; run `clipthat worker`"));
  }
#endif

  int signal_number = 0;
  sigwait(&signals, &signal_number);
  std::fprintf(stderr, "clipthat serve: %s, stopping\n",
               signal_number == SIGINT ? "SIGINT" : "SIGTERM");
#if defined(CLIPTHAT_HAVE_WORKER_SETUP)
  workers.reset();  // in-process workers release their leases through the API first
#endif
  server.Stop();
  return kExitOk;
}

}  // namespace

void RegisterServeCommand(CLI::App& root, AppEnv& env) {
  auto args = std::make_shared<ServeArgs>();
  CLI::App* cmd =
      root.add_subcommand("serve", "Run the control plane: REST API, web app, database");
  cmd->add_option("--host", args->host, "address to listen on (default 127.0.0.1)");
  cmd->add_option("--port", args->port, "port (default 8080; 0 = any free port)")
      ->check(CLI::Range(0, 65535));
  cmd->add_option("--data", args->data_dir, "data folder: database, objects, secret");
  cmd->add_option("--db", args->db_url, "sqlite:PATH (default under --data) or postgres://...");
  cmd->add_option("--web", args->web_dir, "static web folder (default ./web when present)");
  cmd->add_option("--workers", args->workers, "in-process workers (default 0)")
      ->check(CLI::Range(0, 64));
  cmd->add_option("--threads", args->threads, "request threads (default 32)")
      ->check(CLI::Range(2, 1024));
  cmd->add_flag("--create-worker-key", args->create_worker_key,
                "print a new worker API key once and exit");
  cmd->callback([&env, args] { env.exit_code = RunServe(env, *args); });
}

}  // namespace clipthat::app
