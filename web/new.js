// New VOD: a chunked, resumable upload (or a URL import), an optional chat replay, then the
// analysis with its price shown first.
//
// Resuming: each upload is remembered in localStorage ("clipthat.uploads") as {vod, name, size,
// lastModified}. Choosing the same file again (after a reload, a crash, a closed tab) finds the
// VOD, asks the server how much it has (GET /v1/vods/{id} → received_bytes) and sends the rest.
// A chunk that fails (network error, 5xx, 409 "resume from N") is retried with backoff from the
// server's received_bytes, never from what this page believes it sent.
// `?chunk=BYTES` makes chunks smaller (tests, slow links); `?vod=ID` opens the analysis step
// for a VOD that is already uploaded.
"use strict";

const STORE_KEY = "clipthat.uploads";
const DEFAULT_CHUNK = 8 * 1024 * 1024;
const MAX_FAILURES = 8;

function loadStore() {
  try { return JSON.parse(localStorage.getItem(STORE_KEY)) || []; } catch (_) { return []; }
}
function saveStore(list) { localStorage.setItem(STORE_KEY, JSON.stringify(list.slice(-20))); }
function findUpload(file) {
  return loadStore().find((e) => e.name === file.name && e.size === file.size &&
                                 e.lastModified === file.lastModified);
}
function rememberUpload(entry) {
  saveStore(loadStore().filter((e) => e.vod !== entry.vod).concat([entry]));
}
function forgetUpload(vodId) { saveStore(loadStore().filter((e) => e.vod !== vodId)); }
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

document.addEventListener("alpine:init", () => {
  Alpine.data("newVod", () => ({
    step: "source",
    loadError: "",
    file: null,
    chatFile: null,
    title: "",
    url: "",
    busy: false,
    sourceError: "",
    resumeNote: "",
    resumeEntry: null,
    uploadLabel: "Upload",

    vod: null,
    size: 0,
    received: 0,
    fraction: 0,
    bytesText: "",
    speedText: "",
    etaText: "",
    status: "",
    uploadError: "",
    paused: false,
    samples: [],

    readyNote: "",
    top: 5,
    renderTop: 3,
    templateId: "",
    templates: [],
    priceText: "",
    analyseError: "",
    needCredits: false,

    async init() {
      try { await ClipThat.requireUser(); } catch (err) {
        if (err.status !== 401) this.loadError = ClipThat.describe(err);
        return;
      }
      const vodId = ClipThat.param("vod");
      if (vodId) {
        try {
          this.vod = await ClipThat.request("GET", "/v1/vods/" + encodeURIComponent(vodId));
          this.title = this.vod.title;
          if (this.vod.status === "ready") await this.toAnalyse();
          else this.loadError = "This VOD is " + this.vod.status + ", not ready to analyse.";
        } catch (err) { this.loadError = ClipThat.describe(err); }
      }
    },

    chunkBytes(serverMax) {
      let chunk = Math.min(DEFAULT_CHUNK, serverMax || DEFAULT_CHUNK);
      const asked = Number(ClipThat.param("chunk"));
      if (asked >= 1024) chunk = Math.min(chunk, Math.floor(asked));
      return chunk;
    },

    async fileChosen(event) {
      this.file = event.target.files[0] || null;
      this.resumeNote = "";
      this.resumeEntry = null;
      this.uploadLabel = "Upload";
      if (!this.file) return;
      if (!this.title) this.title = this.file.name.replace(/\.[^.]+$/, "");
      const entry = findUpload(this.file);
      if (!entry) return;
      try {
        const vod = await ClipThat.request("GET", "/v1/vods/" + encodeURIComponent(entry.vod));
        if (vod.status === "uploading" || vod.status === "ready") {
          this.resumeEntry = entry;
          this.title = vod.title;
          this.uploadLabel = vod.status === "ready" ? "Continue" : "Resume upload";
          this.resumeNote = vod.status === "ready"
            ? "This file is uploaded already (" + vod.title + ")."
            : "This file was partly uploaded: " + ClipThat.formatBytes(vod.received_bytes) + " of " +
              ClipThat.formatBytes(vod.size_bytes) + " are on the server. The upload resumes from there.";
        } else {
          forgetUpload(entry.vod);
        }
      } catch (err) {
        if (err.status === 404) forgetUpload(entry.vod);
      }
    },

    chatChosen(event) { this.chatFile = event.target.files[0] || null; },

    async startUpload() {
      if (!this.file) return;
      this.sourceError = "";
      this.uploadError = "";
      this.busy = true;
      try {
        if (this.resumeEntry) {
          this.vod = await ClipThat.request("GET", "/v1/vods/" + encodeURIComponent(this.resumeEntry.vod));
        } else {
          this.vod = await ClipThat.request("POST", "/v1/vods", {
            title: this.title.trim() || this.file.name, size_bytes: this.file.size, filename: this.file.name,
          });
          rememberUpload({ vod: this.vod.id, name: this.file.name, size: this.file.size,
                           lastModified: this.file.lastModified, title: this.vod.title });
        }
      } catch (err) {
        this.busy = false;
        this.sourceError = "Could not start the upload: " + ClipThat.describe(err);
        return;
      }
      this.step = "upload";
      this.size = this.file.size;
      this.received = this.vod.received_bytes || 0;
      this.showProgress();
      await this.runUpload();
    },

    showProgress() {
      this.fraction = this.size ? this.received / this.size : 0;
      this.bytesText = ClipThat.formatBytes(this.received) + " of " + ClipThat.formatBytes(this.size);
      const now = performance.now();
      this.samples.push([now, this.received]);
      this.samples = this.samples.filter((s) => now - s[0] < 8000);
      const first = this.samples[0];
      if (this.samples.length > 1 && now > first[0]) {
        const rate = (this.received - first[1]) / ((now - first[0]) / 1000);
        if (rate > 0) {
          this.speedText = ClipThat.formatBytes(Math.round(rate)) + "/s";
          this.etaText = ClipThat.formatMs(((this.size - this.received) / rate) * 1000) + " left";
        }
      }
    },

    async runUpload() {
      const upload = this.vod.upload || {};
      const url = upload.url || "/v1/vods/" + this.vod.id + "/media";
      const chunk = this.chunkBytes(upload.chunk_max_bytes);
      let failures = 0;
      this.paused = false;
      if (this.received > 0) this.status = "Resuming from " + ClipThat.formatBytes(this.received) + ".";
      while (this.received < this.size) {
        const start = this.received;
        const end = Math.min(start + chunk, this.size);
        try {
          const vod = await ClipThat.request("PUT", url, this.file.slice(start, end), {
            headers: { "Content-Range": "bytes " + start + "-" + (end - 1) + "/" + this.size },
          });
          this.received = typeof vod.received_bytes === "number" ? vod.received_bytes : end;
          failures = 0;
          this.uploadError = "";
          if (this.status.startsWith("Connection") || this.status.startsWith("Resum")) this.status = "";
          this.showProgress();
        } catch (err) {
          const retryable = !err.status || err.status === 409 || err.status === 408 ||
                            err.status === 429 || err.status >= 500;
          if (!retryable) {
            this.uploadError = "The upload stopped: " + ClipThat.describe(err);
            this.busy = false;
            return;
          }
          failures++;
          if (failures > MAX_FAILURES) {
            this.uploadError = "The upload keeps failing (" + ClipThat.describe(err) + "). " +
                               "Check your connection and press Retry.";
            this.paused = true;
            this.busy = false;
            return;
          }
          const wait = Math.min(30000, 1000 * 2 ** (failures - 1));
          this.status = "Connection problem (" + ClipThat.describe(err) + "): retrying in " +
                        Math.round(wait / 1000) + " s from what the server has received.";
          await sleep(wait);
          try {
            const vod = await ClipThat.request("GET", "/v1/vods/" + this.vod.id);
            this.received = vod.received_bytes;
            this.status = "Resuming from " + ClipThat.formatBytes(this.received) + ".";
            this.showProgress();
          } catch (_) { /* the next try asks again */ }
        }
      }
      this.status = "Upload complete.";
      this.etaText = "";
      await this.afterUpload();
    },

    async resume() {
      this.paused = false;
      this.uploadError = "";
      this.busy = true;
      try {
        const vod = await ClipThat.request("GET", "/v1/vods/" + this.vod.id);
        this.received = vod.received_bytes;
      } catch (_) { /* runUpload retries */ }
      await this.runUpload();
    },

    async afterUpload() {
      if (this.chatFile) {
        this.status = "Sending the chat replay…";
        const json = /\.json$/i.test(this.chatFile.name) || this.chatFile.type === "application/json";
        try {
          await ClipThat.request("PUT", "/v1/vods/" + this.vod.id + "/chat", this.chatFile,
                                 { contentType: json ? "application/json" : "text/plain" });
          this.readyNote = "Uploaded, with its chat replay.";
        } catch (err) {
          this.readyNote = "Uploaded. The chat replay was refused: " + ClipThat.describe(err) +
                           " (the analysis works without it, from the audio and video).";
        }
      } else {
        this.readyNote = "Uploaded.";
      }
      this.vod = await ClipThat.request("GET", "/v1/vods/" + this.vod.id);
      await this.toAnalyse();
    },

    async importUrl() {
      this.sourceError = "";
      this.busy = true;
      try {
        const body = { url: this.url.trim() };
        if (this.title.trim()) body.title = this.title.trim();
        this.vod = await ClipThat.request("POST", "/v1/vods", body);
      } catch (err) {
        this.busy = false;
        this.sourceError = "Could not import: " + ClipThat.describe(err);
        return;
      }
      this.title = this.vod.title;
      this.step = "import";
      this.status = "The server is fetching the video…";
      for (;;) {
        await sleep(2000);
        try {
          this.vod = await ClipThat.request("GET", "/v1/vods/" + this.vod.id);
        } catch (err) { this.uploadError = ClipThat.describe(err); continue; }
        if (this.vod.status === "ready") { this.readyNote = "Imported."; break; }
        if (this.vod.status === "failed") {
          this.uploadError = "The import failed: " + (this.vod.error || "no reason given");
          this.busy = false;
          return;
        }
        if (this.vod.received_bytes) this.status = "Fetched " + ClipThat.formatBytes(this.vod.received_bytes) + "…";
      }
      await this.toAnalyse();
    },

    async toAnalyse() {
      this.step = "analyse";
      this.busy = false;
      try {
        const page = await ClipThat.request("GET", "/v1/templates");
        this.templates = page.items.map((t) => ({ id: t.id, name: t.name }));
      } catch (_) { this.templates = []; }
      await this.quote();
    },

    async quote() {
      this.needCredits = false;
      this.analyseError = "";
      if (this.renderTop > this.top) this.renderTop = this.top;
      try {
        const q = await ClipThat.request("GET", "/v1/billing/quote?kind=analyze&vod_id=" +
                                         encodeURIComponent(this.vod.id) + "&render_top=" + (this.renderTop || 0));
        this.priceText = "Analysing this VOD" +
          (this.renderTop > 0 ? " and rendering " + this.renderTop + " clip" + (this.renderTop === 1 ? "" : "s") : "") +
          " costs " + q.price + " credit" + (q.price === 1 ? "" : "s") + ". Your balance: " + q.balance + ".";
        if (!q.enough) {
          this.needCredits = true;
          this.analyseError = "Your balance is too low for this.";
        }
      } catch (err) {
        this.priceText = "The price could not be worked out: " + ClipThat.describe(err);
      }
    },

    async analyse() {
      this.analyseError = "";
      this.needCredits = false;
      this.busy = true;
      const body = { top: this.top, render_top: this.renderTop };
      if (this.templateId) body.template_id = this.templateId;
      try {
        const job = await ClipThat.request("POST", "/v1/vods/" + this.vod.id + "/analyze", body);
        forgetUpload(this.vod.id);
        location.assign("/dashboard.html?job=" + encodeURIComponent(job.id));
      } catch (err) {
        this.busy = false;
        if (err.status === 402) {
          this.needCredits = true;
          this.analyseError = "Not enough credits: this costs " + err.body.price + ", your balance is " +
                              err.body.balance + ".";
        } else {
          this.analyseError = ClipThat.describe(err);
        }
      }
    },
  }));
});
