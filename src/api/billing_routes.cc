// Credits: the balance and ledger, the price of a job before it starts, Stripe Checkout to buy
// credit packs, and the Stripe webhook that grants them; plus the helpers every job-creating
// route uses to hold a job's price (EnqueuePaid) and settle it (SettleCredits).
#include <cmath>

#include "api/api_context.h"
#include "api/api_error.h"
#include "api/json_fields.h"
#include "api/pagination.h"
#include "billing/prices.h"
#include "billing/stripe_checkout.h"
#include "billing/stripe_webhook.h"
#include "media/probe.h"

namespace clipthat::api {
namespace {

constexpr std::size_t kBillingBodyBytes = 4 << 10;
// Stripe's events are a few KB; its documentation caps a payload well under this.
constexpr std::size_t kWebhookBodyBytes = 512 << 10;
// The bit rate assumed when a VOD's length cannot be read from its media: low, so the estimate
// (and the hold) errs long; the analysis charges its measured length.
constexpr std::int64_t kEstimateBitsPerSecond = 1'000'000;

nlohmann::json PacksJson(const billing::BillingOptions& options) {
  nlohmann::json packs = nlohmann::json::array();
  for (const billing::CreditPack& p : options.packs) {
    packs.push_back({{"id", p.id},
                     {"credits", p.credits},
                     {"amount_cents", p.amount_cents},
                     {"currency", options.currency},
                     {"name", p.name}});
  }
  return packs;
}

// The web app's billing page, absolute: billing.success_url / cancel_url, else api.public_url,
// else the address the caller used.
std::string ReturnUrl(const ApiContext& ctx, const Call& call, const std::string& configured,
                      const std::string& query) {
  if (!configured.empty()) return configured;
  std::string base = ctx.options.public_url;
  if (base.empty()) {
    std::string host = call.req.get_header_value("Host");
    bool plain = !host.empty() && host.size() <= 255;
    for (char c : host) {
      plain = plain && (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' ||
                        c == ':' || c == '[' || c == ']');
    }
    base = "http://" + (plain ? host : std::string("127.0.0.1"));
  }
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/billing.html?" + query;
}

}  // namespace

Result<QueuedRender> EnqueuePaid(store::Database& tx, ApiContext& ctx, const store::NewJob& job,
                                 std::int64_t price, const std::string& reason,
                                 const std::function<Status()>& before_enqueue) {
  QueuedRender out;
  ASSIGN_OR_RETURN(std::int64_t balance, ctx.ledger.LockBalance(tx, job.user_id));
  ASSIGN_OR_RETURN(out.over_quota, CheckActiveJobsQuota(tx, ctx.options, job.user_id));
  if (out.over_quota) return out;
  if (balance < price) {
    out.reserved = {.ok = false, .price = price, .balance = balance};
    return out;
  }
  if (before_enqueue) RETURN_IF_ERROR(before_enqueue());
  store::JobQueue queue(tx);
  ASSIGN_OR_RETURN(out.job_id, queue.Enqueue(job));
  ASSIGN_OR_RETURN(out.reserved, ctx.ledger.Reserve(tx, job.user_id, out.job_id, price, reason));
  if (!out.reserved.ok) return InternalError("reservation refused under the user's lock");
  return out;
}

void SettleCredits(ApiContext& ctx, const std::string& job_id) {
  auto settled = ctx.ledger.SettleJob(ctx.db, job_id);
  if (!settled.ok()) {
    CT_LOG(ctx.logger, kWarn) << "job " << job_id << ": credits not settled yet (the sweeper "
                              << "retries): " << settled.status().ToString();
  }
}

std::int64_t AnalysisPricingDurationMs(ApiContext& ctx, const VodRecord& vod) {
  if (vod.duration_ms && *vod.duration_ms > 0) return *vod.duration_ms;
  if (auto* local = dynamic_cast<store::LocalObjectStore*>(&ctx.objects)) {
    if (auto path = local->PathFor(vod.media_key); path.ok()) {
      if (auto probe = media::Probe(*path); probe.ok() && probe->duration_ms > 0) {
        (void)ctx.db.Execute("UPDATE vods SET duration_ms = $1 WHERE id = $2",
                             {static_cast<std::int64_t>(probe->duration_ms), vod.id});
        return probe->duration_ms;
      }
    }
  }
  const std::int64_t bytes = std::max(vod.size_bytes, vod.received_bytes);
  return std::max<std::int64_t>(1, bytes * 8 * 1000 / kEstimateBitsPerSecond);
}

void RegisterBillingRoutes(Router& router, ApiContext& ctx) {
  const billing::BillingOptions& options = ctx.options.billing;

  router.Add(
      {"GET",
       "/v1/billing",
       Access::kUser,
       BodyKind::kNone,
       0,
       {.summary = "Your credit balance, open reservations, prices and credit packs",
        .tag = "billing",
        .description = "balance: credits new work may spend; reserved: credits held by "
                       "queued and running jobs (charged when they succeed, returned "
                       "when they fail or are cancelled).",
        .response_schema = "Billing"},
       [&ctx, &options](Call& call) {
         billing::Balance balance = ValueOrThrow(ctx.ledger.GetBalance(ctx.db, call.user_id()));
         nlohmann::json reservations = nlohmann::json::array();
         for (const auto& r : ValueOrThrow(ctx.ledger.OpenReservations(ctx.db, call.user_id()))) {
           reservations.push_back(r.ToJson());
         }
         call.Json(200, {{"balance", balance.available},
                         {"reserved", balance.reserved},
                         {"reservations", std::move(reservations)},
                         {"prices",
                          {{"analysis_per_hour", options.prices.analysis_per_hour_credits},
                           {"render_clip", options.prices.render_clip_credits},
                           {"live_minute", options.prices.live_minute_credits}}},
                         {"packs", PacksJson(options)},
                         {"checkout_enabled", !options.stripe_secret_key.empty()}});
       }});

  router.Add({"GET",
              "/v1/billing/ledger",
              Access::kUser,
              BodyKind::kNone,
              0,
              {.summary = "Your ledger entries, newest first",
               .tag = "billing",
               .description = "Every change of your credits: grant, purchase, reserve, capture, "
                              "release, refund, adjust. The balance is the sum of the amounts.",
               .response_schema = "LedgerPage",
               .params = {{"limit", "query", "integer", "1..100, default 20", false},
                          {"cursor", "query", "string", "next_cursor of the previous page", false}},
               .errors = {422}},
              [&ctx](Call& call) {
                PageRequest page = ParsePageRequest(call);
                auto entries =
                    ValueOrThrow(ctx.ledger.Entries(ctx.db, call.user_id(), page.limit + 1,
                                                    page.after_created_at_ms, page.after_id));
                std::optional<std::string> next;
                if (static_cast<int>(entries.size()) > page.limit) {
                  entries.resize(page.limit);
                  next = EncodeCursor(entries.back().created_at_ms, entries.back().id);
                }
                call.Json(200, PageJson(entries, next));
              }});

  router.Add(
      {"GET",
       "/v1/billing/quote",
       Access::kUser,
       BodyKind::kNone,
       0,
       {.summary = "What a job would cost, before it starts",
        .tag = "billing",
        .description = "kind=analyze&vod_id=ID[&render_top=N]: the analysis of the VOD "
                       "(per started 10 minutes) and N renders; kind=render: one clip "
                       "render.",
        .response_schema = "Quote",
        .params = {{"kind", "query", "string", "analyze | render", true},
                   {"vod_id", "query", "string", "analyze: the VOD", false},
                   {"render_top", "query", "integer", "analyze: 0..50, default 3", false}},
        .errors = {404, 422}},
       [&ctx, &options](Call& call) {
         std::string kind = call.Query("kind").value_or("");
         billing::Balance balance = ValueOrThrow(ctx.ledger.GetBalance(ctx.db, call.user_id()));
         nlohmann::json quote = {{"kind", kind}, {"duration_ms", nullptr}};
         std::int64_t price = 0;
         if (kind == "render") {
           price = options.prices.render_clip_credits;
         } else if (kind == "analyze") {
           VodRecord vod =
               FoundOrThrow(ctx.vods.Get(call.Query("vod_id").value_or(""), call.user_id()), "vod");
           std::int64_t render_top = 3;
           if (auto text = call.Query("render_top")) {
             char* end = nullptr;
             long n = std::strtol(text->c_str(), &end, 10);
             if (text->empty() || *end != '\0' || n < 0 || n > 50) {
               throw InvalidField("render_top", "expected an integer 0..50");
             }
             render_top = n;
           }
           std::int64_t duration = AnalysisPricingDurationMs(ctx, vod);
           quote["duration_ms"] = duration;
           price = billing::AnalysisWithRendersPriceCredits(options.prices, duration, render_top);
         } else {
           throw InvalidField("kind", "expected analyze or render");
         }
         quote["price"] = price;
         quote["balance"] = balance.available;
         quote["enough"] = balance.available >= price;
         call.Json(200, quote);
       }});

  router.Add(
      {"POST",
       "/v1/billing/checkout",
       Access::kUser,
       BodyKind::kJson,
       kBillingBodyBytes,
       {.summary = "Buy a credit pack: creates a Stripe Checkout Session",
        .tag = "billing",
        .description = "Send the buyer to the answer's url. The credits are granted when Stripe "
                       "reports the payment (the webhook), not before; the billing page shows "
                       "them then. 503 when no Stripe key is configured.",
        .request_schema = "CheckoutRequest",
        .success_status = 201,
        .response_schema = "CheckoutSession",
        .errors = {400, 413, 422, 503},
        .request_example = {{"pack", "starter"}}},
       [&ctx, &options](Call& call) {
         nlohmann::json body = call.JsonBody();
         JsonFields f(body);
         std::string pack_id = f.RequiredString("pack", {.max_bytes = 32});
         f.RejectUnknown();
         std::optional<billing::CreditPack> pack = options.FindPack(pack_id);
         if (!pack) throw InvalidField("pack", "no such pack (GET /v1/billing lists them)");
         if (options.stripe_secret_key.empty()) {
           throw ApiError(503, "unavailable", "buying credits is not configured on this server");
         }
         std::optional<User> user = ValueOrThrow(ctx.accounts.FindUserById(call.user_id()));
         billing::CheckoutRequest request;
         request.user_id = call.user_id();
         request.user_email = user ? user->email : "";
         request.pack = *pack;
         request.idempotency_key = "checkout-" + store::NewId();
         request.success_url = ReturnUrl(ctx, call, options.success_url,
                                         "checkout=success&session_id={CHECKOUT_SESSION_ID}");
         request.cancel_url = ReturnUrl(ctx, call, options.cancel_url, "checkout=cancelled");
         auto session = billing::StripeCheckout(options).Create(request);
         if (!session.ok()) {
           ApiError e(502, "unavailable", "the payment provider did not create a checkout");
           e.detail = session.status().ToString();
           CT_LOG(call.log(), kWarn) << "checkout: " << session.status().ToString();
           throw e;
         }
         ThrowIfError(ctx.ledger.RecordCheckout(ctx.db, session->id, call.user_id(), pack->id,
                                                pack->credits, pack->amount_cents,
                                                options.currency));
         CT_LOG(call.log(), kInfo) << "checkout " << session->id << " for user " << call.user_id()
                                   << ", pack " << pack->id;
         call.Json(201, {{"id", session->id}, {"url", session->url}});
       }});

  router.Add(
      {"POST",
       "/v1/billing/stripe-webhook",
       Access::kPublic,
       BodyKind::kJson,
       kWebhookBodyBytes,
       {.summary = "Stripe's webhook endpoint (signed events)",
        .tag = "billing",
        .description = "Verifies Stripe-Signature (HMAC-SHA256 of \"t.body\" with "
                       "billing.stripe_webhook_secret, any v1, 300 s tolerance); 400 when it "
                       "fails. Grants credits on checkout.session.completed (paid) and "
                       "checkout.session.async_payment_succeeded, takes them back on "
                       "charge.refunded; each event id takes effect once. Other events: 200, "
                       "ignored. See docs/billing.md.",
        .request_schema = "StripeEvent",
        .response_schema = "WebhookAck",
        .params = {{"Stripe-Signature", "header", "string", "t=...,v1=...", true}},
        .errors = {400, 413}},
       [&ctx, &options](Call& call) {
         billing::StripeWebhook webhook(options, ctx.ledger, ctx.db);
         auto outcome = webhook.Handle(call.req.get_header_value("Stripe-Signature"), call.Body());
         if (!outcome.ok()) {
           const Status& st = outcome.status();
           if (st.code() == StatusCode::kInvalidArgument || st.code() == StatusCode::kDataError) {
             CT_LOG(call.log(), kWarn) << "stripe webhook refused: " << st.message();
             throw BadRequest(st.message());
           }
           throw ApiErrorFromStatus(st);  // 500/503: Stripe delivers it again later
         }
         CT_LOG(call.log(), kInfo) << "stripe webhook: " << outcome->note;
         call.Json(200, {{"received", true}});
       }});
}

}  // namespace clipthat::api
