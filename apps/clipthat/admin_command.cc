// `clipthat admin grant USER CREDITS --reason TEXT [--data DIR] [--db URL]`
//
// Operator commands on the control plane's database (the same --data / --db as `serve`).
//   grant   adds CREDITS (> 0) to USER's balance as a "grant" ledger entry, or with a negative
//           CREDITS takes them back as an "adjust" entry (refused when it would leave a negative
//           balance). USER is an e-mail address or a user id. Prints the new balance.
#include <cstdio>
#include <filesystem>
#include <memory>

#include "app_env.h"
#include "billing/ledger.h"
#include "store/database.h"

namespace clipthat::app {
namespace {

struct GrantArgs {
  std::string data_dir = "clipthat-data";
  std::string db_url;
  std::string user;
  long long credits = 0;
  std::string reason;
};

int RunGrant(const GrantArgs& args) {
  std::string db_url =
      args.db_url.empty()
          ? "sqlite:" + (std::filesystem::path(args.data_dir) / "clipthat.db").string()
          : args.db_url;
  if (args.db_url.empty() && !std::filesystem::exists(args.data_dir)) {
    return ReportFailure("admin grant",
                         NotFoundError(args.data_dir + ": no data folder (give --data or --db)"));
  }
  auto db = store::OpenDatabase(db_url, 2);
  if (!db.ok()) return ReportFailure("admin grant", db.status());
  Status st = store::Migrate(**db);
  if (!st.ok()) return ReportFailure("admin grant", st);
  auto rows = (*db)->Query("SELECT id, email FROM users WHERE id = $1 OR email = $2",
                           {args.user, args.user});
  if (!rows.ok()) return ReportFailure("admin grant", rows.status());
  if (rows->empty()) {
    return ReportFailure("admin grant",
                         NotFoundError("no user with id or e-mail '" + args.user + "'"));
  }
  const std::string user_id = rows->at(0).Text("id");
  billing::Ledger ledger;
  st = ledger.Grant(**db, user_id, args.credits, "operator: " + args.reason);
  if (!st.ok()) return ReportFailure("admin grant", st);
  auto balance = ledger.GetBalance(**db, user_id);
  if (!balance.ok()) return ReportFailure("admin grant", balance.status());
  std::printf("%s (%s): %+lld credits, balance %lld (%lld reserved)\n",
              rows->at(0).Text("email").c_str(), user_id.c_str(), args.credits,
              static_cast<long long>(balance->available),
              static_cast<long long>(balance->reserved));
  return kExitOk;
}

}  // namespace

void RegisterAdminCommand(CLI::App& root, AppEnv& env) {
  CLI::App* admin = root.add_subcommand("admin", "Operator commands on the control plane's data");
  admin->require_subcommand(1);
  auto args = std::make_shared<GrantArgs>();
  CLI::App* grant =
      admin->add_subcommand("grant", "Add credits to a user's balance (negative: take them back)");
  grant->add_option("USER", args->user, "the user's e-mail address or id")->required();
  grant->add_option("CREDITS", args->credits, "credits to add (negative to take back)")
      ->required()
      ->check(CLI::Range(-1'000'000'000LL, 1'000'000'000LL));
  grant->add_option("--reason", args->reason, "why (kept in the ledger)")->required();
  grant->add_option("--data", args->data_dir, "data folder of `clipthat serve`");
  grant->add_option("--db", args->db_url, "sqlite:PATH or postgres://... (default under --data)");
  grant->callback([&env, args] {
    if (args->credits == 0) {
      env.exit_code = ReportFailure("admin grant", InvalidArgumentError("CREDITS: must not be 0"));
      return;
    }
    env.exit_code = RunGrant(*args);
  });
}

}  // namespace clipthat::app
