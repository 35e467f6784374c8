// Internal to src/speech: the vocabulary the trigger verifier decodes with, and a temporary
// file for the model text pocketsphinx reads from files only.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace clipthat::speech::internal {

// Dictionary lines (cmudict format) for the verifier: the `common_words` most frequent words
// of the language model (the competition a phrase meets in ordinary talk), every word of the
// phrases, and every dictionary word that sounds like a phrase word (one phone changed, added
// or removed: "flip", "lip", "ship", "clips") or starts with one ("clipboard", "clipped").
// Alternate pronunciations are kept. InvalidArgument names a phrase word missing from `dict`;
// NotFound a missing file.
Result<std::string> CompetingVocabulary(const std::string& dict, const std::string& lm,
                                        const std::vector<std::vector<std::string>>& phrases,
                                        int common_words);

// A file under the temp folder, removed on destruction.
class TempFile {
 public:
  explicit TempFile(std::string_view prefix);
  ~TempFile();
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  // Replaces the contents. IoError when the file could not be made or written.
  Status Write(std::string_view text);
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace clipthat::speech::internal
