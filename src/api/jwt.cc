#include "api/jwt.h"

#include <nlohmann/json.hpp>

#include "core/crypto.h"
#include "core/json_document.h"

namespace clipthat::api {
namespace {
constexpr std::string_view kHeaderJson = R"({"alg":"HS256","typ":"JWT"})";

std::string_view DigestView(const Sha256Digest& d) {
  return {reinterpret_cast<const char*>(d.data()), d.size()};
}
}  // namespace

JwtCodec::JwtCodec(std::string secret)
    : secret_(std::move(secret)), header_b64_(Base64UrlEncode(kHeaderJson)) {}

std::string JwtCodec::Sign(const JwtClaims& claims) const {
  nlohmann::json payload = {{"sub", claims.subject},
                            {"jti", claims.id},
                            {"iat", claims.issued_at_s},
                            {"exp", claims.expires_at_s}};
  std::string signing_input = header_b64_ + "." + Base64UrlEncode(payload.dump());
  Sha256Digest mac = HmacSha256(secret_, signing_input);
  return signing_input + "." + Base64UrlEncode(DigestView(mac));
}

Result<JwtClaims> JwtCodec::Verify(std::string_view token, std::int64_t now_s) const {
  auto bad = [](std::string why) { return Status(StatusCode::kUnauthenticated, std::move(why)); };
  std::size_t dot1 = token.find('.');
  std::size_t dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos) {
    return bad("malformed token");
  }
  std::string_view header = token.substr(0, dot1);
  std::string_view payload_b64 = token.substr(dot1 + 1, dot2 - dot1 - 1);
  std::string_view signature_b64 = token.substr(dot2 + 1);

  // We issue one header only; anything else (alg "none", RS256, "HS256" spelled otherwise) is
  // refused before the signature is even looked at.
  if (header != header_b64_) {
    auto decoded = Base64UrlDecode(header);
    Result<nlohmann::json> parsed =
        decoded ? ParseJsonDocument(*decoded, "token header") : Result<nlohmann::json>(nullptr);
    const nlohmann::json h = parsed.ok() ? std::move(parsed).value() : nlohmann::json();
    if (h.is_object() && h.contains("alg") && h["alg"] != "HS256") {
      return bad("token algorithm not accepted");
    }
    return bad("malformed token header");
  }
  std::optional<std::string> signature = Base64UrlDecode(signature_b64);
  if (!signature) return bad("malformed token signature");
  Sha256Digest expected = HmacSha256(secret_, token.substr(0, dot2));
  if (!ConstantTimeEquals(*signature, DigestView(expected))) return bad("bad token signature");

  std::optional<std::string> payload_text = Base64UrlDecode(payload_b64);
  if (!payload_text) return bad("malformed token payload");
  Result<nlohmann::json> parsed = ParseJsonDocument(*payload_text, "token payload");
  if (!parsed.ok() || !parsed->is_object()) return bad("malformed token payload");
  const nlohmann::json& payload = *parsed;
  JwtClaims claims;
  auto sub = payload.find("sub");
  auto jti = payload.find("jti");
  auto iat = payload.find("iat");
  auto exp = payload.find("exp");
  if (sub == payload.end() || !sub->is_string() || jti == payload.end() || !jti->is_string() ||
      iat == payload.end() || !iat->is_number_integer() || exp == payload.end() ||
      !exp->is_number_integer()) {
    return bad("token claims missing");
  }
  claims.subject = sub->get<std::string>();
  claims.id = jti->get<std::string>();
  claims.issued_at_s = iat->get<std::int64_t>();
  claims.expires_at_s = exp->get<std::int64_t>();
  if (claims.expires_at_s <= now_s) return bad("token expired");
  if (claims.issued_at_s > now_s + kClockSkewS) return bad("token issued in the future");
  if (claims.subject.empty() || claims.id.empty()) return bad("token claims missing");
  return claims;
}

}  // namespace clipthat::api
