#include "vision/testing/moving_face_media.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "media/mp4_writer.h"

namespace clipthat::vision::testing {
namespace {

// The same photos as the sample stream's facecam (Debian's opencv-doc package).
const std::vector<std::string>& PhotoCandidates() {
  static const std::vector<std::string> kPaths = {
      "/usr/share/doc/opencv-doc/opencv4/html/227943776_1.jpg",
      "/usr/share/doc/opencv-doc/opencv4/html/230501201_1.jpg",
      "/usr/share/doc/opencv-doc/opencv4/html/ab.jpg",
      "/usr/share/doc/opencv-doc/examples/data/messi5.jpg",
  };
  return kPaths;
}

media::VideoFrame BgrFrame(const cv::Mat& bgr) {
  media::VideoFrame f;
  f.Allocate(bgr.cols, bgr.rows, media::PixelFormat::kBgr24);
  cv::Mat view(bgr.rows, bgr.cols, CV_8UC3, f.data.data());
  bgr.copyTo(view);
  return f;
}

struct Photo {
  cv::Mat bgr;   // the photo
  FaceBox face;  // the face the detector finds in it (photo pixels)
  std::string path;
};

Result<Photo> LoadPhoto() {
  FaceDetectorOptions options;
  options.detect_width_px = 4096;  // the photo at its own size
  ASSIGN_OR_RETURN(FaceDetector detector, FaceDetector::Open(options));
  bool any = false;
  for (const std::string& path : PhotoCandidates()) {
    if (!std::filesystem::exists(path)) continue;
    any = true;
    cv::Mat image = cv::imread(path, cv::IMREAD_COLOR);
    if (image.empty()) continue;
    ASSIGN_OR_RETURN(std::vector<FaceBox> faces, detector.Detect(BgrFrame(image)));
    if (faces.empty()) continue;
    return Photo{image, faces.front(), path};
  }
  if (!any)
    return NotFoundError(PhotoCandidates().front() + ": no face photo (install opencv-doc)");
  return DataError(PhotoCandidates().front() + ": no detectable face in any candidate photo");
}

// Planes of a 4:2:0 picture as OpenCV views into a VideoFrame.
struct Planes {
  cv::Mat y, u, v;
};
Planes PlanesOf(media::VideoFrame& f) {
  const int cw = (f.width + 1) / 2, ch = (f.height + 1) / 2;
  std::uint8_t* p = f.data.data();
  Planes out;
  out.y = cv::Mat(f.height, f.width, CV_8UC1, p);
  out.u = cv::Mat(ch, cw, CV_8UC1, p + static_cast<std::size_t>(f.width) * f.height);
  out.v = cv::Mat(ch, cw, CV_8UC1, p + static_cast<std::size_t>(f.width) * f.height + cw * ch);
  return out;
}

// BGR (even size) to a kYuv420p frame.
media::VideoFrame ToYuv(const cv::Mat& bgr) {
  cv::Mat i420;
  cv::cvtColor(bgr, i420, cv::COLOR_BGR2YUV_I420);  // rows: h * 3 / 2, Y then U then V
  media::VideoFrame f;
  f.Allocate(bgr.cols, bgr.rows, media::PixelFormat::kYuv420p);
  std::copy(i420.data, i420.data + f.data.size(), f.data.begin());
  return f;
}

cv::Mat TexturedBackground(int width, int height) {
  cv::Mat bg(height, width, CV_8UC3);
  cv::RNG rng(20240611);
  rng.fill(bg, cv::RNG::UNIFORM, 30, 200);
  cv::GaussianBlur(bg, bg, cv::Size(0, 0), std::max(1.0, width / 640.0));
  for (int i = 0; i < 40; ++i) {  // shapes: edges and clutter like a game screen
    cv::Point a(rng.uniform(0, width), rng.uniform(0, height));
    cv::Point b(a.x + rng.uniform(-width / 6, width / 6),
                a.y + rng.uniform(-height / 6, height / 6));
    cv::Scalar c(rng.uniform(0, 255), rng.uniform(0, 255), rng.uniform(0, 255));
    if (i % 2 == 0) {
      cv::rectangle(bg, a, b, c, cv::FILLED);
    } else {
      cv::line(bg, a, b, c, std::max(2, width / 200));
    }
  }
  return bg;
}

double Smoothstep(double u) {
  u = std::clamp(u, 0.0, 1.0);
  return u * u * (3 - 2 * u);
}

// Where the face is at frame `frame_index` (corner rounded to even).
FaceBox MovingFaceBox(const MovingFaceSpec& spec, long long frame_index, double face_width,
                      double face_height) {
  const double t_ms = static_cast<double>(frame_index) * 1000.0 / std::max(1, spec.fps);
  const double left = spec.width / 3.0, right = 2.0 * spec.width / 3.0;
  double cx = left;
  if (spec.motion == FaceMotion::kPan && spec.pan_ms > 0) {
    cx = left + (right - left) * Smoothstep((t_ms - spec.still_start_ms) / spec.pan_ms);
  }
  const double cy = spec.height * 0.45;
  FaceBox box;
  // Even corners, as the face is pasted into 4:2:0 planes.
  box.x = 2.0 * std::lround((cx - face_width / 2) / 2);
  box.y = 2.0 * std::lround((cy - face_height / 2) / 2);
  box.width = face_width;
  box.height = face_height;
  box.score = 1;
  return box;
}

}  // namespace

FaceBox MovingFaceMedia::FaceBoxAt(TimeMs t_ms) const {
  if (faces.empty()) return {};
  const long long n = t_ms <= 0 ? 0 : t_ms * std::max(1, spec.fps) / 1000;
  return faces[static_cast<std::size_t>(std::min<long long>(n, frame_count() - 1))];
}

Result<MovingFaceMedia> WriteMovingFaceMedia(const std::filesystem::path& path,
                                             const MovingFaceSpec& spec) {
  if (spec.width < 64 || spec.height < 64 || spec.width % 2 || spec.height % 2 || spec.fps < 1 ||
      spec.duration_ms <= 0 || spec.face_width_fraction <= 0 || spec.face_width_fraction > 0.4) {
    return InvalidArgumentError(path.string() + ": bad moving-face spec");
  }
  ASSIGN_OR_RETURN(Photo photo, LoadPhoto());
  MovingFaceMedia out;
  out.path = path.string();
  out.spec = spec;
  out.photo_path = photo.path;

  try {
    // The head: twice the face's size around it, scaled so the face has the wanted width,
    // even-sized for 4:2:0.
    const double scale = spec.face_width_fraction * spec.width / photo.face.width;
    const cv::Rect want(static_cast<int>(photo.face.center_x() - photo.face.width),
                        static_cast<int>(photo.face.center_y() - photo.face.height),
                        static_cast<int>(2 * photo.face.width),
                        static_cast<int>(2 * photo.face.height));
    const int pad =
        std::max({0, -want.x, -want.y, want.br().x - photo.bgr.cols, want.br().y - photo.bgr.rows});
    cv::Mat padded;
    cv::copyMakeBorder(photo.bgr, padded, pad, pad, pad, pad, cv::BORDER_REPLICATE);
    cv::Mat head;
    const int head_w = static_cast<int>(std::lround(want.width * scale / 2)) * 2;
    const int head_h = static_cast<int>(std::lround(want.height * scale / 2)) * 2;
    cv::resize(padded(want + cv::Point(pad, pad)), head, cv::Size(head_w, head_h), 0, 0,
               cv::INTER_AREA);
    // Where the face sits inside the head.
    const double face_dx = (photo.face.x - want.x) * scale;
    const double face_dy = (photo.face.y - want.y) * scale;
    const double face_w = photo.face.width * scale;
    const double face_h = photo.face.height * scale;
    // Face-box corners are even; so must the head's be: shift by the (even-rounded) offset.
    const int head_off_x = 2 * static_cast<int>(std::lround(face_dx / 2));
    const int head_off_y = 2 * static_cast<int>(std::lround(face_dy / 2));

    media::VideoFrame background = ToYuv(TexturedBackground(spec.width, spec.height));
    media::VideoFrame head_yuv = ToYuv(head);
    Planes hp = PlanesOf(head_yuv);

    media::Mp4WriterOptions wopt;
    wopt.width = spec.width;
    wopt.height = spec.height;
    wopt.fps = spec.fps;
    wopt.preset = "ultrafast";
    wopt.crf = spec.crf;
    wopt.gop_frames = spec.gop_frames;
    wopt.has_audio = spec.with_audio;
    wopt.audio_sample_rate_hz = 48000;
    wopt.audio_channels = 2;
    ASSIGN_OR_RETURN(media::Mp4Writer writer, media::Mp4Writer::Open(out.path, wopt));

    const long long frames = spec.duration_ms * spec.fps / 1000;
    const int samples_per_frame = 48000 / spec.fps;
    media::VideoFrame frame;
    media::AudioBuffer audio;
    audio.sample_rate_hz = 48000;
    audio.channels = 2;
    for (long long n = 0; n < frames; ++n) {
      FaceBox box = MovingFaceBox(spec, n, face_w, face_h);
      frame = background;
      frame.pts_ms = n * 1000 / spec.fps;
      Planes fp = PlanesOf(frame);
      // The head's corner (even), clipped to the frame.
      const int hx = static_cast<int>(box.x) - head_off_x;
      const int hy = static_cast<int>(box.y) - head_off_y;
      const cv::Rect dst =
          cv::Rect(hx, hy, head_w, head_h) & cv::Rect(0, 0, spec.width, spec.height);
      if (dst.area() > 0) {
        const cv::Rect src = dst - cv::Point(hx, hy);
        hp.y(src).copyTo(fp.y(dst));
        const cv::Rect cdst(dst.x / 2, dst.y / 2, dst.width / 2, dst.height / 2);
        const cv::Rect csrc(src.x / 2, src.y / 2, dst.width / 2, dst.height / 2);
        hp.u(csrc).copyTo(fp.u(cdst));
        hp.v(csrc).copyTo(fp.v(cdst));
      }
      box.x = hx + face_dx;
      box.y = hy + face_dy;
      out.faces.push_back(box);
      RETURN_IF_ERROR(writer.WriteVideo(frame));
      if (spec.with_audio) {
        audio.start_ms = frame.pts_ms;
        audio.samples.resize(static_cast<std::size_t>(samples_per_frame) * 2);
        for (int i = 0; i < samples_per_frame; ++i) {
          const double t = static_cast<double>(n * samples_per_frame + i) / 48000.0;
          const float s = static_cast<float>(0.05 * std::sin(2 * M_PI * 330.0 * t));
          audio.samples[2 * i] = audio.samples[2 * i + 1] = s;
        }
        RETURN_IF_ERROR(writer.WriteAudio(audio));
      }
    }
    RETURN_IF_ERROR(writer.Finish());
  } catch (const cv::Exception& e) {
    return DataError(path.string() + ": moving-face media: OpenCV: " + e.what());
  }
  return out;
}

}  // namespace clipthat::vision::testing
