#include "analysis/stages/trigger_scan_stage.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <mutex>
#include <thread>

#include "analysis/stages/slots.h"
#include "media/audio_decoder.h"

namespace clipthat::analysis {

// Decodes the VOD's audio on a thread and spots triggers in it.
class TriggerScanJob {
 public:
  TriggerScanJob(std::string path, TimeMs duration_ms, speech::KeywordSpotter* spotter,
                 TriggerScanOptions options, Logger logger)
      : path_(std::move(path)),
        duration_ms_(std::max<TimeMs>(1, duration_ms)),
        spotter_(spotter),
        options_(options),
        logger_(std::move(logger)) {
    thread_ = std::thread([this] { Run(); });
  }
  TriggerScanJob(const TriggerScanJob&) = delete;
  TriggerScanJob& operator=(const TriggerScanJob&) = delete;
  ~TriggerScanJob() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }

  double progress() const { return progress_.load(); }
  bool done() const { return done_.load(); }
  void Stop() { stop_ = true; }
  // Waits for the scan; its result.
  Result<std::vector<speech::TriggerHit>> Wait() {
    if (thread_.joinable()) thread_.join();
    if (!status_.ok()) return status_;
    return std::move(hits_);
  }

 private:
  void Run() {
    status_ = Scan();
    done_ = true;
  }

  Status Scan() {
    ASSIGN_OR_RETURN(
        auto decoder,
        media::AudioDecoder::Open(
            path_, {.sample_rate_hz = 16000, .channels = 1, .chunk_ms = options_.chunk_ms}));
    speech::KeywordSpotter* streaming = spotter_->streams() ? spotter_ : nullptr;
    media::AudioBuffer chunk;
    media::AudioBuffer block;  // for a spotter that does not stream
    auto add = [&](std::vector<speech::TriggerHit> hits) {
      for (speech::TriggerHit& h : hits) hits_.push_back(std::move(h));
    };
    auto flush_block = [&]() -> Status {
      if (block.samples.empty()) return Status::Ok();
      ASSIGN_OR_RETURN(auto hits, spotter_->Spot(block));
      add(std::move(hits));
      block.samples.clear();
      return Status::Ok();
    };
    while (true) {
      if (stop_) return CancelledError("trigger scan cancelled");
      ASSIGN_OR_RETURN(bool more, decoder.Next(&chunk));
      if (!more) break;
      progress_ =
          std::min(1.0, static_cast<double>(chunk.start_ms + chunk.duration_ms()) / duration_ms_);
      double energy = 0;
      for (float s : chunk.samples) energy += static_cast<double>(s) * s;
      const bool silent =
          chunk.samples.empty() ||
          std::sqrt(energy / static_cast<double>(chunk.samples.size())) < options_.silence_rms;
      if (silent) continue;  // the spotter sees a gap and ends its stretch there
      if (streaming != nullptr) {
        RETURN_IF_ERROR(streaming->Push(chunk));
        add(streaming->TakeTriggers());
        continue;
      }
      if (!block.samples.empty() && (chunk.start_ms != block.start_ms + block.duration_ms() ||
                                     block.duration_ms() >= 30000)) {
        RETURN_IF_ERROR(flush_block());
      }
      if (block.samples.empty()) block.start_ms = chunk.start_ms;
      block.samples.insert(block.samples.end(), chunk.samples.begin(), chunk.samples.end());
    }
    if (streaming != nullptr) {
      RETURN_IF_ERROR(streaming->Finish());
      add(streaming->TakeTriggers());
    } else {
      RETURN_IF_ERROR(flush_block());
    }
    std::stable_sort(hits_.begin(), hits_.end(),
                     [](const auto& a, const auto& b) { return a.at_ms < b.at_ms; });
    CT_LOG(logger_, kInfo) << "trigger scan: " << hits_.size() << " verified trigger(s)";
    return Status::Ok();
  }

  std::string path_;
  double duration_ms_;
  speech::KeywordSpotter* spotter_;
  TriggerScanOptions options_;
  Logger logger_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> done_{false};
  std::atomic<double> progress_{0.0};
  Status status_;
  std::vector<speech::TriggerHit> hits_;
  std::thread thread_;  // last: started once everything above exists
};

Status TriggerScanStage::run(pipeline::Context& ctx) {
  if (spotter_ == nullptr || !options_.whole_vod) return Status::Ok();
  ASSIGN_OR_RETURN(const AnalysisInput* input, ctx.Get(kAnalysisInputSlot));
  if (input->vod_path.empty()) return Status::Ok();  // chat-only analysis
  ASSIGN_OR_RETURN(const media::ProbeInfo* probe, ctx.Get(kProbeSlot));
  if (probe->audio() == nullptr) return Status::Ok();
  ctx.Set(kTriggerScanJobSlot, std::make_shared<TriggerScanJob>(input->vod_path, probe->duration_ms,
                                                                spotter_, options_, ctx.logger()));
  return Status::Ok();
}

std::vector<Moment> TriggerMoments(const std::vector<MomentTrigger>& triggers,
                                   const std::vector<Moment>& moments, TimeMs duration_ms,
                                   const TriggerScanOptions& options) {
  std::vector<Moment> out;
  auto covered = [&](TimeMs t, const std::vector<Moment>& list) {
    return std::any_of(list.begin(), list.end(), [&](const Moment& m) {
      return t >= m.start_ms && t < m.end_ms + options.trigger_lead_ms;
    });
  };
  for (const MomentTrigger& t : triggers) {
    if (covered(t.time_ms, moments) || covered(t.time_ms, out)) continue;
    Moment m;
    m.peak_ms = std::clamp<TimeMs>(t.time_ms - options.trigger_lead_ms, 0, duration_ms);
    const TimeRange w = MomentWindow(m.peak_ms, duration_ms, options.window);
    m.start_ms = w.start_ms;
    m.end_ms = std::max(w.end_ms, std::min(duration_ms, t.time_ms + 2000));
    m.title = PlaceholderTitle(m.peak_ms);
    m.triggers.push_back(t);
    out.push_back(std::move(m));
  }
  return out;
}

Status TriggersStage::run(pipeline::Context& ctx) {
  if (!ctx.Has(kTriggerScanJobSlot)) return Status::Ok();
  ASSIGN_OR_RETURN(std::shared_ptr<TriggerScanJob> * job_slot, ctx.Get(kTriggerScanJobSlot));
  std::shared_ptr<TriggerScanJob> job = *job_slot;
  while (!job->done()) {
    if (ctx.cancelled()) {
      job->Stop();
      return CancelledError("trigger scan cancelled");
    }
    ctx.ReportProgress(job->progress());
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSIGN_OR_RETURN(const AnalysisInput* input, ctx.Get(kAnalysisInputSlot));
  auto hits = job->Wait();
  if (!hits.ok()) return hits.status().WithPrefix(input->vod_path);
  std::vector<MomentTrigger> triggers;
  for (const speech::TriggerHit& h : *hits) {
    triggers.push_back({"phrase", h.phrase, h.at_ms, h.confidence});
  }
  if (ctx.Has(kMomentsSlot)) {
    ASSIGN_OR_RETURN(const media::ProbeInfo* probe, ctx.Get(kProbeSlot));
    ASSIGN_OR_RETURN(std::vector<Moment> * moments, ctx.Get(kMomentsSlot));
    for (Moment& m : *moments) {
      std::erase_if(m.triggers, [](const MomentTrigger& t) { return t.kind == "phrase"; });
      for (const MomentTrigger& t : triggers) {
        if (t.time_ms >= m.start_ms - options_.attach_margin_ms &&
            t.time_ms < m.end_ms + options_.attach_margin_ms) {
          m.triggers.push_back(t);
        }
      }
    }
    std::vector<Moment> added = TriggerMoments(triggers, *moments, probe->duration_ms, options_);
    if (!added.empty()) {
      CT_LOG(ctx.logger(), kInfo) << added.size()
                                  << " trigger phrase(s) outside every candidate: proposed as "
                                     "moments";
    }
    int next_id = 0;
    for (const Moment& m : *moments) next_id = std::max(next_id, m.id);
    for (Moment& m : added) {
      m.id = ++next_id;
      moments->push_back(std::move(m));
    }
  }
  ctx.Set(kTriggersSlot, std::move(triggers));
  ctx.ReportProgress(1.0);
  return Status::Ok();
}

}  // namespace clipthat::analysis
