#include "media/loudness_meter.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace clipthat::media {
namespace {

// BS.1770-4's filters as analogue prototypes (centre frequency, gain, Q), as libebur128 and
// FFmpeg's ebur128 derive them, so any sample rate gets its own exact coefficients.
constexpr double kShelfHz = 1681.974450955533;
constexpr double kShelfGainDb = 3.999843853973347;
constexpr double kShelfQ = 0.7071752369554196;
constexpr double kHighPassHz = 38.13547087602444;
constexpr double kHighPassQ = 0.5003270373238773;

constexpr int kStepsPerBlock = 4;  // 400 ms blocks every 100 ms

double ChannelWeight(int channel, int channels) {
  if (channels != 6) return 1.0;
  static constexpr double k51[6] = {1.0, 1.0, 1.0, 0.0, 1.41, 1.41};
  return k51[channel];
}

}  // namespace

double PowerToLufs(double power) {
  if (power <= 0) return -std::numeric_limits<double>::infinity();
  return -0.691 + 10.0 * std::log10(power);
}

LoudnessMeter::LoudnessMeter(int sample_rate_hz, int channels)
    : channels_(std::max(1, channels)),
      state_(static_cast<std::size_t>(channels_)),
      step_frames_(std::max(1LL, std::llround(sample_rate_hz / 10.0))),
      peak_(channels_) {
  const double fs = std::max(8000, sample_rate_hz);
  {
    const double k = std::tan(std::numbers::pi * kShelfHz / fs);
    const double vh = std::pow(10.0, kShelfGainDb / 20.0);
    const double vb = std::pow(vh, 0.4996667741545416);
    const double a0 = 1.0 + k / kShelfQ + k * k;
    stages_[0] = {(vh + vb * k / kShelfQ + k * k) / a0, 2.0 * (k * k - vh) / a0,
                  (vh - vb * k / kShelfQ + k * k) / a0, 2.0 * (k * k - 1.0) / a0,
                  (1.0 - k / kShelfQ + k * k) / a0};
  }
  {
    const double k = std::tan(std::numbers::pi * kHighPassHz / fs);
    const double a0 = 1.0 + k / kHighPassQ + k * k;
    // The standard's RLB numerator is 1, -2, 1 (unnormalised, as tabulated).
    stages_[1] = {1.0, -2.0, 1.0, 2.0 * (k * k - 1.0) / a0, (1.0 - k / kHighPassQ + k * k) / a0};
  }
  for (int c = 0; c < channels_; ++c) state_[c].weight = ChannelWeight(c, channels_);
}

void LoudnessMeter::Add(std::span<const float> interleaved) {
  const std::size_t frames = interleaved.size() / static_cast<std::size_t>(channels_);
  peak_.Add(interleaved.first(frames * channels_));
  for (std::size_t i = 0; i < frames; ++i) {
    const float* frame = &interleaved[i * channels_];
    for (int c = 0; c < channels_; ++c) {
      ChannelState& s = state_[c];
      double x = frame[c];
      for (int st = 0; st < 2; ++st) {
        const Biquad& f = stages_[st];
        const double y = f.b0 * x + s.z1[st];
        s.z1[st] = f.b1 * x - f.a1 * y + s.z2[st];
        s.z2[st] = f.b2 * x - f.a2 * y;
        x = y;
      }
      step_energy_ += s.weight * x * x;
    }
    if (++in_step_ < step_frames_) continue;
    // A 100 ms step is done: with the three before it, it closes a 400 ms block.
    steps_.push_back(step_energy_);
    if (steps_.size() == kStepsPerBlock) {
      double sum = 0;
      for (double e : steps_) sum += e;
      block_power_.push_back(sum / static_cast<double>(kStepsPerBlock * step_frames_));
      steps_.erase(steps_.begin());
    }
    step_energy_ = 0;
    in_step_ = 0;
  }
  frames_ += static_cast<long long>(frames);
}

LoudnessReading LoudnessMeter::Reading() const {
  LoudnessReading r;
  r.frames = frames_;
  r.true_peak_dbtp = peak_.true_peak_dbtp();
  r.sample_peak_dbfs = peak_.sample_peak_dbfs();
  // Mean power of the blocks louder than `gate_lufs`; 0 when there are none.
  auto gated_mean = [&](double gate_lufs, int* count) {
    double sum = 0;
    *count = 0;
    for (double p : block_power_) {
      if (PowerToLufs(p) > gate_lufs) {
        sum += p;
        ++*count;
      }
    }
    return *count > 0 ? sum / *count : 0.0;
  };
  int count = 0;
  const double absolute = gated_mean(kAbsoluteGateLufs, &count);
  if (count == 0) return r;
  const double relative_gate = PowerToLufs(absolute) + kRelativeGateLu;
  const double integrated = gated_mean(std::max(kAbsoluteGateLufs, relative_gate), &count);
  if (count > 0) r.integrated_lufs = PowerToLufs(integrated);
  return r;
}

}  // namespace clipthat::media
