// EditList: everything needed to render one vertical clip, as a versioned JSON document (the
// format is described in docs/edit-list.md). It is the renderer's one input: `clipthat render`
// builds edit lists from moments.json (EditListsFromMoments) or reads one written by the editor.
//
//   {"version": 1, "source": "vod.mp4", "start_ms": 61000, "end_ms": 91000,
//    "output": {"width": 1080, "height": 1920, "fps": 30},
//    "layout": {"mode": "auto", "facecam": {"x","y","width","height"}, "gameplay": {...}},
//    "crop_keyframes": [{"t_ms", "x", "y", "width", "height"}],
//    "captions": {"enabled": true, "style": {...}, "words": [{"text", "start_ms", "end_ms"}]},
//    "title": "...", "template": "bold", "moment_id": 3}
//
// All times are milliseconds of the source (VOD) clock, not of the clip: a word said 2 s into a
// clip that starts at 61 s has start_ms 63000. Rectangles are source pixels.
//
// Reading checks the document's shape and values (EditListFromJson); checks that need the
// source (its duration) or the template and fonts run in the renderer's validation step
// (render/clip_renderer.h) before any output exists. Errors are InvalidArgument naming the
// document and the field: "edit.json: end_ms: 5000 is not after start_ms 8000".
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/moments_file.h"
#include "core/result.h"
#include "core/time_units.h"

namespace clipthat::render {

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
  EditCaptions captions;
  std::string title;
  std::string template_ref;  // a built-in template id or a template file; empty: the default
  std::optional<int> moment_id;

  TimeMs duration_ms() const { return end_ms - start_ms; }
};

// Bounds on a clip's length, checked when reading.
struct EditListLimits {
  TimeMs min_clip_ms = 1000;
  TimeMs max_clip_ms = 180000;
};

// Parses and checks one edit list; `origin` names the document in errors.
Result<EditList> EditListFromJson(const nlohmann::json& json, std::string_view origin,
                                  const EditListLimits& limits = {});
// Checks the values of an edit list built in code (EditListFromJson runs it too): times not
// negative, end after start, the length within `limits`, the output size and rate, keyframes
// and words. InvalidArgument naming the field.
Status CheckEditList(const EditList& edit, std::string_view origin,
                     const EditListLimits& limits = {});

// Keys in the documented order. Absent optionals are left out.
nlohmann::ordered_json EditListToJson(const EditList& edit);

Result<EditList> ReadEditListFile(const std::string& path, const EditListLimits& limits = {});
Status WriteEditListFile(const std::string& path, const EditList& edit);  // atomic

// Checks against the probed source: "edit.json: end_ms: 95000 is past the end of vod.mp4
// (90000 ms)".
Status CheckEditListAgainstSource(const EditList& edit, TimeMs source_duration_ms,
                                  std::string_view origin);

struct EditsFromMomentsOptions {
  int top = 0;  // the first `top` moments (they are stored best first); 0: all
  std::string template_ref;
  LayoutMode layout = LayoutMode::kAuto;
  EditOutput output;
};

// One edit list per moment: its window, words (captions on), title and id; source `vod_path`.
std::vector<EditList> EditListsFromMoments(const analysis::MomentsDocument& doc,
                                           const std::string& vod_path,
                                           const EditsFromMomentsOptions& options = {});

// The caption words that fall in the clip, clipped to [start_ms, end_ms): a moment's words may
// straddle its (snapped) edges. Words wholly outside are dropped, not an error.
std::vector<EditWord> WordsInClip(const EditList& edit);

}  // namespace clipthat::render
