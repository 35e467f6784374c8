// Ledger: every user's credits, kept as an append-only list of entries in the database
// (ledger_entries, migration 3). The available balance is the sum of the user's entry amounts;
// nothing else stores it.
//
// Entry kinds and their amount (the entry's effect on the available balance):
//   grant     +N  free credits (sign-up, an operator's `clipthat admin grant`)
//   purchase  +N  a paid Stripe Checkout Session
//   reserve   -N  a job holds its price from the moment it is created
//   capture   0   a held price is charged (the job succeeded); `credits` says how much.
//            -N   a direct charge with nothing held before it (a live minute)
//   release   +N  held credits come back (the job failed for good, was cancelled or vanished,
//                 or a capture took less than was held)
//   refund    -N  a purchase was refunded through Stripe
//   adjust    -N  an operator's correction (a negative `clipthat admin grant`)
// Every entry has `credits` (its size, >= 0), a reason in words, and what it belongs to: the
// job, the reservation, the live minute or the Stripe event.
//
// Invariant: no available balance ever goes negative. Every method that takes credits checks
// the balance inside one transaction that holds the user's lock: a write transaction on SQLite
// (BEGIN IMMEDIATE serialises writers), `SELECT ... FOR UPDATE` of the user's credit_accounts row
// on PostgreSQL (so several API servers on one database serialise per user, not globally).
//
// Methods take the Database to work on: pass a transaction's `tx` to make the ledger change part
// of a larger one (a job and its reservation are created together, or not at all); pass the
// database itself and the method runs its own transaction. Errors are the database's (see
// store/database.h); a shortage of credits is not an error but an outcome (Reserved::ok false).
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "store/database.h"

namespace clipthat::billing {

struct LedgerEntry {
  std::string id;
  std::string user_id;
  std::string kind;
  std::int64_t amount = 0;
  std::int64_t credits = 0;
  std::string reason;
  std::optional<std::string> job_id;
  std::optional<std::string> reservation_id;
  std::optional<std::int64_t> live_minute;
  std::optional<std::string> stripe_event_id;
  std::int64_t created_at_ms = 0;

  // {"id", "kind", "amount", "credits", "reason", "job_id", "reservation_id", "live_minute",
  //  "stripe_event_id", "created_at_ms"} (absent links are null).
  nlohmann::json ToJson() const;
};

struct Balance {
  std::int64_t available = 0;  // what new work may spend: the sum of every entry's amount
  std::int64_t reserved = 0;   // held by open reservations (already taken out of available)
};

struct ReservationRecord {
  std::string id;
  std::string user_id;
  std::string job_id;
  std::int64_t credits = 0;
  std::string status;  // "open", "captured", "released"
  std::int64_t captured = 0;
  std::string reason;
  std::int64_t created_at_ms = 0;
  std::optional<std::int64_t> settled_at_ms;

  nlohmann::json ToJson() const;
};

// What Reserve did.
struct Reserved {
  bool ok = false;             // false: the balance was short and nothing was written
  std::string reservation_id;  // "" when ok with a price of 0 (nothing to hold)
  std::int64_t price = 0;      // the credits asked for
  std::int64_t balance = 0;    // the available balance before the reservation
};

// What a settlement did to one reservation.
enum class Settlement { kNone, kCaptured, kReleased };

// What a Stripe event changed.
struct StripeOutcome {
  bool applied = false;    // credits were granted or taken back by this delivery
  bool duplicate = false;  // this event id was applied before: nothing changed
  std::int64_t credits = 0;
  std::string note;  // why nothing changed, or what was done, in words (logged)
};

// A paid Checkout Session as the webhook reads it.
struct PaidCheckout {
  std::string event_id;
  std::string event_type;
  std::string session_id;
  std::string user_id;       // client_reference_id
  std::int64_t credits = 0;  // metadata[credits]
  std::string pack;
  std::string payment_intent;
  std::int64_t amount_cents = 0;
  std::string currency;
};

class Ledger {
 public:
  explicit Ledger(std::function<std::int64_t()> now_ms = store::NowMs)
      : now_ms_(std::move(now_ms)) {}

  Result<Balance> GetBalance(store::Database& db, const std::string& user_id) const;

  // Inside a transaction `tx`: takes the user's lock until `tx` ends and returns the available
  // balance, so that a Reserve later in `tx` of at most that much cannot be refused (check
  // first, then write the job and its reservation).
  Result<std::int64_t> LockBalance(store::Database& tx, const std::string& user_id) const;

  // Adds `credits` (> 0) as a "grant" (kind "grant"), or takes -credits (< 0) as an "adjust"
  // entry when the balance allows it (InvalidArgument naming the balance otherwise). 0 does
  // nothing.
  Status Grant(store::Database& db, const std::string& user_id, std::int64_t credits,
               const std::string& reason) const;

  // Holds `price` credits for `job_id` (one reservation per job; AlreadyExists for a second).
  // A price of 0 holds nothing and succeeds.
  Result<Reserved> Reserve(store::Database& db, const std::string& user_id,
                           const std::string& job_id, std::int64_t price,
                           const std::string& reason) const;

  // Charges the job's open reservation: `credits` of it (nullopt: all) are captured, the rest
  // released. kNone when the job has no open reservation (none was needed, or it is settled).
  Result<Settlement> CaptureJob(store::Database& db, const std::string& job_id,
                                std::optional<std::int64_t> credits = std::nullopt) const;
  // Returns the job's open reservation in full. kNone when there is none.
  Result<Settlement> ReleaseJob(store::Database& db, const std::string& job_id,
                                const std::string& reason) const;

  // Settles the job's open reservation by the job's state: succeeded -> captured in full;
  // failed, cancelled or no such job -> released; queued or running -> left open.
  Result<Settlement> SettleJob(store::Database& db, const std::string& job_id) const;

  // The sweeper: settles every open reservation whose job has ended or vanished (SettleJob on
  // each). Returns how many it settled. Safe to run on several servers at once.
  Result<int> Sweep(store::Database& db) const;

  // Charges minute `minute` (0-based) of live job `job_id`: a capture of `credits` with nothing
  // held. Idempotent: a minute already charged is not charged again (charged = true, again =
  // true). When the balance is short nothing is written (charged = false).
  struct MinuteCharge {
    bool charged = false;
    bool again = false;
    std::int64_t balance = 0;  // available after the charge
  };
  Result<MinuteCharge> ChargeLiveMinute(store::Database& db, const std::string& user_id,
                                        const std::string& job_id, std::int64_t minute,
                                        std::int64_t credits) const;

  // Records a Checkout Session this server created (the webhook grants what was recorded).
  Status RecordCheckout(store::Database& db, const std::string& session_id,
                        const std::string& user_id, const std::string& pack, std::int64_t credits,
                        std::int64_t amount_cents, const std::string& currency) const;

  // Grants a paid Checkout Session once: the event id is recorded in the same transaction as
  // the purchase entry, and a session is granted once whatever event announces it. The credits
  // and user are those recorded by RecordCheckout when the session is known (the signed
  // event's client_reference_id must name the same user), else the signed event's own.
  Result<StripeOutcome> ApplyPaidCheckout(store::Database& db, const PaidCheckout& paid) const;

  // Takes back the credits of a refunded purchase (charge.refunded): the share of the
  // purchase's credits that `amount_refunded_cents` (cumulative, as Stripe reports it) is of
  // its price, less what earlier refund events took. The balance never goes below zero: credits
  // already spent are noted in the entry's reason, not taken.
  Result<StripeOutcome> ApplyRefund(store::Database& db, const std::string& event_id,
                                    const std::string& payment_intent,
                                    std::int64_t amount_refunded_cents) const;

  // Records an event id that changes nothing (unknown types, unpaid sessions), so its
  // redeliveries are recognised. Returns false when it was recorded before.
  Result<bool> RecordIgnoredEvent(store::Database& db, const std::string& event_id,
                                  const std::string& type, const std::string& why) const;

  // The user's entries, newest first: `limit` rows after (created_at_ms, id) of the cursor.
  Result<std::vector<LedgerEntry>> Entries(store::Database& db, const std::string& user_id,
                                           int limit,
                                           std::optional<std::int64_t> before_created_at_ms,
                                           const std::string& before_id) const;

  // The user's open reservations, oldest first.
  Result<std::vector<ReservationRecord>> OpenReservations(store::Database& db,
                                                          const std::string& user_id) const;

 private:
  std::function<std::int64_t()> now_ms_;
};

}  // namespace clipthat::billing
