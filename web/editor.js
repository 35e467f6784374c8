// The clip editor (/editor.html?clip=ID, or ?vod=ID&moment=MOMENT_ID to start a clip from a
// moment). It edits the clip's edit list (docs/edit-list.md) and saves it with PATCH
// /v1/clips/{id}; the API checks it with the renderer's own reader, so what is saved renders.
//
// The source plays from a signed media link (POST /v1/vods/{id}/media-link: a <video> cannot send
// Authorization) by Range requests, so a moment of a long VOD starts at once. Captions are laid
// out by the server's own word grouping (POST /v1/captions/layout) and drawn with the preset's
// values (GET /v1/formats/caption-presets), so lines break where the clip's will.
"use strict";

(function () {
  const C = window.ClipThat, T = window.ClipTimeline;
  const $ = (id) => document.getElementById(id);
  const SNAP_TOLERANCE_MS = 250, VIEW_PAD_MS = 30000, FRAME_MS_DEFAULT = 1000 / 30;

  const S = {
    clip: null, vod: null, limits: null, presets: {}, edit: null, title: "", templateId: "",
    words: [],          // every known word of the VOD around the clip, VOD clock, edits applied
    selected: new Set(), anchor: -1,
    undo: [], redo: [], saveTimer: 0, saving: false, dirty: false,
    lines: [], layoutTimer: 0, style: null,
    viewStart: 0, viewEnd: 1, drag: null, frameMs: FRAME_MS_DEFAULT,
  };

  function showError(message) {
    $("error").textContent = message;
    $("error").hidden = !message;
  }

  // ---- the edit list -------------------------------------------------------------------

  function snapshot() { return JSON.stringify({ edit: S.edit, title: S.title, templateId: S.templateId, words: S.words }); }
  function restore(text) {
    const s = JSON.parse(text);
    S.edit = s.edit; S.title = s.title; S.templateId = s.templateId; S.words = s.words;
    syncControls();
    changed(false);
  }

  // Record the state before a change as one undo step (a whole drag is one step: callers
  // call begin() once, then mutate, then changed()).
  function begin() { S.undo.push(snapshot()); if (S.undo.length > 200) S.undo.shift(); S.redo = []; }
  function undo() { if (S.undo.length) { S.redo.push(snapshot()); restore(S.undo.pop()); } }
  function redo() { if (S.redo.length) { S.undo.push(snapshot()); restore(S.redo.pop()); } }

  function cuts() { return S.edit.cuts || []; }
  function setCuts(list) {
    const merged = T.normaliseCuts(list, S.edit.start_ms, S.edit.end_ms);
    if (merged.length) S.edit.cuts = merged; else delete S.edit.cuts;
  }

  // The document to save: the clip's edit list with the words inside its window.
  function editList() {
    const e = JSON.parse(JSON.stringify(S.edit));
    e.source = "";
    e.title = S.title;
    e.captions = e.captions || {};
    e.captions.words = S.words
      .filter((w) => w.end_ms > e.start_ms && w.start_ms < e.end_ms)
      .map((w) => ({ text: w.text, start_ms: w.start_ms, end_ms: w.end_ms }));
    if (!e.crop_keyframes || e.crop_keyframes.length === 0) delete e.crop_keyframes;
    return e;
  }

  // Something changed: redraw, lay the captions out again, save soon.
  function changed(save) {
    S.dirty = S.dirty || save !== false;
    $("undo").disabled = S.undo.length === 0;
    $("redo").disabled = S.redo.length === 0;
    renderTranscript();
    drawTimeline();
    scheduleLayout();
    if (save !== false) scheduleSave();
    else if (S.undo.length || S.redo.length) scheduleSave();
  }

  function scheduleSave() {
    S.dirty = true;
    $("save-state").textContent = "Unsaved changes";
    clearTimeout(S.saveTimer);
    S.saveTimer = setTimeout(save, 800);
  }

  async function save() {
    clearTimeout(S.saveTimer);
    if (S.saving) { S.saveTimer = setTimeout(save, 300); return false; }
    if (!S.dirty) return true;
    S.saving = true;
    S.dirty = false;
    $("save-state").textContent = "Saving…";
    try {
      const body = { edit_list: editList(), title: S.title, template_id: S.templateId };
      S.clip = await C.request("PATCH", "/v1/clips/" + S.clip.id, body);
      $("save-state").textContent = "Saved";
      showError("");
      return true;
    } catch (err) {
      S.dirty = true;
      $("save-state").textContent = "Not saved";
      showError("Not saved: " + err.message);
      return false;
    } finally {
      S.saving = false;
    }
  }

  // ---- captions ------------------------------------------------------------------------

  function captionStyleDoc() {
    return (S.edit.captions && S.edit.captions.style) || { preset: "bold" };
  }

  function scheduleLayout() {
    clearTimeout(S.layoutTimer);
    S.layoutTimer = setTimeout(layoutCaptions, 150);
  }

  async function layoutCaptions() {
    const words = T.outputWords(S.words, S.edit.start_ms, S.edit.end_ms, cuts());
    try {
      const res = await C.request("POST", "/v1/captions/layout", { style: captionStyleDoc(), words });
      S.lines = res.lines;
      S.style = res.style;
      showError("");
    } catch (err) {
      showError("Captions: " + err.message);
    }
  }

  // "#RRGGBBAA" -> a CSS colour.
  function css(rgba) {
    if (!rgba) return "transparent";
    const a = rgba.length >= 9 ? parseInt(rgba.slice(7, 9), 16) / 255 : 1;
    return `rgba(${parseInt(rgba.slice(1, 3), 16)},${parseInt(rgba.slice(3, 5), 16)},${parseInt(rgba.slice(5, 7), 16)},${a.toFixed(3)})`;
  }

  // Draws the caption block showing at output time outMs over the preview, as the renderer's
  // karaoke writer does: the block's lines stacked, centred at position_y_fraction, the spoken
  // word in the active colour (popped when the animation is "pop").
  function drawCaptions(outMs) {
    const box = $("captions");
    const enabled = !S.edit.captions || S.edit.captions.enabled !== false;
    const style = S.style;
    box.textContent = "";
    if (!enabled || !style) return;
    const showing = S.lines.filter((l) => outMs >= l.start_ms && outMs < l.end_ms);
    if (showing.length === 0) return;
    const block = showing[0].block;
    const lines = S.lines.filter((l) => l.block === block && outMs >= l.start_ms && outMs < l.end_ms);
    // The highlighted word, timed as the karaoke writer times it: from its start until the next
    // word starts, at most highlight_hold_ms past its end; the pop grows over pop_up_ms and is
    // gone by pop_down_ms.
    const k = S.karaoke || { highlight_hold_ms: 300, pop_up_ms: 90, pop_down_ms: 200 };
    const blockWords = lines.flatMap((l) => l.words);
    const blockEnd = Math.max(...lines.map((l) => l.end_ms));
    let active = null;
    blockWords.forEach((w, i) => {
      const until = Math.min(blockEnd, i + 1 < blockWords.length ? blockWords[i + 1].start_ms : blockEnd,
                             Math.max(w.start_ms, w.end_ms) + k.highlight_hold_ms);
      if (outMs >= w.start_ms && outMs < until) active = w;
    });
    const since = active ? outMs - active.start_ms : 0;
    const popScale = since < k.pop_up_ms ? 1 + (style.active_scale - 1) * since / k.pop_up_ms
      : since < k.pop_down_ms ? style.active_scale - (style.active_scale - 1) * (since - k.pop_up_ms) / (k.pop_down_ms - k.pop_up_ms)
      : 1;
    // libass sizes a font by its line height (ascent + descent), not its em: about 1.17 em for
    // the fonts the presets use (Roboto, DejaVu Sans), so the CSS em is the ASS size / 1.17.
    const h = $("preview-box").clientHeight, scale = h / 1920, emPerSize = 1 / 1.17;
    box.style.top = (style.position_y_fraction * 100) + "%";
    box.style.left = (style.margin_x_fraction * 100) + "%";
    box.style.right = (style.margin_x_fraction * 100) + "%";
    box.style.fontFamily = `"${style.font_family}", sans-serif`;
    box.style.fontWeight = style.bold ? "700" : "400";  // ASS bold; "Roboto Black" is its own family
    box.style.fontSize = (style.font_size_px * scale * emPerSize) + "px";
    for (const line of lines) {
      const div = document.createElement("div");
      div.className = "caption-line";
      if (style.box_background) {
        div.style.background = css(style.outline_color);
        div.style.padding = `0 ${style.outline_px * scale}px`;
      }
      line.words.forEach((w, i) => {
        if (i > 0) div.appendChild(document.createTextNode(" "));
        const span = document.createElement("span");
        span.textContent = w.text;
        const isActive = w === active;
        span.style.color = css(isActive ? style.active_color : style.fill_color);
        if (!style.box_background && style.outline_px > 0) {
          span.style.webkitTextStroke = `${2 * style.outline_px * scale}px ${css(style.outline_color)}`;
        }
        if (style.shadow_px > 0) {
          span.style.textShadow = `${style.shadow_px * scale}px ${style.shadow_px * scale}px ${style.blur_px * scale}px ${css(style.shadow_color)}`;
        }
        if (isActive && style.animation === "pop" && popScale > 1) {
          span.style.display = "inline-block";
          span.style.transform = `scale(${popScale})`;
        }
        div.appendChild(span);
      });
      box.appendChild(div);
    }
  }

  // ---- the preview ---------------------------------------------------------------------

  function frameSize() {
    return { w: S.vod.width || $("video").videoWidth || 1920, h: S.vod.height || $("video").videoHeight || 1080 };
  }
  function layoutMode() {
    const l = S.edit.layout;
    return typeof l === "string" ? l : (l && l.mode) || "auto";
  }
  function fillCropAt(vodMs) {
    const { w, h } = frameSize();
    const kf = T.cropAt(S.edit.crop_keyframes, vodMs);
    const base = T.centredRect(w, h, 9 / 16);
    if (!kf) return base;
    // A keyframe of another size is rescaled about its centre to the fill crop's size.
    const cx = kf.x + kf.width / 2, cy = kf.y + kf.height / 2;
    return { x: Math.round(Math.min(Math.max(cx - base.width / 2, 0), w - base.width)),
             y: Math.round(Math.min(Math.max(cy - base.height / 2, 0), h - base.height)),
             width: base.width, height: base.height };
  }
  function facecamRect() {
    const { w, h } = frameSize();
    const l = S.edit.layout;
    if (l && typeof l === "object" && l.facecam) return l.facecam;
    return { x: 0, y: Math.round(h * 0.6), width: Math.round(w * 0.3), height: Math.round(h * 0.4) };
  }

  function drawPreview() {
    const video = $("video"), canvas = $("preview"), g = canvas.getContext("2d");
    const W = canvas.width, H = canvas.height;
    g.fillStyle = "#000";
    g.fillRect(0, 0, W, H);
    if (video.readyState < 2) return;
    const vodMs = video.currentTime * 1000;
    const mode = layoutMode();
    const { w, h } = frameSize();
    if (mode === "split") {
      const top = Math.round(H * 0.38);
      const face = T.trimToAspect(facecamRect(), W / top);
      g.drawImage(video, face.x, face.y, face.width, face.height, 0, 0, W, top);
      const game = T.centredRect(w, h, W / (H - top));
      g.drawImage(video, game.x, game.y, game.width, game.height, 0, top, W, H - top);
    } else if (mode === "fit") {
      g.save();
      g.filter = "blur(16px) brightness(0.45)";
      const bg = T.centredRect(w, h, W / H);
      g.drawImage(video, bg.x, bg.y, bg.width, bg.height, 0, 0, W, H);
      g.restore();
      const fh = Math.round(W * h / w);
      g.drawImage(video, 0, 0, w, h, 0, Math.round((H - fh) / 2), W, fh);
    } else {
      const crop = fillCropAt(vodMs);
      g.drawImage(video, crop.x, crop.y, crop.width, crop.height, 0, 0, W, H);
    }
  }

  // The crop and facecam boxes over the source, in percent of the frame.
  function placeBox(el, rect) {
    const { w, h } = frameSize();
    el.style.left = (rect.x / w * 100) + "%";
    el.style.top = (rect.y / h * 100) + "%";
    el.style.width = (rect.width / w * 100) + "%";
    el.style.height = (rect.height / h * 100) + "%";
  }
  function drawBoxes(vodMs) {
    const mode = layoutMode();
    const showCrop = mode === "fill" || (mode === "auto" && S.edit.crop_keyframes && S.edit.crop_keyframes.length);
    $("crop").hidden = !(mode === "fill" || mode === "auto");
    $("facecam").hidden = mode !== "split";
    if (!$("crop").hidden) placeBox($("crop"), fillCropAt(vodMs));
    $("crop").classList.toggle("keyed", !!showCrop && !!(S.edit.crop_keyframes || []).length);
    if (mode === "split") placeBox($("facecam"), facecamRect());
    const n = (S.edit.crop_keyframes || []).length;
    $("crop-note").textContent = mode === "split" ? "Drag the facecam box over the streamer's camera; its corner resizes it."
      : mode === "fit" ? "The whole frame is shown."
      : n ? `${n} crop keyframe${n > 1 ? "s" : ""}: the crop moves between them.`
      : "The crop follows the streamer's face. Drag the box to fix it at a moment.";
  }

  // ---- playback ------------------------------------------------------------------------

  function tick() {
    const video = $("video");
    if (S.edit) {
      const vodMs = video.currentTime * 1000;
      if (!video.paused) {
        const cut = T.cutAt(vodMs, cuts());
        if (cut) video.currentTime = cut.end_ms / 1000;
        else if (vodMs >= S.edit.end_ms) { video.pause(); video.currentTime = S.edit.start_ms / 1000; }
      }
      const outMs = T.vodToOutput(vodMs, S.edit.start_ms, S.edit.end_ms, cuts());
      $("time").textContent = `${C.formatMs(outMs)} / ${C.formatMs(T.keptMs(S.edit.start_ms, S.edit.end_ms, cuts()))}`;
      $("play").textContent = video.paused ? "Play" : "Pause";
      drawPreview();
      drawCaptions(outMs);
      drawBoxes(vodMs);
      drawPlayhead();
    }
    requestAnimationFrame(tick);
  }

  function togglePlay() {
    const video = $("video");
    if (video.paused) {
      const ms = video.currentTime * 1000;
      if (ms < S.edit.start_ms || ms >= S.edit.end_ms - 50) video.currentTime = S.edit.start_ms / 1000;
      video.play().catch((err) => showError("Playback: " + err.message));
    } else {
      video.pause();
    }
  }
  function seekMs(ms) { $("video").currentTime = Math.max(0, ms) / 1000; }
  function stepFrames(n) { $("video").pause(); seekMs($("video").currentTime * 1000 + n * S.frameMs); }

  // ---- the timeline --------------------------------------------------------------------

  function setView() {
    S.viewStart = Math.max(0, S.edit.start_ms - VIEW_PAD_MS);
    S.viewEnd = Math.min(S.vod.duration_ms || S.edit.end_ms + VIEW_PAD_MS, S.edit.end_ms + VIEW_PAD_MS);
  }
  function xOf(ms, width) { return (ms - S.viewStart) / (S.viewEnd - S.viewStart) * width; }
  function msOf(x, width) { return S.viewStart + x / width * (S.viewEnd - S.viewStart); }

  function drawTimeline() {
    const canvas = $("timeline");
    const width = canvas.clientWidth;
    if (canvas.width !== width) canvas.width = width;
    const g = canvas.getContext("2d"), H = canvas.height;
    g.clearRect(0, 0, width, H);
    g.fillStyle = "#23262e";
    g.fillRect(0, 0, width, H);
    const a = xOf(S.edit.start_ms, width), b = xOf(S.edit.end_ms, width);
    g.fillStyle = "#2f6fed55";
    g.fillRect(a, 0, b - a, H);
    g.fillStyle = "#e5484d88";
    for (const c of cuts()) g.fillRect(xOf(c.start_ms, width), 0, xOf(c.end_ms, width) - xOf(c.start_ms, width), H);
    g.fillStyle = "#c9d1d9";
    for (const w of S.words) {
      if (w.end_ms < S.viewStart || w.start_ms > S.viewEnd) continue;
      g.fillRect(xOf(w.start_ms, width), H - 18, Math.max(1, xOf(w.end_ms, width) - xOf(w.start_ms, width)), 8);
    }
    g.fillStyle = "#2f6fed";
    g.fillRect(a - 3, 0, 6, H);
    g.fillRect(b - 3, 0, 6, H);
    g.fillStyle = "#9aa4b2";
    g.font = "11px system-ui, sans-serif";
    g.fillText(C.formatMs(S.viewStart), 4, 12);
    const endLabel = C.formatMs(S.viewEnd);
    g.fillText(endLabel, width - g.measureText(endLabel).width - 4, 12);
    S.timelineImage = g.getImageData(0, 0, width, H);
  }
  function drawPlayhead() {
    const canvas = $("timeline"), g = canvas.getContext("2d");
    if (!S.timelineImage || S.timelineImage.width !== canvas.width) drawTimeline();
    g.putImageData(S.timelineImage, 0, 0);
    const x = xOf($("video").currentTime * 1000, canvas.width);
    g.fillStyle = "#ffffff";
    g.fillRect(x - 1, 0, 2, canvas.height);
  }

  function clampWindow(startMs, endMs, moving) {
    const min = S.limits.edit_list.min_clip_ms || 1000, max = S.limits.edit_list.max_clip_ms || 180000;
    const dur = S.vod.duration_ms || Infinity;
    startMs = Math.max(0, Math.round(startMs));
    endMs = Math.min(dur, Math.round(endMs));
    // The kept length (cuts left out) within the clip limits, and the whole window within the
    // longest window the renderer decodes.
    const maxWindow = S.limits.edit_list.max_window_ms || Infinity;
    const tooLong = (s, e) => T.keptMs(s, e, cuts()) > max || e - s > maxWindow;
    const kept = (s, e) => T.keptMs(s, e, cuts());
    if (moving === "start") {
      while (kept(startMs, endMs) < min && startMs > 0) startMs -= 10;
      while (tooLong(startMs, endMs)) startMs += 10;
    } else {
      while (kept(startMs, endMs) < min && endMs < dur) endMs += 10;
      while (tooLong(startMs, endMs)) endMs -= 10;
    }
    return [startMs, endMs];
  }

  function onTimelineDown(ev) {
    const canvas = $("timeline"), rect = canvas.getBoundingClientRect();
    const x = ev.clientX - rect.left;
    const a = xOf(S.edit.start_ms, canvas.width), b = xOf(S.edit.end_ms, canvas.width);
    if (Math.abs(x - a) <= 8 || Math.abs(x - b) <= 8) {
      begin();
      S.drag = { kind: Math.abs(x - a) <= Math.abs(x - b) ? "start" : "end" };
      canvas.setPointerCapture(ev.pointerId);
    } else {
      seekMs(msOf(x, canvas.width));
    }
  }
  function onTimelineMove(ev) {
    if (!S.drag || (S.drag.kind !== "start" && S.drag.kind !== "end")) return;
    const canvas = $("timeline"), rect = canvas.getBoundingClientRect();
    let ms = msOf(ev.clientX - rect.left, canvas.width);
    if (!ev.altKey) {
      const tolerance = SNAP_TOLERANCE_MS * Math.max(1, (S.viewEnd - S.viewStart) / 120000);
      ms = T.snap(ms, S.words, S.drag.kind, tolerance, 300);
    }
    let [s, e] = S.drag.kind === "start" ? [ms, S.edit.end_ms] : [S.edit.start_ms, ms];
    [s, e] = clampWindow(s, e, S.drag.kind);
    S.edit.start_ms = s; S.edit.end_ms = e;
    setCuts(cuts());
    seekMs(S.drag.kind === "start" ? s : e - 1);
    drawTimeline();
  }
  // Keyboard trimming: I puts the clip's start, O its end, at the playhead (snapped to words).
  function setEdgeAtPlayhead(edge) {
    let ms = $("video").currentTime * 1000;
    ms = T.snap(ms, S.words, edge, SNAP_TOLERANCE_MS, 300);
    begin();
    let [s, e] = edge === "start" ? [ms, S.edit.end_ms] : [S.edit.start_ms, ms];
    if (e <= s) { S.undo.pop(); showError("The clip's start must come before its end."); return; }
    [s, e] = clampWindow(s, e, edge);
    S.edit.start_ms = s; S.edit.end_ms = e;
    setCuts(cuts());
    setView();
    loadWordsAround();
    changed();
  }

  function onTimelineUp() {
    if (!S.drag) return;
    S.drag = null;
    setView();
    loadWordsAround();
    changed();
  }

  // ---- the crop and facecam boxes ------------------------------------------------------

  function startBoxDrag(ev, kind) {
    ev.preventDefault();
    const box = $("source-box").getBoundingClientRect();
    const { w, h } = frameSize();
    begin();
    S.drag = { kind, x0: ev.clientX, y0: ev.clientY, sx: w / box.width, sy: h / box.height,
               crop: fillCropAt($("video").currentTime * 1000), face: Object.assign({}, facecamRect()) };
    ev.target.setPointerCapture(ev.pointerId);
  }
  function moveBox(ev) {
    const d = S.drag;
    if (!d || !["crop", "facecam", "facecam-resize"].includes(d.kind)) return;
    const { w, h } = frameSize();
    const dx = (ev.clientX - d.x0) * d.sx, dy = (ev.clientY - d.y0) * d.sy;
    if (d.kind === "crop") {
      const c = d.crop;
      const kf = { t_ms: Math.round($("video").currentTime * 1000),
                   x: Math.round(Math.min(Math.max(c.x + dx, 0), w - c.width)),
                   y: Math.round(Math.min(Math.max(c.y + dy, 0), h - c.height)), width: c.width, height: c.height };
      S.edit.crop_keyframes = T.setKeyframe(S.edit.crop_keyframes, kf, 100);
      if (layoutMode() === "auto") S.edit.layout = { mode: "fill" };
    } else {
      const f = Object.assign({}, d.face);
      if (d.kind === "facecam") {
        f.x = Math.round(Math.min(Math.max(f.x + dx, 0), w - f.width));
        f.y = Math.round(Math.min(Math.max(f.y + dy, 0), h - f.height));
      } else {
        f.width = Math.round(Math.min(Math.max(f.width + dx, 32), w - f.x));
        f.height = Math.round(Math.min(Math.max(f.height + dy, 32), h - f.y));
      }
      S.edit.layout = { mode: "split", facecam: f };
    }
  }
  function endBoxDrag() {
    if (!S.drag || !["crop", "facecam", "facecam-resize"].includes(S.drag.kind)) return;
    S.drag = null;
    changed();
  }
  function nudgeCrop(ev) {
    const step = ev.shiftKey ? 40 : 8;
    const dx = ev.key === "ArrowLeft" ? -step : ev.key === "ArrowRight" ? step : 0;
    if (!dx) return;
    ev.preventDefault();
    const { w } = frameSize();
    const c = fillCropAt($("video").currentTime * 1000);
    begin();
    S.edit.crop_keyframes = T.setKeyframe(S.edit.crop_keyframes, {
      t_ms: Math.round($("video").currentTime * 1000), x: Math.min(Math.max(c.x + dx, 0), w - c.width),
      y: c.y, width: c.width, height: c.height }, 100);
    if (layoutMode() === "auto") S.edit.layout = { mode: "fill" };
    changed();
  }

  // ---- the transcript ------------------------------------------------------------------

  function renderTranscript() {
    const root = $("transcript");
    root.textContent = "";
    const list = cuts();
    S.words.forEach((w, i) => {
      if (w.end_ms <= S.edit.start_ms || w.start_ms >= S.edit.end_ms) return;
      const span = document.createElement("span");
      span.className = "word";
      span.tabIndex = 0;
      span.dataset.index = String(i);
      span.textContent = w.text;
      span.title = `${C.formatMs(w.start_ms)} (${w.start_ms}–${w.end_ms} ms)`;
      const cut = list.some((c) => w.start_ms >= c.start_ms && w.end_ms <= c.end_ms);
      if (cut) span.classList.add("cut");
      if (S.selected.has(i)) span.classList.add("selected");
      root.appendChild(span);
      root.appendChild(document.createTextNode(" "));
    });
  }

  function selectWord(i, extend) {
    if (extend && S.anchor >= 0) {
      S.selected = new Set();
      for (let k = Math.min(S.anchor, i); k <= Math.max(S.anchor, i); k++) S.selected.add(k);
    } else {
      S.selected = new Set([i]);
      S.anchor = i;
    }
    seekMs(S.words[i].start_ms);
    renderTranscript();
  }

  function selectedRange() {
    const idx = [...S.selected].sort((a, b) => a - b);
    if (!idx.length) return null;
    return { start_ms: S.words[idx[0]].start_ms, end_ms: S.words[idx[idx.length - 1]].end_ms };
  }

  function cutSelection() {
    const r = selectedRange();
    if (!r) return;
    begin();
    setCuts(cuts().concat([r]));
    if (T.keptMs(S.edit.start_ms, S.edit.end_ms, cuts()) < (S.limits.edit_list.min_clip_ms || 1000)) {
      restore(S.undo.pop());
      showError("That would leave the clip shorter than its minimum length.");
      return;
    }
    changed();
  }

  function restoreSelection() {
    const r = selectedRange();
    if (!r) return;
    begin();
    const kept = [];
    for (const c of cuts()) {
      if (c.end_ms <= r.start_ms || c.start_ms >= r.end_ms) { kept.push(c); continue; }
      if (c.start_ms < r.start_ms) kept.push({ start_ms: c.start_ms, end_ms: r.start_ms });
      if (c.end_ms > r.end_ms) kept.push({ start_ms: r.end_ms, end_ms: c.end_ms });
    }
    setCuts(kept);
    changed();
  }

  function nudgeSelected(deltaMs) {
    if (S.selected.size !== 1) { showError("Select one word to move its timing."); return; }
    const i = [...S.selected][0], w = S.words[i];
    begin();
    const prevEnd = i > 0 ? S.words[i - 1].end_ms : 0;
    const nextStart = i + 1 < S.words.length ? S.words[i + 1].start_ms : Infinity;
    const len = w.end_ms - w.start_ms;
    const start = Math.min(Math.max(w.start_ms + deltaMs, prevEnd), nextStart - len);
    w.start_ms = start; w.end_ms = start + len;
    changed();
  }

  function editWord(span) {
    const i = Number(span.dataset.index), w = S.words[i];
    const input = document.createElement("input");
    input.className = "word-input";
    input.value = w.text;
    input.setAttribute("aria-label", "Correct the word");
    span.replaceWith(input);
    input.focus();
    input.select();
    let done = false;
    const finish = (keep) => {
      if (done) return;
      done = true;
      const text = input.value.trim();
      if (keep && text && text !== w.text && new TextEncoder().encode(text).length <= 200) {
        begin();
        S.words[i].text = text;  // the timing stays
        changed();
      } else {
        renderTranscript();
      }
    };
    input.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter") finish(true);
      if (ev.key === "Escape") finish(false);
      ev.stopPropagation();
    });
    input.addEventListener("blur", () => finish(true));
  }

  // Words of the VOD's moments around the view, merged into S.words (so an extended clip gets
  // the captions the analysis heard there).
  function mergeWords(list) {
    const seen = new Set(S.words.map((w) => w.start_ms + ":" + w.text));
    for (const w of list) {
      if (typeof w.start_ms !== "number" || typeof w.end_ms !== "number" || typeof w.text !== "string") continue;
      const key = w.start_ms + ":" + w.text;
      if (seen.has(key)) continue;
      seen.add(key);
      S.words.push({ text: w.text, start_ms: w.start_ms, end_ms: w.end_ms });
    }
    S.words.sort((a, b) => a.start_ms - b.start_ms || a.end_ms - b.end_ms);
  }
  function loadWordsAround() {
    const before = S.words.length;
    for (const m of S.moments || []) {
      if (m.end_ms < S.viewStart || m.start_ms > S.viewEnd) continue;
      const words = (m.data && m.data.words) || [];
      mergeWords(words.filter((w) => w.end_ms >= S.viewStart && w.start_ms <= S.viewEnd));
    }
    if (S.words.length !== before) S.selected = new Set();
  }

  // ---- controls ------------------------------------------------------------------------

  function syncControls() {
    $("title").value = S.title;
    $("layout").value = layoutMode();
    const style = captionStyleDoc();
    const preset = S.presets[style.preset || "bold"] || S.presets.bold || {};
    $("preset").value = style.preset || "bold";
    const pick = (field) => (style[field] !== undefined ? style[field] : preset[field]);
    $("active-color").value = String(pick("active_color") || "#FFE500").slice(0, 7).toLowerCase();
    $("fill-color").value = String(pick("fill_color") || "#FFFFFF").slice(0, 7).toLowerCase();
    $("font-size").value = pick("font_size_px") || 80;
    $("position-y").value = pick("position_y_fraction") || 0.62;
    $("words-per-line").value = pick("max_words_per_line") || 3;
    $("captions-on").checked = !S.edit.captions || S.edit.captions.enabled !== false;
    $("template").value = S.templateId ? "user:" + S.templateId : "builtin:" + (S.edit.template || "default");
  }

  function setStyle(field, value) {
    begin();
    S.edit.captions = S.edit.captions || {};
    const style = Object.assign({ preset: "bold" }, S.edit.captions.style || {});
    if (field === "preset") {
      S.edit.captions.style = { preset: value };
    } else {
      style[field] = value;
      S.edit.captions.style = style;
    }
    syncControls();
    changed();
  }

  function bindControls() {
    $("title").addEventListener("focus", () => { S.titleBefore = snapshot(); });
    $("title").addEventListener("input", () => { S.title = $("title").value; scheduleSave(); });
    $("title").addEventListener("change", () => {
      if (S.titleBefore) { S.undo.push(S.titleBefore); S.redo = []; S.titleBefore = null; }
      changed();
    });
    $("layout").addEventListener("change", () => {
      begin();
      const mode = $("layout").value;
      S.edit.layout = mode === "split" ? { mode, facecam: facecamRect() } : { mode };
      changed();
    });
    $("clear-crop").addEventListener("click", () => { begin(); delete S.edit.crop_keyframes; changed(); });
    $("preset").addEventListener("change", () => setStyle("preset", $("preset").value));
    $("active-color").addEventListener("change", () => setStyle("active_color", $("active-color").value.toUpperCase()));
    $("fill-color").addEventListener("change", () => setStyle("fill_color", $("fill-color").value.toUpperCase()));
    $("font-size").addEventListener("change", () => setStyle("font_size_px", Number($("font-size").value)));
    $("position-y").addEventListener("change", () => setStyle("position_y_fraction", Number($("position-y").value)));
    $("words-per-line").addEventListener("change", () => setStyle("max_words_per_line", Number($("words-per-line").value)));
    $("captions-on").addEventListener("change", () => {
      begin();
      S.edit.captions = Object.assign(S.edit.captions || {}, { enabled: $("captions-on").checked });
      changed();
    });
    $("template").addEventListener("change", () => {
      begin();
      const [kind, id] = $("template").value.split(/:(.*)/s);
      if (kind === "user") { S.templateId = id; delete S.edit.template; }
      else { S.templateId = ""; S.edit.template = id; }
      changed();
    });
    $("undo").addEventListener("click", undo);
    $("redo").addEventListener("click", redo);
    $("play").addEventListener("click", togglePlay);
    $("frame-back").addEventListener("click", () => stepFrames(-1));
    $("frame-forward").addEventListener("click", () => stepFrames(1));
    $("cut-words").addEventListener("click", cutSelection);
    $("restore-words").addEventListener("click", restoreSelection);
    $("nudge-earlier").addEventListener("click", () => nudgeSelected(-50));
    $("nudge-later").addEventListener("click", () => nudgeSelected(50));
    $("render").addEventListener("click", renderClip);

    const timeline = $("timeline");
    timeline.addEventListener("pointerdown", onTimelineDown);
    timeline.addEventListener("pointermove", onTimelineMove);
    timeline.addEventListener("pointerup", onTimelineUp);
    timeline.addEventListener("keydown", (ev) => {
      if (ev.key === "ArrowLeft" || ev.key === "ArrowRight") {
        ev.preventDefault();
        seekMs($("video").currentTime * 1000 + (ev.key === "ArrowLeft" ? -1000 : 1000));
      }
    });
    $("crop").addEventListener("pointerdown", (ev) => startBoxDrag(ev, "crop"));
    $("crop").addEventListener("keydown", nudgeCrop);
    $("facecam").addEventListener("pointerdown", (ev) => {
      startBoxDrag(ev, ev.target.id === "facecam-resize" ? "facecam-resize" : "facecam");
    });
    for (const id of ["crop", "facecam"]) {
      $(id).addEventListener("pointermove", moveBox);
      $(id).addEventListener("pointerup", endBoxDrag);
    }

    const transcript = $("transcript");
    transcript.addEventListener("click", (ev) => {
      if (ev.target.classList.contains("word")) selectWord(Number(ev.target.dataset.index), ev.shiftKey);
    });
    transcript.addEventListener("dblclick", (ev) => {
      if (ev.target.classList.contains("word")) editWord(ev.target);
    });
    transcript.addEventListener("keydown", (ev) => {
      if (ev.target.classList.contains("word") && ev.key === "Enter") editWord(ev.target);
      if (ev.target.classList.contains("word") && ev.key === " ") {
        ev.preventDefault();
        selectWord(Number(ev.target.dataset.index), ev.shiftKey);
      }
    });

    document.addEventListener("keydown", (ev) => {
      const tag = (ev.target.tagName || "").toLowerCase();
      if (tag === "input" || tag === "select" || tag === "textarea") return;
      const video = $("video");
      if ((ev.ctrlKey || ev.metaKey) && ev.key.toLowerCase() === "z") {
        ev.preventDefault();
        if (ev.shiftKey) redo(); else undo();
        return;
      }
      if ((ev.ctrlKey || ev.metaKey) && ev.key.toLowerCase() === "y") { ev.preventDefault(); redo(); return; }
      if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
      if (ev.key === " " && ev.target.classList && ev.target.classList.contains("word")) return;
      switch (ev.key) {
        case " ": ev.preventDefault(); togglePlay(); break;
        case "k": case "K": video.pause(); video.playbackRate = 1; break;
        case "j": case "J": video.pause(); seekMs(video.currentTime * 1000 - 2000); break;
        case "l": case "L":
          if (video.paused) togglePlay(); else video.playbackRate = Math.min(4, video.playbackRate * 2);
          break;
        case "i": case "I": setEdgeAtPlayhead("start"); break;
        case "o": case "O": setEdgeAtPlayhead("end"); break;
        case ",": stepFrames(-1); break;
        case ".": stepFrames(1); break;
        case "Delete": case "Backspace": if (S.selected.size) { ev.preventDefault(); cutSelection(); } break;
        default: break;
      }
    });
    window.addEventListener("beforeunload", (ev) => {
      if (S.dirty) { save(); ev.preventDefault(); }
    });
  }

  // ---- rendering -----------------------------------------------------------------------

  async function renderClip() {
    $("render").disabled = true;
    $("render-status").textContent = "Saving…";
    $("download").hidden = true;
    try {
      if (!(await save())) throw new Error("the edit could not be saved");
      const job = await C.request("POST", "/v1/clips/" + S.clip.id + "/render");
      $("render-progress").hidden = false;
      $("render-status").textContent = "Queued: you may leave; the clip appears on the dashboard when done.";
      await C.streamEvents("/v1/jobs/" + job.id + "/events", (name, data) => {
        $("render-progress").value = data.progress || 0;
        if (data.status === "running") $("render-status").textContent = `Rendering: ${data.stage || ""} ${Math.round((data.progress || 0) * 100)}%`;
        if (name === "state") {
          if (data.status === "succeeded") {
            $("render-status").textContent = "Rendered.";
            $("download").hidden = false;
          } else {
            $("render-status").textContent = `Render ${data.status}: ${data.error || "no reason given"}`;
          }
        }
      });
    } catch (err) {
      $("render-status").textContent = err.status === 402
        ? "Not enough credits for a render: buy some on the Credits page."
        : "Render: " + err.message;
    } finally {
      $("render").disabled = false;
    }
  }

  async function download(ev) {
    ev.preventDefault();
    const res = await fetch("/v1/clips/" + S.clip.id + "/download", { headers: { Authorization: "Bearer " + C.token() } });
    if (!res.ok) { showError("Download failed (" + res.status + ")"); return; }
    const url = URL.createObjectURL(await res.blob());
    const a = document.createElement("a");
    a.href = url;
    a.download = (S.title || "clip").replace(/[^\w.-]+/g, "_").slice(0, 60) + ".mp4";
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  }

  // ---- start ---------------------------------------------------------------------------

  async function mediaLink() {
    const link = await C.request("POST", "/v1/vods/" + S.vod.id + "/media-link");
    return link.url;
  }

  async function start() {
    await C.requireUser();
    let clipId = C.param("clip");
    if (!clipId) {
      const vodId = C.param("vod"), momentId = C.param("moment");
      if (!vodId || !momentId) throw new Error("open the editor from a clip or a moment");
      const clip = await C.request("POST", "/v1/clips", { vod_id: vodId, moment_id: momentId });
      history.replaceState(null, "", "/editor.html?clip=" + encodeURIComponent(clip.id));
      clipId = clip.id;
    }
    S.clip = await C.request("GET", "/v1/clips/" + encodeURIComponent(clipId));
    const [vod, limits, presets, templates, moments] = await Promise.all([
      C.request("GET", "/v1/vods/" + S.clip.vod_id),
      C.request("GET", "/v1/formats/limits"),
      C.request("GET", "/v1/formats/caption-presets"),
      C.request("GET", "/v1/templates?limit=100").catch(() => ({ items: [] })),
      C.request("GET", "/v1/vods/" + S.clip.vod_id + "/moments").catch(() => ({ items: [] })),
    ]);
    S.vod = vod; S.limits = limits; S.presets = presets.presets; S.karaoke = presets.karaoke;
    S.moments = moments.items || moments.moments || [];
    S.edit = S.clip.edit_list || {};
    S.title = S.clip.title || S.edit.title || "";
    S.templateId = S.clip.template_id || "";
    S.words = ((S.edit.captions && S.edit.captions.words) || []).map((w) => ({ text: w.text, start_ms: w.start_ms, end_ms: w.end_ms }));
    if (S.edit.output && S.edit.output.fps) S.frameMs = 1000 / S.edit.output.fps;

    for (const name of Object.keys(S.presets)) $("preset").add(new Option(name, name));
    for (const id of limits.builtin_templates || ["default"]) $("template").add(new Option("Built-in: " + id, "builtin:" + id));
    for (const t of templates.items || []) $("template").add(new Option(t.name, "user:" + t.id));

    setView();
    loadWordsAround();
    syncControls();
    changed(false);
    $("save-state").textContent = "Saved";
    S.dirty = false;
    $("download").addEventListener("click", download);
    if (S.clip.has_output) $("download").hidden = false;

    const video = $("video");
    video.addEventListener("error", async () => {
      // An expired link: ask for a new one and carry on where playback was.
      const at = video.currentTime;
      try { video.src = await mediaLink(); video.currentTime = at; } catch (err) { showError("Playback: " + err.message); }
    }, { once: true });
    video.src = await mediaLink();
    video.currentTime = S.edit.start_ms / 1000;
    bindControls();
    requestAnimationFrame(tick);
  }

  start().catch((err) => {
    showError(err.message);
    $("save-state").textContent = "";
  });
})();
