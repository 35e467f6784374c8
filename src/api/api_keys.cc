#include "api/api_keys.h"

#include "api/account_repository.h"
#include "api/authenticator.h"
#include "core/crypto.h"

namespace clipthat::api {

NewApiKey GenerateApiKey() {
  NewApiKey key;
  key.secret = std::string(kApiKeyPrefix) + Base64UrlEncode(RandomBytes(32));
  key.hash = Sha256Hex(key.secret);
  key.prefix = key.secret.substr(0, 10);
  return key;
}

Result<std::string> CreateWorkerKey(store::Database& db, const std::string& name) {
  NewApiKey key = GenerateApiKey();
  AccountRepository accounts(db);
  RETURN_IF_ERROR(
      accounts.CreateKey(std::nullopt, name, kScopeWorker, key.hash, key.prefix).status());
  return key.secret;
}

}  // namespace clipthat::api
