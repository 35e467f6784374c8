#include "billing/billing_options.h"

#include <algorithm>
#include <cstdlib>

namespace clipthat::billing {
namespace {

bool ValidPackId(std::string_view id) {
  if (id.empty() || id.size() > 32) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::optional<std::int64_t> ParseCount(std::string_view text) {
  if (text.empty() || text.size() > 12) return std::nullopt;
  std::int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    std::size_t at = text.find(separator, start);
    parts.push_back(text.substr(start, at == std::string_view::npos ? text.npos : at - start));
    if (at == std::string_view::npos) break;
    start = at + 1;
  }
  return parts;
}

std::string_view Trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The key as documented ("billing.signup_credits"), or as the generic environment rule spells
// CLIPTHAT_BILLING_SIGNUP_CREDITS ("billing.signup.credits") when only that is set.
std::string KeyIn(const Config& config, std::string_view key) {
  if (config.Has(key)) return std::string(key);
  std::string dotted(key);
  std::replace(dotted.begin(), dotted.end(), '_', '.');
  return config.Has(dotted) ? dotted : std::string(key);
}

Result<std::int64_t> NonNegative(const Config& config, std::string_view key,
                                 std::int64_t fallback) {
  ASSIGN_OR_RETURN(long long value, config.GetInt(KeyIn(config, key), fallback));
  if (value < 0 || value > 1'000'000'000) {
    return InvalidArgumentError(std::string(key) + ": must be from 0 to 1000000000, not " +
                                std::to_string(value));
  }
  return static_cast<std::int64_t>(value);
}

}  // namespace

std::optional<CreditPack> BillingOptions::FindPack(std::string_view id) const {
  for (const CreditPack& pack : packs) {
    if (pack.id == id) return pack;
  }
  return std::nullopt;
}

std::vector<CreditPack> DefaultPacks() {
  return {{"starter", 100, 500, "100 credits"},
          {"creator", 500, 2000, "500 credits"},
          {"studio", 2000, 6000, "2000 credits"}};
}

Result<std::vector<CreditPack>> ParsePacks(std::string_view text) {
  std::vector<CreditPack> packs;
  for (std::string_view entry : Split(text, ',')) {
    entry = Trimmed(entry);
    if (entry.empty()) continue;
    auto bad = [&](std::string why) {
      return InvalidArgumentError("billing.packs: '" + std::string(entry) + "': " + why);
    };
    std::vector<std::string_view> fields = Split(entry, ':');
    if (fields.size() < 3) return bad("expected ID:CREDITS:CENTS[:NAME]");
    CreditPack pack;
    pack.id = std::string(Trimmed(fields[0]));
    if (!ValidPackId(pack.id)) return bad("the id must be 1-32 of a-z, 0-9, '_', '-'");
    std::optional<std::int64_t> credits = ParseCount(Trimmed(fields[1]));
    if (!credits || *credits < 1) return bad("credits must be a whole number >= 1");
    std::optional<std::int64_t> cents = ParseCount(Trimmed(fields[2]));
    if (!cents || *cents < 50) return bad("the price must be a whole number of cents >= 50");
    pack.credits = *credits;
    pack.amount_cents = *cents;
    std::string name;
    for (std::size_t i = 3; i < fields.size(); ++i) {  // a name may hold ':'
      if (i > 3) name += ':';
      name += fields[i];
    }
    name = std::string(Trimmed(name));
    pack.name = name.empty() ? std::to_string(pack.credits) + " credits" : name;
    if (pack.name.size() > 120) return bad("the name is longer than 120 bytes");
    for (const CreditPack& other : packs) {
      if (other.id == pack.id) return bad("the id is used twice");
    }
    packs.push_back(std::move(pack));
  }
  if (packs.empty()) return InvalidArgumentError("billing.packs: no pack");
  return packs;
}

Result<BillingOptions> LoadBillingOptions(const Config& config) {
  BillingOptions options;
  ASSIGN_OR_RETURN(options.signup_credits,
                   NonNegative(config, "billing.signup_credits", options.signup_credits));
  ASSIGN_OR_RETURN(options.prices.analysis_per_hour_credits,
                   NonNegative(config, "billing.price.analysis_per_hour",
                               options.prices.analysis_per_hour_credits));
  ASSIGN_OR_RETURN(
      options.prices.render_clip_credits,
      NonNegative(config, "billing.price.render_clip", options.prices.render_clip_credits));
  ASSIGN_OR_RETURN(
      options.prices.live_minute_credits,
      NonNegative(config, "billing.price.live_minute", options.prices.live_minute_credits));
  if (config.Has("billing.packs")) {
    ASSIGN_OR_RETURN(options.packs, ParsePacks(config.GetString("billing.packs", "")));
  } else {
    options.packs = DefaultPacks();
  }
  options.currency = config.GetString(KeyIn(config, "billing.currency"), options.currency);
  if (options.currency.size() != 3) {
    return InvalidArgumentError("billing.currency: expected a 3-letter ISO code, not '" +
                                options.currency + "'");
  }
  for (char& c : options.currency) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c < 'a' || c > 'z') {
      return InvalidArgumentError("billing.currency: expected a 3-letter ISO code");
    }
  }
  options.stripe_secret_key = config.GetString(KeyIn(config, "billing.stripe_secret_key"), "");
  options.stripe_webhook_secret =
      config.GetString(KeyIn(config, "billing.stripe_webhook_secret"), "");
  options.stripe_api_base =
      config.GetString(KeyIn(config, "billing.stripe_api_base"), options.stripe_api_base);
  if (!options.stripe_api_base.starts_with("https://") &&
      !options.stripe_api_base.starts_with("http://")) {
    return InvalidArgumentError("billing.stripe_api_base: must start with https:// or http://");
  }
  options.success_url = config.GetString(KeyIn(config, "billing.success_url"), "");
  options.cancel_url = config.GetString(KeyIn(config, "billing.cancel_url"), "");
  ASSIGN_OR_RETURN(options.webhook_tolerance_s,
                   NonNegative(config, "billing.webhook_tolerance_s", options.webhook_tolerance_s));
  return options;
}

}  // namespace clipthat::billing
