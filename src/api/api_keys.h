// API keys: "ck_" + 43 base64url characters (32 random bytes). Stored as the SHA-256 hex of the
// whole key; a key is shown once, when created. SHA-256 rather than argon2: the key has 256 bits
// of entropy, so no guessing attack benefits from a slow hash, and every authenticated request
// can afford one fast hash.
#pragma once

#include <string>

#include "core/result.h"
#include "store/database.h"

namespace clipthat::api {

struct NewApiKey {
  std::string secret;  // the key itself, shown once
  std::string hash;    // SHA-256 hex, stored
  std::string prefix;  // first 10 characters, shown in lists
};

NewApiKey GenerateApiKey();

// Creates an operator worker key (scope "worker", no owner) named `name`; returns the secret.
// For `clipthat serve --create-worker-key` and the in-process workers.
Result<std::string> CreateWorkerKey(store::Database& db, const std::string& name);

}  // namespace clipthat::api
