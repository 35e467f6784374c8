// SpeechRecognizer: speech to words with timings, behind one interface with two backends:
//   - embedded: pocketsphinx en-us (sphinx_recognizer.h), works offline on a fresh machine;
//   - remote: an OpenAI-compatible POST /v1/audio/transcriptions server (remote_recognizer.h).
//
// Input is 16 kHz mono float audio (media::AudioBuffer as AudioDecoder gives it); output word
// times are milliseconds from the start of the media (the buffer's start_ms is added).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/result.h"
#include "core/time_units.h"
#include "media/frame.h"

namespace clipthat::speech {

struct Word {
  std::string text;  // lower-case as the backend spells it, no filler tokens (<sil>, [noise])
  TimeMs start_ms = 0;
  TimeMs end_ms = 0;
  double confidence = 1.0;  // 0..1; 1 when the backend gives none
  // What the backend wrote right after the word (remote backends punctuate; pocketsphinx never
  // does): any punctuation (",", ";", "!") breaks a phrase there; ".", "!", "?" or "..." end
  // the sentence.
  bool break_after = false;
  bool sentence_end = false;
};

class SpeechRecognizer {
 public:
  virtual ~SpeechRecognizer() = default;
  // Short backend name: "sphinx", "remote".
  virtual std::string_view name() const = 0;
  // Transcribes `audio` (16 kHz mono). Errors: InvalidArgument for another rate or channel
  // count; Unavailable when a remote backend does not answer in time; DataError for an answer
  // that cannot be read. Never hangs: remote calls have timeouts.
  virtual Result<std::vector<Word>> Transcribe(const media::AudioBuffer& audio) = 0;
};

// A trigger phrase heard in the audio ("clip that").
struct TriggerHit {
  std::string phrase;
  TimeMs at_ms = 0;         // start of the phrase, from the start of the media
  double confidence = 1.0;  // 0..1, how sure a verifying spotter is (1 when it does not say)
};

// Finds trigger phrases in 16 kHz mono audio (pocketsphinx keyword spotting).
class KeywordSpotter {
 public:
  virtual ~KeywordSpotter() = default;
  // The phrases in one buffer, in time order.
  virtual Result<std::vector<TriggerHit>> Spot(const media::AudioBuffer& audio) = 0;

  // Streaming, for spotters that can (streams() true; speech::TriggerSpotter): chunks in time
  // order, a gap between chunks allowed; Finish() ends the stream; TakeTriggers() returns what
  // was found since the last call. The defaults answer Unsupported.
  virtual bool streams() const { return false; }
  virtual Status Push(const media::AudioBuffer& /*chunk*/) {
    return UnsupportedError("this keyword spotter does not stream");
  }
  virtual Status Finish() { return UnsupportedError("this keyword spotter does not stream"); }
  virtual std::vector<TriggerHit> TakeTriggers() { return {}; }
};

// Builds the recognizer named by `backend` ("sphinx" or "remote") from configuration keys:
//   speech.sphinx.model_dir (default /usr/share/pocketsphinx/model/en-us)
//   speech.remote.base_url, speech.remote.model, speech.remote.api_key,
//   speech.remote.timeout_ms, speech.remote.retries
// InvalidArgument names an unknown backend or a missing required key.
Result<std::unique_ptr<SpeechRecognizer>> MakeSpeechRecognizer(std::string_view backend,
                                                               const Config& config);

}  // namespace clipthat::speech
