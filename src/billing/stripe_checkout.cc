#include "billing/stripe_checkout.h"

#include "ai/http_client.h"

namespace clipthat::billing {

std::vector<std::pair<std::string, std::string>> StripeCheckout::FormFields(
    const CheckoutRequest& r) const {
  std::vector<std::pair<std::string, std::string>> fields = {
      {"mode", "payment"},
      {"success_url", r.success_url},
      {"cancel_url", r.cancel_url},
      {"client_reference_id", r.user_id},
      {"line_items[0][price_data][currency]", options_.currency},
      {"line_items[0][price_data][product_data][name]", "ClipThat: " + r.pack.name},
      {"line_items[0][price_data][unit_amount]", std::to_string(r.pack.amount_cents)},
      {"line_items[0][quantity]", "1"},
      {"metadata[credits]", std::to_string(r.pack.credits)},
      {"metadata[pack]", r.pack.id},
      {"metadata[user_id]", r.user_id},
      {"payment_intent_data[metadata][credits]", std::to_string(r.pack.credits)},
      {"payment_intent_data[metadata][user_id]", r.user_id},
  };
  if (!r.user_email.empty()) fields.emplace_back("customer_email", r.user_email);
  return fields;
}

Result<CheckoutSession> StripeCheckout::Create(const CheckoutRequest& request) const {
  if (options_.stripe_secret_key.empty()) {
    return UnsupportedError(
        "billing is not configured: set billing.stripe_secret_key "
        "(CLIPTHAT_BILLING_STRIPE_SECRET_KEY)");
  }
  ai::HttpOptions http;
  http.base_url = options_.stripe_api_base;
  http.api_key = options_.stripe_secret_key;
  http.timeout_ms = 30000;
  http.retries = 2;
  http.max_response_bytes = 1 << 20;
  ASSIGN_OR_RETURN(ai::HttpClient client, ai::HttpClient::Create(http));
  ASSIGN_OR_RETURN(ai::HttpResponse response,
                   client.Post("/v1/checkout/sessions", ai::EncodeForm(FormFields(request)),
                               "application/x-www-form-urlencoded",
                               {{"Idempotency-Key", request.idempotency_key},
                                {"Stripe-Version", "2024-06-20"}}));
  ASSIGN_OR_RETURN(nlohmann::json answer,
                   ai::ParseJsonAnswer(response, client.UrlFor("/v1/checkout/sessions")));
  if (!answer.is_object() || !answer.contains("id") || !answer["id"].is_string() ||
      !answer.contains("url") || !answer["url"].is_string()) {
    return DataError("Stripe: the Checkout Session answer has no id or url");
  }
  return CheckoutSession{answer["id"].get<std::string>(), answer["url"].get<std::string>()};
}

}  // namespace clipthat::billing
