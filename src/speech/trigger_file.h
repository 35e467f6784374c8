// Spotting trigger phrases in a whole media file, and the triggers.json format
// (docs/triggers.md). `clipthat triggers` and bench/triggers_bench run this same path.
#pragma once

#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "core/result.h"
#include "speech/trigger_spotter.h"

namespace clipthat::speech {

// Called with the fraction of the file done (0..1) after every decoded chunk; returning false
// cancels (CancelledError).
using TriggerProgress = std::function<bool(double fraction)>;

// Decodes `path`'s main audio as 16 kHz mono, streaming (the file never sits in memory), and
// pushes it through `spotter`. Triggers in time order, times from the start of the file.
// Errors name the file: those of media::AudioDecoder (NotFound, "no audio stream"), and the
// spotter's prefixed with the path.
Result<std::vector<TriggerHit>> SpotTriggersInFile(const std::string& path, TriggerSpotter& spotter,
                                                   const TriggerProgress& progress = {});

// [{"phrase","at_ms","confidence"}], confidence rounded to two decimals.
nlohmann::json TriggersToJson(const std::vector<TriggerHit>& triggers);

// The inverse; DataError names what is wrong.
Result<std::vector<TriggerHit>> TriggersFromJson(const nlohmann::json& json);

}  // namespace clipthat::speech
