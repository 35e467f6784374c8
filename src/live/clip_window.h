// ChooseClipWindow: where a live clip starts and ends, from the trigger and the signals of the
// seconds before it. A streamer says "clip that" after the moment, and viewers react in chat
// 5-15 s after it, so the moment usually lies in the 5-30 s before the trigger: the clip
// starts a little before the loudest stretch of audio there (the reaction itself), or before
// the chat's peak less the reaction delay when the audio shows none, and ends a post-roll
// after the trigger (the phrase, or the chat burst that opened it).
//
// Pure; units on every option. Times are the live source's, in ms from its start.
#pragma once

#include "core/time_units.h"
#include "live/recent_series.h"

namespace clipthat::live {

struct ClipWindowOptions {
  TimeMs search_back_ms = 30000;         // the moment is looked for this far before the trigger
  TimeMs skip_before_trigger_ms = 500;   // the phrase itself is not the moment
  double min_peak_rise_db = 6;           // a loudest stretch counts when this far above the median
  TimeMs peak_smooth_ms = 1000;          // levels are averaged over this before the peak is taken
  TimeMs lead_ms = 8000;                 // the clip starts this long before the peak
  TimeMs chat_reaction_delay_ms = 8000;  // chat peaks this long after what it reacts to
  int min_chat_peak_messages = 3;        // per chat bin, for the chat peak to count
  TimeMs default_back_ms = 20000;        // no peak in either signal: start this long before
  TimeMs post_roll_ms = 3000;            // after the trigger's end
  TimeMs min_clip_ms = 15000;
  TimeMs max_clip_ms = 45000;
};

struct ClipWindow {
  TimeMs start_ms = 0;
  TimeMs end_ms = 0;
  TimeMs moment_ms = 0;    // where the moment was placed (the peak, or the default)
  const char* basis = "";  // "audio", "chat" or "default": what placed it
};

// trigger_start_ms/trigger_end_ms: the phrase (or the burst) that asked for the clip.
// level: audio level in dBFS per bin; chat: messages per bin (either may be empty).
// earliest_ms: the oldest time the ring buffer still holds (the window never starts before).
ClipWindow ChooseClipWindow(TimeMs trigger_start_ms, TimeMs trigger_end_ms,
                            const RecentSeries& level, const RecentSeries& chat, TimeMs earliest_ms,
                            const ClipWindowOptions& options = {});

}  // namespace clipthat::live
