// StripeCheckout: creates Stripe Checkout Sessions for credit packs (POST /v1/checkout/sessions,
// form-encoded, "Authorization: Bearer <secret key>", an Idempotency-Key so that a retried
// request never makes a second session).
//
//   StripeCheckout stripe(options);           // BillingOptions: key, API base, currency, URLs
//   ASSIGN_OR_RETURN(CheckoutSession s, stripe.Create(request));
//   // send the buyer to s.url; the webhook grants the credits once Stripe says it is paid
//
// The session carries mode=payment, one line item built from the pack (price_data with the
// currency, the pack's name and unit_amount in cents, quantity 1), client_reference_id (the
// user's id), customer_email, metadata[credits], metadata[pack] and metadata[user_id] (also
// on the payment intent, so refunds can be traced), success_url and cancel_url.
//
// Errors: Unsupported when no secret key is configured (billing is off); Unavailable when Stripe
// does not answer (after retries); InvalidArgument with Stripe's own message for a refused
// request; DataError when the answer lacks an id or url. The secret key never appears in a
// message or log line.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "billing/billing_options.h"
#include "core/result.h"

namespace clipthat::billing {

struct CheckoutRequest {
  std::string user_id;
  std::string user_email;  // prefills Stripe's form; may be empty
  CreditPack pack;
  std::string idempotency_key;  // one per purchase attempt
  std::string success_url;      // may hold {CHECKOUT_SESSION_ID}
  std::string cancel_url;
};

struct CheckoutSession {
  std::string id;   // "cs_test_..."
  std::string url;  // Stripe's payment page
};

class StripeCheckout {
 public:
  explicit StripeCheckout(const BillingOptions& options) : options_(options) {}

  // The form fields of the request, in order (tests check them field by field).
  std::vector<std::pair<std::string, std::string>> FormFields(const CheckoutRequest& r) const;

  Result<CheckoutSession> Create(const CheckoutRequest& request) const;

 private:
  const BillingOptions& options_;
};

}  // namespace clipthat::billing
