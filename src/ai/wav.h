// In-memory WAV encoding, for uploading audio to a transcription server.
#pragma once

#include <string>

#include "core/result.h"
#include "media/frame.h"

namespace clipthat::ai {

// Encodes `audio` (interleaved float samples in [-1, 1]; values outside are clipped) as a
// RIFF/WAVE file with 16-bit PCM samples at the buffer's rate and channel count. Returns the
// file's bytes. InvalidArgument for a non-positive rate or channel count, or audio too long for
// a WAV file (4 GiB).
Result<std::string> EncodeWav16(const media::AudioBuffer& audio);

}  // namespace clipthat::ai
