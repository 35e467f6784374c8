// ClipTimeline: the clip's own clock against the VOD's, for an edit list with cuts.
//
// An edit list keeps every time on the VOD clock; the clip plays its window less its cuts, the
// kept segments back to back. Clip time 0 is the window's start; VOD time t in a kept segment
// plays at clip time (t - start_ms) less the length of the cuts before t. Times are whole
// milliseconds, as in the edit list.
//
//   window [61000, 71000), cuts [63000, 63400) [65000, 66000)
//   kept segments [61000, 63000) [63400, 65000) [66000, 71000): 8600 ms of clip
//   VodMsAt(2000) == 63400 (a join plays the segment after the cut), ClipMsAt(66500) == 4100
//
// Pure: no media, no I/O. The cuts must be checked (CheckEditList): inside the window, in order,
// not overlapping.
#pragma once

#include <vector>

#include "core/time_units.h"
#include "formats/edit_list.h"

namespace clipthat::formats {

// A kept part of the window: VOD [start_ms, end_ms), playing from clip time clip_start_ms.
struct KeptSegment {
  TimeMs start_ms = 0;
  TimeMs end_ms = 0;
  TimeMs clip_start_ms = 0;
  bool operator==(const KeptSegment&) const = default;
};

class ClipTimeline {
 public:
  explicit ClipTimeline(const EditList& edit);
  ClipTimeline(TimeMs start_ms, TimeMs end_ms, const std::vector<EditCut>& cuts);

  TimeMs start_ms() const { return start_ms_; }  // the window, VOD clock
  TimeMs end_ms() const { return end_ms_; }
  TimeMs kept_ms() const { return kept_ms_; }  // the clip's length
  bool has_cuts() const { return kept_ms_ != end_ms_ - start_ms_; }
  // In order, none empty (touching cuts leave no segment between them).
  const std::vector<KeptSegment>& segments() const { return segments_; }

  // The VOD time shown at clip time `clip_ms`, 0 <= clip_ms < kept_ms(): at a join, the first
  // instant after the cut. Outside that range it runs on from the window's ends.
  TimeMs VodMsAt(TimeMs clip_ms) const;
  // The clip time of VOD time `vod_ms`: how much kept time of the window lies before it (so a
  // time inside a cut gives the join's clip time; before the window 0, after it kept_ms()).
  TimeMs ClipMsAt(TimeMs vod_ms) const;
  // Whether `vod_ms` lies in a cut.
  bool InCut(TimeMs vod_ms) const;

  // Caption words on the VOD clock, already clipped to the window and its cuts (WordsInClip),
  // moved to the clip's clock.
  std::vector<EditWord> ToClipClock(const std::vector<EditWord>& vod_words) const;

 private:
  TimeMs start_ms_, end_ms_;
  TimeMs kept_ms_ = 0;
  std::vector<KeptSegment> segments_;
};

}  // namespace clipthat::formats
