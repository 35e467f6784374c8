// Base64 (RFC 4648): the standard alphabet with padding (data: URIs in model requests), and
// base64url without padding (tokens, API keys, page cursors).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace clipthat {

// Standard alphabet, '=' padding.
std::string Base64Encode(std::string_view bytes);

// URL-safe alphabet ('-', '_'), no padding.
std::string Base64UrlEncode(std::string_view bytes);
// Rejects padding, whitespace, other characters and non-canonical trailing bits, so one value
// has one spelling.
std::optional<std::string> Base64UrlDecode(std::string_view text);

}  // namespace clipthat
