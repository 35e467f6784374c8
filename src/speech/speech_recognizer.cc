#include "speech/speech_recognizer.h"

#include "speech/sphinx_recognizer.h"
#if defined(CLIPTHAT_HAVE_REMOTE_RECOGNIZER)
#include "speech/remote_recognizer.h"
#endif

namespace clipthat::speech {

Result<std::unique_ptr<SpeechRecognizer>> MakeSpeechRecognizer(std::string_view backend,
                                                               const Config& config) {
  if (backend == "sphinx") {
    ASSIGN_OR_RETURN(SphinxOptions options, SphinxOptionsFromConfig(config));
    // The factory has no logger to give; pocketsphinx stays quiet.
    ASSIGN_OR_RETURN(SphinxRecognizer rec, SphinxRecognizer::Create(options, Logger()));
    return std::unique_ptr<SpeechRecognizer>(std::make_unique<SphinxRecognizer>(std::move(rec)));
  }
  if (backend == "remote") {
#if defined(CLIPTHAT_HAVE_REMOTE_RECOGNIZER)
    return MakeRemoteRecognizer(config);
#else
    return UnavailableError("speech backend 'remote' is not built into this clipthat");
#endif
  }
  return InvalidArgumentError("unknown speech backend '" + std::string(backend) +
                              "' (expected sphinx or remote)");
}

}  // namespace clipthat::speech
