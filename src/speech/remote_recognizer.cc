#include "speech/remote_recognizer.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <optional>

#include "ai/http_client.h"
#include "ai/wav.h"

namespace clipthat::speech {
namespace {

constexpr int kRateHz = 16000;

struct Token {
  std::string text;
  double start_s = 0;
  double end_s = 0;
  std::optional<double> probability;
};

// Punctuation stripped from the ends of a word: ASCII and common UTF-8 marks.
constexpr std::string_view kUtf8Punct[] = {
    "\xe2\x80\xa6", "\xe2\x80\x98", "\xe2\x80\x99", "\xe2\x80\x9c", "\xe2\x80\x9d", "\xe2\x80\x93",
    "\xe2\x80\x94", "\xc2\xbf",     "\xc2\xa1",     "\xc2\xab",     "\xc2\xbb",     "\xe2\x99\xaa",
    "\xe2\x99\xab", "\xe3\x80\x82", "\xe3\x80\x81", "\xef\xbc\x8c"};

std::string_view StripEnds(std::string_view s) {
  bool changed = true;
  while (changed && !s.empty()) {
    changed = false;
    unsigned char f = s.front();
    unsigned char b = s.back();
    if (std::isspace(f) || std::ispunct(f)) {
      s.remove_prefix(1);
      changed = true;
      continue;
    }
    if (std::isspace(b) || std::ispunct(b)) {
      s.remove_suffix(1);
      changed = true;
      continue;
    }
    for (std::string_view p : kUtf8Punct) {
      if (s.starts_with(p)) {
        s.remove_prefix(p.size());
        changed = true;
      } else if (s.ends_with(p)) {
        s.remove_suffix(p.size());
        changed = true;
      }
    }
  }
  return s;
}

// What punctuation written after a word says about it (Word::break_after, sentence_end).
void MarkBreak(std::string_view after, Word& w) {
  constexpr std::string_view kSentenceEnds[] = {
      ".", "!", "?", "\xe2\x80\xa6", "\xe3\x80\x82", "\xef\xbc\x81", "\xef\xbc\x9f"};
  bool any = false;
  for (unsigned char c : after) any = any || (!std::isspace(c) && c != '"' && c != '\'');
  if (!any) return;
  w.break_after = true;
  for (std::string_view end : kSentenceEnds) {
    if (after.find(end) != std::string_view::npos) w.sentence_end = true;
  }
}

bool IsNonSpeechMarker(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  if (s.size() < 2) return false;
  return (s.front() == '[' && s.back() == ']') || (s.front() == '(' && s.back() == ')') ||
         (s.front() == '<' && s.back() == '>') || (s.front() == '*' && s.back() == '*');
}

// Lower-case ASCII letters; other bytes (UTF-8) are kept as they are.
std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Result<std::vector<Token>> ReadTokens(const nlohmann::json& list, std::string_view where,
                                      std::string_view url) {
  std::vector<Token> tokens;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const nlohmann::json& item = list[i];
    const std::string at =
        std::string(url) + ": " + std::string(where) + "[" + std::to_string(i) + "]";
    if (!item.is_object()) return DataError(at + " is not an object");
    const nlohmann::json* text = nullptr;
    if (item.contains("word") && item["word"].is_string()) {
      text = &item["word"];
    } else if (item.contains("text") && item["text"].is_string()) {
      text = &item["text"];
    } else {
      return DataError(at + " has no \"word\" string");
    }
    if (!item.contains("start") || !item["start"].is_number() || !item.contains("end") ||
        !item["end"].is_number()) {
      return DataError(at + " has no numeric \"start\" and \"end\" (seconds)");
    }
    Token t;
    t.text = text->get<std::string>();
    t.start_s = item["start"].get<double>();
    t.end_s = item["end"].get<double>();
    if (!std::isfinite(t.start_s) || !std::isfinite(t.end_s)) {
      return DataError(at + " has a time that is not finite");
    }
    if (item.contains("probability") && item["probability"].is_number()) {
      t.probability = std::clamp(item["probability"].get<double>(), 0.0, 1.0);
    }
    tokens.push_back(std::move(t));
  }
  return tokens;
}

// Joins sub-word tokens (whisper.cpp) into words when the list marks word starts with a
// leading space, then cleans each word.
void AppendWords(const std::vector<Token>& tokens, TimeMs offset_ms, std::vector<Word>& out) {
  const bool spaced = std::any_of(tokens.begin(), tokens.end(), [](const Token& t) {
    return !t.text.empty() && std::isspace(static_cast<unsigned char>(t.text.front()));
  });
  struct Pending {
    std::string text;
    double start_s, end_s, probability_sum;
    int probability_count;
  };
  std::vector<Pending> joined;
  for (const Token& t : tokens) {
    const bool continues = spaced && !joined.empty() && !t.text.empty() &&
                           !std::isspace(static_cast<unsigned char>(t.text.front()));
    if (!continues) joined.push_back({"", t.start_s, t.end_s, 0.0, 0});
    Pending& p = joined.back();
    p.text += t.text;
    p.end_s = std::max(p.end_s, t.end_s);
    if (t.probability) {
      p.probability_sum += *t.probability;
      ++p.probability_count;
    }
  }
  for (const Pending& p : joined) {
    if (IsNonSpeechMarker(p.text)) continue;
    std::string_view core = StripEnds(p.text);
    if (core.empty()) {
      // Punctuation on its own ("..." as a word of its own): it follows the word before.
      if (!out.empty()) MarkBreak(p.text, out.back());
      continue;
    }
    Word w;
    w.text = Lower(core);
    w.start_ms = offset_ms + std::max<TimeMs>(0, SecondsToMs(p.start_s));
    w.end_ms = std::max(w.start_ms, offset_ms + SecondsToMs(p.end_s));
    w.confidence = p.probability_count > 0 ? p.probability_sum / p.probability_count : 1.0;
    const std::size_t core_end =
        static_cast<std::size_t>(core.data() - p.text.data()) + core.size();
    MarkBreak(std::string_view(p.text).substr(core_end), w);
    out.push_back(std::move(w));
  }
}

// Spreads a segment's words over its time by their length in characters.
void AppendEstimatedWords(const nlohmann::json& segment, TimeMs offset_ms, std::vector<Word>& out) {
  const std::string text = segment["text"].get<std::string>();
  const double start_s = segment["start"].get<double>();
  const double end_s = std::max(start_s, segment["end"].get<double>());
  std::vector<std::string> parts;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t b = text.find_first_not_of(" \t\r\n", pos);
    if (b == std::string::npos) break;
    std::size_t e = text.find_first_of(" \t\r\n", b);
    if (e == std::string::npos) e = text.size();
    parts.push_back(text.substr(b, e - b));
    pos = e;
  }
  std::size_t total = 0;
  for (const auto& p : parts) total += p.size();
  double t = start_s;
  for (const auto& p : parts) {
    const double d = total > 0 ? (end_s - start_s) * static_cast<double>(p.size()) / total : 0;
    std::vector<Token> one = {{" " + p, t, t + d, std::nullopt}};
    AppendWords(one, offset_ms, out);
    t += d;
  }
}

bool HasText(const nlohmann::json& answer) {
  auto it = answer.find("text");
  if (it == answer.end() || !it->is_string()) return false;
  const std::string& s = it->get_ref<const std::string&>();
  return std::any_of(s.begin(), s.end(), [](unsigned char c) { return !std::isspace(c); });
}

class RemoteRecognizer final : public SpeechRecognizer {
 public:
  RemoteRecognizer(ai::HttpClient http, std::string model, std::string path, std::string language,
                   TimeMs chunk_ms, Logger log)
      : http_(std::move(http)),
        model_(std::move(model)),
        path_(std::move(path)),
        language_(std::move(language)),
        chunk_ms_(chunk_ms),
        log_(std::move(log)) {}

  std::string_view name() const override { return "remote"; }

  Result<std::vector<Word>> Transcribe(const media::AudioBuffer& audio) override {
    if (audio.sample_rate_hz != kRateHz || audio.channels != 1) {
      return InvalidArgumentError("remote speech recognizer: needs 16000 Hz mono audio, got " +
                                  std::to_string(audio.sample_rate_hz) + " Hz with " +
                                  std::to_string(audio.channels) + " channels");
    }
    std::vector<Word> words;
    const std::size_t frames = audio.frame_count();
    const std::size_t chunk_frames = static_cast<std::size_t>(chunk_ms_) * kRateHz / 1000;
    std::size_t begin = 0;
    while (begin < frames) {
      std::size_t end = frames - begin > chunk_frames
                            ? QuietCut(audio, begin + chunk_frames / 2, begin + chunk_frames)
                            : frames;
      media::AudioBuffer piece;
      piece.start_ms = audio.start_ms + static_cast<TimeMs>(begin * 1000 / kRateHz);
      piece.samples.assign(audio.samples.begin() + static_cast<std::ptrdiff_t>(begin),
                           audio.samples.begin() + static_cast<std::ptrdiff_t>(end));
      auto piece_words = TranscribePiece(piece);
      if (!piece_words.ok()) {
        return piece_words.status().WithPrefix("transcribing " + FormatClock(piece.start_ms) + "-" +
                                               FormatClock(piece.start_ms + piece.duration_ms()));
      }
      words.insert(words.end(), piece_words->begin(), piece_words->end());
      begin = end;
    }
    return words;
  }

 private:
  // The middle of the quietest 50 ms frame in the last 10 s before `target` (and after
  // `earliest`), so that no word is cut in half.
  static std::size_t QuietCut(const media::AudioBuffer& audio, std::size_t earliest,
                              std::size_t target) {
    constexpr std::size_t kFrame = kRateHz / 20;
    constexpr std::size_t kSearch = kRateHz * 10;
    std::size_t best = target;
    double best_energy = INFINITY;
    for (std::size_t at = std::max(earliest, target >= kSearch ? target - kSearch : 0);
         at + kFrame <= target; at += kFrame) {
      double energy = 0;
      for (std::size_t i = at; i < at + kFrame; ++i) energy += audio.samples[i] * audio.samples[i];
      if (energy < best_energy) {
        best_energy = energy;
        best = at + kFrame / 2;
      }
    }
    return std::max<std::size_t>(best, 1);
  }

  Result<std::vector<Word>> TranscribePiece(const media::AudioBuffer& piece) const {
    ASSIGN_OR_RETURN(std::string wav, ai::EncodeWav16(piece));
    std::vector<ai::FormPart> parts = {{"file", std::move(wav), "audio.wav", "audio/wav"},
                                       {"model", model_, "", ""},
                                       {"response_format", "verbose_json", "", ""},
                                       {"timestamp_granularities[]", "word", "", ""}};
    if (!language_.empty()) parts.push_back({"language", language_, "", ""});
    const std::string url = http_.UrlFor(path_);
    Stopwatch watch;
    ASSIGN_OR_RETURN(ai::HttpResponse response, http_.PostMultipart(path_, parts));
    ASSIGN_OR_RETURN(nlohmann::json answer, ai::ParseJsonAnswer(response, url));
    bool estimated = false;
    ASSIGN_OR_RETURN(std::vector<Word> words,
                     ParseTranscriptionAnswer(answer, piece.start_ms, url, &estimated));
    if (estimated) {
      CT_LOG(log_, kWarn) << url << " gave no word timestamps; word times are estimated from "
                          << "segments (captions may drift)";
    }
    CT_LOG(log_, kDebug) << url << ": " << words.size() << " words for " << piece.duration_ms()
                         << " ms of audio in " << watch.ElapsedMs() << " ms";
    return words;
  }

  ai::HttpClient http_;
  std::string model_;
  std::string path_;
  std::string language_;
  TimeMs chunk_ms_;
  Logger log_;
};

}  // namespace

Result<std::vector<Word>> ParseTranscriptionAnswer(const nlohmann::json& answer, TimeMs offset_ms,
                                                   std::string_view url, bool* estimated) {
  const std::string u(url);
  if (estimated != nullptr) *estimated = false;
  if (!answer.is_object()) return DataError(u + ": answer is not a JSON object");
  if (auto err = answer.find("error"); err != answer.end() && !err->is_null()) {
    return DataError(u + ": server reported an error: " + err->dump().substr(0, 200));
  }
  std::vector<Word> words;
  auto top = answer.find("words");
  if (top != answer.end() && !top->is_array() && !top->is_null()) {
    return DataError(u + ": \"words\" is not an array");
  }
  if (top != answer.end() && top->is_array() && !top->empty()) {  // shape A
    ASSIGN_OR_RETURN(std::vector<Token> tokens, ReadTokens(*top, "words", url));
    AppendWords(tokens, offset_ms, words);
  } else if (auto segments = answer.find("segments");
             segments != answer.end() && segments->is_array() && !segments->empty()) {
    bool any_words = false;
    for (const auto& s : *segments) {
      any_words = any_words || (s.is_object() && s.contains("words") && s["words"].is_array() &&
                                !s["words"].empty());
    }
    for (std::size_t i = 0; i < segments->size(); ++i) {
      const nlohmann::json& s = (*segments)[i];
      const std::string where = "segments[" + std::to_string(i) + "]";
      if (!s.is_object()) return DataError(u + ": " + where + " is not an object");
      if (any_words) {  // shape B
        if (!s.contains("words") || !s["words"].is_array()) continue;
        ASSIGN_OR_RETURN(std::vector<Token> tokens, ReadTokens(s["words"], where + ".words", url));
        AppendWords(tokens, offset_ms, words);
      } else {  // shape C
        if (!s.contains("text") || !s["text"].is_string() || !s.contains("start") ||
            !s["start"].is_number() || !s.contains("end") || !s["end"].is_number()) {
          return DataError(u + ": " + where + " has neither words nor text with start and end");
        }
        AppendEstimatedWords(s, offset_ms, words);
        if (estimated != nullptr) *estimated = true;
      }
    }
  } else if (HasText(answer)) {
    return DataError(u +
                     ": the answer has text but no word timestamps (the server must support "
                     "response_format=verbose_json with timestamp_granularities[]=word)");
  } else if (!answer.contains("text") && top == answer.end() && !answer.contains("segments")) {
    return DataError(u + ": not a transcription: no \"text\", \"words\" or \"segments\"");
  }
  std::stable_sort(words.begin(), words.end(),
                   [](const Word& a, const Word& b) { return a.start_ms < b.start_ms; });
  return words;
}

Result<std::unique_ptr<SpeechRecognizer>> MakeRemoteRecognizer(const Config& config, Logger log) {
  ai::HttpOptions http;
  http.base_url = config.GetString("speech.remote.base_url", "");
  if (http.base_url.empty()) {
    return InvalidArgumentError(
        "speech.remote.base_url is not set: the remote speech backend needs the URL of an "
        "OpenAI-compatible transcription server (e.g. http://127.0.0.1:8080)");
  }
  http.api_key = config.GetString("speech.remote.api_key", "");
  std::string model = config.GetString("speech.remote.model", "whisper-1");
  std::string path = config.GetString("speech.remote.path", "/v1/audio/transcriptions");
  std::string language = config.GetString("speech.remote.language", "");
  ASSIGN_OR_RETURN(long long timeout_ms, config.GetInt("speech.remote.timeout_ms", 60000));
  ASSIGN_OR_RETURN(long long retries, config.GetInt("speech.remote.retries", 2));
  ASSIGN_OR_RETURN(long long backoff_ms, config.GetInt("speech.remote.backoff_ms", 500));
  ASSIGN_OR_RETURN(long long chunk_ms, config.GetInt("speech.remote.chunk_ms", 600000));
  auto out_of_range = [](std::string_view key, long long v, long long lo, long long hi) {
    return InvalidArgumentError(std::string(key) + " must be from " + std::to_string(lo) + " to " +
                                std::to_string(hi) + ", not " + std::to_string(v));
  };
  if (timeout_ms < 1 || timeout_ms > 3600000) {
    return out_of_range("speech.remote.timeout_ms", timeout_ms, 1, 3600000);
  }
  if (retries < 0 || retries > 10) return out_of_range("speech.remote.retries", retries, 0, 10);
  if (backoff_ms < 0 || backoff_ms > 60000) {
    return out_of_range("speech.remote.backoff_ms", backoff_ms, 0, 60000);
  }
  if (chunk_ms < 10000 || chunk_ms > 3600000) {
    return out_of_range("speech.remote.chunk_ms", chunk_ms, 10000, 3600000);
  }
  http.timeout_ms = static_cast<int>(timeout_ms);
  http.connect_timeout_ms = static_cast<int>(std::min<long long>(timeout_ms, 10000));
  http.retries = static_cast<int>(retries);
  http.backoff_ms = static_cast<int>(backoff_ms);
  auto client = ai::HttpClient::Create(std::move(http));
  if (!client.ok()) return client.status().WithPrefix("speech.remote.base_url");
  return std::unique_ptr<SpeechRecognizer>(
      std::make_unique<RemoteRecognizer>(std::move(*client), std::move(model), std::move(path),
                                         std::move(language), chunk_ms, std::move(log)));
}

}  // namespace clipthat::speech
