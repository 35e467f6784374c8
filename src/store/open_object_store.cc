#include "store/open_object_store.h"

namespace clipthat::store {

Result<std::unique_ptr<ObjectStore>> OpenObjectStore(const ObjectStoreOptions& options) {
  const std::string& url = options.url;
  if (url.empty() || url.starts_with("file:")) {
    const std::string dir = url.empty() ? options.local_dir : url.substr(5);
    ASSIGN_OR_RETURN(std::unique_ptr<LocalObjectStore> local, LocalObjectStore::Open(dir));
    return std::unique_ptr<ObjectStore>(std::move(local));
  }
  if (url.starts_with("s3://")) {
    S3Options s3 = options.s3;
    s3.bucket = url.substr(5);
    if (s3.bucket.empty() || s3.bucket.find('/') != std::string::npos) {
      return InvalidArgumentError("store.url '" + url +
                                  "': must be s3://BUCKET (no key prefix; the bucket alone)");
    }
    if (s3.endpoint.empty()) {
      return InvalidArgumentError("store.url " + url + ": store.s3.endpoint is not set");
    }
    ASSIGN_OR_RETURN(std::unique_ptr<S3ObjectStore> store, S3ObjectStore::Open(std::move(s3)));
    return std::unique_ptr<ObjectStore>(std::move(store));
  }
  return InvalidArgumentError("store.url '" + url + "': use s3://BUCKET or file:DIR");
}

}  // namespace clipthat::store
