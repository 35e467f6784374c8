// Signed media links: a URL a browser's <video> element can load (with Range requests) without
// the Authorization header it cannot send.
//
// `POST /v1/vods/{id}/media-link` (the owner's credentials) answers
// `/v1/media/vods/{id}?exp=EXPIRES_S&sig=HEX`; `GET` on it serves the VOD's bytes to anyone
// holding the link until it expires. The signature is HMAC-SHA256 over "vod:{id}:{exp}" with a
// key derived from the server's token secret (servers sharing a database share it, so a link
// made by one server plays from any), compared in constant time. A link names one VOD and one
// expiry: changing either breaks the signature. It grants reading that VOD's media only, and
// only until `exp`; deleting the VOD ends it too (the object is gone).
//
// Links last kDefaultTtlS (2 hours: a long editing session; the editor asks for a new one when
// a playback error says it expired). They are bearer secrets like a download URL: the API sends
// them only to the owner, and the media route answers with `Referrer-Policy: no-referrer` and
// `Cache-Control: private`.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace clipthat::api {

class MediaLinkSigner {
 public:
  static constexpr std::int64_t kDefaultTtlS = 2 * 60 * 60;
  static constexpr std::int64_t kMaxTtlS = 24 * 60 * 60;

  // `secret`: the server's token secret (api.jwt_secret); a separate key is derived from it.
  explicit MediaLinkSigner(std::string_view secret);

  // The signature for VOD `vod_id` valid until `expires_s` (Unix seconds): 64 hex characters.
  std::string Sign(std::string_view vod_id, std::int64_t expires_s) const;
  // The path and query of a link: "/v1/media/vods/{id}?exp=..&sig=..".
  std::string Link(std::string_view vod_id, std::int64_t expires_s) const;

  // True when `signature` is Sign(vod_id, expires_s) and now_s < expires_s and the expiry is not
  // further than kMaxTtlS away (a link cannot be made to live longer than the server would issue).
  bool Verify(std::string_view vod_id, std::int64_t expires_s, std::string_view signature,
              std::int64_t now_s) const;

 private:
  std::string key_;
};

}  // namespace clipthat::api
