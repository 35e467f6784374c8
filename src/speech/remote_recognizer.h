// Remote speech recognizer: an OpenAI-compatible transcription server (whisper.cpp server,
// speaches, OpenAI) behind the SpeechRecognizer interface.
//
// Each Transcribe() uploads the audio as a 16-bit WAV in a multipart POST to
// {base_url}{path} with the fields file (audio.wav, audio/wav), model,
// response_format=verbose_json and timestamp_granularities[]=word (and language when set).
// Audio longer than speech.remote.chunk_ms is sent in pieces cut at the quietest moment near
// each boundary. Both answer shapes are read (see ParseTranscriptionAnswer).
//
// Configuration keys:
//   speech.remote.base_url    required, "http[s]://host[:port][/prefix]"
//   speech.remote.model       default "whisper-1"
//   speech.remote.api_key     sent as a bearer token when set
//   speech.remote.path        default "/v1/audio/transcriptions" (whisper.cpp server: "/inference")
//   speech.remote.language    ISO-639-1 code sent as "language" when set ("en")
//   speech.remote.timeout_ms  default 60000: longest wait for the server
//   speech.remote.retries     default 2: extra tries on connection errors, timeouts, 5xx, 429
//   speech.remote.backoff_ms  default 500: wait before the first retry, doubled after
//   speech.remote.chunk_ms    default 600000: longest audio sent in one request
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string_view>
#include <vector>

#include "core/config.h"
#include "core/log.h"
#include "core/result.h"
#include "speech/speech_recognizer.h"

namespace clipthat::speech {

// Builds the remote recognizer from the keys above. InvalidArgument names a missing or bad key.
Result<std::unique_ptr<SpeechRecognizer>> MakeRemoteRecognizer(const Config& config,
                                                               Logger log = {});

// Reads a verbose_json transcription answer into words whose times are `offset_ms` plus the
// answer's float seconds. Accepted shapes:
//   A. top-level "words": [{"word", "start", "end"}]                  (OpenAI, speaches)
//   B. "segments": [{"words": [{"word", "start", "end", "probability"}]}]  (whisper.cpp server,
//      whose words are sub-word tokens: a token without a leading space continues the word)
//   C. "segments": [{"text", "start", "end"}] with no words: word times are estimated by
//      spreading each segment's words over it (*estimated is set).
// Words are lower-cased, trimmed of whitespace and punctuation; punctuation-only tokens and
// non-speech markers ("[BLANK_AUDIO]", "(music)") are dropped; confidence is the token
// probability when given, else 1. Punctuation after a word (its own, or a punctuation-only
// token's after it) sets Word::break_after, and ".", "!", "?", "..." Word::sentence_end: the
// trigger check reads "Clip that! What" as a command that ended its sentence. An answer with no
// speech ("text" empty) gives no words. DataError, naming `url`, for an answer that is not a
// transcription or has text without times.
Result<std::vector<Word>> ParseTranscriptionAnswer(const nlohmann::json& answer, TimeMs offset_ms,
                                                   std::string_view url, bool* estimated = nullptr);

}  // namespace clipthat::speech
