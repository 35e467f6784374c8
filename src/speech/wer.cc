#include "speech/wer.h"

#include <algorithm>
#include <cctype>

namespace clipthat::speech {

std::vector<std::string> NormalizeWords(std::string_view text) {
  std::vector<std::string> words;
  std::string current;
  auto flush = [&] {
    while (!current.empty() && current.back() == '\'') current.pop_back();
    if (!current.empty()) words.push_back(std::move(current));
    current.clear();
  };
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c >= 0x80) {  // bytes of UTF-8 letters are kept as they are
      current.push_back(static_cast<char>(std::tolower(c)));
    } else if (c == '\'' && !current.empty()) {
      current.push_back('\'');
    } else {
      flush();
    }
  }
  flush();
  return words;
}

double WerCounts::rate() const {
  if (reference_words == 0) return static_cast<double>(insertions);
  return static_cast<double>(errors()) / reference_words;
}

WerCounts& WerCounts::operator+=(const WerCounts& other) {
  substitutions += other.substitutions;
  deletions += other.deletions;
  insertions += other.insertions;
  reference_words += other.reference_words;
  return *this;
}

WerCounts CountWordErrors(const std::vector<std::string>& reference,
                          const std::vector<std::string>& hypothesis) {
  const std::size_t n = reference.size(), m = hypothesis.size();
  // cost[i][j]: edits turning reference[0..i) into hypothesis[0..j); full table for backtrace.
  std::vector<std::vector<int>> cost(n + 1, std::vector<int>(m + 1, 0));
  for (std::size_t i = 0; i <= n; ++i) cost[i][0] = static_cast<int>(i);
  for (std::size_t j = 0; j <= m; ++j) cost[0][j] = static_cast<int>(j);
  for (std::size_t i = 1; i <= n; ++i) {
    for (std::size_t j = 1; j <= m; ++j) {
      int sub = cost[i - 1][j - 1] + (reference[i - 1] == hypothesis[j - 1] ? 0 : 1);
      cost[i][j] = std::min({sub, cost[i - 1][j] + 1, cost[i][j - 1] + 1});
    }
  }
  WerCounts counts;
  counts.reference_words = static_cast<int>(n);
  std::size_t i = n, j = m;
  while (i > 0 || j > 0) {
    if (i > 0 && j > 0 &&
        cost[i][j] == cost[i - 1][j - 1] + (reference[i - 1] == hypothesis[j - 1] ? 0 : 1)) {
      if (reference[i - 1] != hypothesis[j - 1]) ++counts.substitutions;
      --i;
      --j;
    } else if (i > 0 && cost[i][j] == cost[i - 1][j] + 1) {
      ++counts.deletions;
      --i;
    } else {
      ++counts.insertions;
      --j;
    }
  }
  return counts;
}

double WordErrorRate(std::string_view reference, std::string_view hypothesis) {
  return CountWordErrors(NormalizeWords(reference), NormalizeWords(hypothesis)).rate();
}

}  // namespace clipthat::speech
