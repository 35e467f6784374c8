#include "render/stages/render_stage.h"

#include <cstdio>
#include <filesystem>

#include "core/files.h"

namespace clipthat::render {

std::string ClipFileName(int index) {
  char name[32];
  std::snprintf(name, sizeof name, "clip-%02d.mp4", index + 1);
  return name;
}

Status RenderStage::run(pipeline::Context& ctx) {
  ASSIGN_OR_RETURN(const RenderInput* input, ctx.Get(kRenderInputSlot));
  ASSIGN_OR_RETURN(const std::vector<formats::EditList>* edits, ctx.Get(kEditListsSlot));
  RETURN_IF_ERROR(EnsureDirectory(input->out_dir));
  RenderSettings settings = options_.settings;
  settings.logger = ctx.logger();

  const int count = static_cast<int>(edits->size());
  std::vector<ClipResult> results(count);
  std::vector<RenderJob> jobs;
  std::vector<int> job_clip;  // job -> clip index
  for (int i = 0; i < count; ++i) {
    ClipResult& r = results[i];
    r.index = i;
    r.moment_id = (*edits)[i].moment_id.value_or(0);
    r.path = (std::filesystem::path(input->out_dir) / ClipFileName(i)).string();
    const std::string origin = std::filesystem::path(r.path).stem().string();
    // Every clip is checked before any renders.
    r.status = ValidateEditList((*edits)[i], origin, settings);
    if (r.status.ok()) {
      jobs.push_back({(*edits)[i], origin, r.path});
      job_clip.push_back(i);
    } else {
      CT_LOG(ctx.logger(), kWarn) << r.status.message();
      if (options_.on_clip_done) options_.on_clip_done(r, count);
    }
  }

  std::vector<double> fractions(jobs.size(), 0.0);
  RenderPoolHooks hooks;
  hooks.progress = [&](int job, double f) {
    fractions[job] = f;
    double sum = count - static_cast<int>(jobs.size());  // failed validation: done
    for (double x : fractions) sum += x;
    ctx.ReportProgress(sum / std::max(1, count));
  };
  hooks.cancelled = [&ctx] { return ctx.cancelled(); };
  hooks.on_done = [&](int job, const Result<RenderResult>& rendered) {
    ClipResult& r = results[job_clip[job]];
    if (rendered.ok()) {
      r.render = *rendered;
      CT_LOG(ctx.logger(), kInfo) << r.path << ": " << r.render.frames << " frames, layout "
                                  << reframe::LayoutName(r.render.layout) << ", "
                                  << r.render.encoder << ", " << r.render.seconds << " s";
    } else {
      r.status = rendered.status();
      CT_LOG(ctx.logger(), kWarn) << r.status.message();
    }
    if (options_.on_clip_done) options_.on_clip_done(r, count);
  };
  RenderAll(jobs, settings, options_.pool, hooks);

  int failed = 0;
  const ClipResult* first_failure = nullptr;
  for (const ClipResult& r : results) {
    if (r.status.ok()) continue;
    ++failed;
    if (first_failure == nullptr) first_failure = &r;
    if (r.status.code() == StatusCode::kCancelled) {
      Status st = r.status;
      ctx.Set(kClipResultsSlot, std::move(results));
      return st;
    }
  }
  Status overall = Status::Ok();
  if (count > 0 && failed == count) {
    overall = Status(first_failure->status.code(),
                     "all " + std::to_string(count) +
                         " clips failed, the first with: " + first_failure->status.message());
  }
  ctx.Set(kClipResultsSlot, std::move(results));
  return overall;
}

}  // namespace clipthat::render
