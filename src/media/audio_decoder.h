// AudioDecoder: streams a file's main audio track as mono (or N-channel) float PCM at a chosen
// rate, in chunks of a chosen length, without ever holding the whole track in memory.
//
//   ASSIGN_OR_RETURN(auto dec, AudioDecoder::Open(path, {.sample_rate_hz = 16000}));
//   AudioBuffer chunk;
//   while (true) {
//     ASSIGN_OR_RETURN(bool more, dec.Next(&chunk));
//     if (!more) break;
//     Analyse(chunk);  // chunk.start_ms, chunk.samples
//   }
//
// Video and other streams are discarded at the demuxer, so this costs little more than the
// audio decode itself. Chunks are contiguous: chunk k+1 starts where chunk k ends (gaps in the
// source are filled with silence), and the first chunk starts at `start_ms`.
#pragma once

#include <memory>
#include <string>

#include "core/result.h"
#include "media/frame.h"

namespace clipthat::media {

struct AudioDecoderOptions {
  int sample_rate_hz = 16000;
  int channels = 1;
  TimeMs chunk_ms = 1000;  // length of each chunk except the last
  TimeMs start_ms = 0;     // seek here first (accurate: earlier samples are dropped)
  TimeMs end_ms = -1;      // stop here; -1 = end of stream
};

class AudioDecoder {
 public:
  // Errors: those of Probe(), and UnsupportedError "PATH: no audio stream".
  static Result<AudioDecoder> Open(const std::string& path, const AudioDecoderOptions& options);

  AudioDecoder(AudioDecoder&&) noexcept;
  AudioDecoder& operator=(AudioDecoder&&) noexcept;
  ~AudioDecoder();

  // Fills `chunk` with the next chunk; returns false (and leaves chunk empty) at the end.
  // A decode error mid-stream is a DataError naming the file and the time.
  Result<bool> Next(AudioBuffer* chunk);

  TimeMs duration_ms() const;  // of the stream, from the probe

 private:
  struct Impl;
  explicit AudioDecoder(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace clipthat::media
