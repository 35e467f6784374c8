#include "analysis/stages/boundaries_stage.h"

#include <algorithm>

#include "analysis/stages/slots.h"

namespace clipthat::analysis {

Status BoundariesStage::run(pipeline::Context& ctx) {
  ASSIGN_OR_RETURN(const media::ProbeInfo* probe, ctx.Get(kProbeSlot));
  ASSIGN_OR_RETURN(std::vector<Moment> * moments, ctx.Get(kMomentsSlot));
  static const std::vector<TimeRange> kNone;
  const std::vector<TimeRange>* silences = &kNone;
  if (ctx.Has(kSilencesSlot)) {
    ASSIGN_OR_RETURN(silences, ctx.Get(kSilencesSlot));
  }
  for (Moment& m : *moments) {
    const TimeRange r = SnapBoundaries(m, *silences, probe->duration_ms, options_);
    m.start_ms = r.start_ms;
    m.end_ms = r.end_ms;
    std::erase_if(m.words, [&m](const MomentWord& w) {
      return w.start_ms < m.start_ms || w.end_ms > m.end_ms;
    });
  }
  ctx.ReportProgress(1.0);
  return Status::Ok();
}

}  // namespace clipthat::analysis
