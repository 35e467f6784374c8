// The clip editor (web/editor.html) in a real browser: Debian's chromium driven by
// playwright-core, against a real `clipthat serve --workers 1` on loopback with a generated
// sample stream. Through the API (the pages before the editor have their own test), a user
// uploads the sample with its chat and analyses it; then, in the editor: opens the best moment,
// extends its start past the analysed window and trims its end by dragging the handles, cuts a
// word out of the transcript, changes the caption preset and highlight colour, moves the crop
// (a keyframe), changes the title, and renders. The rendered MP4 is downloaded and checked with
// ffprobe/ffmpeg: its length is the new window minus the cut, the crop shows the region the
// preview showed, and the highlight colour is on screen where the preview put the captions.
// The saved edit list is checked field by field. Screenshots go to $CLIPTHAT_ARTIFACTS (default
// tests/browser/artifacts).
//
//   node tests/browser/editor_test.js path/to/clipthat
// Exit 0 when every check holds; 1 with the failed check on stderr.
"use strict";

const { chromium } = require("playwright-core");
const { spawn, execFileSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

const BIN = process.argv[2];
const WEB = path.join(__dirname, "..", "..", "web");
const CHROMIUM = process.env.CLIPTHAT_CHROMIUM || "/usr/bin/chromium";
const ARTIFACTS = process.env.CLIPTHAT_ARTIFACTS || path.join(__dirname, "artifacts");
const HIGHLIGHT = "#00FF66";

function check(condition, what) {
  if (!condition) throw new Error("check failed: " + what);
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function startServer(dataDir) {
  const child = spawn(BIN, ["serve", "--port", "0", "--data", dataDir, "--web", WEB, "--workers", "1"], {
    env: { ...process.env, CLIPTHAT_BILLING_SIGNUP_CREDITS: "1000" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let log = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("clipthat serve did not start: " + log)), 30000);
    child.stderr.on("data", (chunk) => {
      log += chunk;
      const m = log.match(/listening on (http:\/\/[0-9.]+:\d+)/);
      if (m) { clearTimeout(timer); resolve({ child, url: m[1] }); }
    });
    child.on("exit", (code) => reject(new Error("clipthat serve exited " + code + ": " + log.slice(-2000))));
  });
}

async function api(url, token, method, p, body, contentType, headers) {
  const h = Object.assign({}, headers || {});
  if (token) h.Authorization = "Bearer " + token;
  let payload;
  if (Buffer.isBuffer(body)) { payload = body; h["Content-Type"] = contentType || "application/octet-stream"; }
  else if (body !== undefined) { payload = JSON.stringify(body); h["Content-Type"] = "application/json"; }
  const res = await fetch(url + p, { method, headers: h, body: payload });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch (_) { /* not JSON */ }
  return { status: res.status, json, text };
}

async function waitJob(url, token, jobId, timeoutMs) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const job = (await api(url, token, "GET", "/v1/jobs/" + jobId)).json;
    if (["succeeded", "failed", "cancelled"].includes(job.status)) return job;
    check(Date.now() < until, "job " + jobId + " finished in time (" + job.status + " " + job.stage + ")");
    await sleep(500);
  }
}

function ffprobeDurationMs(file) {
  const out = execFileSync("ffprobe", ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", file]);
  return Math.round(parseFloat(String(out)) * 1000);
}

// One frame at `sec` as raw RGB of width x height.
function frameRgb(file, sec, width, height, crop) {
  const vf = (crop ? `crop=${crop.width}:${crop.height}:${crop.x}:${crop.y},` : "") + `scale=${width}:${height}:flags=area`;
  return execFileSync("ffmpeg", ["-v", "error", "-ss", String(sec), "-i", file, "-frames:v", "1",
                                 "-vf", vf, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"], { maxBuffer: 64 << 20 });
}
function meanAbsDiff(a, b) {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum / a.length;
}

async function screenshot(page, name) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, name + ".png") });
}

let lastPage = null;

async function main() {
  check(BIN && fs.existsSync(BIN), "usage: editor_test.js path/to/clipthat");
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "clipthat-editor-"));
  execFileSync(BIN, ["sample", "--out", path.join(work, "sample"), "--duration", "60", "--moments", "1",
                     "--fps", "30", "--quiet"], { stdio: "inherit" });
  const media = fs.readFileSync(path.join(work, "sample", "vod.mp4"));
  const chat = fs.readFileSync(path.join(work, "sample", "chat.json"));
  const { child, url } = await startServer(path.join(work, "data"));
  let browser;
  try {
    const signup = await api(url, "", "POST", "/v1/auth/signup", { email: "editor@example.com", password: "password-123" });
    check(signup.status === 201, "sign-up: " + signup.text);
    const token = signup.json.token;
    const vod = await api(url, token, "POST", "/v1/vods", { title: "editor test", size_bytes: media.length, filename: "vod.mp4" });
    check(vod.status === 201, "VOD created: " + vod.text);
    const vodId = vod.json.id;
    const put = await api(url, token, "PUT", "/v1/vods/" + vodId + "/media", media, "application/octet-stream",
                          { "Content-Range": `bytes 0-${media.length - 1}/${media.length}` });
    check(put.status === 200, "media uploaded: " + put.text);
    check((await api(url, token, "PUT", "/v1/vods/" + vodId + "/chat", chat, "application/json")).status === 200, "chat uploaded");
    const analyze = await api(url, token, "POST", "/v1/vods/" + vodId + "/analyze", { top: 2, render_top: 0 });
    check(analyze.status === 202, "analysis queued: " + analyze.text);
    const analysis = await waitJob(url, token, analyze.json.id, 600000);
    check(analysis.status === "succeeded", "analysis succeeded: " + JSON.stringify(analysis));
    const moments = (await api(url, token, "GET", "/v1/vods/" + vodId + "/moments")).json.items;
    check(moments.length > 0, "the analysis found moments");
    const moment = moments.find((m) => (m.data.words || []).length >= 3) || moments[0];
    const words = (moment.data.words || []).filter((w) => w.start_ms >= moment.start_ms && w.end_ms <= moment.end_ms);
    check(words.length >= 3, "the moment has words to edit: " + JSON.stringify(moment.data.words));

    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--autoplay-policy=no-user-gesture-required"] });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    lastPage = page;
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("console", (m) => {
      if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) errors.push(m.text());
    });
    await page.goto(url + "/index.html");
    await page.evaluate((t) => localStorage.setItem("clipthat.token", t), token);

    // Open the moment: the editor makes a clip of it and plays the source from a signed link.
    const opened = Date.now();
    await page.goto(`${url}/editor.html?vod=${vodId}&moment=${moment.id}`);
    await page.waitForFunction(() => document.querySelector("#save-state").textContent === "Saved");
    await page.waitForFunction(() => document.querySelector("#video").readyState >= 2, null, { timeout: 20000 });
    const playableMs = Date.now() - opened;
    const clipId = new URL(page.url()).searchParams.get("clip");
    check(clipId, "the editor switched to the new clip's address");
    await screenshot(page, "editor-opened");

    // Trim and extend by dragging the handles (Alt: no snapping, so the numbers are exact).
    const box = await page.locator("#timeline").boundingBox();
    const view = await page.evaluate(() => null);
    void view;
    const clip0 = (await api(url, token, "GET", "/v1/clips/" + clipId)).json;
    const viewStart = Math.max(0, clip0.edit_list.start_ms - 30000);
    const viewEnd = Math.min(60000, clip0.edit_list.end_ms + 30000);
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
    const crop = await page.locator("#crop").boundingBox();
    const source = await page.locator("#source-box").boundingBox();
    await page.mouse.move(crop.x + crop.width / 2, crop.y + crop.height / 2);
    await page.mouse.down();
    await page.mouse.move(source.x + source.width - 2, crop.y + crop.height / 2, { steps: 6 });
    await page.mouse.up();

    await page.fill("#title", "Edited in the browser");
    await page.locator("#title").blur();
    await page.waitForFunction(() => document.querySelector("#save-state").textContent === "Saved");
    await screenshot(page, "editor-edited");

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
    check(kf.x + kf.width >= 1900, "the crop sits at the right edge: " + JSON.stringify(kf));
    check(saved.title === "Edited in the browser", "title saved: " + saved.title);

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
    await page.locator("#preview-box").screenshot({ path: path.join(ARTIFACTS, "editor-preview.png") });

    // Render, and wait for the clip.
    await page.click("#render");
    await page.waitForFunction(() => document.querySelector("#render-status").textContent.startsWith("Rendered"),
                               null, { timeout: 600000 });
    await screenshot(page, "editor-rendered");
    const download = await fetch(url + "/v1/clips/" + clipId + "/download", { headers: { Authorization: "Bearer " + token } });
    check(download.status === 200, "the clip downloads");
    const clipFile = path.join(work, "clip.mp4");
    fs.writeFileSync(clipFile, Buffer.from(await download.arrayBuffer()));
    fs.copyFileSync(clipFile, path.join(ARTIFACTS, "editor-clip.mp4"));

    // Its length is the window minus the cut (within a frame or two).
    const durationMs = ffprobeDurationMs(clipFile);
    check(Math.abs(durationMs - keptMs) <= 70, `clip length ${durationMs} ms is the kept ${keptMs} ms`);

    // The crop: the clip's first frames show the source's right edge, not its centre.
    const at = 0.3;
    const rendered = frameRgb(clipFile, at, 54, 96);
    const right = frameRgb(path.join(work, "sample", "vod.mp4"), (e.start_ms / 1000) + at, 54, 96,
                           { x: kf.x, y: kf.y, width: kf.width, height: kf.height });
    const centre = frameRgb(path.join(work, "sample", "vod.mp4"), (e.start_ms / 1000) + at, 54, 96,
                            { x: 656, y: 0, width: 608, height: 1080 });
    const dRight = meanAbsDiff(rendered, right), dCentre = meanAbsDiff(rendered, centre);
    check(dRight < dCentre, `the clip shows the dragged crop (diff ${dRight.toFixed(1)} vs centre ${dCentre.toFixed(1)})`);

    // The highlight colour on screen near where the preview showed the captions.
    const outMs = probeVodMs - e.start_ms - (probeVodMs > e.cuts[0].end_ms ? e.cuts[0].end_ms - e.cuts[0].start_ms : 0);
    const frame = frameRgb(clipFile, outMs / 1000, 108, 192);
    let green = 0, rowSum = 0;
    for (let i = 0; i < frame.length; i += 3) {
      if (frame[i] < 90 && frame[i + 1] > 180 && frame[i + 2] < 150) { green++; rowSum += Math.floor(i / 3 / 108); }
    }
    check(green > 5, `the highlight colour is on screen (${green} pixels) with caption "${previewCaption.text}"`);
    const renderedCentre = rowSum / green / 192;
    check(Math.abs(renderedCentre - previewCaption.centre) < 0.06,
          `caption height in the clip ${renderedCentre.toFixed(3)} matches the preview ${previewCaption.centre.toFixed(3)}`);

    check(errors.length === 0, "no errors in the page: " + JSON.stringify(errors));
    console.log(`editor: playable in ${playableMs} ms; trim/extend, cut word, preset+colour, crop, title, undo/redo, render ` +
                `(${durationMs} ms, crop diff ${dRight.toFixed(1)} < ${dCentre.toFixed(1)}, caption at ` +
                `${renderedCentre.toFixed(3)} vs preview ${previewCaption.centre.toFixed(3)}): ok`);
  } catch (err) {
    if (lastPage) {
      const state = await lastPage.evaluate(() => ({
        error: document.querySelector("#error") && document.querySelector("#error").textContent,
        save: document.querySelector("#save-state") && document.querySelector("#save-state").textContent,
        render: document.querySelector("#render-status") && document.querySelector("#render-status").textContent,
      })).catch(() => null);
      console.error("page state: " + JSON.stringify(state));
      await screenshot(lastPage, "editor-failure").catch(() => {});
    }
    throw err;
  } finally {
    if (browser) await browser.close();
    child.kill("SIGTERM");
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch(async (e) => {
  console.error(e.message || e);
  process.exit(1);
});
