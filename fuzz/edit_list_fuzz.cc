// The edit list (formats/edit_list.h), as the API, the worker and the web editor hand it over.
// Properties: an accepted edit list passes CheckEditList, lies within its limits, and is written
// (EditListToJson) as text that parses again to the same document.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/json_document.h"
#include "formats/clip_timeline.h"
#include "formats/edit_list.h"
#include "fuzz_check.h"

using clipthat::formats::EditList;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto json = clipthat::ParseJsonDocument(text, "edit.json");
  if (!json.ok()) return 0;
  const clipthat::formats::EditListRules rules;  // the API's: templates by id only
  auto edit = clipthat::formats::ParseEditList(*json, "edit_list", rules);
  if (!edit.ok()) {
    FUZZ_CHECK(!edit.status().message().empty());
    return 0;
  }
  const auto& limits = rules.limits;
  FUZZ_CHECK(clipthat::formats::CheckEditList(*edit, "edit.json", limits).ok());
  FUZZ_CHECK(edit->kept_duration_ms() >= limits.min_clip_ms);
  FUZZ_CHECK(edit->kept_duration_ms() <= limits.max_clip_ms);
  FUZZ_CHECK(edit->duration_ms() <= limits.max_window_ms);
  FUZZ_CHECK(edit->cuts.size() <= limits.max_cuts);
  const clipthat::formats::ClipTimeline timeline(*edit);
  FUZZ_CHECK(timeline.kept_ms() == edit->kept_duration_ms());
  FUZZ_CHECK(edit->output.width >= limits.min_output_px && edit->output.width % 2 == 0);
  FUZZ_CHECK(edit->output.height >= limits.min_output_px && edit->output.height % 2 == 0);
  FUZZ_CHECK(edit->captions.words.size() <= limits.max_words);
  for (const auto& word : clipthat::formats::WordsInClip(*edit)) {
    FUZZ_CHECK(word.start_ms >= edit->start_ms && word.end_ms <= edit->end_ms);
    FUZZ_CHECK(word.start_ms <= word.end_ms);
    FUZZ_CHECK(!timeline.InCut(word.start_ms));
  }
  const std::string written = clipthat::formats::EditListToJson(*edit).dump();
  auto json_again = clipthat::ParseJsonDocument(written, "written.json");
  FUZZ_CHECK(json_again.ok());
  auto again = clipthat::formats::ParseEditList(*json_again, "", rules);
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(clipthat::formats::EditListToJson(*again).dump() == written);
  return 0;
}
