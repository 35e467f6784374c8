// BillingOptions: prices, the free sign-up grant, the credit packs on sale and the Stripe
// account, read once from the configuration (src/core/config.h) by LoadBillingOptions.
//
// Configuration keys (environment CLIPTHAT_<KEY upper-cased, '.' -> '_'>):
//   billing.signup_credits            credits granted once at sign-up (default 30; 0 = none)
//   billing.price.analysis_per_hour   credits per VOD hour, per started 10 minutes (default 6)
//   billing.price.render_clip         credits per rendered clip (default 1)
//   billing.price.live_minute         credits per monitored live minute (default 1)
//   billing.packs                     packs on sale: "ID:CREDITS:CENTS[:NAME],..." (default
//                                     "starter:100:500:100 credits,creator:500:2000:500 credits,
//                                     studio:2000:6000:2000 credits")
//   billing.currency                  ISO currency of the packs' prices (default "usd")
//   billing.stripe_secret_key         sk_test_... / sk_live_... (Checkout); never logged
//   billing.stripe_webhook_secret     whsec_... (webhook signatures)
//   billing.stripe_api_base           default "https://api.stripe.com" (tests: loopback)
//   billing.success_url / cancel_url  where Checkout returns the buyer (default: the web app's
//                                     billing page under api.public_url, "{CHECKOUT_SESSION_ID}"
//                                     allowed)
//   billing.webhook_tolerance_s       accepted age of a signed event (default 300)
// Every key is also read in the spelling the generic environment rule gives its variable
// (CLIPTHAT_BILLING_STRIPE_SECRET_KEY -> billing.stripe.secret.key), so the variables named
// above work as written.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "billing/prices.h"
#include "core/config.h"
#include "core/result.h"

namespace clipthat::billing {

struct CreditPack {
  std::string id;                 // [a-z0-9_-]{1,32}
  std::int64_t credits = 0;       // granted when paid, >= 1
  std::int64_t amount_cents = 0;  // price in the currency's smallest unit, >= 50 (Stripe's minimum)
  std::string name;               // shown on Stripe's page
};

struct BillingOptions {
  std::int64_t signup_credits = 30;
  Prices prices;
  std::vector<CreditPack> packs;
  std::string currency = "usd";
  std::string stripe_secret_key;
  std::string stripe_webhook_secret;
  std::string stripe_api_base = "https://api.stripe.com";
  std::string success_url;  // empty: public_url + "/billing.html?checkout=success&session_id=..."
  std::string cancel_url;   // empty: public_url + "/billing.html?checkout=cancelled"
  std::int64_t webhook_tolerance_s = 300;

  // The pack with this id; nullopt when there is none.
  std::optional<CreditPack> FindPack(std::string_view id) const;
};

// The default packs (see the header comment).
std::vector<CreditPack> DefaultPacks();

// Parses "ID:CREDITS:CENTS[:NAME],...": InvalidArgument naming billing.packs and the bad entry.
Result<std::vector<CreditPack>> ParsePacks(std::string_view text);

// Reads every billing.* key (see above). InvalidArgument names the key and the bad value
// (negative prices, a malformed pack list); never puts a secret in a message.
Result<BillingOptions> LoadBillingOptions(const Config& config);

}  // namespace clipthat::billing
