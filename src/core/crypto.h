// Small cryptographic helpers over OpenSSL and libsodium: SHA-256, HMAC-SHA256,
// random tokens and a constant-time comparison. All functions are thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/base64.h"

namespace clipthat {

// Calls sodium_init() once per process (thread-safe; later calls are free). False when libsodium
// cannot initialise (no entropy source), which makes every password and random call unusable.
bool InitSodium();

using Sha256Digest = std::array<std::uint8_t, 32>;

Sha256Digest Sha256(std::string_view data);
std::string Sha256Hex(std::string_view data);  // 64 lowercase hex characters
Sha256Digest HmacSha256(std::string_view key, std::string_view data);
std::string HmacSha256Hex(std::string_view key, std::string_view data);  // lowercase hex

// base64url (tokens, keys, cursors) is core/base64.h, included here for convenience.

// `bytes` random bytes from the OS CSPRNG (libsodium randombytes_buf).
std::string RandomBytes(std::size_t bytes);
// `bytes` random bytes as lowercase hex (2 * bytes characters).
std::string RandomHex(std::size_t bytes);

// Constant-time equality (CRYPTO_memcmp); different lengths compare unequal at once (lengths
// are not secret here).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace clipthat
