// Brand templates (docs/templates.md): list, create, edit, delete, make default; a live 9:16
// preview of the captions, the logo (uploaded with PUT /v1/logos/{name}, shown from a blob:
// URL) and the title card. Inputs are bounded by GET /v1/formats/limits; the server checks the
// document (fonts included) and a 422 names the field, shown next to it.
"use strict";

// The caption presets' looks (src/captions/caption_style.cc), for the form and the preview.
const PRESETS = {
  bold: { font_family: "Roboto Black", font_size_px: 80, fill_color: "#FFFFFF", active_color: "#FFE500",
          outline_color: "#000000", position_y_fraction: 0.62, uppercase: true, box: false },
  clean: { font_family: "DejaVu Sans", font_size_px: 68, fill_color: "#FFFFFF", active_color: "#00E5FF",
           outline_color: "#000000", position_y_fraction: 0.62, uppercase: false, box: false },
  neon: { font_family: "Roboto Black", font_size_px: 84, fill_color: "#FFFFFF", active_color: "#39FF14",
          outline_color: "#000000", position_y_fraction: 0.62, uppercase: true, box: false },
  minimal: { font_family: "Roboto Medium", font_size_px: 60, fill_color: "#FFFFFF", active_color: "#FFFFFF",
             outline_color: "#000000", position_y_fraction: 0.70, uppercase: false, box: false },
  boxed: { font_family: "Roboto", font_size_px: 72, fill_color: "#FFFFFF", active_color: "#FFD400",
           outline_color: "#000000", position_y_fraction: 0.62, uppercase: true, box: true },
};
const DEFAULT_LIMITS = {
  layouts: ["auto", "fill", "split", "fit"],
  logo_positions: ["top-left", "top-center", "top-right", "middle-left", "middle-right",
                   "bottom-left", "bottom-center", "bottom-right"],
  max_name_bytes: 100, min_logo_width_fraction: 0.02, max_logo_width_fraction: 0.6,
  max_logo_margin_px: 400, min_title_ms: 500, max_title_ms: 15000, min_title_font_px: 16,
  max_title_font_px: 200, max_title_position_y_fraction: 0.7,
};
const REF_W = 1080, REF_H = 1920;

function rgb(hex) { return (hex || "#000000").slice(0, 7).toLowerCase(); }
function cssColor(hex) {
  if (!hex) return "transparent";
  if (hex.length === 9) {
    const a = parseInt(hex.slice(7, 9), 16) / 255;
    const n = parseInt(hex.slice(1, 7), 16);
    return "rgba(" + (n >> 16) + "," + ((n >> 8) & 255) + "," + (n & 255) + "," + a.toFixed(3) + ")";
  }
  return hex;
}

document.addEventListener("alpine:init", () => {
  Alpine.data("templates", () => ({
    loadError: "",
    limits: DEFAULT_LIMITS,
    list: [],
    defaultId: "",
    startPreset: "bold",
    editing: false,
    editId: "",
    editTitle: "",
    busy: false,
    saveError: "",
    saved: "",
    errors: {},

    name: "",
    cap: {},
    capBase: {},
    accent: "#FFE500",
    layout: "auto",
    logoOn: false,
    logo: { path: "", position: "top-right", width_fraction: 0.18, opacity: 0.9, margin_px: 48 },
    logoNote: "",
    logoUrl: "",
    titleOn: false,
    title: { duration_ms: 2500, font_family: "", font_size_px: 64, text_color: "#000000",
             box_color: "#FFFFFF", box_alpha: "", position_y_fraction: 0.12 },

    async init() {
      try { await ClipThat.requireUser(); } catch (err) {
        if (err.status !== 401) this.loadError = ClipThat.describe(err);
        return;
      }
      try {
        const limits = await ClipThat.request("GET", "/v1/formats/limits");
        this.limits = Object.assign({}, DEFAULT_LIMITS, limits.brand_template || {});
      } catch (_) { /* the defaults; the server checks anyway */ }
      await this.load();
      Alpine.effect(() => this.updatePreview());
    },

    async load() {
      try {
        const [page, settings] = await Promise.all([
          ClipThat.request("GET", "/v1/templates"),
          ClipThat.request("GET", "/v1/settings").catch(() => ({})),
        ]);
        this.defaultId = settings.default_template_id || "";
        this.list = page.items.map((t) => ({ id: t.id, name: t.name, isDefault: t.id === this.defaultId }));
      } catch (err) {
        this.loadError = "Could not load your templates: " + ClipThat.describe(err);
      }
    },

    err(field) { return this.errors[field] || ""; },

    fill(doc, name) {
      const captions = doc.captions || {};
      const preset = PRESETS[captions.preset] ? captions.preset : "bold";
      const base = PRESETS[preset];
      this.capBase = base;
      this.cap = {
        preset,
        font_family: captions.font_family || base.font_family,
        font_size_px: captions.font_size_px || base.font_size_px,
        fill_color: rgb(captions.fill_color || base.fill_color),
        active_color: rgb(captions.active_color || doc.accent_color || base.active_color),
        position_y_fraction: captions.position_y_fraction || base.position_y_fraction,
        extra: Object.assign({}, captions),
      };
      this.accent = rgb(doc.accent_color || base.active_color);
      this.layout = doc.default_layout || "auto";
      this.logoOn = !!doc.logo;
      this.logo = Object.assign({ path: "", position: "top-right", width_fraction: 0.18, opacity: 0.9, margin_px: 48 },
                                doc.logo || {});
      this.logoNote = doc.logo ? "Logo: " + doc.logo.path : "";
      this.titleOn = !!(doc.title_card && doc.title_card.enabled !== false);
      const tc = doc.title_card || {};
      this.title = {
        duration_ms: tc.duration_ms || 2500, font_family: tc.font_family || "",
        font_size_px: tc.font_size_px || 64, text_color: rgb(tc.text_color || "#000000"),
        box_color: rgb(tc.box_color || "#FFFFFF"),
        box_alpha: tc.box_color && tc.box_color.length === 9 ? tc.box_color.slice(7) : "",
        position_y_fraction: tc.position_y_fraction != null ? tc.position_y_fraction : 0.12,
      };
      this.name = name;
      this.errors = {};
      this.saveError = this.saved = "";
      this.setLogoUrl("");
      if (doc.logo && doc.logo.path) this.showLogo(doc.logo.path);
    },

    startNew() {
      this.editId = "";
      this.editTitle = "New template";
      this.fill({ version: 1, captions: { preset: this.startPreset } }, "");
      this.editing = true;
      this.$nextTick(() => document.getElementById("t-name").focus());
    },

    async edit(t) {
      try {
        const full = await ClipThat.request("GET", "/v1/templates/" + encodeURIComponent(t.id));
        this.editId = t.id;
        this.editTitle = "Edit " + full.name;
        this.fill(full.document || {}, full.name);
        this.editing = true;
      } catch (err) { this.loadError = "Could not open the template: " + ClipThat.describe(err); }
    },

    cancel() { this.editing = false; this.setLogoUrl(""); },

    presetChanged() {
      const base = PRESETS[this.cap.preset];
      this.capBase = base;
      Object.assign(this.cap, {
        font_family: base.font_family, font_size_px: base.font_size_px, fill_color: rgb(base.fill_color),
        active_color: rgb(base.active_color), position_y_fraction: base.position_y_fraction, extra: {},
      });
    },

    buildDocument() {
      const base = PRESETS[this.cap.preset];
      const captions = Object.assign({}, this.cap.extra || {}, { preset: this.cap.preset });
      // Only what differs from the preset, so a preset's later improvements still apply.
      if (this.cap.font_family.trim() && this.cap.font_family.trim() !== base.font_family) captions.font_family = this.cap.font_family.trim();
      else delete captions.font_family;
      if (Number(this.cap.font_size_px) !== base.font_size_px) captions.font_size_px = Number(this.cap.font_size_px);
      else delete captions.font_size_px;
      if (this.cap.fill_color.toUpperCase() !== base.fill_color) captions.fill_color = this.cap.fill_color.toUpperCase();
      else delete captions.fill_color;
      if (this.cap.active_color.toUpperCase() !== base.active_color) captions.active_color = this.cap.active_color.toUpperCase();
      else delete captions.active_color;
      if (Number(this.cap.position_y_fraction) !== base.position_y_fraction) captions.position_y_fraction = Number(this.cap.position_y_fraction);
      else delete captions.position_y_fraction;
      const doc = { version: 1, captions, accent_color: this.accent.toUpperCase(), default_layout: this.layout };
      if (this.logoOn && this.logo.path) {
        doc.logo = { path: this.logo.path, position: this.logo.position, width_fraction: Number(this.logo.width_fraction),
                     opacity: Number(this.logo.opacity), margin_px: Number(this.logo.margin_px) };
      }
      if (this.titleOn) {
        doc.title_card = { enabled: true, duration_ms: Number(this.title.duration_ms),
                           font_size_px: Number(this.title.font_size_px),
                           text_color: this.title.text_color.toUpperCase(),
                           box_color: this.title.box_color.toUpperCase() + (this.title.box_alpha || ""),
                           position_y_fraction: Number(this.title.position_y_fraction) };
        if (this.title.font_family.trim()) doc.title_card.font_family = this.title.font_family.trim();
      }
      return doc;
    },

    async save() {
      this.saveError = this.saved = "";
      this.errors = {};
      if (!this.name.trim()) { this.errors = { name: "A name is needed." }; return; }
      if (this.logoOn && !this.logo.path) { this.errors = { "logo.path": "Upload a logo image, or untick the logo." }; return; }
      this.busy = true;
      const body = { name: this.name.trim(), document: this.buildDocument() };
      try {
        const t = this.editId
          ? await ClipThat.request("PUT", "/v1/templates/" + encodeURIComponent(this.editId), body)
          : await ClipThat.request("POST", "/v1/templates", body);
        this.editId = t.id;
        this.editTitle = "Edit " + t.name;
        this.saved = "Saved.";
        await this.load();
      } catch (err) {
        if (err.status === 422) {
          // "document.captions.font_family: no installed font named 'X'": put it by the field.
          const m = /^(?:document\.)?([\w.]+): (.*)$/.exec(err.message);
          if (m) this.errors = { [m[1]]: m[2] };
          this.saveError = "Not saved: " + err.message;
        } else {
          this.saveError = "Not saved: " + ClipThat.describe(err);
        }
      } finally {
        this.busy = false;
      }
    },

    async remove(t) {
      if (!window.confirm("Delete the template " + t.name + "?")) return;
      try {
        await ClipThat.request("DELETE", "/v1/templates/" + encodeURIComponent(t.id));
        if (this.editId === t.id) this.cancel();
        await this.load();
      } catch (err) { this.loadError = "Could not delete: " + ClipThat.describe(err); }
    },

    async makeDefault(t) {
      try {
        await ClipThat.request("PUT", "/v1/settings", { default_template_id: t.id });
        await this.load();
      } catch (err) { this.loadError = "Could not make it the default: " + ClipThat.describe(err); }
    },

    async uploadLogo(event) {
      const file = event.target.files[0];
      this.errors = {};
      if (!file) return;
      const max = this.limits.logo_upload_max_bytes || 2 * 1024 * 1024;
      if (file.size > max) { this.errors = { "logo.path": "The image is over " + ClipThat.formatBytes(max) + "." }; return; }
      const name = (file.name.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^[-.]+/, "") || "logo").slice(0, 64);
      this.logoNote = "Uploading " + name + "…";
      try {
        const answer = await ClipThat.request("PUT", "/v1/logos/" + encodeURIComponent(name), file,
                                              { contentType: file.type || "application/octet-stream" });
        this.logo.path = answer.name;
        this.logoNote = "Logo: " + answer.name + " (" + answer.width + "×" + answer.height + ")";
        await this.showLogo(answer.name);
      } catch (err) {
        this.logoNote = "";
        this.errors = { "logo.path": "The logo was refused: " + ClipThat.describe(err) };
      }
    },

    async showLogo(name) {
      try { this.setLogoUrl(await ClipThat.blobUrl("/v1/logos/" + encodeURIComponent(name))); } catch (_) { this.setLogoUrl(""); }
    },
    setLogoUrl(url) {
      if (this.logoUrl) URL.revokeObjectURL(this.logoUrl);
      this.logoUrl = url;
    },

    // The preview is styled from here (element.style), not with style="" (the page's CSP).
    updatePreview() {
      const box = document.getElementById("preview");
      if (!box) return;
      const cap = this.cap, base = PRESETS[cap.preset] || PRESETS.bold;
      const scale = (box.clientWidth || 256) / REF_W;
      const h = (box.clientHeight || 455);
      const caption = document.getElementById("pv-caption");
      caption.style.fontFamily = '"' + (cap.font_family || base.font_family) + '", system-ui, sans-serif';
      caption.style.fontSize = Math.max(6, (Number(cap.font_size_px) || 80) * scale) + "px";
      caption.style.color = cap.fill_color || "#ffffff";
      caption.style.textTransform = base.uppercase ? "uppercase" : "none";
      caption.style.top = ((Number(cap.position_y_fraction) || 0.62) * 100) + "%";
      caption.style.transform = "translateY(-50%)";
      caption.style.textShadow = "0 0 2px #000, 1px 1px 0 #000, -1px -1px 0 #000";
      caption.style.background = base.box ? "rgba(0,0,0,.7)" : "transparent";
      document.getElementById("pv-w2").style.color = cap.active_color || this.accent;

      const title = document.getElementById("pv-title");
      title.hidden = !this.titleOn;
      title.style.top = ((Number(this.title.position_y_fraction) || 0) * 100) + "%";
      title.style.fontSize = Math.max(6, (Number(this.title.font_size_px) || 64) * scale) + "px";
      title.style.fontFamily = '"' + (this.title.font_family || cap.font_family) + '", system-ui, sans-serif';
      title.style.color = this.title.text_color;
      title.style.background = cssColor(this.title.box_color + (this.title.box_alpha || ""));

      const img = document.getElementById("pv-logo");
      const show = this.logoOn && !!this.logoUrl;
      img.hidden = !show;
      if (!show) { img.removeAttribute("src"); return; }
      if (img.getAttribute("src") !== this.logoUrl) img.src = this.logoUrl;
      const margin = (Number(this.logo.margin_px) || 0) * scale;
      const pos = this.logo.position || "top-right";
      img.style.width = (Number(this.logo.width_fraction) * 100) + "%";
      img.style.opacity = String(this.logo.opacity);
      img.style.left = img.style.right = img.style.top = img.style.bottom = "";
      img.style.transform = "";
      if (pos.endsWith("left")) img.style.left = margin + "px";
      else if (pos.endsWith("right")) img.style.right = margin + "px";
      else { img.style.left = "50%"; img.style.transform = "translateX(-50%)"; }
      // Bottom positions sit above the bottom 20% that the platforms cover.
      if (pos.startsWith("top")) img.style.top = margin + "px";
      else if (pos.startsWith("bottom")) img.style.bottom = (h * 0.2 + margin) + "px";
      else { img.style.top = "50%"; img.style.transform = (img.style.transform ? "translate(-50%, -50%)" : "translateY(-50%)"); }
    },
  }));
});
