#include "billing/stripe_signature.h"

#include <vector>

#include "core/crypto.h"

namespace clipthat::billing {
namespace {

std::string Expected(std::string_view secret, std::string_view timestamp,
                     std::string_view payload) {
  std::string signed_text;
  signed_text.reserve(timestamp.size() + 1 + payload.size());
  signed_text.append(timestamp).append(".").append(payload);
  return HmacSha256Hex(secret, signed_text);
}

}  // namespace

Status VerifyStripeSignature(std::string_view header, std::string_view payload,
                             std::string_view secret, std::int64_t now_s,
                             std::int64_t tolerance_s) {
  auto bad = [](std::string why) { return InvalidArgumentError("Stripe-Signature: " + why); };
  if (header.empty()) return bad("missing");
  if (secret.empty()) return bad("no webhook secret is configured");
  if (header.size() > 4096) return bad("too long");
  std::string_view timestamp;
  std::vector<std::string_view> signatures;
  std::size_t start = 0;
  while (start <= header.size()) {
    std::size_t comma = header.find(',', start);
    std::string_view item =
        header.substr(start, comma == std::string_view::npos ? header.npos : comma - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    if (item.starts_with("t=")) {
      if (!timestamp.empty()) return bad("more than one timestamp");
      timestamp = item.substr(2);
    } else if (item.starts_with("v1=")) {
      signatures.push_back(item.substr(3));
    }
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  if (timestamp.empty() || timestamp.size() > 12) return bad("no timestamp");
  std::int64_t t = 0;
  for (char c : timestamp) {
    if (c < '0' || c > '9') return bad("the timestamp is not a number");
    t = t * 10 + (c - '0');
  }
  if (signatures.empty()) return bad("no v1 signature");
  // Check the signature before the age: a forged header learns nothing about the clock.
  const std::string expected = Expected(secret, timestamp, payload);
  bool matched = false;
  for (std::string_view signature : signatures) {
    matched = ConstantTimeEquals(expected, signature) || matched;
  }
  if (!matched) return bad("no signature matches");
  const std::int64_t age_s = now_s - t;
  if (age_s > tolerance_s || -age_s > tolerance_s) {
    return bad("timestamp " + std::to_string(age_s) + " s from now, outside the " +
               std::to_string(tolerance_s) + " s tolerance");
  }
  return Status::Ok();
}

std::string StripeSignatureHeader(std::string_view secret, std::string_view payload,
                                  std::int64_t timestamp_s) {
  const std::string t = std::to_string(timestamp_s);
  return "t=" + t + ",v1=" + Expected(secret, t, payload);
}

}  // namespace clipthat::billing
