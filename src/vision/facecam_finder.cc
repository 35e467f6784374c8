#include "vision/facecam_finder.h"

#include <algorithm>
#include <cmath>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

namespace clipthat::vision {
namespace {

// The frame's gray picture, without a copy where the frame has one.
cv::Mat GrayOf(const media::VideoFrame& frame) {
  auto* data = const_cast<std::uint8_t*>(frame.data.data());
  if (frame.format == media::PixelFormat::kBgr24) {
    cv::Mat gray;
    cv::cvtColor(cv::Mat(frame.height, frame.width, CV_8UC3, data), gray, cv::COLOR_BGR2GRAY);
    return gray;
  }
  return cv::Mat(frame.height, frame.width, CV_8UC1, data);
}

// Candidates per side at most: bounds the search (their fourth power) in cluttered frames.
constexpr std::size_t kMaxLinesPerSide = 24;

// Runs of marked positions (values >= min) along a profile, each reduced to its middle; the
// kMaxLinesPerSide best marked when there are more.
std::vector<int> RunCentres(const std::vector<double>& profile, int from, int to, double min) {
  std::vector<int> centres;
  from = std::max(from, 0);
  to = std::min(to, static_cast<int>(profile.size()) - 1);
  for (int i = from; i <= to; ++i) {
    if (profile[i] < min) continue;
    int j = i;
    while (j + 1 <= to && profile[j + 1] >= min) ++j;
    centres.push_back((i + j) / 2);
    i = j;
  }
  if (centres.size() > kMaxLinesPerSide) {
    std::stable_sort(centres.begin(), centres.end(),
                     [&](int a, int b) { return profile[a] > profile[b]; });
    centres.resize(kMaxLinesPerSide);
  }
  return centres;
}

// Sums of a 0/1 mark image along one column (or row) segment, from its integral image.
class Marks {
 public:
  explicit Marks(const cv::Mat& marks) { cv::integral(marks, sum_, CV_32S); }
  // Marked share of column x, rows [y0, y1].
  double Column(int x, int y0, int y1) const { return Box(x, x, y0, y1) / (y1 - y0 + 1.0); }
  // Marked share of row y, columns [x0, x1].
  double Row(int y, int x0, int x1) const { return Box(x0, x1, y, y) / (x1 - x0 + 1.0); }

 private:
  double Box(int x0, int x1, int y0, int y1) const {
    return sum_.at<int>(y1 + 1, x1 + 1) - sum_.at<int>(y0, x1 + 1) - sum_.at<int>(y1 + 1, x0) +
           sum_.at<int>(y0, x0);
  }
  cv::Mat sum_;
};

}  // namespace

std::optional<FacecamRect> FindFacecam(const std::vector<media::VideoFrame>& frames,
                                       const FaceBox& face, const FacecamFinderOptions& options) {
  if (frames.empty()) return std::nullopt;
  const int w = frames[0].width, h = frames[0].height;
  if (w < 16 || h < 16 || face.width < 2 || face.height < 2) return std::nullopt;

  // Edge marks: a step of edge_threshold or more across two pixels (central difference), so a
  // one-pixel line marks its two neighbours; kept where most frames have them.
  cv::Mat count_x = cv::Mat::zeros(h, w, CV_8UC1), count_y = cv::Mat::zeros(h, w, CV_8UC1);
  int used = 0;
  for (const media::VideoFrame& frame : frames) {
    if (frame.width != w || frame.height != h ||
        frame.data.size() < media::VideoFrame::BufferSize(w, h, frame.format)) {
      continue;
    }
    const cv::Mat gray = GrayOf(frame);
    cv::Mat dx, dy, mark;
    cv::absdiff(gray.colRange(2, w), gray.colRange(0, w - 2), dx);
    cv::compare(dx, options.edge_threshold, mark, cv::CMP_GE);
    cv::Mat cx = count_x.colRange(1, w - 1);
    cv::add(cx, mark / 255, cx);
    cv::absdiff(gray.rowRange(2, h), gray.rowRange(0, h - 2), dy);
    cv::compare(dy, options.edge_threshold, mark, cv::CMP_GE);
    cv::Mat cy = count_y.rowRange(1, h - 1);
    cv::add(cy, mark / 255, cy);
    ++used;
  }
  if (used == 0) return std::nullopt;
  const int need = used <= 2 ? used : static_cast<int>(std::ceil(0.6 * used));
  cv::Mat vx, vy;
  cv::compare(count_x, need, vx, cv::CMP_GE);
  cv::compare(count_y, need, vy, cv::CMP_GE);
  // A line is a line a pixel either way: the two marks of a thin line merge into one run.
  cv::dilate(vx, vx, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(3, 1)));
  cv::dilate(vy, vy, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(1, 3)));
  const Marks marks_x(vx / 255), marks_y(vy / 255);

  // The face, clipped to the frame, in whole pixels.
  const int fx0 = std::clamp(static_cast<int>(std::lround(face.x)), 0, w - 1);
  const int fy0 = std::clamp(static_cast<int>(std::lround(face.y)), 0, h - 1);
  const int fx1 = std::clamp(static_cast<int>(std::lround(face.x + face.width)) - 1, fx0, w - 1);
  const int fy1 = std::clamp(static_cast<int>(std::lround(face.y + face.height)) - 1, fy0, h - 1);
  const double fw = fx1 - fx0 + 1, fh = fy1 - fy0 + 1;

  // Candidate sides: lines marked over most of the face's span (a camera's sides run past the
  // face), plus the frame's own edges.
  constexpr double kProfileMin = 0.6;
  std::vector<double> col_profile(w), row_profile(h);
  for (int x = 0; x < w; ++x) col_profile[x] = marks_x.Column(x, fy0, fy1);
  for (int y = 0; y < h; ++y) row_profile[y] = marks_y.Row(y, fx0, fx1);
  const int inside_x = static_cast<int>(0.15 * fw), inside_y = static_cast<int>(0.15 * fh);
  const int reach_x = static_cast<int>(options.max_width_faces * fw);
  const int reach_y = static_cast<int>(options.max_height_faces * fh);
  std::vector<int> lefts = RunCentres(col_profile, fx0 - reach_x, fx0 + inside_x, kProfileMin);
  std::vector<int> rights = RunCentres(col_profile, fx1 - inside_x, fx1 + reach_x, kProfileMin);
  std::vector<int> tops = RunCentres(row_profile, fy0 - reach_y, fy0 + inside_y, kProfileMin);
  std::vector<int> bottoms = RunCentres(row_profile, fy1 - inside_y, fy1 + reach_y, kProfileMin);
  if (fx0 - reach_x <= 0) lefts.push_back(0);
  if (fx1 + reach_x >= w - 1) rights.push_back(w - 1);
  if (fy0 - reach_y <= 0) tops.push_back(0);
  if (fy1 + reach_y >= h - 1) bottoms.push_back(h - 1);

  struct Candidate {
    FacecamRect cam;
    double area = 0;
  };
  std::vector<Candidate> candidates;
  const double face_cx = face.center_x(), face_cy = face.center_y();
  for (int l : lefts) {
    for (int r : rights) {
      const double cw = r - l + 1;
      if (cw < options.min_width_faces * fw || cw > options.max_width_faces * fw) continue;
      if (face_cx < l || face_cx > r) continue;
      for (int t : tops) {
        for (int b : bottoms) {
          const double ch = b - t + 1;
          if (ch < options.min_height_faces * fh || ch > options.max_height_faces * fh) continue;
          if (face_cy < t || face_cy > b) continue;
          const double aspect = cw / ch;
          if (aspect < options.min_aspect || aspect > options.max_aspect) continue;
          const bool edge_l = l <= 1, edge_r = r >= w - 2, edge_t = t <= 1, edge_b = b >= h - 2;
          const int edges = edge_l + edge_r + edge_t + edge_b;
          if (edges > 2) continue;  // two real sides at least
          const double sl = edge_l ? 1.0 : marks_x.Column(l, t, b);
          const double sr = edge_r ? 1.0 : marks_x.Column(r, t, b);
          const double st = edge_t ? 1.0 : marks_y.Row(t, l, r);
          const double sb = edge_b ? 1.0 : marks_y.Row(b, l, r);
          if (std::min({sl, sr, st, sb}) < options.min_side_support) continue;
          const double mean = (sl + sr + st + sb) / 4;
          if (mean < options.min_mean_support) continue;
          Candidate c;
          c.cam.rect = {l, t, r - l + 1, b - t + 1};
          c.cam.support = mean;
          c.cam.frame_edge_sides = edges;
          c.area = cw * ch;
          candidates.push_back(c);
        }
      }
    }
  }
  if (candidates.empty()) {
    // Two opposite sides only: a camera whose other sides do not show (no border, and the
    // picture matches the game there). The missing extent is that of a 4:3 camera around the
    // face: centred on it across, the face a little above the middle down.
    constexpr double kGuessedAspect = 4.0 / 3.0;
    auto try_rect = [&](int l, int t, int cw, int ch, bool horizontal_pair) {
      if (cw > w || ch > h || cw < 2 || ch < 2) return;
      l = std::clamp(l, 0, w - cw);
      t = std::clamp(t, 0, h - ch);
      const int r = l + cw - 1, b = t + ch - 1;
      if (cw < options.min_width_faces * fw || cw > options.max_width_faces * fw) return;
      if (ch < options.min_height_faces * fh || ch > options.max_height_faces * fh) return;
      if (face_cx < l || face_cx > r || face_cy < t || face_cy > b) return;
      const double s1 = horizontal_pair ? marks_y.Row(t, l, r) : marks_x.Column(l, t, b);
      const double s2 = horizontal_pair ? marks_y.Row(b, l, r) : marks_x.Column(r, t, b);
      if (std::min(s1, s2) < options.min_side_support) return;
      if ((s1 + s2) / 2 < options.min_mean_support) return;
      Candidate c;
      c.cam.rect = {l, t, cw, ch};
      c.cam.support = (s1 + s2) / 2;
      c.cam.guessed_sides = 2;
      c.cam.frame_edge_sides = (l <= 1) + (r >= w - 2) + (t <= 1) + (b >= h - 2);
      c.area = static_cast<double>(cw) * ch;
      candidates.push_back(c);
    };
    for (int t : tops) {
      for (int b : bottoms) {
        if (t <= 1 || b >= h - 2) continue;  // both sides real lines
        const int ch = b - t + 1;
        const int cw = static_cast<int>(std::lround(ch * kGuessedAspect));
        try_rect(static_cast<int>(std::lround(face_cx - cw / 2.0)), t, cw, ch, true);
      }
    }
    for (int l : lefts) {
      for (int r : rights) {
        if (l <= 1 || r >= w - 2) continue;
        const int cw = r - l + 1;
        const int ch = static_cast<int>(std::lround(cw / kGuessedAspect));
        try_rect(l, static_cast<int>(std::lround(face_cy - 0.45 * ch)), cw, ch, false);
      }
    }
  }
  if (candidates.empty()) return std::nullopt;
  double best = 0;
  for (const Candidate& c : candidates) best = std::max(best, c.cam.support);
  const Candidate* pick = nullptr;
  for (const Candidate& c : candidates) {
    if (c.cam.support < best - options.near_best_support) continue;
    if (pick == nullptr || c.area < pick->area) pick = &c;
  }
  return pick->cam;
}

}  // namespace clipthat::vision
