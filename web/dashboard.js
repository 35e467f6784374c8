// The dashboard: VODs (paginated) with their jobs, live job progress over Server-Sent Events
// (ClipThat.streamEvents: GET /v1/jobs/{id}/events with the Authorization header), and the clips
// gallery (thumbnails and playback fetched with the token and shown from blob: URLs).
"use strict";

const STAGE_WORDS = {
  download: "downloading the VOD", decode: "decoding", scan: "scanning audio and video",
  audio: "scanning the audio", video: "scanning the video", chat: "reading the chat",
  transcribe: "transcribing", rank: "ranking moments", titles: "writing titles", render: "rendering", upload: "uploading the clip",
  // The analysis pipeline's stages (a worker reports the one running).
  analyze: "analysing", probe: "reading the VOD", audio_scan: "scanning the audio", video_scan: "scanning the video",
  chat_scan: "reading the chat", candidates: "finding candidates", trigger_scan: "listening for triggers",
  triggers: "listening for triggers", trigger_words: "transcribing triggers", boundaries: "placing clip edges",
  live: "watching the stream",
};

const MAX_STREAMS = 4;

function vodView(v) {
  const bits = [];
  if (v.duration_ms) bits.push(ClipThat.formatMs(v.duration_ms));
  if (v.size_bytes) bits.push(ClipThat.formatBytes(v.size_bytes));
  if (v.status === "uploading" && v.size_bytes) {
    bits.push(ClipThat.formatBytes(v.received_bytes) + " received");
  }
  bits.push(new Date(v.created_at_ms).toLocaleString());
  return {
    id: v.id, title: v.title || "(untitled)", status: v.status, info: bits.join(" · "),
    error: v.error || "",
    note: v.status === "uploading" && !v.source_url
      ? "Upload unfinished: choose the same file on New VOD and it resumes where it stopped." : "",
    momentsHref: "/moments.html?vod=" + encodeURIComponent(v.id),
    analyseHref: "/new.html?vod=" + encodeURIComponent(v.id),
  };
}

function clipView(c) {
  return {
    id: c.id, title: c.title || "Untitled clip", status: c.status, error: c.error || "",
    durationText: c.duration_ms ? ClipThat.formatMs(c.duration_ms) : "",
    playable: !!c.has_output, hasThumb: !!c.has_thumbnail,
    placeholder: c.status === "rendering" ? "Rendering…" : c.status === "failed" ? "Failed" : "No preview",
    thumbUrl: "", videoUrl: "",
    editHref: "/editor.html?clip=" + encodeURIComponent(c.id),
  };
}

document.addEventListener("alpine:init", () => {
  Alpine.data("dashboard", () => ({
    loadError: "",
    vods: [],
    vodsLoaded: false,
    vodCursor: null,
    jobs: [],
    clips: [],
    clipsLoaded: false,
    clipCursor: null,
    clipError: "",
    watching: {},

    async init() {
      try { await ClipThat.requireUser(); } catch (err) {
        if (err.status !== 401) this.loadError = ClipThat.describe(err);
        return;
      }
      try {
        await Promise.all([this.loadVods(true), this.loadJobs(), this.loadClips(true)]);
      } catch (err) {
        this.loadError = "Could not load your dashboard: " + ClipThat.describe(err);
      }
      // Coming from "Analyse": show that job.
      const jobId = ClipThat.param("job");
      if (jobId) {
        this.$nextTick(() => {
          const el = document.querySelector('[data-job="' + CSS.escape(jobId) + '"]');
          if (el) { el.classList.add("highlight"); el.scrollIntoView({ block: "center" }); }
        });
      }
      window.addEventListener("pagehide", () => {
        for (const id in this.watching) this.watching[id].abort();
        for (const c of this.clips) this.releaseMedia(c);
      });
    },

    async loadVods(reset) {
      const page = await ClipThat.request("GET", "/v1/vods?limit=10" +
                                          (!reset && this.vodCursor ? "&cursor=" + encodeURIComponent(this.vodCursor) : ""));
      const items = page.items.map(vodView);
      this.vods = reset ? items : this.vods.concat(items);
      this.vodCursor = page.next_cursor;
      this.vodsLoaded = true;
    },
    async moreVods() {
      try { await this.loadVods(false); } catch (err) { this.loadError = ClipThat.describe(err); }
    },

    async refreshVod(id) {
      try {
        const v = vodView(await ClipThat.request("GET", "/v1/vods/" + encodeURIComponent(id)));
        const at = this.vods.findIndex((x) => x.id === id);
        if (at >= 0) Object.assign(this.vods[at], v);
      } catch (_) { /* deleted meanwhile */ }
    },

    // Jobs: the newest 100, attached to their VODs; running and queued ones are watched live.
    async loadJobs() {
      const page = await ClipThat.request("GET", "/v1/jobs?limit=100");
      const known = {};
      for (const j of this.jobs) known[j.id] = j;
      this.jobs = page.items.map((j) => {
        const view = known[j.id] || { id: j.id, samples: [] };
        this.applyJob(view, j);
        return view;
      });
      for (const j of this.jobs) if (j.active) this.watch(j);
    },

    jobsOf(v) { return this.jobs.filter((j) => j.vodId === v.id); },

    applyJob(view, j) {
      if (j.vod_id) view.vodId = j.vod_id;
      if (j.kind) view.kind = j.kind;
      view.label = view.kind === "analyze" ? "Analysis" : view.kind === "render" ? "Render" : view.kind;
      view.status = j.status;
      view.active = j.status === "queued" || j.status === "running";
      view.progress = typeof j.progress === "number" ? j.progress : 0;
      const percent = Math.round(view.progress * 100);
      if (j.status === "running") {
        const stage = j.stage ? (STAGE_WORDS[j.stage] || j.stage) : "working";
        view.stageText = percent > 0 ? stage + " · " + percent + "%" : stage + "…";
      } else if (j.status === "queued") {
        view.stageText = "waiting for a worker";
      } else if (j.status === "succeeded") {
        view.stageText = j.finished_at_ms && j.started_at_ms
          ? "took " + ClipThat.formatMs(j.finished_at_ms - j.started_at_ms) : "";
      } else {
        view.stageText = "";
      }
      view.error = j.error ? (j.status === "failed" ? "Failed: " : "") + j.error : "";
      view.etaText = this.eta(view);
    },

    // Time left from the progress rate over the last 30 s of updates.
    eta(view) {
      if (view.status !== "running" || view.progress <= 0 || view.progress >= 1) return "";
      const now = Date.now();
      view.samples = (view.samples || []).filter((s) => now - s[0] < 30000);
      view.samples.push([now, view.progress]);
      const first = view.samples[0];
      if (view.samples.length < 2 || view.progress <= first[1]) return "";
      const rate = (view.progress - first[1]) / (now - first[0]);
      return "about " + ClipThat.formatMs((1 - view.progress) / rate) + " left";
    },

    watch(view) {
      if (this.watching[view.id]) return;
      const controller = new AbortController();
      // Each event stream holds one of the server's connection threads: follow a few live,
      // ask about the rest every 2 s.
      const live = Object.keys(this.watching).length < MAX_STREAMS;
      this.watching[view.id] = controller;
      if (!live) {
        this.poll(view.id, controller.signal).then(() => this.jobEnded(view.id));
        return;
      }
      const onEvent = (name, data) => {
        if (!data || typeof data !== "object") return;
        const target = this.jobs.find((j) => j.id === view.id);
        if (target) this.applyJob(target, data);
      };
      ClipThat.streamEvents("/v1/jobs/" + encodeURIComponent(view.id) + "/events", onEvent, controller.signal)
        .catch(() => this.poll(view.id, controller.signal))
        .then(() => this.jobEnded(view.id));
    },

    // Without the event stream (a proxy that buffers it): ask every 2 s.
    async poll(id, signal) {
      while (!signal.aborted) {
        await new Promise((r) => setTimeout(r, 2000));
        try {
          const j = await ClipThat.request("GET", "/v1/jobs/" + encodeURIComponent(id));
          const target = this.jobs.find((x) => x.id === id);
          if (target) this.applyJob(target, j);
          if (j.status !== "queued" && j.status !== "running") return;
        } catch (_) { /* try again */ }
      }
    },

    // A job ended: an analysis makes moments, clips and render jobs; a render a playable clip.
    async jobEnded(id) {
      delete this.watching[id];
      const view = this.jobs.find((j) => j.id === id);
      if (view && view.active) {
        try { this.applyJob(view, await ClipThat.request("GET", "/v1/jobs/" + encodeURIComponent(id))); } catch (_) { /* shown as is */ }
      }
      if (view) await this.refreshVod(view.vodId);
      try { await Promise.all([this.loadJobs(), this.loadClips(true)]); } catch (_) { /* next event */ }
    },

    async cancelJob(view) {
      try {
        this.applyJob(view, await ClipThat.request("POST", "/v1/jobs/" + encodeURIComponent(view.id) + "/cancel"));
      } catch (err) { view.error = "Could not cancel: " + ClipThat.describe(err); }
    },

    async deleteVod(v) {
      if (!window.confirm("Delete " + v.title + " with its moments and clips?")) return;
      try {
        await ClipThat.request("DELETE", "/v1/vods/" + encodeURIComponent(v.id));
        this.vods = this.vods.filter((x) => x.id !== v.id);
        await this.loadClips(true);
      } catch (err) { this.loadError = "Could not delete the VOD: " + ClipThat.describe(err); }
    },

    // Clips
    async loadClips(reset) {
      const page = await ClipThat.request("GET", "/v1/clips?limit=24" +
                                          (!reset && this.clipCursor ? "&cursor=" + encodeURIComponent(this.clipCursor) : ""));
      const old = {};
      for (const c of this.clips) old[c.id] = c;
      const items = page.items.map((c) => {
        const view = clipView(c);
        const before = old[c.id];
        if (before && before.thumbUrl && before.hasThumb === view.hasThumb) view.thumbUrl = before.thumbUrl;
        if (before && before.videoUrl) view.videoUrl = before.videoUrl;
        return view;
      });
      if (reset) {
        for (const c of this.clips) if (!items.some((x) => x.id === c.id)) this.releaseMedia(c);
        this.clips = items;
      } else {
        this.clips = this.clips.concat(items);
      }
      this.clipCursor = page.next_cursor;
      this.clipsLoaded = true;
      for (const c of this.clips) this.loadThumb(c);
    },
    async moreClips() {
      try { await this.loadClips(false); } catch (err) { this.clipError = ClipThat.describe(err); }
    },

    async loadThumb(c) {
      if (!c.hasThumb || c.thumbUrl || c.thumbLoading) return;
      c.thumbLoading = true;
      try {
        const url = await ClipThat.blobUrl("/v1/clips/" + encodeURIComponent(c.id) + "/thumbnail");
        const target = this.clips.find((x) => x.id === c.id);
        if (target) target.thumbUrl = url; else URL.revokeObjectURL(url);
      } catch (_) { /* the placeholder stays */ }
      c.thumbLoading = false;
    },

    releaseMedia(c) {
      if (c.thumbUrl) URL.revokeObjectURL(c.thumbUrl);
      if (c.videoUrl) URL.revokeObjectURL(c.videoUrl);
    },

    async clipBlob(c) {
      if (!c.videoUrl) c.videoUrl = await ClipThat.blobUrl("/v1/clips/" + encodeURIComponent(c.id) + "/download");
      return c.videoUrl;
    },

    async play(c) {
      this.clipError = "";
      try { await this.clipBlob(c); } catch (err) { this.clipError = "Could not play the clip: " + ClipThat.describe(err); }
    },

    async download(c) {
      this.clipError = "";
      try {
        const url = await this.clipBlob(c);
        const a = document.createElement("a");
        a.href = url;
        a.download = (c.title.replace(/[^\w .-]+/g, "").trim() || "clip") + ".mp4";
        document.body.append(a);
        a.click();
        a.remove();
      } catch (err) { this.clipError = "Could not download the clip: " + ClipThat.describe(err); }
    },

    async deleteClip(c) {
      if (!window.confirm("Delete the clip " + c.title + "?")) return;
      try {
        await ClipThat.request("DELETE", "/v1/clips/" + encodeURIComponent(c.id));
        this.releaseMedia(c);
        this.clips = this.clips.filter((x) => x.id !== c.id);
      } catch (err) { this.clipError = "Could not delete the clip: " + ClipThat.describe(err); }
    },
  }));
});
