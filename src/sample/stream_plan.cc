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

  Rng timeline_rng = root.Fork("timeline");
  std::vector<int> moment_units =
      moment_count > 0 ? PlaceMoments(timeline_rng, units, moment_count) : std::vector<int>{};
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
  for (int k = 0; k < moment_count; ++k) {
    fill(moment_units[k] - cursor);
    int template_index = moment_order[k % moment_order.size()];
    place(template_index);
    cursor = moment_units[k] + kMomentUnits;
    const PiecePlacement& p = plan.timeline.back();
    const MomentScript& script = *plan.templates[template_index].moment;
    PlannedMoment m;
    m.placement_index = static_cast<int>(plan.timeline.size()) - 1;
    m.start_ms = p.start_ms + script.start_ms;
    m.peak_ms = p.start_ms + script.peak_ms;
    m.end_ms = p.start_ms + script.end_ms;
    m.chat_burst_ms = m.peak_ms + moment_rng.Int(30, 80) * 100;
    m.kinds.push_back("loudness");
    if (script.laughter) m.kinds.push_back("laughter");
    if (script.cheer) m.kinds.push_back("cheer");
    if (script.phrase) m.kinds.push_back("trigger_phrase");
    m.phrase = script.phrase;
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
