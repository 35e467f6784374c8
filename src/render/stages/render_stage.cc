#include "render/stages/render_stage.h"

#include <cstdio>
#include <filesystem>

#include "analysis/stages/slots.h"
#include "core/files.h"

namespace clipthat::render {

std::string ClipFileName(int index) {
  char name[32];
  std::snprintf(name, sizeof name, "clip-%02d.mp4", index + 1);
  return name;
}

Status RenderStage::run(pipeline::Context& ctx) {
  ASSIGN_OR_RETURN(const RenderInput* input, ctx.Get(kRenderInputSlot));
  ASSIGN_OR_RETURN(const std::vector<analysis::Moment>* moments, ctx.Get(analysis::kMomentsSlot));
  RETURN_IF_ERROR(EnsureDirectory(input->out_dir));

  std::vector<ClipResult> results;
  const int count = static_cast<int>(moments->size());
  int failed = 0;
  for (int i = 0; i < count; ++i) {
    const analysis::Moment& m = (*moments)[i];
    ClipResult r;
    r.moment_id = m.id;
    r.path = (std::filesystem::path(input->out_dir) / ClipFileName(i)).string();
    RenderHooks hooks;
    hooks.progress = [&ctx, i, count](double f) { ctx.ReportProgress((i + f) / count); };
    hooks.cancelled = [&ctx] { return ctx.cancelled(); };
    Stopwatch clock;
    auto frames =
        RenderClip({input->vod_path, m.start_ms, m.end_ms, r.path}, options_.render, hooks);
    r.seconds = clock.ElapsedSeconds();
    if (frames.ok()) {
      r.frames = *frames;
      CT_LOG(ctx.logger(), kInfo) << r.path << ": " << r.frames << " frames in " << r.seconds
                                  << " s";
    } else {
      r.status = frames.status();
      ++failed;
      CT_LOG(ctx.logger(), kWarn) << r.path << ": " << r.status.message();
    }
    if (options_.on_clip_done) options_.on_clip_done(r, i, count);
    const bool cancelled = r.status.code() == StatusCode::kCancelled;
    results.push_back(std::move(r));
    if (cancelled) {
      Status st = results.back().status;
      ctx.Set(kClipResultsSlot, std::move(results));
      return st;
    }
    ctx.ReportProgress(static_cast<double>(i + 1) / count);
  }
  ctx.Set(kClipResultsSlot, std::move(results));
  if (count > 0 && failed == count) {
    ASSIGN_OR_RETURN(const std::vector<ClipResult>* all, ctx.Get(kClipResultsSlot));
    const Status& first = all->front().status;
    return Status(first.code(), "all " + std::to_string(count) +
                                    " clips failed, the first with: " + first.message());
  }
  return Status::Ok();
}

}  // namespace clipthat::render
