// FaceTracker: turns per-sample face detections into one steady "main subject".
//
// Detections are associated over time with tracks (by overlap, or by centre distance for fast
// moves). Each track scores by its size and persistence; the main subject is the best track,
// with hysteresis: a rival replaces it only after scoring switch_margin times more for
// switch_ms, so the crop does not flip between two people. Through short misses (the detector
// blinks) the last position is held; a subject unseen for hold_ms is lost.
//
// Pure logic on plain boxes (no OpenCV, no decoding): feed it whatever detector output.
#pragma once

#include <optional>
#include <vector>

#include "core/time_units.h"
#include "vision/face_detector.h"

namespace clipthat::vision {

struct FaceTrackerOptions {
  TimeMs hold_ms = 1500;              // a track unseen this long is dropped (the subject is lost)
  double switch_margin = 1.5;         // a rival must score this many times the subject's score...
  TimeMs switch_ms = 1500;            // ...continuously for this long to become the subject
  double match_iou = 0.2;             // a detection with at least this overlap continues a track
  double match_distance = 1.0;        // or whose centre is within this many track widths of it
  double box_smoothing = 0.5;         // weight of a new detection in the track's box (0..1]
  TimeMs persistence_full_ms = 2000;  // a track seen this long gets the full persistence weight
  int min_hits = 2;  // detections needed before a new track can become the first subject
  // A track seen within this long scores in full (afterwards half): it covers a caller that
  // searches only near the subject between whole-frame scans (FaceFollower scans once a second).
  TimeMs seen_grace_ms = 1100;
};

class FaceTracker {
 public:
  explicit FaceTracker(FaceTrackerOptions options = {});

  // Detections at time t_ms (call a few times per second, t non-decreasing); returns the main
  // subject's box now (smoothed; held through misses shorter than hold_ms), or nullopt when
  // there is none.
  std::optional<FaceBox> Observe(TimeMs t_ms, const std::vector<FaceBox>& faces);

  // Forgets every track.
  void Reset();

  const FaceTrackerOptions& options() const { return options_; }

 private:
  struct Track {
    int id = 0;
    FaceBox box;
    TimeMs first_seen_ms = 0;
    TimeMs last_seen_ms = 0;
    int hits = 0;
  };
  double Score(const Track& track, TimeMs t_ms) const;

  FaceTrackerOptions options_;
  std::vector<Track> tracks_;
  int next_id_ = 1;
  int subject_id_ = 0;  // 0: none
  int rival_id_ = 0;    // the track currently out-scoring the subject, 0: none
  TimeMs rival_since_ms_ = 0;
};

}  // namespace clipthat::vision
