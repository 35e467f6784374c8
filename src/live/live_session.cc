#include "live/live_session.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

#include "core/files.h"
#include "live/event_log.h"
#include "live/recent_series.h"
#include "reframe/layout.h"

namespace clipthat::live {

namespace {

using Clock = std::chrono::steady_clock;

struct Session {
  const LiveSessionOptions& o;
  const LiveSessionHooks& hooks;
  Logger log;
  EventLog events;
  std::unique_ptr<SegmentRing> ring;
  std::string ring_dir;

  std::mutex mu;
  std::condition_variable cv;
  RecentSeries level;
  RecentSeries chat_series;
  std::deque<media::AudioBuffer> audio_q;
  TimeMs audio_q_ms = 0;
  std::deque<media::VideoFrame> frame_q;
  std::deque<PlannedClip> clip_q;
  std::map<int, Clock::time_point> heard_at;
  ClipPlanner planner;
  ChatWatch chat_watch;
  bool ingest_done = false;
  int producers_left = 0;  // spotter, vision, chat replay
  std::atomic<TimeMs> ingest_ms{0};
  TimeMs notified_ms = -1000;
  std::atomic<bool> stopping{false};
  LiveIngest* ingest = nullptr;
  LiveSummary summary;
  Status refusal;

  Session(const LiveSessionOptions& options, const LiveSessionHooks& h, const Logger& logger)
      : o(options),
        hooks(h),
        log(logger.WithModule("live")),
        level({.bin_ms = 250, .keep_ms = 900000, .empty_value = -90}),
        chat_series({.bin_ms = 1000, .keep_ms = 900000, .empty_value = 0}),
        planner(options.planner),
        chat_watch(options.chat) {}

  void RequestStop() {
    stopping.store(true);
    if (ingest != nullptr) ingest->Stop();
    cv.notify_all();
  }

  // --- triggers (called with mu held) ---
  void TriggerLocked(const char* source, const std::string& phrase, TimeMs start_ms, TimeMs end_ms,
                     double confidence, const std::string& reason) {
    ++summary.triggers;
    const ClipWindow window =
        ChooseClipWindow(start_ms, end_ms, level, chat_series, ring->earliest_ms(), o.window);
    int same_as = 0;
    std::optional<PlannedClip> planned = planner.Offer(window, start_ms, reason, &same_as);
    nlohmann::json fields = {{"source", source},
                             {"confidence", std::round(confidence * 100) / 100},
                             {"reason", reason},
                             {"moment", planned ? planned->id : same_as},
                             {"new_moment", planned.has_value()}};
    if (!phrase.empty()) fields["phrase"] = phrase;
    events.Write("trigger", start_ms, fields);
    if (!planned) return;
    events.Write("moment", window.moment_ms,
                 {{"id", planned->id},
                  {"start_ms", window.start_ms},
                  {"end_ms", window.end_ms},
                  {"basis", window.basis},
                  {"reason", reason}});
    heard_at[planned->id] = Clock::now();
    clip_q.push_back(*planned);
    cv.notify_all();
  }

  void OnChat(chat::ChatMessage msg) {
    std::lock_guard<std::mutex> lock(mu);
    chat_series.Add(msg.time_ms, 1);
    std::optional<ChatTrigger> t = chat_watch.Push(msg);
    if (!t) return;
    const std::string reason =
        t->kind == "requests" ? "chat: " + std::to_string(t->viewers) + " viewers asked for a clip"
                              : "chat: " + std::to_string(t->messages) + " messages from " +
                                    std::to_string(t->viewers) + " viewers in " +
                                    std::to_string(o.chat.rate_window_ms / 1000) + " s";
    TriggerLocked("chat", t->phrase, t->at_ms, t->at_ms, t->confidence, reason);
  }

  // --- ingest callbacks (ingest thread) ---
  void OnAudio(const media::AudioBuffer& buf) {
    {
      std::lock_guard<std::mutex> lock(mu);
      constexpr std::size_t kBin = 4000;  // 250 ms at 16 kHz
      for (std::size_t i = 0; i < buf.samples.size(); i += kBin) {
        const std::size_t n = std::min(kBin, buf.samples.size() - i);
        double sum = 0;
        for (std::size_t k = i; k < i + n; ++k) sum += double(buf.samples[k]) * buf.samples[k];
        const double rms = std::sqrt(sum / static_cast<double>(std::max<std::size_t>(1, n)));
        level.Set(buf.start_ms + static_cast<TimeMs>(i / 16), 20 * std::log10(rms + 1e-9));
      }
    }
    if (!o.voice_triggers) return;
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return audio_q_ms < o.max_ahead_ms || stopping.load(); });
    audio_q.push_back(buf);
    audio_q_ms += buf.duration_ms();
    cv.notify_all();
  }

  void OnKeyframe(const media::VideoFrame& frame) {
    std::unique_lock<std::mutex> lock(mu);
    if (o.realtime) {
      if (frame_q.size() >= 32) frame_q.pop_front();  // a slow remote scorer: skip frames
    } else {
      cv.wait(lock, [&] { return frame_q.size() < 32 || stopping.load(); });
    }
    frame_q.push_back(frame);
    cv.notify_all();
  }

  void OnProgress(TimeMs ms) {
    ingest_ms.store(ms);
    const int minute = static_cast<int>(ms / std::max<TimeMs>(o.billing_period_ms, 1)) + 1;
    while (summary.minutes < minute && refusal.ok()) {
      const int next = summary.minutes + 1;
      Status st = hooks.on_minute ? hooks.on_minute(next) : Status::Ok();
      if (!st.ok()) {
        refusal = st;
        events.Write("error", ms, {{"error", "monitoring stopped: " + st.message()}});
        RequestStop();
        break;
      }
      summary.minutes = next;
      events.Write("credit", ms, {{"minute", next}, {"credits", 1}});
    }
    if (ms - notified_ms >= 200) {
      notified_ms = ms;
      cv.notify_all();
      if (hooks.on_progress) hooks.on_progress(ms);
    }
  }

  // --- threads ---
  void ProducerDone() {
    std::lock_guard<std::mutex> lock(mu);
    --producers_left;
    cv.notify_all();
  }

  void SpotterThread() {
    std::optional<speech::TriggerSpotter> spotter;
    if (auto created = speech::TriggerSpotter::Create(o.spotter, log); created.ok()) {
      spotter.emplace(std::move(*created));
    } else {
      events.Write("error", 0, {{"error", "voice triggers off: " + created.status().message()}});
    }
    auto take = [&] {
      for (const speech::TriggerHit& hit : spotter->TakeTriggers()) {
        std::lock_guard<std::mutex> lock(mu);
        TriggerLocked("voice", hit.phrase, hit.at_ms, hit.at_ms + o.phrase_ms, hit.confidence,
                      "voice: \"" + hit.phrase + "\"");
      }
    };
    while (true) {
      media::AudioBuffer buf;
      {
        std::unique_lock<std::mutex> lock(mu);
        cv.wait(lock, [&] { return !audio_q.empty() || ingest_done; });
        if (audio_q.empty()) break;
        buf = std::move(audio_q.front());
        audio_q.pop_front();
        audio_q_ms -= buf.duration_ms();
        cv.notify_all();
      }
      if (!spotter) continue;
      if (Status st = spotter->Push(buf); !st.ok()) {
        events.Write("error", buf.start_ms, {{"error", "voice triggers: " + st.message()}});
        spotter.reset();
        continue;
      }
      take();
    }
    if (spotter && spotter->Finish().ok()) take();
    ProducerDone();
  }

  void VisionThread() {
    VisionTick tick(o.vision, o.vision_remote);
    while (true) {
      media::VideoFrame frame;
      {
        std::unique_lock<std::mutex> lock(mu);
        cv.wait(lock, [&] { return !frame_q.empty() || ingest_done; });
        if (frame_q.empty()) break;
        frame = std::move(frame_q.front());
        frame_q.pop_front();
        cv.notify_all();
      }
      tick.PushKeyframe(frame);
      if (!tick.Due(frame.pts_ms)) continue;
      const TickVerdict v = tick.Tick(frame.pts_ms);
      nlohmann::json fields = {{"scorer", v.scorer},
                               {"score", std::round(v.score * 100) / 100},
                               {"clip_worthy", v.clip_worthy},
                               {"change", std::round(v.change * 10) / 10},
                               {"flash", std::round(v.flash * 10) / 10},
                               {"keyframes", v.keyframes}};
      if (!v.description.empty()) fields["description"] = v.description;
      if (!v.error.empty()) fields["error"] = v.error;
      events.Write("tick", v.at_ms, fields);
      std::lock_guard<std::mutex> lock(mu);
      ++summary.ticks;
      if (v.clip_worthy) {
        TriggerLocked("vision", "", v.at_ms, v.at_ms, v.score, "vision: " + v.description);
      }
    }
    ProducerDone();
  }

  void ChatReplayThread() {
    for (const chat::ChatMessage& msg : o.chat_replay->messages) {
      {
        std::unique_lock<std::mutex> lock(mu);
        cv.wait(lock, [&] { return ingest_ms.load() >= msg.time_ms || ingest_done; });
        if (ingest_done && msg.time_ms > ingest_ms.load()) break;
      }
      OnChat(msg);
    }
    ProducerDone();
  }

  void ClipThread() {
    while (true) {
      PlannedClip clip;
      bool source_over = false;
      {
        std::unique_lock<std::mutex> lock(mu);
        while (true) {
          if (!clip_q.empty() &&
              (ingest_done || ring->finished_ms() >= clip_q.front().window.end_ms)) {
            break;
          }
          if (clip_q.empty() && ingest_done && producers_left == 0) return;
          cv.wait_for(lock, std::chrono::milliseconds(200));
        }
        clip = clip_q.front();
        clip_q.pop_front();
        source_over = ingest_done;
      }
      MakeClip(clip, source_over);
    }
  }

  void MakeClip(const PlannedClip& clip, bool source_over) {
    TimeMs end_ms = clip.window.end_ms;
    if (source_over) end_ms = std::min(end_ms, ring->finished_ms());
    char name[32];
    std::snprintf(name, sizeof name, "clip-%02d.mp4", clip.id);
    const std::string out = (std::filesystem::path(o.out_dir) / name).string();
    const std::string cut_path =
        (std::filesystem::path(ring_dir) / ("cut-" + std::to_string(clip.id) + ".mkv")).string();
    auto fail = [&](const Status& st) {
      events.Write("error", clip.trigger_at_ms,
                   {{"error", "clip " + std::to_string(clip.id) + ": " + st.message()},
                    {"moment", clip.id}});
      std::lock_guard<std::mutex> lock(mu);
      ++summary.failed_clips;
    };
    if (end_ms - clip.window.start_ms < 1000) {
      fail(NotFoundError("the buffer holds less than a second of its window"));
      return;
    }
    Result<CutFile> cut = ring->Cut(clip.window.start_ms, end_ms, cut_path);
    if (!cut.ok()) {
      fail(cut.status());
      return;
    }
    formats::EditList edit;
    edit.source = cut->path;
    edit.start_ms = cut->start_ms - cut->file_start_ms;
    edit.end_ms = cut->end_ms - cut->file_start_ms;
    edit.output = o.output;
    edit.layout = o.layout;
    edit.template_ref = o.template_ref;
    edit.moment_id = clip.id;
    Result<render::RenderResult> r =
        render::RenderClip(edit, "live clip " + std::to_string(clip.id), out, o.render);
    std::error_code ec;
    std::filesystem::remove(cut->path, ec);
    if (!r.ok()) {
      fail(r.status());
      return;
    }
    LiveClip done{.id = clip.id,
                  .path = out,
                  .start_ms = cut->start_ms,
                  .end_ms = cut->end_ms,
                  .reason = clip.reason,
                  .trigger_at_ms = clip.trigger_at_ms};
    {
      std::lock_guard<std::mutex> lock(mu);
      done.latency_seconds =
          std::chrono::duration<double>(Clock::now() - heard_at[clip.id]).count();
      ++summary.clips;
    }
    nlohmann::json fields = {
        {"path", out},
        {"start_ms", done.start_ms},
        {"end_ms", done.end_ms},
        {"reason", done.reason},
        {"moment", clip.id},
        {"layout", std::string(reframe::LayoutName(r->layout))},
        {"render_seconds", std::round(r->seconds * 100) / 100},
        {"seconds_since_trigger_heard", std::round(done.latency_seconds * 100) / 100}};
    std::vector<std::string> also;
    {
      std::lock_guard<std::mutex> lock(mu);
      for (const PlannedClip& p : planner.planned()) {
        if (p.id == clip.id) also = p.merged;
      }
    }
    if (!also.empty()) fields["also"] = also;
    events.Write("clip", clip.trigger_at_ms, fields);
    if (hooks.on_clip) hooks.on_clip(done);
  }
};

}  // namespace

Result<LiveSummary> RunLiveSession(const LiveSessionOptions& options, const LiveSessionHooks& hooks,
                                   const Logger& logger, const std::atomic<bool>* stop) {
  if (options.source.empty()) return InvalidArgumentError("live: no source");
  if (options.out_dir.empty()) return InvalidArgumentError("live: no output folder");
  RETURN_IF_ERROR(EnsureDirectory(options.out_dir));
  Session s(options, hooks, logger);
  ASSIGN_OR_RETURN(
      s.events, EventLog::Open((std::filesystem::path(options.out_dir) / "events.jsonl").string()));
  if (hooks.on_event) s.events.set_observer(hooks.on_event);
  SegmentRingOptions ring_options = options.ring;
  if (ring_options.dir.empty()) {
    ring_options.dir = (std::filesystem::path(options.out_dir) / "buffer").string();
  }
  s.ring_dir = ring_options.dir;
  ASSIGN_OR_RETURN(s.ring, SegmentRing::Create(ring_options));

  LiveIngestOptions ingest_options = options.ingest;
  ingest_options.realtime = options.realtime;
  ingest_options.duration_ms = options.duration_ms;
  LiveIngest ingest(
      options.source, ingest_options, s.ring.get(),
      {.on_audio = [&s](const media::AudioBuffer& b) { s.OnAudio(b); },
       .on_keyframe = [&s](const media::VideoFrame& f) { s.OnKeyframe(f); },
       .on_progress = [&s](TimeMs ms) { s.OnProgress(ms); },
       .on_notice =
           [&s](const Status& why, TimeMs ms) {
             s.events.Write("error", ms, {{"error", why.message()}, {"retrying", true}});
           }},
      s.log);
  s.ingest = &ingest;

  s.producers_left = 2 + (options.chat_replay ? 1 : 0);
  std::thread spotter_thread([&s] { s.SpotterThread(); });
  std::thread vision_thread([&s] { s.VisionThread(); });
  std::thread chat_thread;
  if (options.chat_replay) chat_thread = std::thread([&s] { s.ChatReplayThread(); });
  std::thread clip_thread([&s] { s.ClipThread(); });
  std::function<void()> stop_chat;
  if (options.live_chat) {
    auto started = options.live_chat([&s](chat::ChatMessage msg) {
      msg.time_ms = s.ingest_ms.load();
      s.OnChat(std::move(msg));
    });
    if (started.ok()) {
      stop_chat = std::move(*started);
    } else {
      s.events.Write("error", 0, {{"error", "chat: " + started.status().message()}});
    }
  }
  std::atomic<bool> watching{true};
  std::thread watcher([&] {
    while (watching.load()) {
      if (stop != nullptr && stop->load()) {
        s.RequestStop();
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });

  Status st = ingest.Run();
  if (stop_chat) stop_chat();
  {
    std::lock_guard<std::mutex> lock(s.mu);
    s.ingest_done = true;
    s.cv.notify_all();
  }
  spotter_thread.join();
  vision_thread.join();
  if (chat_thread.joinable()) chat_thread.join();
  clip_thread.join();
  watching.store(false);
  watcher.join();

  const LiveIngestStats stats = ingest.stats();
  s.summary.watched_ms = stats.session_ms;
  s.summary.reconnects = stats.reconnects;
  if (!s.refusal.ok()) {
    s.summary.stopped_because = s.refusal.message();
  } else if (stop != nullptr && stop->load()) {
    s.summary.stopped_because = "stopped";
  } else if (options.duration_ms > 0 && stats.session_ms + 1000 >= options.duration_ms) {
    s.summary.stopped_because = "duration";
  } else {
    s.summary.stopped_because = "end of source";
  }
  if (!st.ok() && s.refusal.ok() && !(stop != nullptr && stop->load())) {
    s.events.Write("error", stats.session_ms, {{"error", st.message()}});
  }
  s.ring.reset();
  if (!options.keep_buffer) {
    std::error_code ec;
    std::filesystem::remove_all(ring_options.dir, ec);
  }
  if (!st.ok() && s.refusal.ok()) return st;
  return s.summary;
}

}  // namespace clipthat::live
