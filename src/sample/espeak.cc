#include "sample/espeak.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>

#include "core/files.h"

extern char** environ;

namespace clipthat::sample {
namespace {

std::uint32_t Le32(const std::string& b, size_t at) {
  return static_cast<std::uint8_t>(b[at]) | static_cast<std::uint8_t>(b[at + 1]) << 8 |
         static_cast<std::uint8_t>(b[at + 2]) << 16 |
         static_cast<std::uint32_t>(static_cast<std::uint8_t>(b[at + 3])) << 24;
}
std::uint16_t Le16(const std::string& b, size_t at) {
  return static_cast<std::uint16_t>(static_cast<std::uint8_t>(b[at]) |
                                    static_cast<std::uint8_t>(b[at + 1]) << 8);
}

// Spawn file actions owned for the duration of one spawn.
class FileActions {
 public:
  FileActions() { posix_spawn_file_actions_init(&actions_); }
  ~FileActions() { posix_spawn_file_actions_destroy(&actions_); }
  FileActions(const FileActions&) = delete;
  FileActions& operator=(const FileActions&) = delete;
  posix_spawn_file_actions_t* get() { return &actions_; }

 private:
  posix_spawn_file_actions_t actions_;
};

}  // namespace

Result<std::vector<float>> ReadWav16(const std::filesystem::path& path, int* sample_rate_hz) {
  ASSIGN_OR_RETURN(std::string bytes, ReadFileToString(path));
  if (bytes.size() < 12 || bytes.compare(0, 4, "RIFF") != 0 || bytes.compare(8, 4, "WAVE") != 0) {
    return DataError(path.string() + ": not a WAV file");
  }
  int channels = 0, bits = 0;
  size_t at = 12;
  while (at + 8 <= bytes.size()) {
    std::string id = bytes.substr(at, 4);
    size_t size = Le32(bytes, at + 4);
    size_t body = at + 8;
    if (id == "fmt " && body + 16 <= bytes.size()) {
      if (Le16(bytes, body) != 1) return DataError(path.string() + ": WAV is not PCM");
      channels = Le16(bytes, body + 2);
      *sample_rate_hz = static_cast<int>(Le32(bytes, body + 4));
      bits = Le16(bytes, body + 14);
    } else if (id == "data") {
      if (bits != 16 || channels < 1) return DataError(path.string() + ": WAV is not 16-bit PCM");
      // espeak-ng may leave the size unset when interrupted; take what is there.
      size_t end = std::min(bytes.size(), size > bytes.size() ? bytes.size() : body + size);
      std::vector<float> out;
      size_t frame_bytes = 2 * static_cast<size_t>(channels);
      out.reserve((end - body) / frame_bytes);
      for (size_t p = body; p + frame_bytes <= end; p += frame_bytes) {
        out.push_back(static_cast<std::int16_t>(Le16(bytes, p)) / 32768.0f);
      }
      return out;
    }
    at = body + size + (size & 1);
  }
  return DataError(path.string() + ": WAV has no data chunk");
}

std::vector<float> Resample(const std::vector<float>& in, int from_hz, int to_hz) {
  if (in.empty() || from_hz == to_hz) return in;
  size_t n = static_cast<size_t>(static_cast<double>(in.size()) * to_hz / from_hz);
  std::vector<float> out(n);
  double step = static_cast<double>(from_hz) / to_hz;
  for (size_t i = 0; i < n; ++i) {
    double pos = i * step;
    size_t k = static_cast<size_t>(pos);
    double frac = pos - k;
    float a = in[std::min(k, in.size() - 1)], b = in[std::min(k + 1, in.size() - 1)];
    out[i] = static_cast<float>(a + (b - a) * frac);
  }
  return out;
}

Result<std::vector<float>> Speak(const std::string& text, const VoiceParams& voice,
                                 int sample_rate_hz, const std::filesystem::path& work_dir) {
  static std::atomic<int> counter{0};
  std::filesystem::path wav = work_dir / ("speech_" + std::to_string(counter++) + ".wav");
  std::vector<std::string> args = {"espeak-ng",
                                   "-v",
                                   voice.voice,
                                   "-s",
                                   std::to_string(voice.words_per_minute),
                                   "-p",
                                   std::to_string(voice.pitch),
                                   "-a",
                                   std::to_string(voice.amplitude),
                                   "-w",
                                   wav.string(),
                                   "--",
                                   text};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  FileActions actions;
  // espeak-ng prints nothing useful; keep the terminal clean.
  posix_spawn_file_actions_addopen(actions.get(), STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(actions.get(), STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, "espeak-ng", actions.get(), nullptr, argv.data(), environ);
  if (rc != 0) {
    return NotFoundError(std::string("espeak-ng: cannot start (") + std::strerror(rc) +
                         "); install the espeak-ng package");
  }
  int wstatus = 0;
  while (waitpid(pid, &wstatus, 0) < 0) {
    if (errno != EINTR)
      return IoError(std::string("espeak-ng: wait failed: ") + std::strerror(errno));
  }
  if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0) {
    return IoError("espeak-ng: failed speaking \"" + text + "\"");
  }
  int rate = 0;
  auto samples = ReadWav16(wav, &rate);
  std::error_code ec;
  std::filesystem::remove(wav, ec);
  if (!samples.ok()) return samples.status();
  return Resample(*samples, rate, sample_rate_hz);
}

}  // namespace clipthat::sample
