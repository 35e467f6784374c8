#include "speech/transcribe_file.h"

#include <nlohmann/json.hpp>

#include "media/audio_decoder.h"
#include "speech/utterance_splitter.h"

namespace clipthat::speech {

Result<std::vector<Word>> TranscribeFile(const std::string& path, const TranscribeRange& range,
                                         SpeechRecognizer& recognizer) {
  if (range.from_ms < 0 || (range.to_ms >= 0 && range.to_ms <= range.from_ms)) {
    return InvalidArgumentError(path + ": empty or negative time range");
  }
  ASSIGN_OR_RETURN(auto decoder, media::AudioDecoder::Open(path, {.sample_rate_hz = 16000,
                                                                  .channels = 1,
                                                                  .chunk_ms = 1000,
                                                                  .start_ms = range.from_ms,
                                                                  .end_ms = range.to_ms}));
  std::vector<Word> words;
  media::AudioBuffer pending;  // decoded audio not yet transcribed
  pending.start_ms = range.from_ms;
  auto transcribe = [&](std::size_t count) -> Status {
    media::AudioBuffer block;
    block.start_ms = pending.start_ms;
    block.samples.assign(pending.samples.begin(), pending.samples.begin() + count);
    auto got = recognizer.Transcribe(block);
    if (!got.ok()) return got.status().WithPrefix(path);
    words.insert(words.end(), got->begin(), got->end());
    pending.samples.erase(pending.samples.begin(), pending.samples.begin() + count);
    pending.start_ms += static_cast<TimeMs>(count / 16);
    return Status::Ok();
  };
  const std::size_t max_samples = static_cast<std::size_t>(range.max_block_ms) * 16;
  media::AudioBuffer chunk;
  bool first = true;
  while (true) {
    ASSIGN_OR_RETURN(bool more, decoder.Next(&chunk));
    if (!more) break;
    if (first) pending.start_ms = chunk.start_ms;
    first = false;
    pending.samples.insert(pending.samples.end(), chunk.samples.begin(), chunk.samples.end());
    if (pending.samples.size() >= max_samples) {
      auto ranges = SplitAtQuietPoints(
          pending.samples.data(), max_samples, 16000,
          {.min_utterance_ms = range.min_block_ms, .max_utterance_ms = range.max_block_ms - 1});
      RETURN_IF_ERROR(transcribe(ranges.front().end));
    }
  }
  if (!pending.samples.empty()) RETURN_IF_ERROR(transcribe(pending.samples.size()));
  return words;
}

nlohmann::json WordsToJson(const std::vector<Word>& words) {
  nlohmann::json list = nlohmann::json::array();
  for (const Word& w : words) {
    // Two decimals are plenty for a confidence and keep the file readable.
    double confidence = static_cast<double>(static_cast<long long>(w.confidence * 100 + 0.5)) / 100;
    list.push_back({{"text", w.text},
                    {"start_ms", w.start_ms},
                    {"end_ms", w.end_ms},
                    {"confidence", confidence}});
  }
  return nlohmann::json{{"words", std::move(list)}};
}

Result<std::vector<Word>> WordsFromJson(const nlohmann::json& json) {
  if (!json.is_object() || !json.contains("words") || !json["words"].is_array()) {
    return DataError("words.json: expected an object with a \"words\" array");
  }
  std::vector<Word> words;
  std::size_t i = 0;
  for (const auto& item : json["words"]) {
    std::string where = "words.json: words[" + std::to_string(i++) + "]";
    if (!item.is_object() || !item.contains("text") || !item["text"].is_string() ||
        !item.contains("start_ms") || !item["start_ms"].is_number_integer() ||
        !item.contains("end_ms") || !item["end_ms"].is_number_integer()) {
      return DataError(where + ": needs text (string), start_ms and end_ms (integers)");
    }
    Word w;
    w.text = item["text"].get<std::string>();
    w.start_ms = item["start_ms"].get<TimeMs>();
    w.end_ms = item["end_ms"].get<TimeMs>();
    if (item.contains("confidence")) {
      if (!item["confidence"].is_number()) return DataError(where + ": confidence is not a number");
      w.confidence = item["confidence"].get<double>();
    }
    if (w.end_ms < w.start_ms) return DataError(where + ": end_ms before start_ms");
    words.push_back(std::move(w));
  }
  return words;
}

}  // namespace clipthat::speech
