// The moments document (formats/moments_document.h): written by analysis, read by rendering,
// the editor and the API. Properties: a document that reads is written back (MomentsToJson) as text
// that reads again to the same document; an accepted document says version 1 and keeps the
// source's numbers as written.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/json_document.h"
#include "formats/moments_document.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto json = clipthat::ParseJsonDocument(text, "moments.json");
  if (!json.ok()) return 0;
  auto doc = clipthat::formats::MomentsFromJson(*json, "moments.json");
  if (!doc.ok()) {
    FUZZ_CHECK(doc.status().message().starts_with("moments.json: "));
    return 0;
  }
  FUZZ_CHECK((*json)["version"] == clipthat::formats::kMomentsDocumentVersion);
  const nlohmann::json& source = (*json)["source"];
  for (const char* key : {"duration_ms", "width", "height"}) {
    if (source.contains(key)) {
      FUZZ_CHECK(source[key].dump() ==
                 clipthat::formats::MomentsToJson(*doc)["source"][key].dump());
    }
  }
  const std::string written = clipthat::formats::MomentsToJson(*doc).dump();
  auto json_again = clipthat::ParseJsonDocument(written, "written.json");
  FUZZ_CHECK(json_again.ok());
  auto again = clipthat::formats::MomentsFromJson(*json_again, "written.json");
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(clipthat::formats::MomentsToJson(*again).dump() == written);
  return 0;
}
