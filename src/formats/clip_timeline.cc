#include "formats/clip_timeline.h"

#include <algorithm>

namespace clipthat::formats {

ClipTimeline::ClipTimeline(const EditList& edit)
    : ClipTimeline(edit.start_ms, edit.end_ms, edit.cuts) {}

ClipTimeline::ClipTimeline(TimeMs start_ms, TimeMs end_ms, const std::vector<EditCut>& cuts)
    : start_ms_(start_ms), end_ms_(std::max(start_ms, end_ms)) {
  TimeMs at = start_ms_;  // the start of the segment being built
  auto keep_until = [&](TimeMs until) {
    if (until > at) {
      segments_.push_back({at, until, kept_ms_});
      kept_ms_ += until - at;
    }
  };
  for (const EditCut& cut : cuts) {
    const TimeMs cut_start = std::clamp(cut.start_ms, start_ms_, end_ms_);
    const TimeMs cut_end = std::clamp(cut.end_ms, start_ms_, end_ms_);
    keep_until(cut_start);
    at = std::max(at, cut_end);
  }
  keep_until(end_ms_);
  // A window cut away entirely still has a place for times to land.
  if (segments_.empty()) segments_.push_back({start_ms_, start_ms_, 0});
}

TimeMs ClipTimeline::VodMsAt(TimeMs clip_ms) const {
  if (clip_ms < 0) return start_ms_ + clip_ms;
  // The last segment that starts at or before clip_ms.
  auto it = std::upper_bound(segments_.begin(), segments_.end(), clip_ms,
                             [](TimeMs t, const KeptSegment& s) { return t < s.clip_start_ms; });
  const KeptSegment& s = *std::prev(it);
  return s.start_ms + (clip_ms - s.clip_start_ms);  // past the last: runs on from the end
}

TimeMs ClipTimeline::ClipMsAt(TimeMs vod_ms) const {
  if (vod_ms <= start_ms_) return 0;
  auto it = std::upper_bound(segments_.begin(), segments_.end(), vod_ms,
                             [](TimeMs t, const KeptSegment& s) { return t < s.start_ms; });
  if (it == segments_.begin()) return 0;  // in a cut at the window's start
  const KeptSegment& s = *std::prev(it);
  return s.clip_start_ms + (std::min(vod_ms, s.end_ms) - s.start_ms);
}

bool ClipTimeline::InCut(TimeMs vod_ms) const {
  if (vod_ms < start_ms_ || vod_ms >= end_ms_) return false;
  auto it = std::upper_bound(segments_.begin(), segments_.end(), vod_ms,
                             [](TimeMs t, const KeptSegment& s) { return t < s.start_ms; });
  return it == segments_.begin() || vod_ms >= std::prev(it)->end_ms;
}

std::vector<EditWord> ClipTimeline::ToClipClock(const std::vector<EditWord>& vod_words) const {
  std::vector<EditWord> out;
  out.reserve(vod_words.size());
  for (const EditWord& w : vod_words) {
    out.push_back({w.text, ClipMsAt(w.start_ms), ClipMsAt(w.end_ms)});
  }
  return out;
}

}  // namespace clipthat::formats
