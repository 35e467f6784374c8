#include "reframe/face_follower.h"

#include <climits>
#include <utility>

#include "core/time_units.h"

namespace clipthat::reframe {

struct FaceFollower::Impl {
  FaceFollowerOptions options;
  vision::FaceDetector detector;
  vision::FaceTracker tracker;
  vision::MotionCentre motion;
  CropPathSolver solver;
  FaceFollowerStats stats;
  // The target chosen at the last detection, reused for the frames until the next one.
  std::optional<std::pair<double, double>> target;
  enum class Source { kNone, kFace, kMotion } source = Source::kNone;
  // Where to search next: the followed face, or the best face of the last detection.
  std::optional<vision::FaceBox> hint;
  long long last_full_scan = -1;  // frame index, -1: none yet
  bool force_full_scan = false;

  Impl(const FaceFollowerOptions& o, vision::FaceDetector d, const CropPathOptions& path)
      : options(o), detector(std::move(d)), tracker(o.tracker), motion(o.motion), solver(path) {}
};

Result<FaceFollower> FaceFollower::Create(const FaceFollowerOptions& options) {
  if (options.frame_width <= 0 || options.frame_height <= 0 || options.crop_width <= 0 ||
      options.crop_height <= 0 || options.crop_width > options.frame_width ||
      options.crop_height > options.frame_height || options.fps < 1 ||
      options.detect_every_frames < 1 || options.full_scan_every_frames < 1 ||
      options.idle_scan_every_frames < 1) {
    return InvalidArgumentError(
        "face follower: bad geometry: frame " + std::to_string(options.frame_width) + "x" +
        std::to_string(options.frame_height) + ", crop " + std::to_string(options.crop_width) +
        "x" + std::to_string(options.crop_height) + ", fps " + std::to_string(options.fps) +
        ", detect every " + std::to_string(options.detect_every_frames) + " frames");
  }
  ASSIGN_OR_RETURN(vision::FaceDetector detector, vision::FaceDetector::Open(options.detector));
  CropPathOptions path = options.path;
  path.frame_width = options.frame_width;
  path.frame_height = options.frame_height;
  path.crop_width = options.crop_width;
  path.crop_height = options.crop_height;
  path.fps = options.fps;
  return FaceFollower(std::make_unique<Impl>(options, std::move(detector), path));
}

FaceFollower::FaceFollower(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
FaceFollower::FaceFollower(FaceFollower&&) noexcept = default;
FaceFollower& FaceFollower::operator=(FaceFollower&&) noexcept = default;
FaceFollower::~FaceFollower() = default;

Status FaceFollower::Push(const media::VideoFrame& frame) {
  if (!impl_) return InvalidArgumentError("face follower: moved from");
  Impl& f = *impl_;
  if (frame.width != f.options.frame_width || frame.height != f.options.frame_height) {
    return InvalidArgumentError("face follower: frame at " + FormatClock(frame.pts_ms) + " is " +
                                std::to_string(frame.width) + "x" + std::to_string(frame.height) +
                                ", expected " + std::to_string(f.options.frame_width) + "x" +
                                std::to_string(f.options.frame_height));
  }
  Stopwatch total;
  const long long n = f.stats.frames++;
  if (n % f.options.detect_every_frames == 0) {
    // Output time from the frame count: the renderer's frames are constant rate.
    const TimeMs t_ms = n * 1000 / f.options.fps;
    const long long since_full = f.last_full_scan < 0 ? LLONG_MAX : n - f.last_full_scan;
    bool full = false, run = true;
    if (f.hint) {
      full = f.force_full_scan || since_full >= f.options.full_scan_every_frames;
    } else {
      full = since_full >= f.options.idle_scan_every_frames;
      run = full;
    }
    std::vector<vision::FaceBox> faces;
    if (run) {
      Stopwatch detect;
      if (full) {
        ASSIGN_OR_RETURN(faces, f.detector.Detect(frame));
        f.last_full_scan = n;
        ++f.stats.full_scans;
        f.stats.full_scan_seconds += detect.ElapsedSeconds();
      } else {
        ASSIGN_OR_RETURN(faces, f.detector.DetectNear(frame, *f.hint));
      }
      f.stats.detect_seconds += detect.ElapsedSeconds();
      ++f.stats.detections_run;
      // A near search that misses is followed by a whole-frame scan.
      f.force_full_scan = !full && faces.empty();
    }
    const std::optional<vision::FaceBox> subject = f.tracker.Observe(t_ms, faces);
    if (subject) {
      f.hint = subject;
    } else if (!faces.empty()) {
      f.hint = faces.front();
    } else if (run) {
      f.hint.reset();
    }
    const auto moving = f.motion.Observe(frame);
    if (subject) {
      f.target = std::make_pair(subject->center_x(), subject->center_y());
      f.source = Impl::Source::kFace;
    } else if (moving) {
      f.target = moving;
      f.source = Impl::Source::kMotion;
    } else {
      f.target.reset();
      f.source = Impl::Source::kNone;
    }
  }
  if (f.source == Impl::Source::kFace) ++f.stats.frames_with_subject;
  if (f.source == Impl::Source::kMotion) ++f.stats.frames_from_motion;
  f.solver.Push(f.target);
  f.stats.total_seconds += total.ElapsedSeconds();
  return Status::Ok();
}

std::optional<media::CropRect> FaceFollower::Pop() {
  return impl_ ? impl_->solver.Pop() : std::nullopt;
}

void FaceFollower::Finish() {
  if (impl_) impl_->solver.Finish();
}

int FaceFollower::lookahead_frames() const {
  return impl_ ? impl_->solver.options().lookahead_frames : 0;
}

const FaceFollowerStats& FaceFollower::stats() const {
  static const FaceFollowerStats kEmpty;
  return impl_ ? impl_->stats : kEmpty;
}

}  // namespace clipthat::reframe
