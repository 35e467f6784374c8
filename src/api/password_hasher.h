// Password hashing with argon2id (libsodium crypto_pwhash_str): the encoded string carries the
// algorithm, its parameters and the salt, so hashes made with other costs still verify.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace clipthat::api {

enum class PasswordCost {
  kInteractive,  // crypto_pwhash_*_INTERACTIVE (64 MiB, 2 passes): the production setting
  kMinimum,      // the library's minimum: for tests only, where hundreds of sign-ups run
};

// Internal error when libsodium fails (out of memory).
Result<std::string> HashPassword(std::string_view password, PasswordCost cost);
// True when `password` matches `encoded_hash`; false on a mismatch or a malformed hash.
bool VerifyPassword(std::string_view password, const std::string& encoded_hash);

}  // namespace clipthat::api
