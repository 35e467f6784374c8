#include "ffmpeg_loudness.h"

#include <cstdlib>

#include "command_runner.h"

namespace clipthat::testing {
namespace {

// The number after `label` in the summary (which follows "Summary:"); false when absent.
bool SummaryValue(const std::string& text, const std::string& label, double* out) {
  const std::size_t summary = text.rfind("Summary:");
  if (summary == std::string::npos) return false;
  const std::size_t at = text.find(label, summary);
  if (at == std::string::npos) return false;
  const char* begin = text.c_str() + at + label.size();
  char* end = nullptr;
  *out = std::strtod(begin, &end);
  return end != begin;
}

}  // namespace

FfmpegLoudness MeasureWithFfmpeg(const std::string& path) {
  const CommandResult r = RunCommand({"ffmpeg", "-nostats", "-hide_banner", "-i", path, "-af",
                                      "ebur128=peak=true", "-f", "null", "-"});
  FfmpegLoudness out;
  out.output = r.err;
  out.ok = r.exit_code == 0 && SummaryValue(r.err, "I:", &out.integrated_lufs) &&
           SummaryValue(r.err, "Peak:", &out.true_peak_dbtp);
  return out;
}

}  // namespace clipthat::testing
