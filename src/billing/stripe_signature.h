// Stripe webhook signatures: the `Stripe-Signature` header Stripe sends with every event.
//
//   Stripe-Signature: t=1733390000,v1=5257a8...,v1=a1b2...,v0=...
//
// The signed text is "<t>.<raw request body>", signed with HMAC-SHA256 keyed by the endpoint's
// secret (the whole "whsec_..." string, used as is) and written as lowercase hex. An event is
// genuine when any `v1` matches (compared in constant time; Stripe sends several while a secret
// is being rolled) and `t` lies within `tolerance_s` of now (a replayed old event is refused).
// `v0` and unknown schemes are ignored.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace clipthat::billing {

// OK for a genuine event. InvalidArgument with the reason otherwise: "Stripe-Signature: missing",
// "...: no timestamp", "...: no v1 signature", "...: timestamp 300 s outside the tolerance",
// "...: no signature matches". `now_s` is Unix seconds. An empty secret refuses everything.
Status VerifyStripeSignature(std::string_view header, std::string_view payload,
                             std::string_view secret, std::int64_t now_s,
                             std::int64_t tolerance_s = 300);

// The header Stripe would send for `payload` at `timestamp_s` (tests, and the loopback Stripe
// stand-in of the test suite).
std::string StripeSignatureHeader(std::string_view secret, std::string_view payload,
                                  std::int64_t timestamp_s);

}  // namespace clipthat::billing
