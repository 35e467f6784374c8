#include "speech/trigger_vocabulary.h"

#include <sphinxbase/err.h>
#include <sphinxbase/ngram_model.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "speech/sphinx_decoder.h"

namespace clipthat::speech::internal {
namespace {

using Phones = std::vector<std::string>;

int EditDistance(const Phones& a, const Phones& b) {
  std::vector<int> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = static_cast<int>(j);
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = static_cast<int>(i);
    for (std::size_t j = 1; j <= b.size(); ++j) {
      cur[j] =
          std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string BaseWord(const std::string& entry) {
  const auto paren = entry.find('(');
  return paren == std::string::npos ? entry : entry.substr(0, paren);
}

}  // namespace

Result<std::string> CompetingVocabulary(const std::string& dict, const std::string& lm,
                                        const std::vector<std::vector<std::string>>& phrases,
                                        int common_words) {
  std::ifstream in(dict);
  if (!in) return NotFoundError("pocketsphinx model: " + dict + ": cannot read");
  // word -> its dictionary lines; word -> pronunciations.
  std::map<std::string, std::string> lines;
  std::map<std::string, std::vector<Phones>> prons;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream f(line);
    std::string entry;
    if (!(f >> entry)) continue;
    const std::string word = BaseWord(entry);
    Phones p;
    std::string phone;
    while (f >> phone) p.push_back(phone);
    lines[word] += line + "\n";
    prons[word].push_back(std::move(p));
  }
  std::set<std::string> keep;
  std::vector<Phones> targets;
  for (const auto& words : phrases) {
    for (const std::string& w : words) {
      auto it = prons.find(w);
      if (it == prons.end()) {
        std::string phrase;
        for (const std::string& x : words) phrase += (phrase.empty() ? "" : " ") + x;
        return InvalidArgumentError("trigger phrase '" + phrase + "': '" + w + "' is not in " +
                                    dict);
      }
      keep.insert(w);
      for (const Phones& p : it->second) {
        if (p.size() >= 3) targets.push_back(p);  // "it", "a": too short to have sound-alikes
      }
    }
  }
  for (const auto& [word, list] : prons) {
    for (const Phones& p : list) {
      for (const Phones& t : targets) {
        const bool prefix = p.size() > t.size() && std::equal(t.begin(), t.end(), p.begin());
        if (prefix || EditDistance(p, t) <= 1) keep.insert(word);
      }
    }
  }
  // The most frequent words of the language model.
  if (common_words > 0) {
    if (!std::filesystem::exists(lm)) return NotFoundError("pocketsphinx model: " + lm);
    logmath_t* lmath = logmath_init(1.0001, 0, 0);
    ngram_model_t* model = ngram_model_read(nullptr, lm.c_str(), NGRAM_AUTO, lmath);
    if (model == nullptr) {
      logmath_free(lmath);
      return DataError("pocketsphinx model: " + lm + ": cannot read: " + LastSphinxError());
    }
    const int count = static_cast<int>(ngram_model_get_counts(model)[0]);
    std::vector<std::pair<int, std::string>> scored;
    for (int wid = 0; wid < count; ++wid) {
      const char* w = ngram_word(model, wid);
      if (w == nullptr || prons.find(w) == prons.end()) continue;
      int32 used = 0;
      scored.emplace_back(-ngram_ng_score(model, wid, nullptr, 0, &used), w);
    }
    ngram_model_free(model);
    logmath_free(lmath);
    const std::size_t n = std::min(scored.size(), static_cast<std::size_t>(common_words));
    std::partial_sort(scored.begin(), scored.begin() + static_cast<std::ptrdiff_t>(n),
                      scored.end());
    for (std::size_t i = 0; i < n; ++i) keep.insert(scored[i].second);
  }
  std::string out;
  for (const std::string& w : keep) out += lines[w];
  return out;
}

TempFile::TempFile(std::string_view prefix) {
  std::string pattern =
      (std::filesystem::temp_directory_path() / (std::string(prefix) + "-XXXXXX")).string();
  const int fd = mkstemp(pattern.data());
  if (fd >= 0) {
    ::close(fd);
    path_ = pattern;
  }
}

TempFile::~TempFile() {
  if (!path_.empty()) std::remove(path_.c_str());
}

Status TempFile::Write(std::string_view text) {
  if (path_.empty()) return IoError("cannot create a temporary file");
  std::ofstream out(path_, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.close();
  if (!out) return IoError(path_ + ": cannot write");
  return Status::Ok();
}

}  // namespace clipthat::speech::internal
