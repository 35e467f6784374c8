// The API's checks of request bodies (api/format_checks.h): an edit list, a brand template and
// the AI settings, each read from the same JSON body as the routes read it (core/json_document.h
// first). The user's uploaded logo "logo.png" sits in an in-memory object store. Properties: a
// refused body is a 4xx answer, never a 500; an edit list the API accepts is one the renderer
// reads (formats/edit_list.h) and lies inside the VOD; a template the API accepts parses.
#include <cstdint>
#include <map>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "api/api_error.h"
#include "api/format_checks.h"
#include "core/json_document.h"
#include "formats/brand_template.h"
#include "formats/edit_list.h"
#include "fuzz_check.h"

namespace {

using clipthat::Result;
using clipthat::Status;

// Objects in a map: enough of a store for the logo lookups of CheckTemplateDocument.
class MemoryObjectStore : public clipthat::store::ObjectStore {
 public:
  Result<std::int64_t> Put(std::string_view key, const clipthat::store::ByteSource&) override {
    return clipthat::InvalidArgumentError(std::string(key) + ": read-only");
  }
  Result<std::int64_t> Append(std::string_view key, std::int64_t, std::string_view) override {
    return clipthat::InvalidArgumentError(std::string(key) + ": read-only");
  }
  Result<std::int64_t> Size(std::string_view key) override {
    auto it = objects.find(std::string(key));
    if (it == objects.end()) return clipthat::NotFoundError(std::string(key));
    return static_cast<std::int64_t>(it->second.size());
  }
  Status Read(std::string_view key, std::int64_t offset, std::int64_t length,
              const clipthat::store::ByteSink& sink) override {
    auto it = objects.find(std::string(key));
    if (it == objects.end()) return clipthat::NotFoundError(std::string(key));
    const std::string& bytes = it->second;
    if (offset > static_cast<std::int64_t>(bytes.size())) {
      return clipthat::InvalidArgumentError("offset past the end");
    }
    return sink(std::string_view(bytes).substr(offset, length < 0 ? bytes.npos : length));
  }
  Status Remove(std::string_view) override { return Status::Ok(); }
  Status RemovePrefix(std::string_view) override { return Status::Ok(); }

  std::map<std::string, std::string> objects;
};

MemoryObjectStore& Objects() {
  static MemoryObjectStore* store = [] {
    auto* s = new MemoryObjectStore;
    std::vector<std::uint8_t> png;
    cv::imencode(".png", cv::Mat(16, 32, CV_8UC4, cv::Scalar(0, 200, 255, 255)), png);
    s->objects["users/u1/logos/logo.png"] = std::string(png.begin(), png.end());
    return s;
  }();
  return *store;
}

template <typename Check>
bool Accepted(const Check& check) {
  try {
    check();
    return true;
  } catch (const clipthat::api::ApiError& e) {
    if (e.http_status() < 400 || e.http_status() > 499) {
      std::fprintf(stderr, "answered %d: %s\n", e.http_status(), e.what());
    }
    FUZZ_CHECK(e.http_status() >= 400 && e.http_status() <= 499);
    return false;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto doc = clipthat::ParseJsonDocument(text, "body");
  if (!doc.ok()) return 0;

  const clipthat::api::EditListContext context{
      .template_dirs = {CLIPTHAT_TEMPLATES_DIR},
      .source = {.name = "vod.mp4", .duration_ms = 3'600'000, .width = 1920, .height = 1080}};
  nlohmann::json stored;
  if (Accepted([&] { stored = clipthat::api::CheckEditList(*doc, "edit_list", context); })) {
    auto edit = clipthat::formats::ParseEditList(stored, "edit_list");
    FUZZ_CHECK(edit.ok());
    FUZZ_CHECK(clipthat::formats::CheckEditListAgainstSource(*edit, context.source, "").ok());
  }

  if (Accepted([&] { clipthat::api::CheckTemplateDocument(*doc, "document", Objects(), "u1"); })) {
    const clipthat::formats::LogoResolver any_logo =
        [](const std::string&) -> Result<std::filesystem::path> { return std::filesystem::path(); };
    FUZZ_CHECK(doc->contains("logo") ||
               clipthat::formats::ParseBrandTemplate(*doc, "document", any_logo).ok());
  }

  (void)Accepted([&] { clipthat::api::CheckAiSettings(*doc, "ai"); });
  return 0;
}
