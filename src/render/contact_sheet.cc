#include "render/contact_sheet.h"

#include <algorithm>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "core/files.h"
#include "media/probe.h"
#include "media/window_decoder.h"

namespace clipthat::render {
namespace {

constexpr int kLabelHeightPx = 30;
constexpr int kTimeHeightPx = 22;
constexpr int kGapPx = 8;

// The frame on screen at t_ms, scaled to width x height, BGR.
Result<media::VideoFrame> FrameAt(const std::string& path, TimeMs t_ms, int width, int height) {
  ASSIGN_OR_RETURN(auto decoder,
                   media::WindowDecoder::Open(path, {.start_ms = t_ms,
                                                     .end_ms = -1,
                                                     .width = width,
                                                     .height = height,
                                                     .format = media::PixelFormat::kBgr24,
                                                     .audio_sample_rate_hz = 48000,
                                                     .audio_channels = 0}));
  media::DecodedItem item;
  while (true) {
    ASSIGN_OR_RETURN(bool more, decoder.Next(&item));
    if (!more) return DataError(path + ": no frame at " + FormatClock(t_ms));
    if (item.kind == media::DecodedItem::Kind::kVideo) return std::move(item.video);
  }
}

void Text(cv::Mat& sheet, const std::string& text, int x, int y, double scale) {
  cv::putText(sheet, text, {x, y}, cv::FONT_HERSHEY_SIMPLEX, scale, {235, 235, 235}, 1,
              cv::LINE_AA);
}

}  // namespace

Status WriteContactSheet(const std::vector<ContactSheetClip>& clips, const std::string& png_path,
                         const ContactSheetOptions& options) {
  if (clips.empty()) return InvalidArgumentError(png_path + ": no clips for the contact sheet");
  if (options.fractions.empty() || options.tile_width_px < 16) {
    return InvalidArgumentError(png_path + ": contact sheet needs frames and a tile width");
  }
  // Every clip's size decides the tile height; the first clip's aspect is used for all.
  ASSIGN_OR_RETURN(media::ProbeInfo first, media::Probe(clips.front().video_path));
  RETURN_IF_ERROR(media::RequireVideo(first));
  const int tile_w = options.tile_width_px & ~1;
  const int tile_h = static_cast<int>(static_cast<long long>(tile_w) * first.video()->height /
                                      std::max(1, first.video()->width)) &
                     ~1;
  const int columns = static_cast<int>(options.fractions.size());
  const int row_h = kLabelHeightPx + tile_h + kTimeHeightPx + kGapPx;
  const int sheet_w = kGapPx + columns * (tile_w + kGapPx);
  cv::Mat sheet(static_cast<int>(clips.size()) * row_h + kGapPx, sheet_w, CV_8UC3,
                cv::Scalar(32, 32, 32));

  for (size_t row = 0; row < clips.size(); ++row) {
    const ContactSheetClip& clip = clips[row];
    ASSIGN_OR_RETURN(media::ProbeInfo info, media::Probe(clip.video_path));
    RETURN_IF_ERROR(media::RequireVideo(info));
    const int top = kGapPx + static_cast<int>(row) * row_h;
    Text(sheet, clip.label, kGapPx, top + kLabelHeightPx - 9, 0.6);
    for (int c = 0; c < columns; ++c) {
      const TimeMs t_ms = static_cast<TimeMs>(options.fractions[c] * info.duration_ms);
      ASSIGN_OR_RETURN(media::VideoFrame frame, FrameAt(clip.video_path, t_ms, tile_w, tile_h));
      const cv::Mat tile(frame.height, frame.width, CV_8UC3, frame.data.data());
      const int x = kGapPx + c * (tile_w + kGapPx);
      tile.copyTo(sheet(cv::Rect(x, top + kLabelHeightPx, tile_w, tile_h)));
      Text(sheet, FormatClock(t_ms) + " (" + std::to_string(t_ms) + " ms)", x,
           top + kLabelHeightPx + tile_h + kTimeHeightPx - 6, 0.45);
    }
  }
  std::vector<unsigned char> png;
  if (!cv::imencode(".png", sheet, png)) return IoError(png_path + ": cannot encode PNG");
  return WriteFileAtomically(
      png_path, std::string_view(reinterpret_cast<const char*>(png.data()), png.size()));
}

}  // namespace clipthat::render
