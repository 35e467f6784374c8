#include "ai/wav.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

namespace clipthat::ai {
namespace {

// WAV is little-endian whatever the host.
void PutU32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out += static_cast<char>((v >> (8 * i)) & 0xff);
}
void PutU16(std::string& out, std::uint16_t v) {
  out += static_cast<char>(v & 0xff);
  out += static_cast<char>((v >> 8) & 0xff);
}

}  // namespace

Result<std::string> EncodeWav16(const media::AudioBuffer& audio) {
  if (audio.sample_rate_hz <= 0 || audio.channels <= 0 || audio.channels > 0xffff) {
    return InvalidArgumentError(
        "WAV encoding: bad format: " + std::to_string(audio.sample_rate_hz) + " Hz, " +
        std::to_string(audio.channels) + " channels");
  }
  const std::uint64_t data_bytes = static_cast<std::uint64_t>(audio.frame_count()) *
                                   static_cast<std::uint64_t>(audio.channels) * 2;
  if (data_bytes > std::numeric_limits<std::uint32_t>::max() - 36) {
    return InvalidArgumentError("WAV encoding: " + std::to_string(audio.duration_ms()) +
                                " ms of audio is too long for one WAV file");
  }
  const auto channels = static_cast<std::uint16_t>(audio.channels);
  const auto rate = static_cast<std::uint32_t>(audio.sample_rate_hz);
  std::string out;
  out.reserve(44 + data_bytes);
  out += "RIFF";
  PutU32(out, static_cast<std::uint32_t>(36 + data_bytes));
  out += "WAVEfmt ";
  PutU32(out, 16);  // fmt chunk size
  PutU16(out, 1);   // PCM
  PutU16(out, channels);
  PutU32(out, rate);
  PutU32(out, rate * channels * 2);                       // byte rate
  PutU16(out, static_cast<std::uint16_t>(channels * 2));  // block align
  PutU16(out, 16);                                        // bits per sample
  out += "data";
  PutU32(out, static_cast<std::uint32_t>(data_bytes));
  const std::size_t values = audio.frame_count() * static_cast<std::size_t>(audio.channels);
  for (std::size_t i = 0; i < values; ++i) {
    float s = audio.samples[i];
    if (std::isnan(s)) s = 0.0f;
    s = std::clamp(s, -1.0f, 1.0f);
    auto v = static_cast<std::int16_t>(std::lround(s * 32767.0f));
    PutU16(out, static_cast<std::uint16_t>(v));
  }
  return out;
}

}  // namespace clipthat::ai
