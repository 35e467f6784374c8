#include "api/media_link.h"

#include "core/crypto.h"

namespace clipthat::api {

MediaLinkSigner::MediaLinkSigner(std::string_view secret) {
  const Sha256Digest derived = HmacSha256(secret, "clipthat media links v1");
  key_.assign(reinterpret_cast<const char*>(derived.data()), derived.size());
}

std::string MediaLinkSigner::Sign(std::string_view vod_id, std::int64_t expires_s) const {
  std::string message = "vod:";
  message.append(vod_id);
  message += ':';
  message += std::to_string(expires_s);
  return HmacSha256Hex(key_, message);
}

std::string MediaLinkSigner::Link(std::string_view vod_id, std::int64_t expires_s) const {
  std::string link = "/v1/media/vods/";
  link.append(vod_id);
  link += "?exp=" + std::to_string(expires_s) + "&sig=" + Sign(vod_id, expires_s);
  return link;
}

bool MediaLinkSigner::Verify(std::string_view vod_id, std::int64_t expires_s,
                             std::string_view signature, std::int64_t now_s) const {
  const bool in_time = now_s < expires_s && expires_s - now_s <= kMaxTtlS;
  // The comparison runs whatever the time says, so timing tells nothing about the signature.
  const bool signed_ok = ConstantTimeEquals(Sign(vod_id, expires_s), signature);
  return in_time && signed_ok;
}

}  // namespace clipthat::api
