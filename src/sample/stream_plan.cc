#include "sample/stream_plan.h"

#include <algorithm>
#include <cmath>

#include "sample/phrases.h"
#include "sample/rng.h"

namespace clipthat::sample {
namespace {

// Lengths of the ordinary pieces in grid units: any gap between moments can be filled.
constexpr int kOrdinaryUnits[] = {4, 4, 3, 3, 2, 2, 1, 1};
constexpr int kMomentUnits = static_cast<int>(kMomentPieceMs / kPieceGridMs);
constexpr int kMaxMomentTemplates = 4;  // each costs 24 s of rendering
constexpr int kMaxExtraTemplates = 2;   // vocal-only and decoy pieces, each

std::vector<SpeechLine> PickCalmLines(Rng& rng, TimeMs duration_ms) {
  // About one line per 3 s is more than the piece can hold; the renderer stops when full.
  std::vector<std::string> pool = CalmStreamerLines();
  rng.Shuffle(pool);
  size_t count = static_cast<size_t>(duration_ms / 3000 + 2);
  std::vector<SpeechLine> lines;
  for (size_t i = 0; i < count; ++i) lines.push_back({pool[i % pool.size()], SpeechStyle::kCalm});
  return lines;
}

std::string FillTrigger(const std::string& tmpl, const std::string& phrase) {
  std::string out;
  for (size_t i = 0; i < tmpl.size(); ++i) {
    if (tmpl.compare(i, 2, "{}") == 0) {
      out += phrase;
      ++i;
    } else {
      out += tmpl[i];
    }
  }
  return out;
}

MomentScript PlanMomentScript(Rng& rng, int index) {
  MomentScript m;
  m.start_ms = rng.Int(70, 110) * 100;
  m.peak_ms = m.start_ms + rng.Int(15, 30) * 100;
  m.end_ms = m.start_ms + rng.Int(65, 90) * 100;
  m.laughter = index % 3 != 1 || rng.Chance(0.3);
  m.cheer = index % 3 != 2 || rng.Chance(0.3);
  // The first two templates always carry a trigger phrase, so even a short sample has one;
  // the others mostly do not, so phrase detection is scored on both kinds.
  if (index == 0) {
    m.phrase = "clip that";
  } else if (index == 1) {
    m.phrase = "clip it";
  } else if (index % 4 == 3 && rng.Chance(0.5)) {  // the third never has one
    m.phrase = rng.Chance(0.5) ? "clip that" : "clip it";
  }
  std::vector<std::string> excited = ExcitedStreamerLines();
  rng.Shuffle(excited);
  int count = static_cast<int>(rng.Int(2, 3));
  for (int i = 0; i < count; ++i) m.excited_lines.push_back({excited[i], SpeechStyle::kExcited});
  if (m.phrase) {
    std::string line = FillTrigger(rng.Pick(TriggerLineTemplates()), *m.phrase);
    m.excited_lines.insert(m.excited_lines.begin() + rng.Int(0, 1),
                           SpeechLine{line, SpeechStyle::kExcited});
  }
  return m;
}

// A vocal-only reaction: the streamer exclaims, and nothing else happens (no crowd, no laughter,
// no louder game, nothing on screen, no chat burst).
MomentScript PlanVocalScript(Rng& rng) {
  MomentScript m;
  m.start_ms = rng.Int(70, 110) * 100;
  m.peak_ms = m.start_ms + rng.Int(15, 30) * 100;
  m.end_ms = m.start_ms + rng.Int(65, 90) * 100;
  m.loudness_jump = false;
  m.visual = false;
  std::vector<std::string> excited = ExcitedStreamerLines();
  rng.Shuffle(excited);
  const int count = static_cast<int>(rng.Int(2, 3));
  for (int i = 0; i < count; ++i) m.excited_lines.push_back({excited[i], SpeechStyle::kExcited});
  return m;
}

DecoyScript PlanDecoyScript(Rng& rng, int index) {
  DecoyScript d;
  d.sound = index % 2 == 0 ? DecoySound::kExplosion : DecoySound::kSting;
  d.start_ms = rng.Int(70, 130) * 100;
  d.peak_ms = d.start_ms + (d.sound == DecoySound::kExplosion ? 100 : 300);
  d.end_ms = d.start_ms + rng.Int(25, 35) * 100;
  return d;
}

// Start units of the moment pieces: evenly spread with jitter, at least one unit apart.
std::vector<int> PlaceMoments(Rng& rng, int units, int count) {
  std::vector<int> pos(count);
  double slot = static_cast<double>(units) / count;
  for (int k = 0; k < count; ++k) {
    double jitter = rng.Uniform(-0.25, 0.25) * std::max(0.0, slot - kMomentUnits);
    pos[k] = static_cast<int>(std::lround((k + 0.5) * slot - kMomentUnits / 2.0 + jitter));
  }
  for (int k = 0; k < count; ++k) {
    int min_pos = k == 0 ? 0 : pos[k - 1] + kMomentUnits + 1;
    pos[k] = std::max(pos[k], min_pos);
  }
  for (int k = count - 1; k >= 0; --k) {
    int max_pos = k == count - 1 ? units - kMomentUnits : pos[k + 1] - kMomentUnits - 1;
    pos[k] = std::min(pos[k], max_pos);
  }
  return pos;
}

}  // namespace

const char* DecoySoundName(DecoySound sound) {
  return sound == DecoySound::kExplosion ? "explosion" : "sting";
}

double DecoyExcitement(const std::optional<DecoyScript>& decoy, double t_s) {
  if (!decoy) return 0;
  const double start = MsToSeconds(decoy->start_ms), end = MsToSeconds(decoy->end_ms);
  if (t_s < start || t_s > end) return 0;
  // A blast: full at once, fading over the sound; a sting only flashes briefly.
  const double fade_s = decoy->sound == DecoySound::kExplosion ? end - start : 0.6;
  return std::max(0.0, 1.0 - (t_s - start) / fade_s);
}

Result<StreamPlan> PlanStream(const SampleOptions& options) {
  RETURN_IF_ERROR(ValidateSampleOptions(options));
  Rng root(options.seed);
  StreamPlan plan;
  plan.duration_ms = options.duration_ms();
  const int units = static_cast<int>(plan.duration_ms / kPieceGridMs);
  const TimeMs tail_ms = plan.duration_ms - units * kPieceGridMs;
  const int moment_count = ResolvedMomentCount(options);

  Rng template_rng = root.Fork("templates");
  std::vector<int> looks;
  for (int i = 0; i < kLookCount; ++i) looks.push_back(i);
  template_rng.Shuffle(looks);
  std::vector<int> ordinary;  // template indices
  for (int units_len : kOrdinaryUnits) {
    PieceTemplate t;
    t.kind = PieceKind::kOrdinary;
    t.duration_ms = units_len * kPieceGridMs;
    t.look = looks[ordinary.size() % looks.size()];
    t.seed = template_rng.Next();
    t.lines = PickCalmLines(template_rng, t.duration_ms);
    ordinary.push_back(static_cast<int>(plan.templates.size()));
    plan.templates.push_back(std::move(t));
  }
  std::vector<int> moment_templates;
  for (int j = 0; j < std::min(moment_count, kMaxMomentTemplates); ++j) {
    PieceTemplate t;
    t.kind = PieceKind::kMoment;
    t.duration_ms = kMomentPieceMs;
    t.look = static_cast<int>(template_rng.Int(0, kLookCount - 1));
    t.seed = template_rng.Next();
    t.lines = PickCalmLines(template_rng, t.duration_ms);
    t.moment = PlanMomentScript(template_rng, j);
    moment_templates.push_back(static_cast<int>(plan.templates.size()));
    plan.templates.push_back(std::move(t));
  }
  // Vocal-only moments and decoys draw from their own streams, so without them the plan is
  // exactly the one a seed always gave.
  const int vocal_count = options.vocal_only_moments;
  const int decoy_count = options.decoys;
  Rng extra_rng = root.Fork("vocal-and-decoys");
  std::vector<int> vocal_templates, decoy_templates;
  for (int j = 0; j < std::min(vocal_count, kMaxExtraTemplates); ++j) {
    PieceTemplate t;
    t.kind = PieceKind::kMoment;
    t.duration_ms = kMomentPieceMs;
    t.look = static_cast<int>(extra_rng.Int(0, kLookCount - 1));
    t.seed = extra_rng.Next();
    t.lines = PickCalmLines(extra_rng, t.duration_ms);
    t.moment = PlanVocalScript(extra_rng);
    vocal_templates.push_back(static_cast<int>(plan.templates.size()));
    plan.templates.push_back(std::move(t));
  }
  for (int j = 0; j < std::min(decoy_count, kMaxExtraTemplates); ++j) {
    PieceTemplate t;
    t.kind = PieceKind::kDecoy;
    t.duration_ms = kMomentPieceMs;
    t.look = static_cast<int>(extra_rng.Int(0, kLookCount - 1));
    t.seed = extra_rng.Next();
    t.lines = PickCalmLines(extra_rng, t.duration_ms);
    t.decoy = PlanDecoyScript(extra_rng, j);
    decoy_templates.push_back(static_cast<int>(plan.templates.size()));
    plan.templates.push_back(std::move(t));
  }
  enum class Slot { kMoment, kVocal, kDecoy };
  std::vector<Slot> slots(moment_count, Slot::kMoment);
  slots.insert(slots.end(), vocal_count, Slot::kVocal);
  slots.insert(slots.end(), decoy_count, Slot::kDecoy);
  if (vocal_count + decoy_count > 0) extra_rng.Shuffle(slots);
  const int slot_count = static_cast<int>(slots.size());

  Rng timeline_rng = root.Fork("timeline");
  std::vector<int> moment_units =
      slot_count > 0 ? PlaceMoments(timeline_rng, units, slot_count) : std::vector<int>{};
  std::vector<int> moment_order = moment_templates;
  timeline_rng.Shuffle(moment_order);
  int previous = -1;
  auto place = [&](int template_index) {
    const PieceTemplate& t = plan.templates[template_index];
    TimeMs start = plan.timeline.empty()
                       ? 0
                       : plan.timeline.back().start_ms + plan.timeline.back().duration_ms;
    plan.timeline.push_back({template_index, start, t.duration_ms});
    previous = template_index;
  };
  auto fill = [&](int gap_units) {
    while (gap_units > 0) {
      std::vector<int> fits;
      for (int idx : ordinary) {
        int len = static_cast<int>(plan.templates[idx].duration_ms / kPieceGridMs);
        if (len <= gap_units && idx != previous) fits.push_back(idx);
      }
      if (fits.empty()) fits.push_back(ordinary.back());  // the shortest piece, repeated
      int idx = timeline_rng.Pick(fits);
      place(idx);
      gap_units -= static_cast<int>(plan.templates[idx].duration_ms / kPieceGridMs);
    }
  };
  int cursor = 0;
  Rng moment_rng = root.Fork("moments");
  int regular = 0, vocal = 0, decoy = 0;
  for (int k = 0; k < slot_count; ++k) {
    fill(moment_units[k] - cursor);
    cursor = moment_units[k] + kMomentUnits;
    if (slots[k] == Slot::kDecoy) {
      const int template_index = decoy_templates[decoy++ % decoy_templates.size()];
      place(template_index);
      const PiecePlacement& p = plan.timeline.back();
      const DecoyScript& script = *plan.templates[template_index].decoy;
      plan.decoys.push_back({static_cast<int>(plan.timeline.size()) - 1,
                             p.start_ms + script.start_ms, p.start_ms + script.peak_ms,
                             p.start_ms + script.end_ms, script.sound});
      continue;
    }
    const bool vocal_only = slots[k] == Slot::kVocal;
    const int template_index = vocal_only ? vocal_templates[vocal++ % vocal_templates.size()]
                                          : moment_order[regular++ % moment_order.size()];
    place(template_index);
    const PiecePlacement& p = plan.timeline.back();
    const MomentScript& script = *plan.templates[template_index].moment;
    PlannedMoment m;
    m.placement_index = static_cast<int>(plan.timeline.size()) - 1;
    m.start_ms = p.start_ms + script.start_ms;
    m.peak_ms = p.start_ms + script.peak_ms;
    m.end_ms = p.start_ms + script.end_ms;
    if (vocal_only) {
      m.chat_reaction = false;
      m.kinds.push_back("vocal");
    } else {
      m.chat_burst_ms = m.peak_ms + moment_rng.Int(30, 80) * 100;
      m.kinds.push_back("loudness");
      if (script.laughter) m.kinds.push_back("laughter");
      if (script.cheer) m.kinds.push_back("cheer");
      if (script.phrase) m.kinds.push_back("trigger_phrase");
      m.phrase = script.phrase;
    }
    plan.moments.push_back(std::move(m));
  }
  fill(units - cursor);
  if (tail_ms > 0) {
    PieceTemplate t;
    t.kind = PieceKind::kTail;
    t.duration_ms = tail_ms;
    t.look = static_cast<int>(template_rng.Int(0, kLookCount - 1));
    t.seed = template_rng.Next();
    t.lines = PickCalmLines(template_rng, t.duration_ms);
    plan.templates.push_back(std::move(t));
    place(static_cast<int>(plan.templates.size()) - 1);
  }
  return plan;
}

}  // namespace clipthat::sample
