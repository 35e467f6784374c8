#include "sample/scene_painter.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

#include "sample/rng.h"

namespace clipthat::sample {
namespace {

enum Look { kRacer = 0, kPlatformer, kSpace, kArena, kLobby, kPuzzle };

cv::Scalar RandomColor(Rng& rng, int lo, int hi) {
  return cv::Scalar(static_cast<double>(rng.Int(lo, hi)), static_cast<double>(rng.Int(lo, hi)),
                    static_cast<double>(rng.Int(lo, hi)));
}

cv::Mat VerticalGradient(int w, int h, cv::Scalar top, cv::Scalar bottom) {
  cv::Mat column(h, 1, CV_8UC3);
  for (int y = 0; y < h; ++y) {
    double a = static_cast<double>(y) / std::max(1, h - 1);
    cv::Scalar c = top * (1 - a) + bottom * a;
    column.at<cv::Vec3b>(y) =
        cv::Vec3b(cv::saturate_cast<uchar>(c[0]), cv::saturate_cast<uchar>(c[1]),
                  cv::saturate_cast<uchar>(c[2]));
  }
  cv::Mat out;
  cv::repeat(column, 1, w, out);
  return out;
}

double Frac(double x) { return x - std::floor(x); }

}  // namespace

struct ScenePainter::Impl {
  int w = 0, h = 0, look = 0;
  double s = 1;  // drawing scale: 1 at 1080 lines
  std::uint64_t seed = 0;
  cv::Scalar colors[6];
  cv::Mat background;  // static looks: copied each frame
  cv::Mat strip;       // scrolling looks: a seamless image wider/taller than the frame
  int tile = 0;
  struct Star {
    double x0, y, speed;
    int size;
  };
  std::vector<Star> stars;

  int S(double v) const { return std::max(1, static_cast<int>(std::lround(v * s))); }
  void Prepare();
  void DrawLook(cv::Mat& f, double t) const;
  void DrawExcitement(cv::Mat& f, double t, double excitement) const;
  void DrawHud(cv::Mat& f, double t) const;
};

void ScenePainter::Impl::Prepare() {
  Rng rng(seed);
  for (auto& c : colors) c = RandomColor(rng, 30, 240);
  s = h / 1080.0;
  switch (look) {
    case kRacer: {
      background = VerticalGradient(w, h, cv::Scalar(235, 190, 120), cv::Scalar(250, 230, 200));
      int horizon = h * 45 / 100;
      background(cv::Rect(0, horizon, w, h - horizon)) = colors[0] * 0.5 + cv::Scalar(20, 90, 20);
      std::vector<cv::Point> road = {
          {w / 2 - w / 40, horizon}, {w / 2 + w / 40, horizon}, {w * 9 / 10, h}, {w / 10, h}};
      cv::fillConvexPoly(background, road, cv::Scalar(70, 70, 70));
      for (int i = 0; i < 5; ++i) {  // distant mountains
        int cx = static_cast<int>(rng.Int(0, w));
        std::vector<cv::Point> m = {
            {cx - w / 6, horizon}, {cx, horizon - h / 6}, {cx + w / 6, horizon}};
        cv::fillConvexPoly(background, m, colors[1] * 0.6);
      }
      break;
    }
    case kPlatformer: {
      cv::Mat half = VerticalGradient(w, h, colors[2] * 0.4 + cv::Scalar(150, 110, 60),
                                      cv::Scalar(240, 220, 200));
      for (int layer = 0; layer < 2; ++layer) {
        std::vector<cv::Point> hill = {{0, h}};
        int k1 = static_cast<int>(rng.Int(2, 4)), k2 = static_cast<int>(rng.Int(5, 9));
        for (int x = 0; x <= w; x += std::max(2, w / 240)) {
          double y = h * (0.55 + 0.12 * layer) + h * 0.08 * std::sin(2 * M_PI * k1 * x / w) +
                     h * 0.03 * std::sin(2 * M_PI * k2 * x / w + layer);
          hill.push_back({x, static_cast<int>(y)});
        }
        hill.push_back({w, h});
        cv::fillPoly(half, std::vector<std::vector<cv::Point>>{hill},
                     layer == 0 ? colors[3] * 0.7 : colors[0] * 0.5 + cv::Scalar(0, 80, 0));
      }
      cv::hconcat(half, half, strip);  // seamless: scrolling wraps after w pixels
      break;
    }
    case kSpace: {
      for (int i = 0; i < 160; ++i) {
        stars.push_back({rng.Uniform(0, w), rng.Uniform(0, h), rng.Uniform(40, 400) * s,
                         static_cast<int>(rng.Int(1, 3))});
      }
      break;
    }
    case kArena: {
      tile = std::max(8, S(120));
      strip.create(h + 2 * tile, w + 2 * tile, CV_8UC3);
      strip = colors[4] * 0.35;
      for (int y = 0; y < strip.rows; y += tile) {
        for (int x = 0; x < strip.cols; x += tile) {
          if (((x / tile) + (y / tile)) % 2 == 0) {
            cv::rectangle(strip, cv::Rect(x, y, tile, tile), colors[4] * 0.45, cv::FILLED);
          }
          cv::rectangle(strip, cv::Rect(x, y, tile, tile), colors[5] * 0.6, std::max(1, S(2)));
        }
      }
      break;
    }
    case kLobby: background = VerticalGradient(w, h, colors[1] * 0.3, colors[2] * 0.6); break;
    default: background = VerticalGradient(w, h, cv::Scalar(40, 20, 30), colors[3] * 0.25); break;
  }
}

void ScenePainter::Impl::DrawLook(cv::Mat& f, double t) const {
  switch (look) {
    case kRacer: {
      background.copyTo(f);
      int horizon = h * 45 / 100;
      for (int i = 0; i < 10; ++i) {  // lane stripes rushing towards the viewer
        double z = Frac(i / 10.0 + t * 0.7);
        double z2 = Frac(i / 10.0 + t * 0.7 + 0.04);
        int y1 = horizon + static_cast<int>((h - horizon) * z * z);
        int y2 = horizon + static_cast<int>((h - horizon) * z2 * z2);
        int half_w = std::max(1, static_cast<int>(w * 0.004 * (0.2 + 3 * z)));
        if (y2 > y1)
          cv::rectangle(f, cv::Rect(w / 2 - half_w, y1, 2 * half_w, y2 - y1),
                        cv::Scalar(240, 240, 240), cv::FILLED);
      }
      for (int c = 0; c < 3; ++c) {  // cars weaving
        double z = 0.3 + 0.6 * Frac(0.33 * c + 0.05 * t);
        int cy = horizon + static_cast<int>((h - horizon) * z * z);
        int cw = static_cast<int>(w * 0.12 * z);
        int cx = w / 2 + static_cast<int>(std::sin(t * 0.9 + c * 2.1) * w * 0.25 * z) - cw / 2;
        cv::rectangle(f, cv::Rect(cx, cy - cw / 2, cw, cw / 2), colors[c + 2], cv::FILLED);
      }
      break;
    }
    case kPlatformer: {
      int offset = static_cast<int>(std::fmod(t * w * 0.12, w));
      strip(cv::Rect(offset, 0, w, h)).copyTo(f);
      int px = w * 3 / 10;
      int py = static_cast<int>(h * 0.5 - std::abs(std::sin(t * 2.5)) * h * 0.2);
      cv::circle(f, {px, py}, S(40), colors[5], cv::FILLED);
      for (int i = 0; i < 6; ++i) {
        int cx = w - static_cast<int>(std::fmod(t * w * 0.12 + i * w / 6.0, w));
        cv::circle(f, {cx, h * 4 / 10 + (i % 3) * S(50)}, S(14), cv::Scalar(0, 215, 255),
                   cv::FILLED);
      }
      break;
    }
    case kSpace: {
      f.setTo(cv::Scalar(25, 8, 12));
      for (const Star& st : stars) {
        int x = static_cast<int>(std::fmod(st.x0 - t * st.speed + 1e6 * w, w));
        cv::rectangle(f, cv::Rect(x, static_cast<int>(st.y), S(st.size * 2), S(st.size * 2)),
                      cv::Scalar(255, 255, 255), cv::FILLED);
      }
      int sy = h / 2 + static_cast<int>(std::sin(t * 1.3) * h * 0.25);
      std::vector<cv::Point> ship = {{S(300), sy}, {S(180), sy - S(40)}, {S(180), sy + S(40)}};
      cv::fillConvexPoly(f, ship, colors[0]);
      for (int i = 0; i < 4; ++i) {
        double phase = Frac(t * 0.8 + i * 0.25);
        cv::line(f, {S(300) + static_cast<int>(phase * w), sy},
                 {S(360) + static_cast<int>(phase * w), sy}, cv::Scalar(80, 255, 80), S(6));
        int ex = w - static_cast<int>(Frac(t * 0.15 + i * 0.3) * w * 0.7);
        int ey = h / 2 + static_cast<int>(std::sin(t * 0.7 + i * 1.7) * h * 0.35);
        cv::circle(f, {ex, ey}, S(35), colors[i + 1], cv::FILLED);
      }
      break;
    }
    case kArena: {
      int ox = static_cast<int>(std::fmod(t * tile * 0.8, tile));
      int oy = static_cast<int>(std::fmod(t * tile * 0.5, tile));
      strip(cv::Rect(ox, oy, w, h)).copyTo(f);
      for (int i = 0; i < 7; ++i) {
        int x = w / 2 + static_cast<int>(std::sin(t * (0.5 + 0.13 * i) + i) * w * 0.4);
        int y = h / 2 + static_cast<int>(std::cos(t * (0.37 + 0.11 * i) + 2 * i) * h * 0.4);
        cv::circle(f, {x, y}, S(30 + 6 * i), colors[i % 6], cv::FILLED);
        cv::circle(f, {x, y}, S(30 + 6 * i), cv::Scalar(20, 20, 20), S(4));
      }
      break;
    }
    case kLobby: {
      background.copyTo(f);
      static const char* kItems[] = {"PLAY", "LOADOUT", "STORE", "FRIENDS", "SETTINGS"};
      int selected = static_cast<int>(t / 2.0) % 5;
      for (int i = 0; i < 5; ++i) {
        cv::Rect r(w / 2 + S(40), S(160) + i * S(150), w / 3, S(120));
        cv::rectangle(f, r, i == selected ? colors[0] : colors[1] * 0.6, cv::FILLED);
        cv::putText(f, kItems[i], r.tl() + cv::Point(S(30), S(85)), cv::FONT_HERSHEY_SIMPLEX,
                    2.0 * s, cv::Scalar(250, 250, 250), S(4));
      }
      cv::ellipse(f, {w / 4, h / 3}, {S(90), S(90)}, t * 240, 0, 270, colors[2], S(14));
      int tx = w - static_cast<int>(std::fmod(t * w * 0.15, 2.0 * w));
      cv::putText(f, "NEW SEASON OUT NOW  -  DOUBLE XP WEEKEND  -  PATCH NOTES IN DISCORD",
                  {tx, S(135)}, cv::FONT_HERSHEY_SIMPLEX, 1.4 * s, cv::Scalar(255, 255, 255), S(3));
      break;
    }
    default: {  // block puzzle
      background.copyTo(f);
      int cell = std::max(2, h / 24);
      cv::Point origin(w / 2 - 5 * cell, h / 2 - 10 * cell);
      cv::rectangle(f, cv::Rect(origin, cv::Size(10 * cell, 20 * cell)), cv::Scalar(15, 15, 15),
                    cv::FILLED);
      int epoch = static_cast<int>(t / 4.0);
      for (int row = 0; row < 20; ++row) {
        for (int col = 0; col < 10; ++col) {
          std::uint64_t hsh = Rng(seed ^ (epoch * 7919ULL) ^ (row * 131ULL + col)).Next();
          if (row < 11 || hsh % 3 == 0) continue;
          cv::rectangle(f,
                        cv::Rect(origin + cv::Point(col * cell, row * cell), cv::Size(cell, cell)),
                        colors[hsh % 6], cv::FILLED);
        }
      }
      int fall_row = static_cast<int>(Frac(t / 4.0) * 11);
      for (int k = 0; k < 4; ++k) {
        cv::rectangle(
            f, cv::Rect(origin + cv::Point((3 + k) * cell, fall_row * cell), cv::Size(cell, cell)),
            cv::Scalar(0, 200, 255), cv::FILLED);
      }
      break;
    }
  }
}

void ScenePainter::Impl::DrawExcitement(cv::Mat& f, double t, double excitement) const {
  if (excitement <= 0) return;
  for (int i = 0; i < 3; ++i) {  // expanding explosion rings
    double phase = Frac(t * 1.5 + i / 3.0);
    Rng r(seed ^ (static_cast<std::uint64_t>(t * 1.5 + i / 3.0 - phase + 0.5) * 977 + i));
    cv::Point c(static_cast<int>(r.Uniform(0.35, 0.9) * w),
                static_cast<int>(r.Uniform(0.15, 0.6) * h));
    cv::circle(f, c, S(20 + 260 * phase), cv::Scalar(0, 160 + 90 * (1 - phase), 255),
               S(18 * (1 - phase) + 2));
  }
  double pulse = 0.5 + 0.5 * std::sin(t * 2 * M_PI * 3);
  double alpha = 0.3 * excitement * pulse;
  if (alpha > 0.02) cv::addWeighted(f, 1 - alpha, cv::Scalar(255, 255, 255), alpha, 0, f);
}

void ScenePainter::Impl::DrawHud(cv::Mat& f, double t) const {
  std::string score = "SCORE " + std::to_string(static_cast<long>(t * 137) + seed % 50000);
  cv::putText(f, score, {S(40), S(70)}, cv::FONT_HERSHEY_SIMPLEX, 1.5 * s,
              cv::Scalar(255, 255, 255), S(4));
  int bar = static_cast<int>(S(400) * (0.4 + 0.6 * Frac(t / 17.0)));
  cv::rectangle(f, cv::Rect(w - S(460), S(40), S(400), S(30)), cv::Scalar(40, 40, 40), cv::FILLED);
  cv::rectangle(f, cv::Rect(w - S(460), S(40), bar, S(30)), cv::Scalar(60, 60, 230), cv::FILLED);
}

ScenePainter::ScenePainter(int width, int height, int look, std::uint64_t seed)
    : impl_(std::make_unique<Impl>()) {
  impl_->w = width;
  impl_->h = height;
  impl_->look = look;
  impl_->seed = seed;
  impl_->Prepare();
}
ScenePainter::~ScenePainter() = default;
ScenePainter::ScenePainter(ScenePainter&&) noexcept = default;
ScenePainter& ScenePainter::operator=(ScenePainter&&) noexcept = default;

void ScenePainter::Paint(cv::Mat& frame, double t_s, double excitement) const {
  impl_->DrawLook(frame, t_s);
  impl_->DrawHud(frame, t_s);
  impl_->DrawExcitement(frame, t_s, excitement);
}

}  // namespace clipthat::sample
