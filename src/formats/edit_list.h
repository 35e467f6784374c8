// EditList: everything needed to render one vertical clip, as a versioned JSON document (the
// format is described in docs/edit-list.md). It is the renderer's one input and what the web
// editor saves: `clipthat render` builds edit lists from moments.json, the API stores the ones
// users send, the worker renders them. Every one of them is read here, by one set of rules.
//
//   {"version": 1, "source": "vod.mp4", "start_ms": 61000, "end_ms": 91000,
//    "output": {"width": 1080, "height": 1920, "fps": 30},
//    "layout": {"mode": "auto", "facecam": {"x","y","width","height"}, "gameplay": {...}},
//    "crop_keyframes": [{"t_ms", "x", "y", "width", "height"}],
//    "cuts": [{"start_ms": 63000, "end_ms": 63400}],
//    "captions": {"enabled": true, "style": {...}, "words": [{"text", "start_ms", "end_ms"}]},
//    "title": "...", "template": "bold", "moment_id": 3}
//
// All times are milliseconds of the source (VOD) clock, not of the clip: a word said 2 s into a
// clip that starts at 61 s has start_ms 63000. Rectangles are source pixels. Cuts are ranges
// of the window left out of the clip (the editor's deleted words); what remains plays back to
// back (formats/clip_timeline.h maps between the clip's own clock and the VOD's).
//
// "version" may be left out (it is 1; written documents always carry it). ParseEditList checks
// everything the document alone decides: known fields only, types,
// ranges and sizes (EditListLimits), times in order, the caption style (its fields, and its
// fonts installed when captions will be drawn). What needs the source (its length and frame
// size: CheckEditListAgainstSource) or the template (render/clip_plan.h) is checked where those
// are known; the API checks the source against the VOD it has. Errors are InvalidArgument
// naming the field by its path: "end_ms: 5000 is not after start_ms 8000",
// "edit_list.captions.words[3].text: 312 bytes is longer than 200".
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time_units.h"

namespace clipthat::formats {

inline constexpr int kEditListVersion = 1;

// How the 16:9 source becomes a 9:16 picture.
enum class LayoutMode {
  kAuto,   // chosen from the faces in the clip (or the template's default)
  kFill,   // a tracked 9:16 crop of the source
  kSplit,  // the facecam region on top, the gameplay below
  kFit,    // the whole frame over a blurred, scaled copy of itself
};
std::string_view LayoutModeName(LayoutMode mode);  // "auto", "fill", "split", "fit"
// InvalidArgument "layout 'x' is not auto, fill, split or fit".
Result<LayoutMode> ParseLayoutMode(std::string_view name);

// A rectangle in source pixels.
struct SourceRect {
  int x = 0, y = 0, width = 0, height = 0;
  bool operator==(const SourceRect&) const = default;
};

// The crop (in source pixels) at a source time; between keyframes the renderer interpolates.
struct EditCropKeyframe {
  TimeMs t_ms = 0;
  double x = 0, y = 0, width = 0, height = 0;
};

struct EditWord {
  std::string text;
  TimeMs start_ms = 0;  // source clock
  TimeMs end_ms = 0;
};

// A range of the window removed from the clip, VOD clock, [start_ms, end_ms).
struct EditCut {
  TimeMs start_ms = 0;
  TimeMs end_ms = 0;
  bool operator==(const EditCut&) const = default;
};

struct EditCaptions {
  bool enabled = true;
  // A caption style document (captions::CaptionStyleFromJson); null: the template's style.
  nlohmann::json style;
  std::vector<EditWord> words;  // in time order
};

struct EditOutput {
  int width = 1080;  // pixels, even
  int height = 1920;
  int fps = 30;
};

struct EditList {
  std::string source;  // path of the VOD
  TimeMs start_ms = 0;
  TimeMs end_ms = 0;  // exclusive
  EditOutput output;
  LayoutMode layout = LayoutMode::kAuto;
  std::optional<SourceRect> facecam;   // split: the facecam region (found when absent)
  std::optional<SourceRect> gameplay;  // split: the gameplay region (the rest when absent)
  std::vector<EditCropKeyframe> crop_keyframes;  // fill: when present they are the crop path
  std::vector<EditCut> cuts;  // inside the window, sorted, not overlapping (CheckEditList)
  EditCaptions captions;
  std::string title;
  std::string template_ref;  // a template id (or, from the command line, a file); "" default
  std::optional<int> moment_id;

  TimeMs duration_ms() const { return end_ms - start_ms; }  // the window, cuts included
  TimeMs kept_duration_ms() const;                          // the window less its cuts
};

// Every bound on an edit list, in one place (GET /v1/formats/limits serves them).
struct EditListLimits {
  TimeMs min_clip_ms = 1000;  // the clip's kept length (the window less its cuts)
  TimeMs max_clip_ms = 180000;
  TimeMs max_window_ms = 360000;  // the window, cuts included: the renderer decodes all of it
  TimeMs max_time_ms = 7LL * 24 * 3600 * 1000;  // any time: a week of source
  int max_rect_px = 16384;                      // rectangle coordinates and sizes
  int min_output_px = 64;                       // output width and height, even
  int max_output_px = 4096;
  int max_fps = 120;
  std::size_t max_keyframes = 10000;
  std::size_t max_cuts = 1000;
  std::size_t max_words = 20000;
  std::size_t max_word_bytes = 200;
  std::size_t max_title_bytes = 300;
  std::size_t max_source_bytes = 4096;
  std::size_t max_template_ref_bytes = 64;
  int max_moment_id = 1000000;
};

// Who wrote the document decides what "template" may name: users of the API name a template
// by id only; on the command line it may also be a template file.
enum class TemplateRefs { kIdsOnly, kIdsAndFiles };

struct EditListRules {
  EditListLimits limits;
  TemplateRefs template_refs = TemplateRefs::kIdsOnly;
};

// Parses and checks one edit list. `path` is where the document sits in its container
// ("edit_list" in an API body) and prefixes every field in errors; "" for a whole document.
Result<EditList> ParseEditList(const nlohmann::json& json, std::string_view path,
                               const EditListRules& rules = {});
// The same for a whole document named `origin` (a file, a job): "edit.json: end_ms: ...".
Result<EditList> EditListFromJson(const nlohmann::json& json, std::string_view origin,
                                  const EditListRules& rules = {});

// Checks the values of an edit list built in code (ParseEditList runs it too): times in range
// and in order, the cuts inside the window, sorted and not overlapping (touching is fine), the
// kept length within `limits`, the output size and rate, keyframes and words.
// InvalidArgument "<origin>: <field>: ...".
Status CheckEditList(const EditList& edit, std::string_view origin,
                     const EditListLimits& limits = {});

// Keys in the documented order. Absent optionals are left out.
nlohmann::ordered_json EditListToJson(const EditList& edit);

// The rules for an edit list a user wrote on this machine: its template may be a file.
inline EditListRules CommandLineRules() {
  EditListRules rules;
  rules.template_refs = TemplateRefs::kIdsAndFiles;
  return rules;
}

// Reads a file; errors start with its path.
Result<EditList> ReadEditListFile(const std::string& path,
                                  const EditListRules& rules = CommandLineRules());
Status WriteEditListFile(const std::string& path, const EditList& edit);  // atomic

// What is known of the source; 0 where unknown (that check is skipped).
struct SourceFacts {
  std::string name;  // for messages ("vod.mp4")
  TimeMs duration_ms = 0;
  int width = 0, height = 0;
};

// Checks against the source: the window inside it, the facecam, gameplay and crop keyframes
// inside its frame. "edit.json: end_ms: 95000 is past the end of vod.mp4 (90000 ms)".
Status CheckEditListAgainstSource(const EditList& edit, const SourceFacts& source,
                                  std::string_view origin);

// The caption words that fall in the clip, clipped to [start_ms, end_ms), VOD clock: a moment's
// words may straddle its (snapped) edges. Words wholly outside are dropped, not an error. Cuts
// work the same way: a word wholly inside a cut is dropped, a word that overlaps one is
// shortened to the kept side (a word around a whole cut keeps both ends; on the clip's clock
// it is shorter by the cut).
std::vector<EditWord> WordsInClip(const EditList& edit);

}  // namespace clipthat::formats
