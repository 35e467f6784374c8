#include "billing/ledger.h"

#include <algorithm>

namespace clipthat::billing {
namespace {

using store::Database;
using store::Row;
using store::SqlValue;

constexpr char kEntryColumns[] =
    "id, user_id, kind, amount, credits, reason, job_id, reservation_id, live_minute, "
    "stripe_event_id, created_at_ms";
constexpr char kReservationColumns[] =
    "id, user_id, job_id, credits, status, captured, reason, created_at_ms, settled_at_ms";

template <typename T>
nlohmann::json OrNull(const std::optional<T>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

SqlValue OrSqlNull(const std::optional<std::string>& v) {
  return v ? SqlValue(*v) : SqlValue(std::monostate());
}

LedgerEntry EntryFromRow(const Row& r) {
  LedgerEntry e;
  e.id = r.Text("id");
  e.user_id = r.Text("user_id");
  e.kind = r.Text("kind");
  e.amount = r.Int("amount");
  e.credits = r.Int("credits");
  e.reason = r.Text("reason");
  e.job_id = r.OptText("job_id");
  e.reservation_id = r.OptText("reservation_id");
  e.live_minute = r.OptInt("live_minute");
  e.stripe_event_id = r.OptText("stripe_event_id");
  e.created_at_ms = r.Int("created_at_ms");
  return e;
}

ReservationRecord ReservationFromRow(const Row& r) {
  ReservationRecord v;
  v.id = r.Text("id");
  v.user_id = r.Text("user_id");
  v.job_id = r.Text("job_id");
  v.credits = r.Int("credits");
  v.status = r.Text("status");
  v.captured = r.Int("captured");
  v.reason = r.Text("reason");
  v.created_at_ms = r.Int("created_at_ms");
  v.settled_at_ms = r.OptInt("settled_at_ms");
  return v;
}

// Writes `e` as a new row (its id and time are given here).
Status Append(Database& tx, const LedgerEntry& e, std::int64_t now_ms) {
  return tx
      .Execute(
          "INSERT INTO ledger_entries (id, user_id, kind, amount, credits, reason, job_id, "
          "reservation_id, live_minute, stripe_event_id, created_at_ms) VALUES ($1, $2, $3, $4, "
          "$5, $6, $7, $8, $9, $10, $11)",
          {store::NewId(), e.user_id, e.kind, e.amount, e.credits, e.reason, OrSqlNull(e.job_id),
           OrSqlNull(e.reservation_id),
           e.live_minute ? SqlValue(*e.live_minute) : SqlValue(std::monostate()),
           OrSqlNull(e.stripe_event_id), now_ms})
      .status();
}

// Takes the user's lock for the rest of the transaction and returns the available balance.
// SQLite: the write transaction already excludes every other writer. PostgreSQL: the user's
// credit_accounts row, made on first use, is locked FOR UPDATE; concurrent transactions of the
// same user wait here, then read the balance their predecessor committed (READ COMMITTED takes
// a new snapshot per statement).
Result<std::int64_t> LockAndReadBalance(Database& tx, const std::string& user_id,
                                        std::int64_t now_ms) {
  RETURN_IF_ERROR(tx.Execute("INSERT INTO credit_accounts (user_id, created_at_ms) VALUES ($1, "
                             "$2) ON CONFLICT (user_id) DO NOTHING",
                             {user_id, now_ms})
                      .status());
  if (tx.dialect() == store::Dialect::kPostgres) {
    RETURN_IF_ERROR(
        tx.Query("SELECT user_id FROM credit_accounts WHERE user_id = $1 FOR UPDATE", {user_id})
            .status());
  }
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT COALESCE(SUM(amount), 0) AS balance FROM "
                                       "ledger_entries WHERE user_id = $1",
                                       {user_id}));
  return rows.empty() ? 0 : rows[0].Int("balance");
}

Result<std::optional<ReservationRecord>> OpenReservationOfJob(Database& tx,
                                                              const std::string& job_id) {
  ASSIGN_OR_RETURN(auto rows, tx.Query(std::string("SELECT ") + kReservationColumns +
                                           " FROM credit_reservations WHERE job_id = $1 AND "
                                           "status = 'open'",
                                       {job_id}));
  if (rows.empty()) return std::optional<ReservationRecord>();
  return std::optional<ReservationRecord>(ReservationFromRow(rows[0]));
}

// Settles `r` (open, locked by the caller's transaction): captures `capture` of it and
// releases the rest. The conditional UPDATE makes a second settlement of the same reservation
// (another server's sweeper) change nothing.
Result<Settlement> SettleReservation(Database& tx, const ReservationRecord& r, std::int64_t capture,
                                     const std::string& release_reason, std::int64_t now_ms) {
  capture = std::clamp<std::int64_t>(capture, 0, r.credits);
  const std::int64_t release = r.credits - capture;
  ASSIGN_OR_RETURN(
      std::int64_t changed,
      tx.Execute("UPDATE credit_reservations SET status = $1, captured = $2, "
                 "settled_at_ms = $3 WHERE id = $4 AND status = 'open'",
                 {std::string(capture > 0 ? "captured" : "released"), capture, now_ms, r.id}));
  if (changed == 0) return Settlement::kNone;
  if (capture > 0) {
    RETURN_IF_ERROR(Append(tx,
                           {.user_id = r.user_id,
                            .kind = "capture",
                            .amount = 0,
                            .credits = capture,
                            .reason = r.reason,
                            .job_id = r.job_id,
                            .reservation_id = r.id},
                           now_ms));
  }
  if (release > 0) {
    RETURN_IF_ERROR(Append(tx,
                           {.user_id = r.user_id,
                            .kind = "release",
                            .amount = release,
                            .credits = release,
                            .reason = release_reason,
                            .job_id = r.job_id,
                            .reservation_id = r.id},
                           now_ms));
  }
  return capture > 0 ? Settlement::kCaptured : Settlement::kReleased;
}

// Records the event id; false when it was recorded before (a redelivery).
Result<bool> RecordEvent(Database& tx, const std::string& event_id, const std::string& type,
                         const std::string& outcome, std::int64_t now_ms) {
  ASSIGN_OR_RETURN(std::int64_t inserted,
                   tx.Execute("INSERT INTO stripe_events (event_id, type, outcome, "
                              "received_at_ms) VALUES ($1, $2, $3, $4) ON CONFLICT (event_id) "
                              "DO NOTHING",
                              {event_id, type, outcome, now_ms}));
  return inserted > 0;
}

Status SetEventOutcome(Database& tx, const std::string& event_id, const std::string& outcome) {
  return tx
      .Execute("UPDATE stripe_events SET outcome = $1 WHERE event_id = $2", {outcome, event_id})
      .status();
}

}  // namespace

nlohmann::json LedgerEntry::ToJson() const {
  return {{"id", id},
          {"kind", kind},
          {"amount", amount},
          {"credits", credits},
          {"reason", reason},
          {"job_id", OrNull(job_id)},
          {"reservation_id", OrNull(reservation_id)},
          {"live_minute", OrNull(live_minute)},
          {"stripe_event_id", OrNull(stripe_event_id)},
          {"created_at_ms", created_at_ms}};
}

nlohmann::json ReservationRecord::ToJson() const {
  return {{"id", id},
          {"job_id", job_id},
          {"credits", credits},
          {"status", status},
          {"captured", captured},
          {"reason", reason},
          {"created_at_ms", created_at_ms},
          {"settled_at_ms", OrNull(settled_at_ms)}};
}

Result<Balance> Ledger::GetBalance(Database& db, const std::string& user_id) const {
  ASSIGN_OR_RETURN(auto rows,
                   db.Query("SELECT (SELECT COALESCE(SUM(amount), 0) FROM ledger_entries WHERE "
                            "user_id = $1) AS available, (SELECT COALESCE(SUM(credits), 0) FROM "
                            "credit_reservations WHERE user_id = $1 AND status = 'open') AS "
                            "reserved",
                            {user_id}));
  Balance balance;
  if (!rows.empty()) {
    balance.available = rows[0].Int("available");
    balance.reserved = rows[0].Int("reserved");
  }
  return balance;
}

Result<std::int64_t> Ledger::LockBalance(Database& tx, const std::string& user_id) const {
  return LockAndReadBalance(tx, user_id, now_ms_());
}

Status Ledger::Grant(Database& db, const std::string& user_id, std::int64_t credits,
                     const std::string& reason) const {
  if (credits == 0) return Status::Ok();
  return db.Transaction([&](Database& tx) -> Status {
    const std::int64_t now = now_ms_();
    ASSIGN_OR_RETURN(std::int64_t balance, LockAndReadBalance(tx, user_id, now));
    if (credits < 0 && balance + credits < 0) {
      return InvalidArgumentError("credits: taking " + std::to_string(-credits) +
                                  " would leave a negative balance (the balance is " +
                                  std::to_string(balance) + ")");
    }
    return Append(tx,
                  {.user_id = user_id,
                   .kind = credits > 0 ? "grant" : "adjust",
                   .amount = credits,
                   .credits = credits > 0 ? credits : -credits,
                   .reason = reason},
                  now);
  });
}

Result<Reserved> Ledger::Reserve(Database& db, const std::string& user_id,
                                 const std::string& job_id, std::int64_t price,
                                 const std::string& reason) const {
  Reserved out;
  out.price = std::max<std::int64_t>(0, price);
  RETURN_IF_ERROR(db.Transaction([&](Database& tx) -> Status {
    const std::int64_t now = now_ms_();
    ASSIGN_OR_RETURN(out.balance, LockAndReadBalance(tx, user_id, now));
    if (out.price == 0) {
      out.ok = true;
      return Status::Ok();
    }
    if (out.balance < out.price) {
      out.ok = false;
      return Status::Ok();
    }
    out.reservation_id = store::NewId();
    RETURN_IF_ERROR(tx.Execute("INSERT INTO credit_reservations (id, user_id, job_id, credits, "
                               "status, reason, created_at_ms) VALUES ($1, $2, $3, $4, 'open', "
                               "$5, $6)",
                               {out.reservation_id, user_id, job_id, out.price, reason, now})
                        .status());
    RETURN_IF_ERROR(Append(tx,
                           {.user_id = user_id,
                            .kind = "reserve",
                            .amount = -out.price,
                            .credits = out.price,
                            .reason = reason,
                            .job_id = job_id,
                            .reservation_id = out.reservation_id},
                           now));
    out.ok = true;
    return Status::Ok();
  }));
  return out;
}

Result<Settlement> Ledger::CaptureJob(Database& db, const std::string& job_id,
                                      std::optional<std::int64_t> credits) const {
  Settlement result = Settlement::kNone;
  RETURN_IF_ERROR(db.Transaction([&](Database& tx) -> Status {
    ASSIGN_OR_RETURN(auto open, OpenReservationOfJob(tx, job_id));
    if (!open) return Status::Ok();
    const std::int64_t now = now_ms_();
    ASSIGN_OR_RETURN(std::int64_t ignored, LockAndReadBalance(tx, open->user_id, now));
    (void)ignored;
    ASSIGN_OR_RETURN(result, SettleReservation(tx, *open, credits.value_or(open->credits),
                                               "charged less than held: " + open->reason, now));
    return Status::Ok();
  }));
  return result;
}

Result<Settlement> Ledger::ReleaseJob(Database& db, const std::string& job_id,
                                      const std::string& reason) const {
  Settlement result = Settlement::kNone;
  RETURN_IF_ERROR(db.Transaction([&](Database& tx) -> Status {
    ASSIGN_OR_RETURN(auto open, OpenReservationOfJob(tx, job_id));
    if (!open) return Status::Ok();
    const std::int64_t now = now_ms_();
    ASSIGN_OR_RETURN(std::int64_t ignored, LockAndReadBalance(tx, open->user_id, now));
    (void)ignored;
    ASSIGN_OR_RETURN(result, SettleReservation(tx, *open, 0, reason, now));
    return Status::Ok();
  }));
  return result;
}

Result<Settlement> Ledger::SettleJob(Database& db, const std::string& job_id) const {
  ASSIGN_OR_RETURN(auto rows, db.Query("SELECT status FROM jobs WHERE id = $1", {job_id}));
  if (rows.empty()) return ReleaseJob(db, job_id, "the job no longer exists");
  const std::string status = rows[0].Text("status");
  if (status == "succeeded") return CaptureJob(db, job_id);
  if (status == "failed") return ReleaseJob(db, job_id, "the job failed");
  if (status == "cancelled") return ReleaseJob(db, job_id, "the job was cancelled");
  return Settlement::kNone;
}

Result<int> Ledger::Sweep(Database& db) const {
  ASSIGN_OR_RETURN(auto rows,
                   db.Query("SELECT r.job_id AS job_id FROM credit_reservations r LEFT JOIN "
                            "jobs j ON j.id = r.job_id WHERE r.status = 'open' AND (j.id IS "
                            "NULL OR j.status IN ('succeeded', 'failed', 'cancelled'))"));
  int settled = 0;
  for (const Row& row : rows) {
    ASSIGN_OR_RETURN(Settlement s, SettleJob(db, row.Text("job_id")));
    if (s != Settlement::kNone) ++settled;
  }
  return settled;
}

Result<Ledger::MinuteCharge> Ledger::ChargeLiveMinute(Database& db, const std::string& user_id,
                                                      const std::string& job_id,
                                                      std::int64_t minute,
                                                      std::int64_t credits) const {
  MinuteCharge out;
  credits = std::max<std::int64_t>(0, credits);
  RETURN_IF_ERROR(db.Transaction([&](Database& tx) -> Status {
    const std::int64_t now = now_ms_();
    ASSIGN_OR_RETURN(std::int64_t balance, LockAndReadBalance(tx, user_id, now));
    ASSIGN_OR_RETURN(auto done, tx.Query("SELECT id FROM ledger_entries WHERE job_id = $1 AND "
                                         "live_minute = $2",
                                         {job_id, minute}));
    out.balance = balance;
    if (!done.empty()) {
      out.charged = out.again = true;
      return Status::Ok();
    }
    if (balance < credits) return Status::Ok();
    RETURN_IF_ERROR(Append(tx,
                           {.user_id = user_id,
                            .kind = "capture",
                            .amount = -credits,
                            .credits = credits,
                            .reason = "live monitoring, minute " + std::to_string(minute + 1),
                            .job_id = job_id,
                            .live_minute = minute},
                           now));
    out.charged = true;
    out.balance = balance - credits;
    return Status::Ok();
  }));
  return out;
}

Status Ledger::RecordCheckout(Database& db, const std::string& session_id,
                              const std::string& user_id, const std::string& pack,
                              std::int64_t credits, std::int64_t amount_cents,
                              const std::string& currency) const {
  return db
      .Execute(
          "INSERT INTO stripe_checkouts (session_id, user_id, pack, credits, amount_cents, "
          "currency, status, created_at_ms) VALUES ($1, $2, $3, $4, $5, $6, 'open', $7) ON "
          "CONFLICT (session_id) DO NOTHING",
          {session_id, user_id, pack, credits, amount_cents, currency, now_ms_()})
      .status();
}

Result<StripeOutcome> Ledger::ApplyPaidCheckout(Database& db, const PaidCheckout& paid) const {
  StripeOutcome out;
  RETURN_IF_ERROR(db.Transaction([&](Database& tx) -> Status {
    out = StripeOutcome();
    const std::int64_t now = now_ms_();
    ASSIGN_OR_RETURN(bool first, RecordEvent(tx, paid.event_id, paid.event_type, "received", now));
    if (!first) {
      out.duplicate = true;
      out.note = "event " + paid.event_id + " was applied before";
      return Status::Ok();
    }
    std::string user_id = paid.user_id;
    std::int64_t credits = paid.credits;
    std::string pack = paid.pack;
    ASSIGN_OR_RETURN(auto known, tx.Query("SELECT user_id, credits, pack, status FROM "
                                          "stripe_checkouts WHERE session_id = $1",
                                          {paid.session_id}));
    if (!known.empty()) {
      if (known[0].Text("status") == "paid") {
        out.note = "session " + paid.session_id + " was granted before";
        return SetEventOutcome(tx, paid.event_id, "already granted");
      }
      if (!paid.user_id.empty() && known[0].Text("user_id") != paid.user_id) {
        out.note = "session " + paid.session_id + ": client_reference_id names another user";
        return SetEventOutcome(tx, paid.event_id, "user mismatch");
      }
      user_id = known[0].Text("user_id");
      credits = known[0].Int("credits");
      pack = known[0].Text("pack");
    }
    ASSIGN_OR_RETURN(auto user, tx.Query("SELECT id FROM users WHERE id = $1", {user_id}));
    if (user_id.empty() || user.empty()) {
      out.note = "session " + paid.session_id + ": no such user '" + user_id + "'";
      return SetEventOutcome(tx, paid.event_id, "unknown user");
    }
    if (credits <= 0) {
      out.note = "session " + paid.session_id + ": no credits in metadata[credits]";
      return SetEventOutcome(tx, paid.event_id, "no credits");
    }
    RETURN_IF_ERROR(tx.Execute("INSERT INTO stripe_checkouts (session_id, user_id, pack, "
                               "credits, amount_cents, currency, status, payment_intent, "
                               "created_at_ms, paid_at_ms) VALUES ($1, $2, $3, $4, $5, $6, "
                               "'paid', $7, $8, $8) ON CONFLICT (session_id) DO UPDATE SET "
                               "status = 'paid', payment_intent = $7, paid_at_ms = $8",
                               {paid.session_id, user_id, pack, credits, paid.amount_cents,
                                paid.currency, paid.payment_intent, now})
                        .status());
    ASSIGN_OR_RETURN(std::int64_t ignored, LockAndReadBalance(tx, user_id, now));
    (void)ignored;
    RETURN_IF_ERROR(Append(
        tx,
        {.user_id = user_id,
         .kind = "purchase",
         .amount = credits,
         .credits = credits,
         .reason = "bought " + (pack.empty() ? std::string("credits") : "pack '" + pack + "'") +
                   " (Checkout Session " + paid.session_id + ")",
         .stripe_event_id = paid.event_id},
        now));
    out.applied = true;
    out.credits = credits;
    out.note = "granted " + std::to_string(credits) + " credits to user " + user_id;
    return SetEventOutcome(tx, paid.event_id, "granted");
  }));
  return out;
}

Result<StripeOutcome> Ledger::ApplyRefund(Database& db, const std::string& event_id,
                                          const std::string& payment_intent,
                                          std::int64_t amount_refunded_cents) const {
  StripeOutcome out;
  RETURN_IF_ERROR(db.Transaction([&](Database& tx) -> Status {
    out = StripeOutcome();
    const std::int64_t now = now_ms_();
    ASSIGN_OR_RETURN(bool first, RecordEvent(tx, event_id, "charge.refunded", "received", now));
    if (!first) {
      out.duplicate = true;
      out.note = "event " + event_id + " was applied before";
      return Status::Ok();
    }
    ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT session_id, user_id, credits, amount_cents, "
                                         "refunded_credits FROM stripe_checkouts WHERE "
                                         "payment_intent = $1 AND status = 'paid'",
                                         {payment_intent}));
    if (payment_intent.empty() || rows.empty()) {
      out.note = "no purchase paid by payment intent '" + payment_intent + "'";
      return SetEventOutcome(tx, event_id, "unknown payment");
    }
    const Row& purchase = rows[0];
    const std::string user_id = purchase.Text("user_id");
    const std::int64_t credits = purchase.Int("credits");
    const std::int64_t price = std::max<std::int64_t>(1, purchase.Int("amount_cents"));
    const std::int64_t refunded = std::clamp<std::int64_t>(amount_refunded_cents, 0, price);
    // The refunded share of the credits, rounded up: a refund never leaves paid-for credits.
    const std::int64_t owed_total = (credits * refunded + price - 1) / price;
    const std::int64_t owed = owed_total - purchase.Int("refunded_credits");
    if (owed <= 0) {
      out.note = "payment " + payment_intent + ": nothing more to take back";
      return SetEventOutcome(tx, event_id, "nothing to take");
    }
    ASSIGN_OR_RETURN(std::int64_t balance, LockAndReadBalance(tx, user_id, now));
    const std::int64_t taken = std::min(owed, std::max<std::int64_t>(0, balance));
    RETURN_IF_ERROR(tx.Execute("UPDATE stripe_checkouts SET refunded_credits = $1 WHERE "
                               "session_id = $2",
                               {owed_total, purchase.Text("session_id")})
                        .status());
    std::string reason = "refund of " + std::to_string(owed) + " credits (Checkout Session " +
                         purchase.Text("session_id") + ")";
    if (taken < owed) {
      reason += "; " + std::to_string(owed - taken) + " of them were already spent";
    }
    RETURN_IF_ERROR(Append(tx,
                           {.user_id = user_id,
                            .kind = "refund",
                            .amount = -taken,
                            .credits = taken,
                            .reason = reason,
                            .stripe_event_id = event_id},
                           now));
    out.applied = true;
    out.credits = taken;
    out.note = reason;
    return SetEventOutcome(tx, event_id, "refunded");
  }));
  return out;
}

Result<bool> Ledger::RecordIgnoredEvent(Database& db, const std::string& event_id,
                                        const std::string& type, const std::string& why) const {
  return RecordEvent(db, event_id, type, "ignored: " + why, now_ms_());
}

Result<std::vector<LedgerEntry>> Ledger::Entries(Database& db, const std::string& user_id,
                                                 int limit,
                                                 std::optional<std::int64_t> before_created_at_ms,
                                                 const std::string& before_id) const {
  std::vector<SqlValue> params = {user_id};
  std::string sql =
      std::string("SELECT ") + kEntryColumns + " FROM ledger_entries WHERE user_id = $1";
  if (before_created_at_ms) {
    params.push_back(*before_created_at_ms);
    params.push_back(before_id);
    sql += " AND (created_at_ms < $2 OR (created_at_ms = $2 AND id < $3))";
  }
  params.push_back(static_cast<std::int64_t>(std::clamp(limit, 1, 1000)));
  sql += " ORDER BY created_at_ms DESC, id DESC LIMIT $" + std::to_string(params.size());
  ASSIGN_OR_RETURN(auto rows, db.Query(sql, params));
  std::vector<LedgerEntry> entries;
  entries.reserve(rows.size());
  for (const Row& row : rows) entries.push_back(EntryFromRow(row));
  return entries;
}

Result<std::vector<ReservationRecord>> Ledger::OpenReservations(Database& db,
                                                                const std::string& user_id) const {
  ASSIGN_OR_RETURN(auto rows, db.Query(std::string("SELECT ") + kReservationColumns +
                                           " FROM credit_reservations WHERE user_id = $1 AND "
                                           "status = 'open' ORDER BY created_at_ms, id",
                                       {user_id}));
  std::vector<ReservationRecord> out;
  for (const Row& row : rows) out.push_back(ReservationFromRow(row));
  return out;
}

}  // namespace clipthat::billing
