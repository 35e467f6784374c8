// Internal to src/speech: an RAII owner of a pocketsphinx decoder, the routing of
// pocketsphinx's log output into a Logger, and the sample conversion both sphinx users need.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/log.h"
#include "core/result.h"

struct ps_decoder_s;
typedef struct ps_decoder_s ps_decoder_t;

namespace clipthat::speech::internal {

inline constexpr const char* kDefaultModelDir = "/usr/share/pocketsphinx/model/en-us";
inline constexpr int kFramesPerSecond = 100;  // pocketsphinx's frame rate (10 ms frames)

// Owns one ps_decoder_t. Copying is deleted; moves leave the source empty.
class SphinxDecoder {
 public:
  // Builds a decoder from pocketsphinx arguments ({"-hmm", dir, "-dict", file, ...}). Errors:
  // NotFound when a model file is missing, InvalidArgument when pocketsphinx rejects the
  // arguments (the message carries pocketsphinx's own reason).
  static Result<SphinxDecoder> Create(const std::vector<std::pair<std::string, std::string>>& args,
                                      const Logger& logger);

  SphinxDecoder(SphinxDecoder&& other) noexcept : ps_(std::exchange(other.ps_, nullptr)) {}
  SphinxDecoder& operator=(SphinxDecoder&& other) noexcept;
  SphinxDecoder(const SphinxDecoder&) = delete;
  SphinxDecoder& operator=(const SphinxDecoder&) = delete;
  ~SphinxDecoder();

  ps_decoder_t* get() const { return ps_; }

 private:
  explicit SphinxDecoder(ps_decoder_t* ps) : ps_(ps) {}
  ps_decoder_t* ps_ = nullptr;
};

// Sends pocketsphinx's process-wide log output to `logger` (its errors at warn, everything
// else at trace), so it is quiet unless asked for. The latest call wins.
void RouteSphinxLogs(const Logger& logger);

// The last error pocketsphinx logged on this thread ("" when none), for error messages.
std::string LastSphinxError();

// Float samples in [-1, 1] to 16-bit PCM (clamped, rounded).
std::vector<std::int16_t> ToInt16(const float* samples, std::size_t count);

// Adds +-1 LSB of deterministic noise (seeded by `state`, which it advances). Digital silence
// (zero samples) gives the front end log(0) energies that wreck its features and cepstral
// mean; a dither of about -90 dBFS keeps them finite and changes nothing else.
void Dither(std::vector<std::int16_t>& pcm, std::uint32_t* state);

// CPU seconds used by this thread so far.
double ThreadCpuSeconds();

}  // namespace clipthat::speech::internal
