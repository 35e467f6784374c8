// PieceRenderer: renders one piece of the sample stream to its own MP4 (H.264 + AAC, 48 kHz),
// picture and sound exactly the piece's length, so pieces can be joined by stream copy.
//
// Picture: the look's gameplay (ScenePainter) with the facecam box on top (settings.facecam:
// where, how large, with or without a border; none for FacecamPosition::kNone); explosions and
// flashes during a planted moment. Sound: game audio under the streamer's espeak-ng voice speaking
// the piece's lines one after another; in a moment piece, excited lines, cheer and laughter bursts
// and a loudness jump from MomentScript::start_ms to end_ms.
#pragma once

#include <atomic>
#include <filesystem>
#include <string>
#include <vector>

#include "core/result.h"
#include "sample/facecam.h"
#include "sample/stream_plan.h"
#include "sample/truth.h"

namespace clipthat::sample {

inline constexpr int kSampleRateHz = 48000;

struct PieceRenderSettings {
  int width = 1920;
  int height = 1080;
  int fps = 60;
  // The encoder is most of a sample's cost. veryfast at CRF 28 keeps flat synthetic pictures
  // clean at ~1 Mbit/s for 1080p60; superfast was 20% faster but twice the size.
  std::string preset = "veryfast";  // x264 preset
  int crf = 28;
  const FacePhoto* face = nullptr;                // required
  FacecamOptions facecam;                         // where the camera sits (FacecamBox)
  std::filesystem::path work_dir;                 // temporary speech files
  std::atomic<long long>* frames_done = nullptr;  // optional progress counter, in frames
};

// Writes `out_path` and returns where each line was spoken (offsets from the piece start).
// Errors: those of Speak() and of media::Mp4Writer, prefixed with the output path.
Result<std::vector<SpokenLine>> RenderPiece(const PieceTemplate& piece,
                                            const PieceRenderSettings& settings,
                                            const std::filesystem::path& out_path);

}  // namespace clipthat::sample
