// StripeWebhook: applies one webhook delivery from Stripe to the ledger.
//
//   StripeWebhook webhook(options, ledger, db);
//   ASSIGN_OR_RETURN(StripeOutcome outcome, webhook.Handle(signature_header, raw_body));
//
// The delivery is verified first (stripe_signature.h: the endpoint secret, any v1, the 300 s
// tolerance); a delivery that fails is refused with InvalidArgument and changes nothing. Then:
//   checkout.session.completed                 payment_status "paid" (or "no_payment_required"):
//                                              the session's credits are granted; "unpaid" (a
//                                              delayed method) waits for the next event
//   checkout.session.async_payment_succeeded   the session's credits are granted
//   charge.refunded                            the refunded share is taken back (ledger.h)
//   anything else                              recorded and ignored
// Each event id takes effect at most once, recorded in the same transaction as its grant
// (Ledger::ApplyPaidCheckout), so a redelivery, or two deliveries racing on two servers, grant
// once. DataError for a signed body that is not a Stripe event; database errors as they come
// (the caller answers 500, and Stripe delivers again later).
#pragma once

#include <string_view>

#include "billing/billing_options.h"
#include "billing/ledger.h"
#include "core/result.h"
#include "store/database.h"

namespace clipthat::billing {

class StripeWebhook {
 public:
  StripeWebhook(const BillingOptions& options, const Ledger& ledger, store::Database& db,
                std::function<std::int64_t()> now_s = nullptr);

  Result<StripeOutcome> Handle(std::string_view signature_header, std::string_view body) const;

 private:
  const BillingOptions& options_;
  const Ledger& ledger_;
  store::Database& db_;
  std::function<std::int64_t()> now_s_;
};

}  // namespace clipthat::billing
