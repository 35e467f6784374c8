#include "speech/trigger_file.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "media/audio_decoder.h"
#include "media/probe.h"

namespace clipthat::speech {

Result<std::vector<TriggerHit>> SpotTriggersInFile(const std::string& path, TriggerSpotter& spotter,
                                                   const TriggerProgress& progress) {
  ASSIGN_OR_RETURN(
      auto decoder,
      media::AudioDecoder::Open(path, {.sample_rate_hz = 16000, .channels = 1, .chunk_ms = 1000}));
  TimeMs duration_ms = 0;
  if (auto probe = media::Probe(path); probe.ok()) duration_ms = probe->duration_ms;
  std::vector<TriggerHit> triggers;
  media::AudioBuffer chunk;
  while (true) {
    ASSIGN_OR_RETURN(bool more, decoder.Next(&chunk));
    if (!more) break;
    Status st = spotter.Push(chunk);
    if (!st.ok()) return st.WithPrefix(path);
    for (TriggerHit& h : spotter.TakeTriggers()) triggers.push_back(std::move(h));
    if (progress && duration_ms > 0) {
      const double done = static_cast<double>(chunk.start_ms + chunk.duration_ms()) /
                          static_cast<double>(duration_ms);
      if (!progress(std::min(1.0, done))) return CancelledError(path + ": cancelled");
    }
  }
  Status st = spotter.Finish();
  if (!st.ok()) return st.WithPrefix(path);
  for (TriggerHit& h : spotter.TakeTriggers()) triggers.push_back(std::move(h));
  if (progress) progress(1.0);
  return triggers;
}

nlohmann::json TriggersToJson(const std::vector<TriggerHit>& triggers) {
  nlohmann::json list = nlohmann::json::array();
  for (const TriggerHit& t : triggers) {
    list.push_back({{"phrase", t.phrase},
                    {"at_ms", t.at_ms},
                    {"confidence", std::round(t.confidence * 100) / 100}});
  }
  return list;
}

Result<std::vector<TriggerHit>> TriggersFromJson(const nlohmann::json& json) {
  if (!json.is_array()) return DataError("triggers: expected a JSON array");
  std::vector<TriggerHit> out;
  for (std::size_t i = 0; i < json.size(); ++i) {
    const nlohmann::json& e = json[i];
    const std::string where = "triggers[" + std::to_string(i) + "]";
    if (!e.is_object() || !e.contains("phrase") || !e["phrase"].is_string() ||
        !e.contains("at_ms") || !e["at_ms"].is_number_integer()) {
      return DataError(where + ": needs a string \"phrase\" and an integer \"at_ms\"");
    }
    TriggerHit t;
    t.phrase = e["phrase"].get<std::string>();
    t.at_ms = e["at_ms"].get<TimeMs>();
    if (e.contains("confidence")) {
      if (!e["confidence"].is_number()) return DataError(where + ": \"confidence\" not a number");
      t.confidence = e["confidence"].get<double>();
      if (t.confidence < 0 || t.confidence > 1)
        return DataError(where + ": confidence not in 0..1");
    }
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace clipthat::speech
