// The clip editor's part of the browser tests (web/editor.html), shared by the whole-path test
// (app_pages_test.js, after the upload, analysis and templates pages) and the editor's own
// faster test (editor_test.js, which prepares the VOD through the API). In the editor: open a
// moment (from the moments page or by address), extend the clip's start past the analysed window
// and trim its end by dragging the handles, cut a word out of the transcript, change the caption
// preset and highlight colour, move the crop (a keyframe), pick the user's brand template, change
// the title, undo and redo, render. Then the rendered MP4 is downloaded and checked with
// ffprobe/ffmpeg against the edits and the preview: its length is the new window minus the cut;
// the crop shows the dragged region, not the centre; the highlight colour is on screen at the
// height where the preview drew the captions (within 6% of the frame height); the template's
// logo shows where the template puts it. The saved edit list is checked field by field.
"use strict";

const { execFileSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const HIGHLIGHT = "#00FF66";

function check(condition, what) {
  if (!condition) throw new Error("check failed: " + what);
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function api(url, token, method, p, body) {
  const h = { Authorization: "Bearer " + token };
  if (body !== undefined) h["Content-Type"] = "application/json";
  const res = await fetch(url + p, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch (_) { /* not JSON */ }
  return { status: res.status, json, text };
}

function ffprobeDurationMs(file) {
  const out = execFileSync("ffprobe", ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", file]);
  return Math.round(parseFloat(String(out)) * 1000);
}

// One frame at `sec` as raw RGB of width x height (optionally a crop of it first).
function frameRgb(file, sec, width, height, crop) {
  const vf = (crop ? `crop=${crop.width}:${crop.height}:${crop.x}:${crop.y},` : "") + `scale=${width}:${height}:flags=area`;
  return execFileSync("ffmpeg", ["-v", "error", "-ss", String(sec), "-i", file, "-frames:v", "1",
                                 "-vf", vf, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"], { maxBuffer: 64 << 20 });
}
// Where the highlight colour (HIGHLIGHT, green) is in a 108x192 RGB frame: its pixel count and its
// bounding box's centre and width as fractions of the frame.
function highlightBox(rgb) {
  let pixels = 0, x0 = 108, x1 = -1, y0 = 192, y1 = -1;
  for (let i = 0; i < rgb.length; i += 3) {
    if (rgb[i] < 90 && rgb[i + 1] > 180 && rgb[i + 2] < 150) {
      const x = (i / 3) % 108, y = Math.floor(i / 3 / 108);
      pixels++;
      x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
    }
  }
  return { pixels, cx: (x0 + x1 + 1) / 2 / 108, cy: (y0 + y1 + 1) / 2 / 192, w: (x1 - x0 + 1) / 108 };
}
// Mono 8 kHz float samples of [fromSec, fromSec + durSec) of a file's audio.
function pcm(file, fromSec, durSec) {
  const raw = execFileSync("ffmpeg", ["-v", "error", "-ss", String(Math.max(0, fromSec)), "-t", String(durSec), "-i", file,
                                      "-vn", "-ac", "1", "-ar", "8000", "-f", "f32le", "-"], { maxBuffer: 64 << 20 });
  return new Float32Array(raw.buffer, raw.byteOffset, Math.floor(raw.length / 4));
}
// The best normalised cross-correlation of `needle` anywhere inside `hay` (1: the same sound).
function bestMatch(needle, hay) {
  let nn = 0;
  for (const v of needle) nn += v * v;
  let best = 0;
  for (let off = 0; off + needle.length <= hay.length; off += 2) {
    let dot = 0, hh = 0;
    for (let i = 0; i < needle.length; i++) { dot += needle[i] * hay[off + i]; hh += hay[off + i] * hay[off + i]; }
    if (hh > 0 && nn > 0) best = Math.max(best, dot / Math.sqrt(nn * hh));
  }
  return best;
}
function meanAbsDiff(a, b) {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum / a.length;
}

// `page` is signed in (the token in localStorage). `moment` is a moment of `vodId` with at least
// three words inside its window; `vodPath` the uploaded file. Returns a one-line summary.
async function editAndRender({ page, url, token, vodId, moment, vodPath, workDir, artifacts, templateId,
                               logoPosition, titleBoxColor, openFromMoments }) {
  fs.mkdirSync(artifacts, { recursive: true });
  const shot = (name) => page.screenshot({ path: path.join(artifacts, name + ".png") });
  const vod = (await api(url, token, "GET", "/v1/vods/" + vodId)).json;
  const words = (moment.data.words || []).filter((w) => w.start_ms >= moment.start_ms && w.end_ms <= moment.end_ms);
  check(words.length >= 3, "the moment has words to edit: " + JSON.stringify(moment.data.words));
  // Open the moment: the editor makes a clip of it and plays the source from a signed link.
  const opened = Date.now();
  if (openFromMoments) {
    await page.goto(`${url}/moments.html?vod=${vodId}`);
    await page.click(`a[href*="moment=${moment.id}"]`);
  } else {
    await page.goto(`${url}/editor.html?vod=${vodId}&moment=${moment.id}`);
  }
  await page.waitForFunction(() => document.querySelector("#save-state").textContent === "Saved");
  await page.waitForFunction(() => document.querySelector("#video").readyState >= 2, null, { timeout: 20000 });
  const playableMs = Date.now() - opened;
  const clipId = new URL(page.url()).searchParams.get("clip");
  check(clipId, "the editor switched to the new clip's address");
  await shot("editor-opened");

  // Keyboard trimming: O sets the end at the playhead, Ctrl+Z takes it back.
  const total = () => page.evaluate(() => document.querySelector("#time").textContent.split(" / ")[1]);
  const before = await total();
  await page.evaluate((ms) => { document.querySelector("#video").currentTime = ms / 1000; }, moment.start_ms + 5000);
  await page.locator("#play").focus();
  await page.keyboard.press("o");
  await page.waitForFunction((t) => document.querySelector("#time").textContent.split(" / ")[1] !== t, before);
  const trimmed = await total();
  check(/^0:0[4-6]$/.test(trimmed), `O put the end at the playhead (${before} -> ${trimmed})`);
  await page.keyboard.press("Control+z");
  await page.waitForFunction((t) => document.querySelector("#time").textContent.split(" / ")[1] === t, before);
  await page.waitForFunction(() => document.querySelector("#save-state").textContent === "Saved");

  // Trim and extend by dragging the handles (Alt: no snapping, so the numbers are exact).
  const box = await page.locator("#timeline").boundingBox();
  const clip0 = (await api(url, token, "GET", "/v1/clips/" + clipId)).json;
  const viewStart = Math.max(0, clip0.edit_list.start_ms - 30000);
  const viewEnd = Math.min(vod.duration_ms, clip0.edit_list.end_ms + 30000);
  const xOf = (ms) => box.x + (ms - viewStart) / (viewEnd - viewStart) * box.width;
  const newStart = Math.max(0, moment.start_ms - 3000);
  const newEnd = moment.end_ms - 2000;
  await page.keyboard.down("Alt");
  await page.mouse.move(xOf(clip0.edit_list.start_ms), box.y + 30);
  await page.mouse.down();
  await page.mouse.move(xOf(newStart), box.y + 30, { steps: 8 });
  await page.mouse.up();
  await page.mouse.move(xOf(clip0.edit_list.end_ms), box.y + 30);
  await page.mouse.down();
  await page.mouse.move(xOf(newEnd), box.y + 30, { steps: 8 });
  await page.mouse.up();
  await page.keyboard.up("Alt");

  // Cut the second word of the moment out.
  const target = words[1];
  const wordSpan = page.locator(`#transcript .word[title*="(${target.start_ms}–"]`);
  await wordSpan.click();
  await page.keyboard.press("Delete");
  await page.waitForSelector("#transcript .word.cut");

  // Captions: another preset and a highlight colour.
  await page.selectOption("#preset", "boxed");
  await page.locator("#active-color").evaluate((el, c) => { el.value = c; el.dispatchEvent(new Event("change")); }, HIGHLIGHT.toLowerCase());

  // Fill layout, and the crop dragged to the frame's right edge at the clip's start.
  await page.selectOption("#layout", "fill");
  await page.evaluate((ms) => { document.querySelector("#video").currentTime = ms / 1000; }, newStart + 500);
  await sleep(300);
  await page.evaluate(() => window.scrollTo(0, 0));
  const crop = await page.locator("#crop").boundingBox();
  const source = await page.locator("#source-box").boundingBox();
  await page.mouse.move(crop.x + crop.width / 2, crop.y + crop.height / 2);
  await page.mouse.down();
  await page.mouse.move(source.x + source.width - 2, crop.y + crop.height / 2, { steps: 6 });
  await page.mouse.up();
  await page.waitForSelector("#crop.keyed", { timeout: 5000 });

  // The user's brand template (made on the templates page), when there is one.
  if (templateId) await page.selectOption("#template", "user:" + templateId);

  await page.fill("#title", "Edited in the browser");
  await page.locator("#title").blur();
  await page.waitForFunction(() => document.querySelector("#save-state").textContent === "Saved");
  await shot("editor-edited");

  // Undo and redo the title: one step each.
  await page.click("#undo");
  await page.waitForFunction(() => document.querySelector("#title").value !== "Edited in the browser");
  await page.click("#redo");
  await page.waitForFunction(() => document.querySelector("#title").value === "Edited in the browser");
  await page.waitForFunction(() => document.querySelector("#save-state").textContent === "Saved");

  const saved = (await api(url, token, "GET", "/v1/clips/" + clipId)).json;
  const e = saved.edit_list;
  check(Math.abs(e.start_ms - newStart) <= 400, `start extended to ${newStart}: ${e.start_ms}`);
  check(e.start_ms < moment.start_ms, "the start lies before the analysed window");
  check(Math.abs(e.end_ms - newEnd) <= 400, `end trimmed to ${newEnd}: ${e.end_ms}`);
  check(Array.isArray(e.cuts) && e.cuts.length === 1 && e.cuts[0].start_ms === target.start_ms &&
        e.cuts[0].end_ms === target.end_ms, "the deleted word is a cut: " + JSON.stringify(e.cuts));
  check(e.captions.style.preset === "boxed" && e.captions.style.active_color === HIGHLIGHT,
        "caption style saved: " + JSON.stringify(e.captions.style));
  check(e.layout.mode === "fill" && e.crop_keyframes && e.crop_keyframes.length === 1,
        "one crop keyframe: " + JSON.stringify(e.crop_keyframes));
  const kf = e.crop_keyframes[0];
  check(kf.x + kf.width >= vod.width - 20, "the crop sits at the right edge: " + JSON.stringify(kf));
  check(saved.title === "Edited in the browser", "title saved: " + saved.title);
  if (templateId) check(saved.template_id === templateId, "the brand template is the clip's: " + saved.template_id);

  // The preview at a moment with captions, for comparing with the render.
  const keptMs = e.end_ms - e.start_ms - (e.cuts[0].end_ms - e.cuts[0].start_ms);
  const probeVodMs = words[2].start_ms + 60;
  await page.evaluate((ms) => { document.querySelector("#video").currentTime = ms / 1000; }, probeVodMs);
  await sleep(600);
  const previewCaption = await page.evaluate(() => {
    const p = document.querySelector("#preview-box").getBoundingClientRect();
    const c = document.querySelector("#captions").getBoundingClientRect();
    return { text: document.querySelector("#captions").innerText, centre: (c.top + c.height / 2 - p.top) / p.height };
  });
  await page.locator("#preview-box").screenshot({ path: path.join(artifacts, "editor-preview.png") });

  // Render, and wait for the clip.
  await page.click("#render");
  await page.waitForFunction(() => document.querySelector("#render-status").textContent.startsWith("Rendered"),
                             null, { timeout: 600000 });
  await shot("editor-rendered");
  const download = await fetch(url + "/v1/clips/" + clipId + "/download", { headers: { Authorization: "Bearer " + token } });
  check(download.status === 200, "the clip downloads");
  const clipFile = path.join(workDir, "edited-clip.mp4");
  fs.writeFileSync(clipFile, Buffer.from(await download.arrayBuffer()));
  fs.copyFileSync(clipFile, path.join(artifacts, "editor-clip.mp4"));

  // Its length is the window minus the cut (within a frame or two).
  const durationMs = ffprobeDurationMs(clipFile);
  check(Math.abs(durationMs - keptMs) <= 70, `clip length ${durationMs} ms is the kept ${keptMs} ms`);

  // The deleted word is gone from the sound: around the join, the clip's audio holds the word
  // after the cut (a positive control) but not the cut word itself.
  const cut = e.cuts[0];
  const joinSec = (cut.start_ms - e.start_ms) / 1000;
  const around = pcm(clipFile, joinSec - 0.6, 1.4);
  const cutWord = pcm(vodPath, cut.start_ms / 1000, Math.min(0.35, (cut.end_ms - cut.start_ms) / 1000));
  const after = words.find((w) => w.start_ms >= cut.end_ms);
  const nextWord = pcm(vodPath, after.start_ms / 1000, Math.min(0.35, (after.end_ms - after.start_ms) / 1000));
  const cutMatch = bestMatch(cutWord, around), nextMatch = bestMatch(nextWord, around);
  check(nextMatch > 0.8 && cutMatch < nextMatch - 0.2,
        `the cut word is gone from the audio (its best match at the join ${cutMatch.toFixed(2)}, ` +
        `the next word's ${nextMatch.toFixed(2)})`);

  // The crop: the clip's first frames show the source's right edge, not its centre.
  const at = 0.3;
  const rendered = frameRgb(clipFile, at, 54, 96);
  const right = frameRgb(vodPath, (e.start_ms / 1000) + at, 54, 96,
                         { x: kf.x, y: kf.y, width: kf.width, height: kf.height });
  const centre = frameRgb(vodPath, (e.start_ms / 1000) + at, 54, 96,
                          { x: Math.round((vod.width - kf.width) / 2), y: 0, width: kf.width, height: kf.height });
  const dRight = meanAbsDiff(rendered, right), dCentre = meanAbsDiff(rendered, centre);
  check(dRight < dCentre, `the clip shows the dragged crop (diff ${dRight.toFixed(1)} vs centre ${dCentre.toFixed(1)})`);

  // Preview fidelity: the highlighted word in the clip's frame and in the preview's screenshot
  // at the same moment (both scaled to 108x192): the same place (within 4% of the frame's height
  // and 5% of its width) and about the same size.
  const outMs = probeVodMs - e.start_ms - (probeVodMs > e.cuts[0].end_ms ? e.cuts[0].end_ms - e.cuts[0].start_ms : 0);
  const inClip = highlightBox(frameRgb(clipFile, outMs / 1000, 108, 192));
  const inPreview = highlightBox(frameRgb(path.join(artifacts, "editor-preview.png"), 0, 108, 192));
  check(inClip.pixels > 5 && inPreview.pixels > 5,
        `the highlight colour is on screen in the clip (${inClip.pixels} px) and the preview (${inPreview.pixels} px), ` +
        `caption "${previewCaption.text}"`);
  const renderedCentre = inClip.cy;
  check(Math.abs(inClip.cy - inPreview.cy) < 0.04 && Math.abs(previewCaption.centre - inClip.cy) < 0.06,
        `caption height in the clip ${inClip.cy.toFixed(3)} matches the preview ${inPreview.cy.toFixed(3)}`);
  check(Math.abs(inClip.cx - inPreview.cx) < 0.05,
        `highlighted word across: clip ${inClip.cx.toFixed(3)}, preview ${inPreview.cx.toFixed(3)}`);
  const widthRatio = inPreview.w / inClip.w;
  check(widthRatio > 0.7 && widthRatio < 1.4,
        `highlighted word width: clip ${inClip.w.toFixed(3)}, preview ${inPreview.w.toFixed(3)}`);

  // The brand template's logo (templates/logo.png: a cyan ring) where the template puts it.
  let logo = "";
  if (logoPosition) {
    const full = frameRgb(clipFile, Math.min(durationMs / 1000 - 0.5, 4), 108, 192);
    const cyanIn = (x0, x1, y0, y1) => {
      let n = 0;
      for (let y = y0; y < y1; y++) {
        for (let x = x0; x < x1; x++) {
          const i = (y * 108 + x) * 3;
          if (full[i] < 90 && full[i + 1] > 160 && full[i + 2] > 200) n++;
        }
      }
      return n;
    };
    const left = logoPosition.endsWith("left");
    const [y0, y1] = logoPosition.startsWith("top") ? [0, 58] : [134, 192];
    const here = cyanIn(left ? 0 : 54, left ? 54 : 108, y0, y1);
    const there = cyanIn(left ? 54 : 0, left ? 108 : 54, y0, y1);
    check(here > 15 && here > 4 * there,
          `the template's logo shows ${logoPosition} (${here} cyan pixels there, ${there} opposite)`);
    logo = `, logo ${here} px`;
  }
  // The template's title card: its box colour over the top of the clip's first second.
  if (titleBoxColor) {
    const first = frameRgb(clipFile, 0.5, 108, 192);
    let boxed = 0;
    for (let i = 0; i < 108 * 58 * 3; i += 3) {
      if (Math.abs(first[i] - titleBoxColor[0]) < 40 && Math.abs(first[i + 1] - titleBoxColor[1]) < 40 &&
          Math.abs(first[i + 2] - titleBoxColor[2]) < 40) boxed++;
    }
    check(boxed > 50, `the template's title card colour shows at the top of the clip (${boxed} px)`);
    logo += `, title card ${boxed} px`;
  }
  return `editor: playable in ${playableMs} ms; trim/extend, cut word (audio match ${cutMatch.toFixed(2)} ` +
         `vs next word ${nextMatch.toFixed(2)}), preset+colour, crop, title, ` +
         `undo/redo, render (${durationMs} ms, crop diff ${dRight.toFixed(1)} < ${dCentre.toFixed(1)}, ` +
         `caption at ${renderedCentre.toFixed(3)} vs preview ${inPreview.cy.toFixed(3)}, highlighted word ` +
         `${inClip.w.toFixed(3)} wide vs ${inPreview.w.toFixed(3)}${logo}): ok`;
}

module.exports = { editAndRender, api, check };
