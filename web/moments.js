// The moments of one VOD (moments.html?vod=ID): ranked, each with its evidence timeline drawn on
// a <canvas> (why it was picked: each signal's contribution over the window, their sum, the
// peak), the whole VOD's curve with the moments marked, playback of the window through a signed
// media link (POST /v1/vods/{id}/media-link: a <video> cannot send the Authorization header),
// Edit (the editor), Render (POST /v1/clips from the moment, then POST /v1/clips/{id}/render) and
// Discard (DELETE /v1/vods/{id}/moments/{moment_id}: the moment leaves the list everywhere;
// clips already made from it stay).
"use strict";

const SIGNAL_NAMES = {
  loudness: "Loudness", loudness_jump: "Sudden loudness", spectral_flux: "Sound onsets",
  cheer: "Crowd noise", vocal_excitement: "Excited voice", voice_loudness: "Loud voice",
  voice_pitch: "High voice", speech_rate: "Fast speech", laughter: "Laughter", voice: "Speech",
  chat_chatters: "Chat activity", chat_reactions: "Chat reactions", chat_clip_requests: "Chat asks for a clip",
  exclamations: "Exclamations", trigger_phrase: "\"Clip that\"", scene_cut: "Scene cuts",
  visual_change: "Visual change", flash: "Flashes", face: "Face",
};
const PALETTE = ["#e4572e", "#2e86ab", "#17bebb", "#f2a541", "#8e44ad", "#3bb273", "#d81159",
                 "#4f6d7a", "#c0a000", "#7768ae"];
const SCORE_COLOR = "#15121f";

function signalName(key) { return SIGNAL_NAMES[key] || key.replace(/_/g, " "); }

// The signals worth a line: those that contributed to the score, biggest first (at most 6).
function mainSignals(evidence, timeline) {
  const keys = Object.keys((timeline && timeline.signals) || {});
  const weight = (k) => (evidence && typeof evidence[k] === "number" ? evidence[k] : 0);
  return keys.filter((k) => weight(k) > 0.05 ||
                            (timeline.signals[k] || []).some((x) => x > 0.3))
    .sort((a, b) => weight(b) - weight(a)).slice(0, 6);
}

// Draw a timeline ({start_ms, step_ms, score, signals}) over [fromMs, toMs) on a canvas.
// marks: [{start, end, label}] shaded spans; peak: a vertical line.
function drawTimeline(canvas, opts) {
  const dpr = window.devicePixelRatio || 1;
  const w = canvas.clientWidth || 600, h = canvas.clientHeight || 140;
  canvas.width = Math.round(w * dpr);
  canvas.height = Math.round(h * dpr);
  const g = canvas.getContext("2d");
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.clearRect(0, 0, w, h);
  const pad = { l: 30, r: 8, t: 8, b: 18 };
  const pw = w - pad.l - pad.r, ph = h - pad.t - pad.b;
  const from = opts.fromMs, to = Math.max(opts.toMs, from + 1);
  const x = (ms) => pad.l + ((ms - from) / (to - from)) * pw;
  const series = opts.series; // [{values, color, width, timeline}]
  let max = 1;
  for (const s of series) for (const v of s.values) if (v > max) max = v;
  max *= 1.1;
  const y = (v) => pad.t + ph - (Math.max(0, v) / max) * ph;

  // Axes and grid.
  g.font = "10px system-ui, sans-serif";
  g.fillStyle = "#5d6475";
  g.strokeStyle = "#e3e6ee";
  g.lineWidth = 1;
  for (let i = 0; i <= 2; i++) {
    const v = (max / 1.1) * (i / 2);
    g.beginPath(); g.moveTo(pad.l, y(v)); g.lineTo(w - pad.r, y(v)); g.stroke();
    g.fillText(v.toFixed(1), 2, y(v) + 3);
  }
  const ticks = 5;
  for (let i = 0; i <= ticks; i++) {
    const ms = from + ((to - from) * i) / ticks;
    const label = ClipThat.formatMs(ms);
    const tx = Math.min(Math.max(x(ms) - 12, pad.l), w - pad.r - 28);
    g.fillText(label, tx, h - 4);
  }

  // Shaded spans (moment windows).
  for (const m of opts.marks || []) {
    g.fillStyle = "rgba(91, 61, 245, 0.12)";
    g.fillRect(x(m.start), pad.t, Math.max(2, x(m.end) - x(m.start)), ph);
    if (m.label) { g.fillStyle = "#5b3df5"; g.fillText(m.label, x(m.start) + 2, pad.t + 10); }
  }
  if (opts.peakMs != null) {
    g.strokeStyle = "#5b3df5";
    g.setLineDash([4, 3]);
    g.beginPath(); g.moveTo(x(opts.peakMs), pad.t); g.lineTo(x(opts.peakMs), pad.t + ph); g.stroke();
    g.setLineDash([]);
    g.fillStyle = "#5b3df5";
    g.fillText("peak", Math.min(x(opts.peakMs) + 3, w - pad.r - 24), pad.t + ph - 4);
  }

  // Lines: each sample at its middle.
  for (const s of series) {
    const t = s.timeline;
    g.strokeStyle = s.color;
    g.lineWidth = s.width || 1.5;
    g.beginPath();
    let started = false;
    s.values.forEach((v, k) => {
      const ms = t.start_ms + (k + 0.5) * t.step_ms;
      if (ms < from || ms > to) return;
      if (!started) { g.moveTo(x(ms), y(v)); started = true; } else g.lineTo(x(ms), y(v));
    });
    g.stroke();
  }
}

function momentView(item, vodId, rank) {
  const d = item.data || {};
  const start = item.start_ms != null ? item.start_ms : d.start_ms;
  const end = item.end_ms != null ? item.end_ms : d.end_ms;
  const evidence = d.evidence || {};
  const timeline = d.timeline || null;
  const keys = mainSignals(evidence, timeline);
  const colorOf = {};
  keys.forEach((k, i) => { colorOf[k] = PALETTE[i % PALETTE.length]; });
  const top = Object.keys(evidence).filter((k) => evidence[k] > 0.05)
    .sort((a, b) => evidence[b] - evidence[a]).slice(0, 3)
    .map((k) => signalName(k) + " +" + evidence[k].toFixed(1));
  const score = typeof item.score === "number" ? item.score : d.score || 0;
  const legend = [{ key: "_score", color: SCORE_COLOR, text: "Interest (sum) · score " + score.toFixed(1) }]
    .concat(keys.map((k) => ({ key: k, color: colorOf[k],
                               text: signalName(k) + " +" + (evidence[k] || 0).toFixed(2) })));
  const number = d.id || rank + 1;
  return {
    id: item.id, number, rankText: "#" + (rank + 1), title: item.title || d.title || "Moment " + number,
    score, scoreText: score.toFixed(1),
    strength: score >= 3 ? "strong" : "",
    start, end, peak: d.peak_ms,
    windowText: ClipThat.formatMs(start) + "–" + ClipThat.formatMs(end) + " (" + Math.round((end - start) / 1000) + " s)",
    why: top.length ? "Picked for: " + top.join(", ") + "." : "",
    timeline, keys, colorOf, legend,
    canvasLabel: "Evidence timeline of moment " + (rank + 1) + ": " + top.join(", "),
    editHref: "/editor.html?vod=" + encodeURIComponent(vodId) + "&moment=" + encodeURIComponent(item.id),
    busy: false, message: "", error: "", needCredits: false,
  };
}

document.addEventListener("alpine:init", () => {
  Alpine.data("moments", () => ({
    vodId: "",
    vod: null,
    vodTitle: "",
    loadError: "",
    notice: "",
    loaded: false,
    all: [],
    visible: [],
    hasOverview: false,
    overviewNote: "",
    overview: null,
    playing: false,
    playingTitle: "",
    playEnd: 0,

    async init() {
      this.vodId = ClipThat.param("vod") || "";
      try { await ClipThat.requireUser(); } catch (err) {
        if (err.status !== 401) this.loadError = ClipThat.describe(err);
        return;
      }
      if (!this.vodId) { this.loadError = "No VOD given: open a VOD's moments from the dashboard."; return; }
      try {
        const id = encodeURIComponent(this.vodId);
        const [vod, page] = await Promise.all([
          ClipThat.request("GET", "/v1/vods/" + id),
          ClipThat.request("GET", "/v1/vods/" + id + "/moments"),
        ]);
        this.vod = vod;
        this.vodTitle = vod.title;
        const items = (page.items || []).slice().sort((a, b) => (a.rank || 0) - (b.rank || 0));
        this.all = items.map((it, i) => momentView(it, this.vodId, i));
        this.overview = page.overview || (items.find((it) => it.data && it.data.overview) || {}).overview || null;
      } catch (err) {
        this.loadError = err.status === 404 ? "No such VOD." : "Could not load the moments: " + ClipThat.describe(err);
        return;
      }
      this.filter();
      this.loaded = true;
      this.hasOverview = this.all.length > 0;
      window.addEventListener("resize", () => this.drawAll());
    },

    filter() {
      this.visible = this.all.slice();
      this.$nextTick(() => this.drawAll());
    },

    drawAll() {
      for (const m of this.visible) {
        const canvas = document.querySelector('canvas[data-timeline="' + m.id + '"]');
        if (!canvas) continue;
        const t = m.timeline;
        const series = [];
        if (t) {
          for (const k of m.keys) series.push({ values: t.signals[k] || [], color: m.colorOf[k], timeline: t });
          series.push({ values: t.score || [], color: SCORE_COLOR, width: 2.5, timeline: t });
        }
        drawTimeline(canvas, { fromMs: m.start, toMs: m.end, series, peakMs: m.peak });
        canvas.dataset.drawn = "1";
      }
      for (const sw of document.querySelectorAll(".swatch[data-color]")) sw.style.background = sw.dataset.color;
      this.drawOverview();
    },

    // The whole VOD: the analysis' overview curve when there is one, else each moment's own
    // timeline in place; every moment's window shaded with its rank.
    drawOverview() {
      const canvas = document.getElementById("overview");
      if (!canvas || this.all.length === 0) return;
      const duration = (this.vod && this.vod.duration_ms) ||
                       Math.max(...this.all.map((m) => m.end)) || 1;
      const series = [];
      if (this.overview && this.overview.score) {
        series.push({ values: this.overview.score, color: SCORE_COLOR, width: 1.5, timeline: this.overview });
        this.overviewNote = "Interest over the whole recording (the highest point of every " +
                            Math.round(this.overview.step_ms / 1000) + " s); the moments are shaded.";
      } else {
        for (const m of this.all) {
          if (m.timeline) series.push({ values: m.timeline.score || [], color: SCORE_COLOR, width: 1.5, timeline: m.timeline });
        }
        this.overviewNote = "Where the moments lie in the recording, with the interest curve of each.";
      }
      const marks = this.visible.map((m) => ({ start: m.start, end: m.end, label: m.rankText }));
      drawTimeline(canvas, { fromMs: 0, toMs: duration, series, marks });
      canvas.dataset.drawn = "1";
    },

    async discard(m) {
      m.error = "";
      try {
        await ClipThat.request("DELETE", "/v1/vods/" + encodeURIComponent(this.vodId) + "/moments/" +
                               encodeURIComponent(m.id));
        this.all = this.all.filter((x) => x.id !== m.id);
        this.filter();
      } catch (err) {
        m.error = "Could not discard it: " + ClipThat.describe(err);
      }
    },

    async play(m) {
      this.notice = "";
      let link;
      try {
        link = await ClipThat.request("POST", "/v1/vods/" + encodeURIComponent(this.vodId) + "/media-link");
      } catch (err) {
        this.notice = err.status === 404 || err.status === 405
          ? "Playback unavailable: this server cannot share the video with the player yet."
          : "Playback unavailable: " + ClipThat.describe(err);
        return;
      }
      const video = document.getElementById("window-video");
      this.playing = true;
      this.playingTitle = m.title;
      this.playEnd = m.end / 1000;
      video.src = link.url + "#t=" + (m.start / 1000).toFixed(2) + "," + this.playEnd.toFixed(2);
      video.play().catch(() => { /* the user presses play */ });
      document.getElementById("player").scrollIntoView({ block: "nearest" });
    },
    stopAtEnd(event) {
      const video = event.target;
      if (this.playEnd && video.currentTime >= this.playEnd) video.pause();
    },
    videoFailed(event) {
      if (!this.playing || !event.target.getAttribute("src")) return;
      this.notice = "The video could not be played (the link lasts 2 hours: press Play the window again).";
    },
    stopPlaying() {
      const video = document.getElementById("window-video");
      video.pause();
      video.removeAttribute("src");
      video.load();
      this.playing = false;
    },

    async render(m) {
      m.busy = true;
      m.error = m.message = "";
      m.needCredits = false;
      try {
        if (!m.clipId) {
          const clip = await ClipThat.request("POST", "/v1/clips", { vod_id: this.vodId, moment_id: m.id });
          m.clipId = clip.id;
        }
        await ClipThat.request("POST", "/v1/clips/" + encodeURIComponent(m.clipId) + "/render");
        m.message = "Rendering: the clip appears on the dashboard when it is done.";
      } catch (err) {
        if (err.status === 402) {
          m.needCredits = true;
          m.error = "Not enough credits to render (price " + err.body.price + ", balance " + err.body.balance + ").";
        } else {
          m.error = "Could not render: " + ClipThat.describe(err);
        }
      } finally {
        m.busy = false;
      }
    },
  }));
});
