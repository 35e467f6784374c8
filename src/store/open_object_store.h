// OpenObjectStore: the object store a URL names, so that `clipthat serve` picks the backend from
// its configuration (store.url, store.s3.*; see docs/deploy.md).
//
//   ""  or "file:DIR"   LocalObjectStore in DIR ("" uses `local_dir`, e.g. <data>/objects)
//   "s3://BUCKET"       S3ObjectStore on `s3.endpoint` (AWS or any S3-compatible server)
//
// InvalidArgument names a URL with another scheme, a bucket name with a path, or missing S3
// settings (never the secret key). Opening sends no request; the first operation reports an
// unreachable server or a wrong key.
#pragma once

#include <memory>
#include <string>

#include "core/result.h"
#include "store/object_store.h"
#include "store/s3_object_store.h"

namespace clipthat::store {

struct ObjectStoreOptions {
  std::string url;        // "", "file:DIR" or "s3://BUCKET"
  std::string local_dir;  // the folder for url "" (created when missing)
  S3Options s3;           // endpoint, credentials, part size; the bucket comes from the URL
};

Result<std::unique_ptr<ObjectStore>> OpenObjectStore(const ObjectStoreOptions& options);

}  // namespace clipthat::store
