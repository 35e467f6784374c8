#include "store/migrations.h"

#include <string>

namespace clipthat::store {
namespace {

// Any constant works; it only has to be the same for every process migrating this database.
constexpr std::int64_t kMigrationLockKey = 0x436c697054686174;  // "ClipThat"

Migration SchemaV1() {
  return Migration{1,
                   "initial schema: users, keys, vods, jobs, moments, clips, templates, settings",
                   {
                       R"(CREATE TABLE users (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  created_at_ms BIGINT NOT NULL))",
                       R"(CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  user_id TEXT REFERENCES users(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  scope TEXT NOT NULL,
  key_hash TEXT NOT NULL UNIQUE,
  prefix TEXT NOT NULL,
  created_at_ms BIGINT NOT NULL,
  last_used_at_ms BIGINT,
  revoked_at_ms BIGINT))",
                       "CREATE INDEX api_keys_user ON api_keys(user_id)",
                       R"(CREATE TABLE revoked_tokens (
  jti TEXT PRIMARY KEY,
  expires_at_ms BIGINT NOT NULL))",
                       R"(CREATE TABLE vods (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  title TEXT NOT NULL,
  status TEXT NOT NULL,
  source_url TEXT,
  media_key TEXT,
  chat_key TEXT,
  size_bytes BIGINT NOT NULL DEFAULT 0,
  received_bytes BIGINT NOT NULL DEFAULT 0,
  duration_ms BIGINT,
  error TEXT,
  created_at_ms BIGINT NOT NULL,
  updated_at_ms BIGINT NOT NULL))",
                       "CREATE INDEX vods_user_created ON vods(user_id, created_at_ms)",
                       R"(CREATE TABLE jobs (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  status TEXT NOT NULL,
  vod_id TEXT REFERENCES vods(id) ON DELETE CASCADE,
  clip_id TEXT,
  params TEXT NOT NULL DEFAULT '{}',
  progress DOUBLE PRECISION NOT NULL DEFAULT 0,
  stage TEXT,
  error TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL DEFAULT 3,
  lease_owner TEXT,
  lease_expires_at_ms BIGINT,
  result TEXT,
  timings TEXT,
  created_at_ms BIGINT NOT NULL,
  updated_at_ms BIGINT NOT NULL,
  started_at_ms BIGINT,
  finished_at_ms BIGINT))",
                       "CREATE INDEX jobs_status_kind_created ON jobs(status, kind, created_at_ms)",
                       "CREATE INDEX jobs_user_created ON jobs(user_id, created_at_ms)",
                       "CREATE INDEX jobs_status_lease ON jobs(status, lease_expires_at_ms)",
                       R"(CREATE TABLE moments (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  vod_id TEXT NOT NULL REFERENCES vods(id) ON DELETE CASCADE,
  job_id TEXT,
  rank INTEGER NOT NULL,
  start_ms BIGINT NOT NULL,
  end_ms BIGINT NOT NULL,
  score DOUBLE PRECISION NOT NULL,
  title TEXT NOT NULL,
  data TEXT NOT NULL,
  created_at_ms BIGINT NOT NULL))",
                       "CREATE INDEX moments_vod_rank ON moments(vod_id, rank)",
                       R"(CREATE TABLE clips (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  vod_id TEXT NOT NULL REFERENCES vods(id) ON DELETE CASCADE,
  moment_id TEXT,
  status TEXT NOT NULL,
  edit_list TEXT NOT NULL,
  template_id TEXT,
  title TEXT NOT NULL DEFAULT '',
  output_key TEXT,
  thumbnail_key TEXT,
  duration_ms BIGINT,
  size_bytes BIGINT,
  error TEXT,
  created_at_ms BIGINT NOT NULL,
  updated_at_ms BIGINT NOT NULL))",
                       "CREATE INDEX clips_user_created ON clips(user_id, created_at_ms)",
                       "CREATE INDEX clips_vod ON clips(vod_id)",
                       R"(CREATE TABLE templates (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  document TEXT NOT NULL,
  created_at_ms BIGINT NOT NULL,
  updated_at_ms BIGINT NOT NULL))",
                       "CREATE INDEX templates_user ON templates(user_id)",
                       R"(CREATE TABLE settings (
  user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  default_template_id TEXT,
  ai TEXT NOT NULL DEFAULT '{}',
  updated_at_ms BIGINT NOT NULL))",
                   }};
}

// The VOD's frame size, from its analysis: edit lists' rectangles are checked against it.
Migration SchemaV2() {
  return Migration{
      2,
      "vods: width and height",
      {"ALTER TABLE vods ADD COLUMN width INTEGER", "ALTER TABLE vods ADD COLUMN height INTEGER"}};
}

// Credits (src/billing/ledger.h): one account row per user (the row PostgreSQL locks so that
// concurrent reservations of one user are serialised), the append-only ledger whose amounts sum
// to the available balance, the reservations jobs hold, the Checkout Sessions created, and the
// Stripe events already applied (idempotency by event id).
Migration SchemaV3() {
  return Migration{3,
                   "credits: accounts, ledger, reservations, Stripe checkouts and events",
                   {
                       R"(CREATE TABLE credit_accounts (
  user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  created_at_ms BIGINT NOT NULL))",
                       R"(CREATE TABLE ledger_entries (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  amount BIGINT NOT NULL,
  credits BIGINT NOT NULL,
  reason TEXT NOT NULL,
  job_id TEXT,
  reservation_id TEXT,
  live_minute BIGINT,
  stripe_event_id TEXT,
  created_at_ms BIGINT NOT NULL))",
                       "CREATE INDEX ledger_entries_user_created ON ledger_entries(user_id, "
                       "created_at_ms, id)",
                       "CREATE UNIQUE INDEX ledger_entries_live_minute ON ledger_entries(job_id, "
                       "live_minute)",
                       R"(CREATE TABLE credit_reservations (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  job_id TEXT NOT NULL UNIQUE,
  credits BIGINT NOT NULL,
  status TEXT NOT NULL,
  captured BIGINT NOT NULL DEFAULT 0,
  reason TEXT NOT NULL,
  created_at_ms BIGINT NOT NULL,
  settled_at_ms BIGINT))",
                       "CREATE INDEX credit_reservations_status ON credit_reservations(status)",
                       "CREATE INDEX credit_reservations_user ON credit_reservations(user_id)",
                       R"(CREATE TABLE stripe_checkouts (
  session_id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  pack TEXT NOT NULL,
  credits BIGINT NOT NULL,
  amount_cents BIGINT NOT NULL,
  currency TEXT NOT NULL,
  status TEXT NOT NULL,
  payment_intent TEXT,
  refunded_credits BIGINT NOT NULL DEFAULT 0,
  created_at_ms BIGINT NOT NULL,
  paid_at_ms BIGINT))",
                       "CREATE INDEX stripe_checkouts_payment_intent ON "
                       "stripe_checkouts(payment_intent)",
                       R"(CREATE TABLE stripe_events (
  event_id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  outcome TEXT NOT NULL,
  received_at_ms BIGINT NOT NULL))",
                   }};
}

// Live clips (src/api/live_routes.cc): a clip cut by a live job has no VOD, so clips.vod_id
// becomes nullable and live_job_id names the job that cut it. Neither SQLite nor the portable
// subset of SQL can drop NOT NULL in place: the table is rebuilt (no table references clips).
Migration SchemaV4() {
  return Migration{4,
                   "clips: live clips (vod_id nullable, live_job_id)",
                   {
                       R"(CREATE TABLE clips_v4 (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  vod_id TEXT REFERENCES vods(id) ON DELETE CASCADE,
  live_job_id TEXT REFERENCES jobs(id) ON DELETE CASCADE,
  moment_id TEXT,
  status TEXT NOT NULL,
  edit_list TEXT NOT NULL,
  template_id TEXT,
  title TEXT NOT NULL DEFAULT '',
  output_key TEXT,
  thumbnail_key TEXT,
  duration_ms BIGINT,
  size_bytes BIGINT,
  error TEXT,
  created_at_ms BIGINT NOT NULL,
  updated_at_ms BIGINT NOT NULL))",
                       "INSERT INTO clips_v4 (id, user_id, vod_id, moment_id, status, edit_list, "
                       "template_id, title, output_key, thumbnail_key, duration_ms, size_bytes, "
                       "error, created_at_ms, updated_at_ms) SELECT id, user_id, vod_id, "
                       "moment_id, status, edit_list, template_id, title, output_key, "
                       "thumbnail_key, duration_ms, size_bytes, error, created_at_ms, "
                       "updated_at_ms FROM clips",
                       "DROP TABLE clips",
                       "ALTER TABLE clips_v4 RENAME TO clips",
                       "CREATE INDEX clips_user_created ON clips(user_id, created_at_ms)",
                       "CREATE INDEX clips_vod ON clips(vod_id)",
                       "CREATE INDEX clips_live_job ON clips(live_job_id)",
                   }};
}

Status EnsureMigrationsTable(Database& tx) {
  if (tx.dialect() == Dialect::kPostgres) {
    // Serialises concurrent migrators (several API processes starting at once); released at the
    // end of the transaction.
    RETURN_IF_ERROR(tx.Query("SELECT pg_advisory_xact_lock($1)", {kMigrationLockKey}).status());
  }
  return tx
      .Execute(R"(CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at_ms BIGINT NOT NULL))")
      .status();
}

}  // namespace

const std::vector<Migration>& AllMigrations() {
  static const std::vector<Migration> migrations = {SchemaV1(), SchemaV2(), SchemaV3(), SchemaV4()};
  return migrations;
}

Result<int> SchemaVersion(Database& db) {
  int version = 0;
  RETURN_IF_ERROR(db.Transaction([&](Database& tx) -> Status {
    RETURN_IF_ERROR(EnsureMigrationsTable(tx));
    ASSIGN_OR_RETURN(auto rows,
                     tx.Query("SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations"));
    version = rows.empty() ? 0 : static_cast<int>(rows[0].Int("v"));
    return Status::Ok();
  }));
  return version;
}

Status Migrate(Database& db) {
  for (const Migration& migration : AllMigrations()) {
    Status status = db.Transaction([&](Database& tx) -> Status {
      RETURN_IF_ERROR(EnsureMigrationsTable(tx));
      ASSIGN_OR_RETURN(auto done, tx.Query("SELECT version FROM schema_migrations WHERE "
                                           "version = $1",
                                           {static_cast<std::int64_t>(migration.version)}));
      if (!done.empty()) return Status::Ok();
      for (const std::string& statement : migration.statements) {
        RETURN_IF_ERROR(tx.Execute(statement).status());
      }
      return tx
          .Execute(
              "INSERT INTO schema_migrations (version, name, applied_at_ms) "
              "VALUES ($1, $2, $3)",
              {static_cast<std::int64_t>(migration.version), migration.name, NowMs()})
          .status();
    });
    if (!status.ok()) {
      return status.WithPrefix("migration " + std::to_string(migration.version) + " (" +
                               migration.name + ")");
    }
  }
  return Status::Ok();
}

}  // namespace clipthat::store
