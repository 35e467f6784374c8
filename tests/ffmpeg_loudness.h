// FFmpeg's own EBU R128 reading of a file (`ffmpeg -af ebur128=peak=true`), to check ClipThat's
// audio against a meter that is not ClipThat's.
#pragma once

#include <string>

namespace clipthat::testing {

struct FfmpegLoudness {
  bool ok = false;             // false when ffmpeg failed or printed no summary
  double integrated_lufs = 0;  // the summary's "I:"
  double true_peak_dbtp = 0;   // the summary's "Peak:" (true peak, dBTP; FFmpeg says dBFS)
  std::string output;          // what ffmpeg printed, for failure messages
};

// Runs `ffmpeg -nostats -i PATH -af ebur128=peak=true -f null -` and parses its summary.
FfmpegLoudness MeasureWithFfmpeg(const std::string& path);

}  // namespace clipthat::testing
