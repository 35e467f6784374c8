#include "render/encoder_select.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/opt.h>
}

#include <mutex>

#include "media/av_error.h"

namespace clipthat::render {
namespace {

struct NvencProbe {
  std::once_flag once;
  bool available = false;
  std::string reason;
};

// Process-wide: the GPU's presence does not change while the process runs, and asking costs a
// driver load (hundreds of ms), so it is asked once.
NvencProbe& Probe() {
  static NvencProbe probe;
  return probe;
}

void RunProbe(NvencProbe* probe) {
  const AVCodec* codec = avcodec_find_encoder_by_name(kNvencEncoderName);
  if (codec == nullptr) {
    probe->reason = "this FFmpeg has no h264_nvenc encoder";
    return;
  }
  media::AvCodecContextPtr ctx(avcodec_alloc_context3(codec));
  if (!ctx) {
    probe->reason = "out of memory";
    return;
  }
  ctx->width = 256;
  ctx->height = 256;
  ctx->pix_fmt = AV_PIX_FMT_YUV420P;
  ctx->time_base = {1, 30};
  ctx->framerate = {30, 1};
  const int err = avcodec_open2(ctx.get(), codec, nullptr);
  if (err < 0) {
    probe->reason = "cannot open h264_nvenc: " + media::AvErrorString(err);
    return;
  }
  probe->available = true;
}

std::once_flag& FallbackLogged() {
  static std::once_flag once;
  return once;
}

}  // namespace

Result<EncoderChoice> ParseEncoderChoice(std::string_view name) {
  if (name == "auto") return EncoderChoice::kAuto;
  if (name == "x264" || name == kX264EncoderName) return EncoderChoice::kX264;
  if (name == "nvenc" || name == kNvencEncoderName) return EncoderChoice::kNvenc;
  return InvalidArgumentError("encoder '" + std::string(name) + "' is not auto, x264 or nvenc");
}

bool NvencAvailable() {
  NvencProbe& probe = Probe();
  std::call_once(probe.once, RunProbe, &probe);
  return probe.available;
}

std::string NvencUnavailableReason() {
  NvencAvailable();
  return Probe().reason;
}

Result<std::string> SelectVideoEncoder(EncoderChoice choice, const Logger& logger) {
  switch (choice) {
    case EncoderChoice::kX264: return std::string(kX264EncoderName);
    case EncoderChoice::kNvenc:
      if (!NvencAvailable()) {
        return UnsupportedError("NVENC requested but no NVENC device answers (" +
                                NvencUnavailableReason() + ")");
      }
      return std::string(kNvencEncoderName);
    case EncoderChoice::kAuto: break;
  }
  if (NvencAvailable()) return std::string(kNvencEncoderName);
  std::call_once(FallbackLogged(), [&logger] {
    CT_LOG(logger, kInfo) << "no NVENC device (" << NvencUnavailableReason()
                          << "); encoding with libx264";
  });
  return std::string(kX264EncoderName);
}

}  // namespace clipthat::render
