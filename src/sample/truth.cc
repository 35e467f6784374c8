#include "sample/truth.h"

namespace clipthat::sample {

nlohmann::json BuildTruthJson(const StreamPlan& plan, const SampleOptions& options,
                              const std::vector<std::vector<SpokenLine>>& speech_by_template) {
  auto layout = [&](int template_index) -> const std::vector<SpokenLine>& {
    static const std::vector<SpokenLine> kNone;
    return static_cast<size_t>(template_index) < speech_by_template.size()
               ? speech_by_template[template_index]
               : kNone;
  };
  nlohmann::json moments = nlohmann::json::array();
  for (const PlannedMoment& m : plan.moments) {
    const PiecePlacement& p = plan.timeline[m.placement_index];
    nlohmann::json phrase_start = nullptr, phrase_end = nullptr;
    if (m.phrase) {
      for (const SpokenLine& line : layout(p.template_index)) {
        if (line.style == SpeechStyle::kExcited && line.text.find(*m.phrase) != std::string::npos) {
          phrase_start = p.start_ms + line.start_ms;
          phrase_end = p.start_ms + line.end_ms;
          break;
        }
      }
    }
    moments.push_back(
        {{"start_ms", m.start_ms},
         {"end_ms", m.end_ms},
         {"peak_ms", m.peak_ms},
         {"kind", m.kinds},
         {"phrase", m.phrase ? nlohmann::json(*m.phrase) : nlohmann::json()},
         {"phrase_start_ms", phrase_start},
         {"phrase_end_ms", phrase_end},
         {"chat_burst_ms", m.chat_reaction ? nlohmann::json(m.chat_burst_ms) : nlohmann::json()}});
  }
  nlohmann::json scenes = nlohmann::json::array();
  nlohmann::json speech = nlohmann::json::array();
  for (const PiecePlacement& p : plan.timeline) {
    scenes.push_back({{"start_ms", p.start_ms},
                      {"end_ms", p.start_ms + p.duration_ms},
                      {"look", plan.templates[p.template_index].look},
                      {"piece", p.template_index}});
    for (const SpokenLine& line : layout(p.template_index)) {
      speech.push_back({{"start_ms", p.start_ms + line.start_ms},
                        {"end_ms", p.start_ms + line.end_ms},
                        {"text", line.text},
                        {"excited", line.style == SpeechStyle::kExcited}});
    }
  }
  nlohmann::json truth = {{"version", 1},         {"duration_ms", plan.duration_ms},
                          {"seed", options.seed}, {"options", SampleOptionsToJson(options)},
                          {"moments", moments},   {"scenes", scenes},
                          {"speech", speech}};
  if (options.decoys > 0) {
    nlohmann::json decoys = nlohmann::json::array();
    for (const PlannedDecoy& d : plan.decoys) {
      decoys.push_back({{"start_ms", d.start_ms},
                        {"peak_ms", d.peak_ms},
                        {"end_ms", d.end_ms},
                        {"kind", DecoySoundName(d.sound)}});
    }
    truth["decoys"] = std::move(decoys);
  }
  return truth;
}

}  // namespace clipthat::sample
