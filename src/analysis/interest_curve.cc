#include "analysis/interest_curve.h"

#include <algorithm>

namespace clipthat::analysis {
namespace {

bool Matches(const std::string& name, const std::vector<std::string>& patterns) {
  for (const std::string& p : patterns) {
    if (!p.empty() && p.back() == '*') {
      if (name.compare(0, p.size() - 1, p, 0, p.size() - 1) == 0) return true;
    } else if (name == p) {
      return true;
    }
  }
  return false;
}

double Ramp(double x, double lo, double hi) {
  if (hi <= lo) return x >= hi ? 1.0 : 0.0;
  return std::clamp((x - lo) / (hi - lo), 0.0, 1.0);
}

}  // namespace

SignalKind KindOfSignal(const std::string& name, const SoundGateOptions& options) {
  if (!options.enabled) return SignalKind::kNeutral;
  if (Matches(name, options.reaction)) return SignalKind::kReaction;
  if (Matches(name, options.sound)) return SignalKind::kSound;
  return SignalKind::kNeutral;
}

Result<InterestCurve> FuseSignals(const std::vector<WeightedSignal>& signals, TimeMs duration_ms,
                                  const FusionOptions& options) {
  double total_weight = 0;
  for (const WeightedSignal& s : signals) {
    if (s.weight > 0) total_weight += s.weight;
  }
  if (total_weight <= 0) {
    return InvalidArgumentError("interest curve: no signal with a positive weight to fuse");
  }
  InterestCurve curve;
  curve.step_ms = std::max<TimeMs>(1, options.step_ms);
  const TimeSeries empty = ResampleMean({}, curve.step_ms, duration_ms);
  const size_t n = empty.values.size();
  curve.score.assign(n, 0.0);
  curve.sound_gate.assign(n, 1.0);

  const SoundGateOptions& gate = options.sound_gate;
  std::vector<SignalKind> kinds;
  std::vector<std::vector<double>> zs;
  std::vector<double> reaction_z(n, 0.0);
  bool any_reaction = false;
  for (const WeightedSignal& s : signals) {
    if (s.weight <= 0) continue;
    kinds.push_back(KindOfSignal(s.name, gate));
    zs.push_back(ResampleMean(s.z, curve.step_ms, duration_ms).values);
    if (kinds.back() == SignalKind::kReaction) {
      any_reaction = true;
      for (size_t i = 0; i < n; ++i) reaction_z[i] = std::max(reaction_z[i], zs.back()[i]);
    }
  }
  if (any_reaction) {
    const auto before =
        static_cast<size_t>(std::max<TimeMs>(0, gate.reach_before_ms) / curve.step_ms);
    const auto after =
        static_cast<size_t>(std::max<TimeMs>(0, gate.reach_after_ms) / curve.step_ms);
    for (size_t i = 0; i < n; ++i) {
      // A reaction at r opens the gate for sounds in [r - after, r + before].
      const size_t lo = i >= before ? i - before : 0;
      const size_t hi = std::min(n, i + after + 1);
      const double best = *std::max_element(reaction_z.begin() + static_cast<std::ptrdiff_t>(lo),
                                            reaction_z.begin() + static_cast<std::ptrdiff_t>(hi));
      const double open = Ramp(best, gate.open_z_low, gate.open_z_high);
      curve.sound_gate[i] = gate.closed_share + (1 - gate.closed_share) * open;
    }
  }

  size_t k = 0;
  for (const WeightedSignal& s : signals) {
    if (s.weight <= 0) continue;
    std::vector<double>& z = zs[k];
    const double share = s.weight / total_weight;
    const bool gated = kinds[k] == SignalKind::kSound;
    for (size_t i = 0; i < n; ++i) {
      z[i] = share * std::max(0.0, z[i]) * (gated ? curve.sound_gate[i] : 1.0);
      curve.score[i] += z[i];
    }
    curve.names.push_back(s.name);
    curve.contributions.push_back(std::move(z));
    ++k;
  }
  return curve;
}

}  // namespace clipthat::analysis
