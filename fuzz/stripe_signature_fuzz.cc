// The Stripe-Signature header of billing webhooks (billing/stripe_signature.h). The input is
// "header\npayload". Properties: a header that verifies names a v1 equal to the HMAC of its own
// t and the payload, with t within the tolerance; the header Stripe would send verifies, and
// stops verifying when the payload or the secret changes.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "billing/stripe_signature.h"
#include "core/crypto.h"
#include "fuzz_check.h"

namespace {

constexpr std::string_view kSecret = "whsec_fuzz";
constexpr std::int64_t kNow = 1733390000;

// The header's items "k=v", split on commas with leading spaces dropped, as Stripe writes them.
// Read here a second time on purpose: the property must not trust the parser it checks.
bool NamesMatchingV1(std::string_view header, std::string_view payload, std::int64_t* t) {
  std::string_view timestamp;
  std::vector<std::string_view> v1;
  std::size_t start = 0;
  while (start <= header.size()) {
    std::size_t comma = header.find(',', start);
    std::string_view item =
        header.substr(start, comma == header.npos ? header.npos : comma - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    if (item.starts_with("t=")) timestamp = item.substr(2);
    if (item.starts_with("v1=")) v1.push_back(item.substr(3));
    if (comma == header.npos) break;
    start = comma + 1;
  }
  *t = std::stoll(std::string(timestamp));
  const std::string expected =
      clipthat::HmacSha256Hex(kSecret, std::string(timestamp) + "." + std::string(payload));
  for (std::string_view s : v1) {
    if (s == expected) return true;
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t newline = input.find('\n');
  const std::string_view header = input.substr(0, newline);
  const std::string_view payload =
      newline == input.npos ? std::string_view() : input.substr(newline + 1);

  const clipthat::Status verified =
      clipthat::billing::VerifyStripeSignature(header, payload, kSecret, kNow);
  if (verified.ok()) {
    std::int64_t t = 0;
    FUZZ_CHECK(NamesMatchingV1(header, payload, &t));
    FUZZ_CHECK(t >= kNow - 300 && t <= kNow + 300);
  } else {
    FUZZ_CHECK(verified.message().starts_with("Stripe-Signature: "));
  }
  FUZZ_CHECK(!clipthat::billing::VerifyStripeSignature(header, payload, "", kNow).ok());

  // The genuine header for this payload verifies; for another payload or secret it does not.
  const std::string genuine = clipthat::billing::StripeSignatureHeader(kSecret, payload, kNow);
  FUZZ_CHECK(clipthat::billing::VerifyStripeSignature(genuine, payload, kSecret, kNow).ok());
  FUZZ_CHECK(
      !clipthat::billing::VerifyStripeSignature(genuine, std::string(payload) + "x", kSecret, kNow)
           .ok());
  FUZZ_CHECK(!clipthat::billing::VerifyStripeSignature(genuine, payload, "whsec_other", kNow).ok());
  return 0;
}
