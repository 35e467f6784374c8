#include "analysis/audio_features.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <numbers>

namespace clipthat::analysis {
namespace {

constexpr float kPi = std::numbers::pi_v<float>;
constexpr double kPitchRateHz = 4000.0;  // pitch analysis rate: F0 <= 400 Hz needs little
constexpr double kPitchLowpassHz = 1000.0;
constexpr TimeMs kFrameMs = 32;       // analysis frame (rounded up to a power of two)
constexpr TimeMs kYinFrameMs = 40;    // covers nearly three periods of a 70 Hz voice
constexpr TimeMs kEnvelopeMs = 1000;  // level history for modulation and laughter
constexpr int kFluxBands = 16;
constexpr double kFluxLowHz = 150.0;
constexpr double kFluxHighHz = 8000.0;
constexpr double kSpeechLowHz = 300.0;
constexpr double kSpeechHighHz = 3400.0;
constexpr double kAllLowHz = 80.0;
constexpr float kBandFloorDb = -70.0f;  // so the noise of near-silence makes no flux

// log2 to about 0.01: exponent plus a quadratic fit of the mantissa. Called hundreds of times
// per frame, where std::log2 would dominate the spectral work.
inline float FastLog2(float x) {
  std::uint32_t bits = std::bit_cast<std::uint32_t>(x);
  const float e = static_cast<float>(static_cast<int>((bits >> 23) & 255) - 128);
  bits = (bits & 0x007FFFFFu) | 0x3F800000u;
  const float m = std::bit_cast<float>(bits);
  return e + (-0.34484843f * m + 2.02466578f) * m - 0.67487759f;
}

inline float PowerToDb(float p) { return 3.0103f * FastLog2(p + 1e-12f); }

inline double Ramp(double x, double lo, double hi) {
  if (hi <= lo) return x >= hi ? 1.0 : 0.0;
  return std::clamp((x - lo) / (hi - lo), 0.0, 1.0);
}

// Power spectrum of a real frame of n = 2^k samples via one complex FFT of n/2 points; the
// tables are built once.
class RealFft {
 public:
  explicit RealFft(int n) : n_(n), m_(n / 2) {
    bitrev_.resize(m_);
    int bits = 0;
    while ((1 << bits) < m_) ++bits;
    for (int i = 0; i < m_; ++i) {
      int r = 0;
      for (int b = 0; b < bits; ++b) r |= ((i >> b) & 1) << (bits - 1 - b);
      bitrev_[i] = r;
    }
    tw_re_.resize(m_ / 2 + 1);
    tw_im_.resize(m_ / 2 + 1);
    for (int k = 0; k <= m_ / 2; ++k) {
      tw_re_[k] = std::cos(2 * kPi * static_cast<float>(k) / static_cast<float>(m_));
      tw_im_[k] = -std::sin(2 * kPi * static_cast<float>(k) / static_cast<float>(m_));
    }
    split_re_.resize(m_ + 1);
    split_im_.resize(m_ + 1);
    for (int k = 0; k <= m_; ++k) {
      split_re_[k] = std::cos(2 * kPi * static_cast<float>(k) / static_cast<float>(n_));
      split_im_[k] = -std::sin(2 * kPi * static_cast<float>(k) / static_cast<float>(n_));
    }
    re_.resize(m_);
    im_.resize(m_);
  }

  int size() const { return n_; }

  // power[k] = |X[k]|^2 for k = 0..n/2.
  void Power(const float* x, float* power) {
    for (int i = 0; i < m_; ++i) {
      const int r = bitrev_[i];
      re_[r] = x[2 * i];
      im_[r] = x[2 * i + 1];
    }
    for (int len = 2; len <= m_; len <<= 1) {
      const int half = len / 2;
      const int step = m_ / len;
      for (int i = 0; i < m_; i += len) {
        for (int j = 0; j < half; ++j) {
          const float wr = tw_re_[j * step], wi = tw_im_[j * step];
          const int a = i + j, b = a + half;
          const float vr = re_[b] * wr - im_[b] * wi;
          const float vi = re_[b] * wi + im_[b] * wr;
          re_[b] = re_[a] - vr;
          im_[b] = im_[a] - vi;
          re_[a] += vr;
          im_[a] += vi;
        }
      }
    }
    // Split the packed even/odd transform into the real signal's spectrum.
    for (int k = 0; k <= m_; ++k) {
      const int a = k % m_, b = (m_ - k) % m_;
      const float zr = re_[a], zi = im_[a];
      const float cr = re_[b], ci = -im_[b];  // conj(Z[m - k])
      const float er = 0.5f * (zr + cr), ei = 0.5f * (zi + ci);
      // odd part: -i/2 * (Z[k] - conj(Z[m - k]))
      const float dr = zr - cr, di = zi - ci;
      const float or_ = 0.5f * di, oi = -0.5f * dr;
      const float xr = er + split_re_[k] * or_ - split_im_[k] * oi;
      const float xi = ei + split_re_[k] * oi + split_im_[k] * or_;
      power[k] = xr * xr + xi * xi;
    }
  }

 private:
  int n_, m_;
  std::vector<int> bitrev_;
  std::vector<float> tw_re_, tw_im_, split_re_, split_im_, re_, im_;
};

// Trailing mean of v[i - count + 1 .. i] from prefix sums (fewer at the start).
double TrailingMean(const std::vector<double>& prefix, size_t i, size_t count) {
  const size_t end = i + 1;
  const size_t begin = end > count ? end - count : 0;
  return (prefix[end] - prefix[begin]) / static_cast<double>(end - begin);
}

}  // namespace

struct AudioFeatureExtractor::Impl {
  explicit Impl(const AudioFeatureOptions& o) : opt(o) {
    opt.loudness.window_ms = std::max<TimeMs>(1, opt.loudness.window_ms);
  }

  void Start(int sample_rate_hz, int channel_count) {
    rate = sample_rate_hz;
    channels = channel_count;
    window_samples = std::max<std::int64_t>(4, std::int64_t{rate} * opt.loudness.window_ms / 1000);
    hop = std::max<std::int64_t>(1, window_samples / 4);
    fft_n = 64;
    while (fft_n < rate * kFrameMs / 1000 || fft_n < hop) fft_n *= 2;
    fft = std::make_unique<RealFft>(fft_n);
    hann.resize(fft_n);
    double hann_sq = 0;
    for (int i = 0; i < fft_n; ++i) {
      hann[i] = 0.5f - 0.5f * std::cos(2 * kPi * static_cast<float>(i) / static_cast<float>(fft_n));
      hann_sq += double{hann[i]} * hann[i];
    }
    // One-sided band power -> mean square of the signal in that band.
    power_scale = static_cast<float>(2.0 / (fft_n * hann_sq));

    // Low-pass FIR (Hamming-windowed sinc) before decimating to the pitch rate.
    dec_factor = std::max(1, static_cast<int>(std::lround(rate / kPitchRateHz)));
    pitch_rate = static_cast<double>(rate) / dec_factor;
    const int taps = 8 * dec_factor + 1;
    fir.resize(taps);
    const double fc = std::min(kPitchLowpassHz, 0.4 * pitch_rate) / rate;
    double sum = 0;
    for (int k = 0; k < taps; ++k) {
      const double t = k - (taps - 1) / 2.0;
      const double sinc =
          t == 0 ? 2 * fc : std::sin(2 * std::numbers::pi * fc * t) / (std::numbers::pi * t);
      const double w = 0.54 - 0.46 * std::cos(2 * std::numbers::pi * k / (taps - 1));
      fir[k] = static_cast<float>(sinc * w);
      sum += fir[k];
    }
    for (float& f : fir) f = static_cast<float>(f / sum);

    hist_n = std::max<std::int64_t>(fft_n, hop) + taps;
    hist.assign(hist_n, 0.0f);
    hop_buf.assign(hop, 0.0f);
    frame.assign(fft_n, 0.0f);
    power.assign(fft_n / 2 + 1, 0.0f);

    const double bin_hz = static_cast<double>(rate) / fft_n;
    auto bin = [&](double hz) {
      return std::clamp(static_cast<int>(std::lround(hz / bin_hz)), 1, fft_n / 2);
    };
    const double top = std::min(kFluxHighHz, rate / 2.0);
    for (int b = 0; b < kFluxBands; ++b) {
      const double lo = kFluxLowHz * std::pow(top / kFluxLowHz, double(b) / kFluxBands);
      const double hi = kFluxLowHz * std::pow(top / kFluxLowHz, double(b + 1) / kFluxBands);
      band_lo[b] = bin(lo);
      band_hi[b] = std::max(band_lo[b] + 1, bin(hi));
    }
    speech_lo = bin(kSpeechLowHz);
    speech_hi = bin(std::min(kSpeechHighHz, rate / 2.0));
    all_lo = bin(kAllLowHz);
    all_hi = fft_n / 2;

    yin_w = static_cast<int>(pitch_rate * kYinFrameMs / 1000);
    tau_min = std::max(2, static_cast<int>(std::floor(pitch_rate / opt.max_pitch_hz)));
    tau_max = static_cast<int>(std::ceil(pitch_rate / opt.min_pitch_hz));
    yin_d.assign(tau_max + 2, 0.0f);
    yin_acc.assign(tau_max + 1, 0.0f);
    half_window_dec = static_cast<int>(window_samples / 2 / dec_factor);
    dec_keep = yin_w + tau_max + 2 + half_window_dec;
    dec.reserve(dec_keep + window_samples / dec_factor + 2 * hop / dec_factor + 8);

    frame_rate_hz = static_cast<double>(rate) / static_cast<double>(hop);
    env.assign(std::max(8, static_cast<int>(frame_rate_hz * kEnvelopeMs / 1000)), 0.0f);
    env_scratch.assign(env.size(), 0.0f);
    lag_lo = std::max(1, static_cast<int>(std::floor(frame_rate_hz / 8.0)));
    lag_hi = std::max(lag_lo, static_cast<int>(std::ceil(frame_rate_hz / 4.0)));

    for (TimeSeries* s : AllSeries()) s->step_ms = opt.loudness.window_ms;
  }

  std::vector<TimeSeries*> AllSeries() {
    return {&out.loudness_db, &out.loudness_jump_db, &out.spectral_flux_db, &out.voice,
            &out.pitch_hz,    &out.pitch_raise_st,   &out.pitch_range_st,   &out.laughter,
            &out.cheer,       &out.speech_level_db,  &out.syllables};
  }

  void Push(const media::AudioBuffer& chunk) {
    if (chunk.channels <= 0 || chunk.sample_rate_hz < 8000) return;
    if (rate == 0) Start(chunk.sample_rate_hz, chunk.channels);
    if (chunk.sample_rate_hz != rate || chunk.channels != channels) return;
    const size_t frames = chunk.frame_count();
    const float* s = chunk.samples.data();
    if (channels > 1) {
      mono.resize(frames);
      for (size_t f = 0; f < frames; ++f) {
        float v = 0;
        for (int c = 0; c < channels; ++c) v += s[f * channels + c];
        mono[f] = v / static_cast<float>(channels);
      }
      s = mono.data();
    }
    size_t at = 0;
    while (at < frames) {
      const auto n = static_cast<size_t>(std::min<std::int64_t>(
          {static_cast<std::int64_t>(frames - at), hop - hop_fill, window_samples - in_window}));
      // Four partial sums: the adds overlap instead of waiting on each other.
      double sq[4] = {0, 0, 0, 0};
      size_t i = 0;
      for (; i + 4 <= n; i += 4) {
        for (int l = 0; l < 4; ++l) sq[l] += double{s[at + i + l]} * s[at + i + l];
      }
      for (; i < n; ++i) sq[0] += double{s[at + i]} * s[at + i];
      sum_squares += (sq[0] + sq[1]) + (sq[2] + sq[3]);
      std::memcpy(hop_buf.data() + hop_fill, s + at, n * sizeof(float));
      hop_fill += static_cast<std::int64_t>(n);
      in_window += static_cast<std::int64_t>(n);
      at += n;
      if (hop_fill == hop) ProcessHop();
      if (in_window == window_samples) CloseWindow();
    }
  }

  void ProcessHop() {
    std::memmove(hist.data(), hist.data() + hop, (hist_n - hop) * sizeof(float));
    std::memcpy(hist.data() + (hist_n - hop), hop_buf.data(), hop * sizeof(float));
    total_samples += hop;
    hop_fill = 0;

    // Decimate the new samples for pitch. Taps outside, outputs inside: independent sums the
    // compiler can pipeline, where one long dot product per output would stall on each add.
    const int taps = static_cast<int>(fir.size());
    int outputs = 0;
    const std::int64_t first = next_dec;
    while (next_dec < total_samples) {
      ++outputs;
      next_dec += dec_factor;
    }
    if (outputs > 0) {
      const float* x0 = hist.data() + (hist_n - (total_samples - first)) - (taps - 1);
      const size_t at = dec.size();
      dec.resize(at + outputs, 0.0f);
      float* y = dec.data() + at;
      for (int k = 0; k < taps; ++k) {
        const float h = fir[k];
        const float* x = x0 + k;
        for (int o = 0; o < outputs; ++o) y[o] += h * x[o * dec_factor];
      }
    }

    // Spectrum of the last frame.
    const float* x = hist.data() + (hist_n - fft_n);
    for (int i = 0; i < fft_n; ++i) frame[i] = x[i] * hann[i];
    fft->Power(frame.data(), power.data());

    float all = 0, speech = 0;
    for (int k = all_lo; k < all_hi; ++k) all += power[k];
    for (int k = speech_lo; k < speech_hi; ++k) speech += power[k];
    float flux = 0;
    for (int b = 0; b < kFluxBands; ++b) {
      float e = 0;
      for (int k = band_lo[b]; k < band_hi[b]; ++k) e += power[k];
      const float db = std::max(kBandFloorDb, PowerToDb(e * power_scale));
      if (have_prev_bands) flux += std::max(0.0f, db - band_db[b]);
      band_db[b] = db;
    }
    if (have_prev_bands) {
      flux_sum += flux / kFluxBands;
      ++flux_frames;
    }
    have_prev_bands = true;

    // Flatness of the speech band: geometric over arithmetic mean of the bin powers.
    float log_sum = 0;
    const int bins = speech_hi - speech_lo;
    for (int k = speech_lo; k < speech_hi; ++k) log_sum += FastLog2(power[k] + 1e-20f);
    const float mean = speech / static_cast<float>(bins);
    const float flatness = mean > 1e-12f ? std::exp2(log_sum / bins) / mean : 0.0f;

    flat_sum += flatness;
    ratio_sum += all > 0 ? speech / all : 0.0f;
    ++spectral_frames;
    const float speech_db = std::max(-90.0f, PowerToDb(speech * power_scale));
    env[env_pos] = speech_db;
    env_pos = (env_pos + 1) % env.size();
    env_count = std::min(env_count + 1, env.size());
    speech_power_sum += speech * power_scale;
    CountSyllable(speech_db);
  }

  // Hysteresis peak picking on the envelope, smoothed over two hops: a rise of rise_db above
  // the last trough is an onset; the next one needs a fall of rise_db below the peak first.
  void CountSyllable(float speech_db) {
    const float e = 0.5f * (speech_db + prev_speech_db);
    prev_speech_db = speech_db;
    const auto rise = static_cast<float>(opt.syllable_rise_db);
    if (!in_syllable) {
      trough_db = std::min(trough_db, e);
      if (e >= trough_db + rise && e > static_cast<float>(opt.analysis_min_db)) {
        in_syllable = true;
        peak_db = e;
        ++syllables_in_window;
      }
    } else {
      peak_db = std::max(peak_db, e);
      if (e <= peak_db - rise) {
        in_syllable = false;
        trough_db = e;
      }
    }
  }

  // YIN on the decimated frame ending `back` samples before the newest; 0 when unvoiced.
  float Pitch(int back) {
    const int need = yin_w + tau_max + 2;
    const int end = static_cast<int>(dec.size()) - back;
    if (end < need) return 0.0f;
    const float* x = dec.data() + (end - need);
    float energy = 0;
    for (int j = 0; j < yin_w; ++j) energy += x[j] * x[j];
    if (energy < 1e-7f * static_cast<float>(yin_w)) return 0.0f;
    // Difference function with the lags innermost: one vectorisable pass per sample.
    const int lags = tau_max + 1;
    std::fill(yin_acc.begin(), yin_acc.end(), 0.0f);
    float* acc = yin_acc.data();
    for (int j = 0; j < yin_w; ++j) {
      const float xj = x[j];
      const float* xt = x + j + 1;
      for (int t = 0; t < lags; ++t) {
        const float diff = xj - xt[t];
        acc[t] += diff * diff;
      }
    }
    float running = 0;
    yin_d[0] = 1.0f;
    for (int tau = 1; tau <= lags; ++tau) {
      const float d = acc[tau - 1];
      running += d;
      yin_d[tau] = running > 0 ? d * static_cast<float>(tau) / running : 1.0f;
    }
    int best = -1;
    for (int tau = tau_min; tau <= tau_max; ++tau) {
      if (yin_d[tau] < opt.yin_threshold) {
        while (tau + 1 <= tau_max && yin_d[tau + 1] < yin_d[tau]) ++tau;
        best = tau;
        break;
      }
    }
    if (best < 0) return 0.0f;
    const float a = yin_d[best - 1], b = yin_d[best], c = yin_d[best + 1];
    const float denom = a - 2 * b + c;
    const float shift = denom > 1e-9f ? std::clamp(0.5f * (a - c) / denom, -0.5f, 0.5f) : 0.0f;
    const double f0 = pitch_rate / (best + shift);
    if (f0 < opt.min_pitch_hz || f0 > opt.max_pitch_hz) return 0.0f;
    return static_cast<float>(f0);
  }

  // Level modulation over the last second: the std (dB) and the strongest normalised
  // autocorrelation at a 4-8 Hz period.
  void Modulation(double* std_db, double* regularity) {
    const size_t n = env_count;
    *std_db = 0;
    *regularity = 0;
    if (n < env.size()) return;
    double mean = 0;
    for (size_t i = 0; i < n; ++i) mean += env[i];
    mean /= static_cast<double>(n);
    // Oldest first, mean removed.
    for (size_t i = 0; i < n; ++i) {
      env_scratch[i] = static_cast<float>(env[(env_pos + i) % n] - mean);
    }
    double var = 0;
    for (size_t i = 0; i < n; ++i) var += double{env_scratch[i]} * env_scratch[i];
    *std_db = std::sqrt(var / static_cast<double>(n));
    if (var <= 0) return;
    for (int lag = lag_lo; lag <= lag_hi && lag < static_cast<int>(n); ++lag) {
      double xy = 0, xx = 0, yy = 0;
      for (size_t i = 0; i + lag < n; ++i) {
        xy += double{env_scratch[i]} * env_scratch[i + lag];
        xx += double{env_scratch[i]} * env_scratch[i];
        yy += double{env_scratch[i + lag]} * env_scratch[i + lag];
      }
      if (xx > 0 && yy > 0) *regularity = std::max(*regularity, xy / std::sqrt(xx * yy));
    }
  }

  void CloseWindow() {
    const double db =
        MeanSquareToDb(sum_squares / static_cast<double>(std::max<std::int64_t>(1, in_window)),
                       opt.loudness.floor_db);
    out.loudness_db.values.push_back(db);
    out.spectral_flux_db.values.push_back(flux_frames > 0 ? flux_sum / flux_frames : 0.0);

    const bool audible = db > opt.analysis_min_db;
    float p0 = 0, p1 = 0;
    if (audible) {
      p0 = Pitch(half_window_dec);
      p1 = Pitch(0);
    }
    pitch_frames.push_back(p0);
    pitch_frames.push_back(p1);
    const int voiced = (p0 > 0) + (p1 > 0);
    out.pitch_hz.values.push_back(voiced == 2 ? 0.5 * (p0 + p1) : std::max(p0, p1));

    double mod_db = 0, regularity = 0;
    if (audible) Modulation(&mod_db, &regularity);
    const double ratio = spectral_frames > 0 ? ratio_sum / spectral_frames : 0.0;
    const double flatness = spectral_frames > 0 ? flat_sum / spectral_frames : 0.0;
    const double m = opt.voice_modulation_db;
    out.voice.values.push_back(
        audible ? voiced / 2.0 * Ramp(ratio, 0.3, 0.6) * Ramp(mod_db, 0.5 * m, m) : 0.0);
    const double depth = opt.laughter_min_depth_db;
    const double reg = opt.laughter_min_regularity;
    out.laughter.values.push_back(
        audible ? Ramp(regularity, reg, reg + 0.3) * Ramp(mod_db, depth, 2 * depth) : 0.0);
    const double noisy = Ramp(flatness, opt.cheer_min_flatness, opt.cheer_min_flatness + 0.15);
    out.cheer.values.push_back(audible ? noisy * (1.0 - 0.5 * voiced / 2.0) *
                                             Ramp(db, opt.analysis_min_db, opt.analysis_min_db + 35)
                                       : 0.0);
    out.speech_level_db.values.push_back(MeanSquareToDb(
        spectral_frames > 0 ? speech_power_sum / spectral_frames : 0.0, opt.loudness.floor_db));
    out.syllables.values.push_back(audible ? syllables_in_window : 0);

    // Keep only the decimated history the next window's pitch frames reach back into.
    if (static_cast<int>(dec.size()) > dec_keep) dec.erase(dec.begin(), dec.end() - dec_keep);
    in_window = 0;
    sum_squares = 0;
    flux_sum = 0;
    flux_frames = 0;
    flat_sum = 0;
    ratio_sum = 0;
    spectral_frames = 0;
    speech_power_sum = 0;
    syllables_in_window = 0;
  }

  AudioFeatures Finish() {
    if (in_window > 0) CloseWindow();
    const size_t n = out.loudness_db.values.size();
    const TimeMs step = opt.loudness.window_ms;

    // Loudness jump: recent mean against the trailing baseline just before it.
    const auto recent = static_cast<size_t>(std::max<TimeMs>(1, opt.jump_recent_ms / step));
    const auto base = static_cast<size_t>(std::max<TimeMs>(1, opt.jump_baseline_ms / step));
    std::vector<double> prefix(n + 1, 0.0);
    for (size_t i = 0; i < n; ++i) prefix[i + 1] = prefix[i] + out.loudness_db.values[i];
    out.loudness_jump_db.values.assign(n, 0.0);
    for (size_t i = recent + recent; i < n; ++i) {
      const double now = TrailingMean(prefix, i, recent);
      const double before = TrailingMean(prefix, i - recent, base);
      out.loudness_jump_db.values[i] = std::max(0.0, now - before);
    }

    // Pitch against the VOD's own median voice.
    std::vector<float> voiced;
    for (float p : pitch_frames)
      if (p > 0) voiced.push_back(p);
    double median_hz = 0;
    if (!voiced.empty()) {
      auto mid = voiced.begin() + static_cast<std::ptrdiff_t>(voiced.size() / 2);
      std::nth_element(voiced.begin(), mid, voiced.end());
      median_hz = *mid;
    }
    out.pitch_raise_st.values.assign(n, 0.0);
    for (size_t i = 0; i < n; ++i) {
      const double p = out.pitch_hz.values[i];
      if (p > 0 && median_hz > 0)
        out.pitch_raise_st.values[i] = std::max(0.0, 12.0 * std::log2(p / median_hz));
    }
    out.pitch_range_st.values.assign(n, 0.0);
    const auto span = static_cast<size_t>(std::max<TimeMs>(1, opt.pitch_range_span_ms / step));
    std::vector<float> st;
    st.reserve(2 * span + 2);
    for (size_t i = 0; i < n; ++i) {
      const size_t lo = i >= span / 2 ? i - span / 2 : 0;
      const size_t hi = std::min(n, lo + span);
      st.clear();
      for (size_t k = 2 * lo; k < 2 * hi; ++k)
        if (pitch_frames[k] > 0) st.push_back(12.0f * std::log2(pitch_frames[k]));
      if (static_cast<int>(st.size()) < opt.pitch_range_min_voiced_frames) continue;
      const auto q = [&](double f) {
        auto it = st.begin() + static_cast<std::ptrdiff_t>(f * (st.size() - 1));
        std::nth_element(st.begin(), it, st.end());
        return *it;
      };
      const float low = q(0.2), high = q(0.8);
      out.pitch_range_st.values[i] = std::max(0.0f, high - low);
    }

    // Cheer: only sustained noise counts; a trailing minimum drops single hits.
    const auto sustain = static_cast<size_t>(std::max<TimeMs>(1, opt.cheer_min_ms / step));
    std::vector<double> cheer(n, 0.0);
    for (size_t i = 0; i < n; ++i) {
      double v = out.cheer.values[i];
      for (size_t k = 1; k < sustain && k <= i; ++k) v = std::min(v, out.cheer.values[i - k]);
      cheer[i] = i + 1 >= sustain ? v : 0.0;
    }
    out.cheer.values = std::move(cheer);

    out.silences = FindSilences(out.loudness_db, out.voice, opt.silence);
    AudioFeatures result = std::move(out);
    for (TimeSeries* s :
         {&result.loudness_db, &result.loudness_jump_db, &result.spectral_flux_db, &result.voice,
          &result.pitch_hz, &result.pitch_raise_st, &result.pitch_range_st, &result.laughter,
          &result.cheer, &result.speech_level_db, &result.syllables}) {
      s->step_ms = step;
    }
    return result;
  }

  AudioFeatureOptions opt;
  int rate = 0;
  int channels = 0;
  std::int64_t window_samples = 0;
  std::int64_t hop = 0;
  int fft_n = 0;
  std::unique_ptr<RealFft> fft;
  std::vector<float> hann, hist, hop_buf, frame, power, mono;
  float power_scale = 1;
  std::int64_t hist_n = 0;
  std::int64_t hop_fill = 0;
  std::int64_t in_window = 0;
  std::int64_t total_samples = 0;
  double sum_squares = 0;

  int dec_factor = 1;
  double pitch_rate = 4000;
  std::vector<float> fir;
  std::int64_t next_dec = 0;
  std::vector<float> dec;
  int dec_keep = 0;
  int half_window_dec = 0;
  int yin_w = 0, tau_min = 0, tau_max = 0;
  std::vector<float> yin_d, yin_acc;

  int band_lo[kFluxBands] = {}, band_hi[kFluxBands] = {};
  float band_db[kFluxBands] = {};
  bool have_prev_bands = false;
  int speech_lo = 0, speech_hi = 0, all_lo = 0, all_hi = 0;

  double flux_sum = 0;
  int flux_frames = 0;
  double flat_sum = 0;
  double ratio_sum = 0;
  int spectral_frames = 0;
  double speech_power_sum = 0;  // mean-square power of the speech band, summed over frames
  int syllables_in_window = 0;
  float prev_speech_db = -90, trough_db = 0, peak_db = -90;
  bool in_syllable = false;

  double frame_rate_hz = 40;
  std::vector<float> env, env_scratch;
  size_t env_pos = 0, env_count = 0;
  int lag_lo = 5, lag_hi = 10;

  std::vector<float> pitch_frames;  // two per window, 0 = unvoiced
  AudioFeatures out;
};

AudioFeatureExtractor::AudioFeatureExtractor(const AudioFeatureOptions& options)
    : impl_(std::make_unique<Impl>(options)) {}
AudioFeatureExtractor::AudioFeatureExtractor(AudioFeatureExtractor&&) noexcept = default;
AudioFeatureExtractor& AudioFeatureExtractor::operator=(AudioFeatureExtractor&&) noexcept = default;
AudioFeatureExtractor::~AudioFeatureExtractor() = default;

void AudioFeatureExtractor::Push(const media::AudioBuffer& chunk) { impl_->Push(chunk); }

AudioFeatures AudioFeatureExtractor::Finish() {
  AudioFeatures result = impl_->Finish();
  impl_ = std::make_unique<Impl>(impl_->opt);
  return result;
}

}  // namespace clipthat::analysis
