// titles: a title for every moment: the LLM title when the caller configured one and it
// answers, the extractive title (analysis/titles.h) otherwise. A failing LLM is logged and
// never fails the analysis.
#pragma once

#include <functional>
#include <string>

#include "analysis/moment.h"
#include "analysis/titles.h"
#include "core/result.h"
#include "pipeline/stage.h"

namespace clipthat::analysis {

struct TitlesStageOptions {
  TitleOptions extractive{};
  // Optional: writes a title with a language model, given the moment (words, evidence) and
  // the extractive title as a hint. Empty function: extractive titles only.
  std::function<Result<std::string>(const Moment&, const std::string& extractive)> llm_title;
};

class TitlesStage final : public pipeline::Stage {
 public:
  explicit TitlesStage(TitlesStageOptions options = {}) : options_(std::move(options)) {}
  std::string_view name() const override { return "titles"; }
  double weight() const override { return options_.llm_title ? 0.2 : 0.01; }
  // Reads kChatLogSlot (optional); updates kMomentsSlot.
  Status run(pipeline::Context& ctx) override;

 private:
  TitlesStageOptions options_;
};

}  // namespace clipthat::analysis
