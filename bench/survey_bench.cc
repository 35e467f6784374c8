// survey_bench: the cost of the face survey the layout chooser runs before each clip, with its
// small-face search (the frame's borders at 960 px) and camera rectangle search, against the
// whole-frame-only survey at the detector's 480 px (what it was before), on the same windows of
// the same file in the same run. Prints CPU ms per survey for both, the ratio, and each
// survey's verdict.
//
//   survey_bench FILE [--window-s 30] [--windows 6]
#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "media/probe.h"
#include "reframe/layout_chooser.h"
#include "vision/face_detector.h"
#include "vision/face_survey.h"

namespace {

double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_stime.tv_sec + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "survey_bench: %s\n", what.c_str());
  std::exit(1);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace clipthat;
  if (argc < 2) Die("usage: survey_bench FILE [--window-s S] [--windows N]");
  const std::string path = argv[1];
  int window_s = 30, windows = 6;
  for (int i = 2; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--window-s") == 0) window_s = std::atoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--windows") == 0) windows = std::atoi(argv[i + 1]);
  }
  auto info = media::Probe(path);
  if (!info.ok()) Die(info.status().ToString());
  const TimeMs duration_ms = info->duration_ms;
  auto detector = vision::FaceDetector::Open();
  if (!detector.ok()) Die(detector.status().ToString());

  vision::FaceSurveyOptions before;
  before.analysis_width_px = 480;
  before.small_face_band_width = 0;
  before.max_facecam_face_width = 0;
  const vision::FaceSurveyOptions now;

  double cpu[2] = {0, 0};
  int splits[2] = {0, 0};
  for (int k = 0; k < windows; ++k) {
    const TimeMs span = std::max<TimeMs>(1, duration_ms - window_s * 1000LL);
    const TimeMs start = span * k / std::max(1, windows);
    const TimeMs end = std::min<TimeMs>(duration_ms, start + window_s * 1000LL);
    for (int v = 0; v < 2; ++v) {
      const double t0 = CpuSeconds();
      auto survey = vision::SurveyFaces(path, start, end, *detector, v == 0 ? before : now);
      cpu[v] += CpuSeconds() - t0;
      if (!survey.ok()) Die(survey.status().ToString());
      const reframe::LayoutChoice choice = reframe::ChooseLayout(*survey);
      splits[v] += choice.layout == reframe::Layout::kSplit;
      std::printf("window %2d %s: %d samples, %s (%s)\n", k, v == 0 ? "before" : "now   ",
                  survey->samples, std::string(reframe::LayoutName(choice.layout)).c_str(),
                  choice.reason.c_str());
    }
  }
  const double before_ms = 1000 * cpu[0] / windows, now_ms = 1000 * cpu[1] / windows;
  std::printf("survey CPU per %d s window: before %.0f ms, now %.0f ms, ratio %.2f\n", window_s,
              before_ms, now_ms, now_ms / std::max(1e-9, before_ms));
  std::printf("split chosen: before %d of %d, now %d of %d\n", splits[0], windows, splits[1],
              windows);
  return 0;
}
