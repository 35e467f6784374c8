#include "billing/stripe_webhook.h"

#include <chrono>

#include "billing/stripe_signature.h"
#include "core/json_document.h"

namespace clipthat::billing {
namespace {

std::string StringAt(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::int64_t IntAt(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
}

// metadata[credits] arrives as a string ("100"); a number is accepted too.
std::int64_t CreditsOf(const nlohmann::json& session) {
  auto metadata = session.find("metadata");
  if (metadata == session.end() || !metadata->is_object()) return 0;
  auto it = metadata->find("credits");
  if (it == metadata->end()) return 0;
  if (it->is_number_integer()) return it->get<std::int64_t>();
  if (!it->is_string()) return 0;
  const std::string text = it->get<std::string>();
  if (text.empty() || text.size() > 12) return 0;
  std::int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return 0;
    value = value * 10 + (c - '0');
  }
  return value;
}

}  // namespace

StripeWebhook::StripeWebhook(const BillingOptions& options, const Ledger& ledger,
                             store::Database& db, std::function<std::int64_t()> now_s)
    : options_(options), ledger_(ledger), db_(db), now_s_(std::move(now_s)) {
  if (!now_s_) {
    now_s_ = [] {
      return std::chrono::duration_cast<std::chrono::seconds>(
                 std::chrono::system_clock::now().time_since_epoch())
          .count();
    };
  }
}

Result<StripeOutcome> StripeWebhook::Handle(std::string_view signature_header,
                                            std::string_view body) const {
  RETURN_IF_ERROR(VerifyStripeSignature(signature_header, body, options_.stripe_webhook_secret,
                                        now_s_(), options_.webhook_tolerance_s));
  ASSIGN_OR_RETURN(nlohmann::json event, ParseJsonDocument(body, "event"));
  const std::string id = event.is_object() ? StringAt(event, "id") : "";
  const std::string type = event.is_object() ? StringAt(event, "type") : "";
  if (id.empty() || type.empty() || id.size() > 255 || type.size() > 255 ||
      !event.contains("data") || !event["data"].is_object() || !event["data"].contains("object") ||
      !event["data"]["object"].is_object()) {
    return DataError("event: not a Stripe event (no id, type or data.object)");
  }
  const nlohmann::json& object = event["data"]["object"];

  auto ignore = [&](const std::string& why) -> Result<StripeOutcome> {
    ASSIGN_OR_RETURN(bool first, ledger_.RecordIgnoredEvent(db_, id, type, why));
    StripeOutcome out;
    out.duplicate = !first;
    out.note = "event " + id + " (" + type + ") ignored: " + why;
    return out;
  };

  if (type == "checkout.session.completed" || type == "checkout.session.async_payment_succeeded") {
    const std::string payment_status = StringAt(object, "payment_status");
    if (type == "checkout.session.completed" && payment_status != "paid" &&
        payment_status != "no_payment_required") {
      return ignore("payment_status is '" + payment_status + "'; waiting for the payment");
    }
    PaidCheckout paid;
    paid.event_id = id;
    paid.event_type = type;
    paid.session_id = StringAt(object, "id");
    paid.user_id = StringAt(object, "client_reference_id");
    paid.credits = CreditsOf(object);
    if (object.contains("metadata") && object["metadata"].is_object()) {
      paid.pack = StringAt(object["metadata"], "pack");
    }
    paid.payment_intent = StringAt(object, "payment_intent");
    paid.amount_cents = IntAt(object, "amount_total");
    paid.currency = StringAt(object, "currency");
    if (paid.session_id.empty()) return DataError("event " + id + ": the session has no id");
    return ledger_.ApplyPaidCheckout(db_, paid);
  }
  if (type == "charge.refunded") {
    return ledger_.ApplyRefund(db_, id, StringAt(object, "payment_intent"),
                               IntAt(object, "amount_refunded"));
  }
  return ignore("not an event ClipThat acts on");
}

}  // namespace clipthat::billing
