// Transcribing a time range of a media file, and the words.json format (docs/words.md).
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "core/result.h"
#include "speech/speech_recognizer.h"

namespace clipthat::speech {

struct TranscribeRange {
  TimeMs from_ms = 0;
  TimeMs to_ms = -1;            // -1 = end of the file
  TimeMs max_block_ms = 60000;  // audio handed to the recognizer at once, at most
  TimeMs min_block_ms = 30000;  // blocks are cut at a quiet point past this length
};

// Decodes `path`'s main audio over the range as 16 kHz mono and transcribes it block by block
// (blocks cut at quiet points), so a long range never sits in memory whole. Word times are
// from the start of the file. Errors name the file (those of media::AudioDecoder, and the
// recognizer's prefixed with the path).
Result<std::vector<Word>> TranscribeFile(const std::string& path, const TranscribeRange& range,
                                         SpeechRecognizer& recognizer);

// {"words":[{"text","start_ms","end_ms","confidence"}]}
nlohmann::json WordsToJson(const std::vector<Word>& words);

// The inverse; DataError names what is wrong.
Result<std::vector<Word>> WordsFromJson(const nlohmann::json& json);

}  // namespace clipthat::speech
