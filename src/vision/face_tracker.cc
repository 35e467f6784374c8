#include "vision/face_tracker.h"

#include <algorithm>
#include <cmath>
#include <tuple>

namespace clipthat::vision {

FaceTracker::FaceTracker(FaceTrackerOptions options) : options_(options) {}

void FaceTracker::Reset() {
  tracks_.clear();
  subject_id_ = 0;
  rival_id_ = 0;
  rival_since_ms_ = 0;
}

// Size times persistence: a face seen for persistence_full_ms scores its width; a newcomer
// scores a quarter of it, rising linearly. A track unseen for longer than seen_grace_ms scores
// half.
double FaceTracker::Score(const Track& track, TimeMs t_ms) const {
  const double age_ms = static_cast<double>(t_ms - track.first_seen_ms);
  const double full = std::max<double>(1.0, static_cast<double>(options_.persistence_full_ms));
  const double persistence = 0.25 + 0.75 * std::min(1.0, age_ms / full);
  const double seen = t_ms - track.last_seen_ms <= options_.seen_grace_ms ? 1.0 : 0.5;
  return track.box.width * persistence * seen;
}

std::optional<FaceBox> FaceTracker::Observe(TimeMs t_ms, const std::vector<FaceBox>& faces) {
  // 1. Forget tracks unseen for longer than hold_ms.
  std::erase_if(tracks_,
                [&](const Track& tr) { return t_ms - tr.last_seen_ms > options_.hold_ms; });
  auto exists = [&](int id) {
    return std::any_of(tracks_.begin(), tracks_.end(),
                       [&](const Track& tr) { return tr.id == id; });
  };
  if (subject_id_ != 0 && !exists(subject_id_)) subject_id_ = 0;
  if (rival_id_ != 0 && !exists(rival_id_)) rival_id_ = 0;

  // 2. Associate detections with tracks, best pairs first: overlap, then centre distance in
  // track widths for moves too fast to overlap.
  std::vector<std::tuple<double, std::size_t, std::size_t>> pairs;  // (cost, track, face)
  for (std::size_t ti = 0; ti < tracks_.size(); ++ti) {
    const FaceBox& tb = tracks_[ti].box;
    for (std::size_t fi = 0; fi < faces.size(); ++fi) {
      const FaceBox& fb = faces[fi];
      const double iou = IntersectionOverUnion(tb, fb);
      const double dist = std::hypot(tb.center_x() - fb.center_x(), tb.center_y() - fb.center_y()) /
                          std::max(1.0, tb.width);
      const double size_ratio =
          std::max(tb.width, fb.width) / std::max(1.0, std::min(tb.width, fb.width));
      if (iou >= options_.match_iou) {
        pairs.emplace_back(1.0 - iou, ti, fi);
      } else if (dist <= options_.match_distance && size_ratio < 2.0) {
        pairs.emplace_back(1.0 + dist, ti, fi);
      }
    }
  }
  std::sort(pairs.begin(), pairs.end());
  std::vector<bool> track_used(tracks_.size(), false), face_used(faces.size(), false);
  const double a = std::clamp(options_.box_smoothing, 0.01, 1.0);
  for (const auto& [cost, ti, fi] : pairs) {
    if (track_used[ti] || face_used[fi]) continue;
    track_used[ti] = face_used[fi] = true;
    Track& tr = tracks_[ti];
    const FaceBox& f = faces[fi];
    tr.box.x += a * (f.x - tr.box.x);
    tr.box.y += a * (f.y - tr.box.y);
    tr.box.width += a * (f.width - tr.box.width);
    tr.box.height += a * (f.height - tr.box.height);
    tr.box.score = f.score;
    tr.last_seen_ms = t_ms;
    ++tr.hits;
  }
  for (std::size_t fi = 0; fi < faces.size(); ++fi) {
    if (face_used[fi]) continue;
    Track tr;
    tr.id = next_id_++;
    tr.box = faces[fi];
    tr.first_seen_ms = tr.last_seen_ms = t_ms;
    tr.hits = 1;
    tracks_.push_back(tr);
  }

  // 3. Choose the subject: the best track when there is none, a rival only after it has
  // out-scored the subject by switch_margin for switch_ms.
  const Track* best = nullptr;
  double best_score = -1;
  for (const Track& tr : tracks_) {
    if (tr.id == subject_id_) continue;
    if (subject_id_ == 0 && tr.hits < options_.min_hits) continue;
    const double s = Score(tr, t_ms);
    if (s > best_score) {
      best_score = s;
      best = &tr;
    }
  }
  if (subject_id_ == 0) {
    if (best != nullptr) subject_id_ = best->id;
    rival_id_ = 0;
  } else {
    const Track& subject = *std::find_if(tracks_.begin(), tracks_.end(),
                                         [&](const Track& tr) { return tr.id == subject_id_; });
    if (best != nullptr && best_score > options_.switch_margin * Score(subject, t_ms)) {
      if (rival_id_ != best->id) {
        rival_id_ = best->id;
        rival_since_ms_ = t_ms;
      } else if (t_ms - rival_since_ms_ >= options_.switch_ms) {
        subject_id_ = best->id;
        rival_id_ = 0;
      }
    } else {
      rival_id_ = 0;
    }
  }
  if (subject_id_ == 0) return std::nullopt;
  for (const Track& tr : tracks_) {
    if (tr.id == subject_id_) return tr.box;
  }
  return std::nullopt;
}

}  // namespace clipthat::vision
