#include "speech/keyword_spotter.h"

#include <pocketsphinx.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>

namespace clipthat::speech {
namespace {

std::string Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

// A temporary file removed when this goes out of scope (pocketsphinx reads keyphrases from a
// file only).
class TempFile {
 public:
  TempFile() {
    std::string pattern = (std::filesystem::temp_directory_path() / "clipthat-kws-XXXXXX").string();
    int fd = mkstemp(pattern.data());
    if (fd >= 0) {
      ::close(fd);
      path_ = pattern;
    }
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() {
    if (!path_.empty()) std::remove(path_.c_str());
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

struct Detection {
  std::string phrase;
  int start_frame = 0, end_frame = 0;  // pocketsphinx's own frame numbers
  int log_prob = 0;
  TimeMs at_ms = 0;
};

}  // namespace

Result<std::vector<Keyphrase>> ParseKeyphrases(std::string_view text, double default_threshold) {
  std::vector<Keyphrase> phrases;
  std::stringstream in{std::string(text)};
  std::string entry;
  while (std::getline(in, entry, ',')) {
    Keyphrase k;
    k.threshold = default_threshold;
    std::string item = Trim(entry);
    if (item.empty()) continue;
    if (auto slash = item.find('/'); slash != std::string::npos) {
      std::size_t close = item.find('/', slash + 1);
      std::string number = item.substr(
          slash + 1, close == std::string::npos ? std::string::npos : close - slash - 1);
      char* end = nullptr;
      k.threshold = std::strtod(number.c_str(), &end);
      if (close == std::string::npos || number.empty() || *end != '\0' || !(k.threshold > 0)) {
        return InvalidArgumentError("keyphrase '" + item +
                                    "': threshold must be a positive number between slashes, "
                                    "as in 'clip that/1e-20/'");
      }
      item = Trim(item.substr(0, slash));
    }
    std::transform(item.begin(), item.end(), item.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (item.empty()) return InvalidArgumentError("keyphrase '" + Trim(entry) + "': no words");
    k.phrase = item;
    phrases.push_back(std::move(k));
  }
  return phrases;
}

Result<KeywordSpotterOptions> KeywordSpotterOptionsFromConfig(const Config& config) {
  KeywordSpotterOptions options;
  options.model_dir = config.GetString("speech.sphinx.model_dir", options.model_dir);
  ASSIGN_OR_RETURN(double threshold, config.GetDouble("speech.kws.threshold", 1e-20));
  if (!(threshold > 0)) return InvalidArgumentError("speech.kws.threshold: must be positive");
  if (config.Has("speech.kws.phrases")) {
    auto phrases = ParseKeyphrases(config.GetString("speech.kws.phrases", ""), threshold);
    if (!phrases.ok()) return phrases.status().WithPrefix("speech.kws.phrases");
    options.phrases = std::move(*phrases);
  } else {
    for (Keyphrase& k : options.phrases) k.threshold = threshold;
  }
  return options;
}

Result<SphinxKeywordSpotter> SphinxKeywordSpotter::Create(const KeywordSpotterOptions& options,
                                                          const Logger& logger) {
  if (options.phrases.empty()) return InvalidArgumentError("keyword spotter: no phrases");
  TempFile kws_file;
  if (kws_file.path().empty()) return IoError("keyword spotter: cannot create a temporary file");
  {
    std::FILE* f = std::fopen(kws_file.path().c_str(), "w");
    if (f == nullptr) return IoError("keyword spotter: cannot write " + kws_file.path());
    for (const Keyphrase& k : options.phrases) {
      std::fprintf(f, "%s /%g/\n", k.phrase.c_str(), k.threshold);
    }
    std::fclose(f);
  }
  const std::string& dir = options.model_dir;
  std::string dict = dir + "/cmudict-en-us.dict";
  // pocketsphinx's default voice-activity filter drops silent frames before search, so frame
  // numbers would count only the frames it kept and drift early by every pause.
  ASSIGN_OR_RETURN(
      auto decoder,
      internal::SphinxDecoder::Create(
          {{"-hmm", dir + "/en-us"}, {"-dict", dict}, {"-remove_silence", "no"}}, logger));
  // Unknown words make pocketsphinx fail with a log line only; name them here instead.
  for (const Keyphrase& k : options.phrases) {
    std::istringstream words(k.phrase);
    std::string word;
    while (words >> word) {
      char* pron = ps_lookup_word(decoder.get(), word.c_str());
      if (pron == nullptr) {
        return InvalidArgumentError("keyphrase '" + k.phrase + "': '" + word + "' is not in " +
                                    dict);
      }
      std::free(pron);
    }
  }
  if (ps_set_kws(decoder.get(), "kws", kws_file.path().c_str()) < 0 ||
      ps_set_search(decoder.get(), "kws") < 0) {
    return InvalidArgumentError("keyword spotter: pocketsphinx rejected the phrases: " +
                                internal::LastSphinxError());
  }
  return SphinxKeywordSpotter(std::move(decoder), options);
}

Result<std::vector<TriggerHit>> SphinxKeywordSpotter::Spot(const media::AudioBuffer& audio) {
  if (audio.sample_rate_hz != 16000 || audio.channels != 1) {
    return InvalidArgumentError("keyword spotter: audio must be 16000 Hz mono, got " +
                                std::to_string(audio.sample_rate_hz) + " Hz with " +
                                std::to_string(audio.channels) + " channels");
  }
  ps_decoder_t* ps = decoder_.get();
  std::vector<TriggerHit> hits;
  for (const SampleRange& r : SplitAtQuietPoints(audio.samples.data(), audio.samples.size(),
                                                 audio.sample_rate_hz, options_.split)) {
    TimeMs offset_ms = audio.start_ms + static_cast<TimeMs>(r.begin / 16);
    std::vector<std::int16_t> pcm =
        internal::ToInt16(audio.samples.data() + r.begin, r.end - r.begin);
    if (ps_start_utt(ps) < 0) return InternalError("keyword spotter: cannot start an utterance");
    // Fed in 50 ms blocks so detections are collected as they come. The kws search numbers
    // frames from the decoder's first utterance, not from this one's start: frames_done_
    // counts the frames of earlier utterances.
    constexpr std::size_t kBlock = 800;
    std::vector<Detection> detections;
    for (std::size_t at = 0; at < pcm.size(); at += kBlock) {
      std::size_t n = std::min(kBlock, pcm.size() - at);
      if (ps_process_raw(ps, pcm.data() + at, n, FALSE, FALSE) < 0) {
        ps_end_utt(ps);
        return InternalError("keyword spotter: decoding failed at " + FormatClock(offset_ms));
      }
      if (ps_get_hyp(ps, nullptr) == nullptr) continue;
      for (ps_seg_t* seg = ps_seg_iter(ps); seg != nullptr; seg = ps_seg_next(seg)) {
        Detection d;
        d.phrase = Trim(ps_seg_word(seg));
        ps_seg_frames(seg, &d.start_frame, &d.end_frame);
        int32 ascr = 0, lscr = 0, lback = 0;
        d.log_prob = ps_seg_prob(seg, &ascr, &lscr, &lback);
        bool seen = std::any_of(detections.begin(), detections.end(), [&](const Detection& o) {
          return o.phrase == d.phrase && o.start_frame == d.start_frame &&
                 o.end_frame == d.end_frame;
        });
        if (seen) continue;
        d.at_ms = offset_ms + static_cast<TimeMs>(d.start_frame - frames_done_) * 1000 /
                                  internal::kFramesPerSecond;
        d.at_ms = std::max(offset_ms, d.at_ms);
        detections.push_back(std::move(d));
      }
    }
    if (ps_end_utt(ps) < 0) return InternalError("keyword spotter: cannot end an utterance");
    frames_done_ += ps_get_n_frames(ps);
    // Phrases sharing words ("clip that", "clip it") fire on the same speech: of overlapping
    // detections keep the likeliest.
    for (const Detection& d : detections) {
      bool beaten = std::any_of(detections.begin(), detections.end(), [&](const Detection& o) {
        bool overlap = o.start_frame <= d.end_frame && d.start_frame <= o.end_frame;
        return &o != &d && overlap &&
               (o.log_prob > d.log_prob || (o.log_prob == d.log_prob && &o < &d));
      });
      if (!beaten) hits.push_back({d.phrase, d.at_ms});
    }
  }
  std::stable_sort(hits.begin(), hits.end(),
                   [](const TriggerHit& a, const TriggerHit& b) { return a.at_ms < b.at_ms; });
  // Merge repeated detections of one spoken phrase.
  std::vector<TriggerHit> merged;
  for (TriggerHit& h : hits) {
    auto same = std::find_if(merged.rbegin(), merged.rend(), [&](const TriggerHit& m) {
      return m.phrase == h.phrase && h.at_ms - m.at_ms < options_.merge_ms;
    });
    if (same == merged.rend()) merged.push_back(std::move(h));
  }
  return merged;
}

}  // namespace clipthat::speech
