// The web app's pages (web/*.html) in a real browser: Debian's chromium driven by playwright-core
// against a real `clipthat serve --workers 1`. A user signs up on the landing page, makes and
// revokes an API key, uploads a generated sample VOD with its chat replay in small chunks — one
// chunk is cut off (the page retries from the server's received_bytes) and the page is reloaded
// mid-upload (choosing the same file resumes from the server's received_bytes, not from 0) —,
// sees the price and starts the analysis, watches the job run on the dashboard over Server-Sent
// Events until it succeeds, opens the moments with their drawn evidence timelines, plays a
// moment's window through a signed media link and renders it, saves a brand template with a
// colour and a logo (and sees a 422 from the server next to the field), and plays the rendered
// clip on the dashboard; then edits a moment in the editor with that template and renders it
// (editor_steps.js: the clip's frames are checked against the edits and the preview). Every page must load without a console error or a Content-Security-Policy violation. Screenshots of each
// page go to $CLIPTHAT_ARTIFACTS (default tests/browser/artifacts/).
//
//   node tests/browser/app_pages_test.js path/to/clipthat
// Exit 0 when every check holds; 1 with the failed check on stderr.
"use strict";

const { chromium } = require("playwright-core");
const { startServer } = require("./clipthat_server.js");
const { spawnSync } = require("child_process");
const { editAndRender } = require("./editor_steps.js");
const fs = require("fs");
const os = require("os");
const path = require("path");

const BIN = process.argv[2];
const WEB = path.join(__dirname, "..", "..", "web");
const CHROMIUM = process.env.CLIPTHAT_CHROMIUM || "/usr/bin/chromium";
const ARTIFACTS = process.env.CLIPTHAT_ARTIFACTS || path.join(__dirname, "artifacts");
const CHUNK = 256 * 1024;

function check(condition, what) {
  if (!condition) throw new Error("check failed: " + what);
}
function step(what) { console.log("· " + what); }


async function main() {
  check(BIN && fs.existsSync(BIN), "usage: app_pages_test.js path/to/clipthat");
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "clipthat-app-"));
  const sampleDir = path.join(dataDir, "sample");
  const sample = spawnSync(BIN, ["sample", "--out", sampleDir, "--duration", "60", "--size", "640x360",
                                 "--fps", "30", "--jobs", "1"], { encoding: "utf8" });
  check(sample.status === 0, "clipthat sample: " + sample.stderr);
  const vodPath = path.join(sampleDir, "vod.mp4");
  const vodSize = fs.statSync(vodPath).size;
  check(vodSize > 6 * CHUNK, "the sample is several chunks long: " + vodSize);

  const server = await startServer(BIN, { dataDir: path.join(dataDir, "data"), web: WEB, workers: 1 });
  const url = server.url;
  let browser;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push("pageerror: " + String(e)));
    // Failed requests (a deliberately cut chunk, a 404 answered on purpose) are not page errors;
    // a CSP violation is ("Refused to ...").
    page.on("console", (m) => {
      const text = m.text();
      if (process.env.CLIPTHAT_TEST_VERBOSE) console.log("  [" + m.type() + "] " + text);
      if (/Content Security Policy|Refused to/i.test(text)) errors.push("csp: " + text);
      else if (m.type() === "error" && !text.startsWith("Failed to load resource")) errors.push(text);
      else if (m.type() === "warning" && /Alpine|Expression/i.test(text)) errors.push("alpine: " + text);
    });
    page.on("dialog", (d) => d.accept());
    const shot = (name) => page.screenshot({ path: path.join(ARTIFACTS, name + ".png"), fullPage: true });
    const api = async (method, p, body) => {
      const token = await page.evaluate(() => localStorage.getItem("clipthat.token"));
      const res = await fetch(url + p, {
        method, headers: { Authorization: "Bearer " + token, "Content-Type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: res.status === 204 ? null : await res.json() };
    };

    // Landing → sign up → dashboard.
    step("landing and sign-up");
    await page.goto(url + "/");
    await page.waitForSelector("a[href='/signup.html']");
    await shot("01-landing");
    await page.click(".hero a[href='/signup.html']");
    await page.waitForURL(/signup\.html/);
    const email = "streamer@example.com", password = "password-123";
    await page.fill("#email", email);
    await page.fill("#password", "short");
    await page.click("#auth-form button[type=submit]");
    // The browser's own check stops a short password; the server's message shows otherwise.
    await page.fill("#password", password);
    await shot("02-signup");
    await page.click("#auth-form button[type=submit]");
    await page.waitForURL(/dashboard\.html/);
    check(await page.evaluate(() => !!localStorage.getItem("clipthat.token")), "the token is kept");

    // ?next= goes back only to a path on this site.
    step("sign-in with ?next=");
    await page.evaluate(() => localStorage.removeItem("clipthat.token"));
    await page.goto(url + "/account.html");
    await page.waitForURL(/signin\.html\?next=/);
    await page.fill("#email", email);
    await page.fill("#password", "wrong-password");
    await page.click("#auth-form button[type=submit]");
    await page.waitForFunction(() => document.querySelector("#auth-error").textContent.length > 0);
    await page.fill("#password", password);
    await page.click("#auth-form button[type=submit]");
    await page.waitForURL(/account\.html$/);
    check(await page.evaluate(() => ClipThat.safeNext("//evil.example/x")) === "/dashboard.html",
          "a protocol-relative ?next= is refused");
    check(await page.evaluate(() => ClipThat.safeNext("https://evil.example/")) === "/dashboard.html",
          "an absolute ?next= is refused");

    // Account: e-mail, password change (or its absence), an API key made, listed, revoked.
    step("account page: keys");
    await page.waitForFunction((e) => document.querySelector("#email").textContent === e, email);
    await page.fill("#key-name", "upload script");
    await page.click("#key-form button[type=submit]");
    await page.waitForFunction(() => document.querySelector("#new-key-value").textContent.startsWith("ck_"));
    const key = await page.textContent("#new-key-value");
    await page.waitForFunction(() => document.querySelectorAll("#keys tr").length === 1);
    const listed = await page.textContent("#keys tr");
    check(listed.includes("upload script") && listed.includes(key.slice(0, 8)), "the key is listed: " + listed);
    const withKey = await fetch(url + "/v1/me", { headers: { Authorization: "Bearer " + key } });
    check(withKey.status === 200, "the new key works: " + withKey.status);
    await page.fill("#current-password", "not-the-password");
    await page.fill("#new-password", "another-password-1");
    await page.click("#password-form button[type=submit]");
    await page.waitForFunction(() => document.querySelector("#password-error").textContent.length > 0);
    const wrong = await page.textContent("#password-error");
    check(/not right|not available/.test(wrong), "a wrong current password is told in words: " + wrong);
    await page.fill("#current-password", password);
    await page.fill("#new-password", password);
    await page.click("#password-form button[type=submit]");
    await page.waitForFunction(() => document.querySelector("#password-form .ok").textContent ||
                                     document.querySelector("#password-error").textContent);
    await shot("03-account");
    await page.click("#keys button.revoke");
    await page.waitForFunction(() => document.querySelectorAll("#keys tr").length === 0);
    const revoked = await fetch(url + "/v1/me", { headers: { Authorization: "Bearer " + key } });
    check(revoked.status === 401, "the revoked key is refused: " + revoked.status);

    // New VOD: a chunked upload, one chunk cut off, the page reloaded in the middle.
    step("upload: chunks, a cut chunk, a reload");
    const starts = [];
    page.on("request", (r) => {
      if (r.method() === "PUT" && /\/v1\/vods\/[0-9a-f]+\/media$/.test(r.url())) {
        const m = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(r.headers()["content-range"] || "");
        starts.push(m ? Number(m[1]) : NaN);
      }
    });
    let puts = 0;
    await page.route(/\/v1\/vods\/[0-9a-f]+\/media$/, async (route) => {
      if (route.request().method() !== "PUT") return route.continue();
      puts++;
      if (puts === 3) return route.abort("connectionreset");   // the network drops one chunk
      await new Promise((r) => setTimeout(r, 250));             // slow enough to reload mid-way
      return route.continue().catch(() => { /* the page was reloaded meanwhile */ });
    });
    await page.goto(url + "/new.html?chunk=" + CHUNK);
    await page.setInputFiles("#file", vodPath);
    await page.setInputFiles("#chat", path.join(sampleDir, "chat.json"));
    await page.fill("#title", "Sample stream");
    await shot("04-new");
    await page.click("#upload-button");
    await page.waitForSelector("#upload-progress");
    const vodId = await page.evaluate(() => JSON.parse(localStorage.getItem("clipthat.uploads"))[0].vod);
    // The cut chunk is sent again from what the server has.
    await page.waitForFunction(() => /Connection problem/.test(document.querySelector("#upload-status").textContent));
    let received = 0;
    for (let i = 0; i < 200 && received < 5 * CHUNK; i++) {
      await new Promise((r) => setTimeout(r, 100));
      received = (await api("GET", "/v1/vods/" + vodId)).body.received_bytes;
    }
    check(received >= 5 * CHUNK && received < vodSize, "the upload is mid-way: " + received);
    const cutAt = starts.indexOf(2 * CHUNK);
    check(cutAt >= 0 && starts.lastIndexOf(2 * CHUNK) > cutAt, "the cut chunk was retried: " + starts);
    await shot("05-uploading");
    await page.reload();
    await page.setInputFiles("#file", vodPath);
    await page.waitForFunction(() => /partly uploaded/.test(document.querySelector("#resume-note").textContent));
    await page.setInputFiles("#chat", path.join(sampleDir, "chat.json"));
    // What the server has, once a chunk cut by the reload can no longer be arriving.
    let onServer = -1;
    for (let last = -2; onServer !== last;) {
      last = onServer;
      await new Promise((r) => setTimeout(r, 300));
      onServer = (await api("GET", "/v1/vods/" + vodId)).body.received_bytes;
    }
    check(onServer > 0, "the server kept the first chunks");
    const before = starts.length;
    await page.click("#upload-button");
    await page.waitForSelector("#analyse-form", { state: "visible", timeout: 120000 });
    check(starts[before] === onServer, "after the reload the upload resumed from the server's " +
          "received_bytes " + onServer + ", not from " + starts[before]);
    const vod = (await api("GET", "/v1/vods/" + vodId)).body;
    check(vod.status === "ready" && vod.received_bytes === vodSize && vod.has_chat, "the VOD is whole, with chat: " + JSON.stringify(vod));
    await page.unroute(/\/v1\/vods\/[0-9a-f]+\/media$/);

    // Analyse: the price first, then the job.
    step("analyse");
    await page.waitForFunction(() => /costs \d+ credit/.test(document.querySelector("#price").textContent));
    await page.fill("#top", "3");
    await page.fill("#render-top", "1");
    await page.dispatchEvent("#render-top", "change");
    await page.waitForFunction(() => /rendering 1 clip/.test(document.querySelector("#price").textContent));
    await shot("06-analyse");
    const events = [];
    page.on("request", (r) => { if (/\/v1\/jobs\/[0-9a-f]+\/events$/.test(r.url())) events.push(r.url()); });
    // The dashboard page notes each job it shows running with progress, every 50 ms: a fast
    // machine's analysis may run for only a few seconds.
    await page.addInitScript(() => {
      window.__runningWithProgress = [];
      setInterval(() => {
        for (const el of document.querySelectorAll(".job[data-status='running']")) {
          const bar = el.querySelector("progress");
          if (bar && Number(bar.value) > 0 && !window.__runningWithProgress.includes(el.dataset.job)) {
            window.__runningWithProgress.push(el.dataset.job);
          }
        }
      }, 50);
    });
    await page.click("#analyse-button");
    await page.waitForURL(/dashboard\.html\?job=/);

    // Dashboard: the job's progress arrives over SSE until it has succeeded.
    step("dashboard: live progress");
    const jobId = new URL(page.url()).searchParams.get("job");
    await page.waitForSelector(`.job[data-job="${jobId}"]`);
    let sawProgress = false;
    for (let i = 0; i < 600; i++) {
      const state = await page.$eval(`.job[data-job="${jobId}"]`, (el) => ({
        status: el.dataset.status, value: Number((el.querySelector("progress") || {}).value || 0),
      }));
      if (state.status === "running" && state.value > 0) {
        if (!sawProgress) await shot("07-dashboard-running");
        sawProgress = true;
      }
      if (state.status === "succeeded") break;
      check(state.status !== "failed", "the analysis failed: " + await page.textContent(`.job[data-job="${jobId}"]`));
      await new Promise((r) => setTimeout(r, 250));
    }
    check(await page.$eval(`.job[data-job="${jobId}"]`, (el) => el.dataset.status) === "succeeded",
          "the dashboard shows the analysis succeeded");
    check(events.some((u) => u.includes(jobId)), "the dashboard followed the job's event stream");
    const seenInPage = await page.evaluate(() => window.__runningWithProgress);
    check(sawProgress || seenInPage.includes(jobId), "the dashboard showed the job's progress while it ran");
    // The analysis queued the render of its best moment: its clip shows in the gallery.
    await page.waitForSelector("#clips .clip", { timeout: 30000 });
    await shot("08-dashboard");
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
    check(overflow <= 390, "the dashboard fits 390 px: " + overflow);
    await shot("09-dashboard-390");
    await page.setViewportSize({ width: 1280, height: 720 });

    // Moments: ranked, each with its evidence timeline drawn.
    step("moments");
    await page.click(`.vod[data-vod="${vodId}"] a.moments-link`);
    await page.waitForURL(/moments\.html\?vod=/);
    await page.waitForSelector("#moments .moment canvas[data-drawn='1']");
    const count = await page.$$eval("#moments .moment", (els) => els.length);
    check(count >= 1, "the moments are listed: " + count);
    const inked = await page.$eval("#moments .moment canvas", (c) => {
      const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
      return n;
    });
    check(inked > 500, "the evidence timeline is drawn: " + inked + " pixels");
    const legend = await page.textContent("#moments .moment .legend");
    check(/score/.test(legend), "the legend explains the curve: " + legend);
    check(await page.$eval("#overview", (c) => c.dataset.drawn === "1"), "the whole-VOD curve is drawn");
    await page.click("#moments .moment button:has-text('Play the window')");
    // The signed media link plays in a <video> without credentials, from the window's start.
    await page.waitForFunction(() => {
      const v = document.querySelector("#window-video");
      return (v.getAttribute("src") || "").includes("/v1/media/") && v.readyState >= 2 && v.currentTime > 1;
    }, null, { timeout: 30000 });
    await shot("10-moments");
    await page.click("#moments .moment button:has-text('Render')");
    await page.waitForFunction(() => /Rendering/.test(document.querySelector("#moments .moment .ok").textContent));
    const clips = (await api("GET", "/v1/clips")).body.items;
    check(clips.length === 2, "Render made a clip from the moment: " + clips.length);

    // Templates: a 422 shown by its field, then a template with a colour saved.
    step("templates");
    await page.goto(url + "/templates.html");
    await page.click("#new-template");
    await page.fill("#t-name", "Brand look");
    await page.fill("#c-font", "Comic Foo");
    await page.click("#save-template");
    await page.waitForFunction(() => /no installed font/.test(document.querySelector("#template-error").textContent));
    check(/Comic Foo/.test(await page.textContent("#template-form .field-error:not(:empty)")),
          "the font error shows by the field");
    await page.fill("#c-font", "Roboto Black");
    await page.fill("#accent", "#ff0066");
    await page.fill("#c-active", "#00ffaa");
    await page.check("#title-on");
    await page.fill("#tc-box", "#ff0066");
    await page.check("#logo-on");
    await page.setInputFiles("#logo-file", path.join(__dirname, "..", "..", "templates", "logo.png"));
    await page.waitForFunction(() => /Logo: logo\.png \(256×256\)/.test(document.querySelector("#template-form").textContent));
    await page.waitForFunction(() => {
      const img = document.querySelector("#pv-logo");
      return !img.hidden && img.src.startsWith("blob:") && img.complete && img.naturalWidth === 256;
    });
    await page.selectOption("#logo-pos", "bottom-left");
    await page.click("#save-template");
    await page.waitForFunction(() => document.querySelector("#template-saved").textContent === "Saved.");
    await page.waitForSelector("#template-list tr");
    const saved = (await api("GET", "/v1/templates")).body.items;
    check(saved.length === 1 && saved[0].name === "Brand look", "the template is stored: " + JSON.stringify(saved));
    const doc = (await api("GET", "/v1/templates/" + saved[0].id)).body.document;
    check(doc.logo && doc.logo.path === "logo.png" && doc.logo.position === "bottom-left",
          "the uploaded logo is in the document: " + JSON.stringify(doc.logo));
    check(doc.accent_color === "#FF0066" && doc.captions.active_color === "#00FFAA" && doc.title_card,
          "the colours are in the document: " + JSON.stringify(doc));
    check(await page.$eval("#pv-w2", (el) => el.style.color) === "rgb(0, 255, 170)", "the preview shows the colour");
    await shot("11-templates");

    // The credits page shares the navigation and the session.
    await page.click(".topnav a[href='/billing.html']");
    await page.waitForSelector("#account:not([hidden])");
    check(/^\d+$/.test(await page.textContent("#balance")), "the credits page shows the balance");
    await shot("12-credits");

    // Back on the dashboard: the analysis' render finishes live; its thumbnail and the clip
    // itself come through blob: URLs (an <img> or <video> cannot send the token).
    step("dashboard: a rendered clip");
    await page.click(".topnav a[href='/dashboard.html']");
    await page.waitForFunction(() => {
      const img = document.querySelector("#clips .clip .thumb img");
      return img && img.src.startsWith("blob:") && img.complete && img.naturalWidth > 0;
    }, null, { timeout: 300000 });
    await page.click("#clips .clip:has(.thumb img) button:has-text('Play')");
    await page.waitForFunction(() => {
      const v = document.querySelector("#clips .clip video");
      return v && v.src.startsWith("blob:") && v.readyState >= 2;
    }, null, { timeout: 30000 });
    await shot("13-dashboard-clip");

    // The editor, from the moments page: trim and extend, cut a word, captions, crop, the
    // template made above, render; the clip's frames checked against the edits and the preview.
    step("editor");
    await page.setViewportSize({ width: 1280, height: 900 });
    const token = await page.evaluate(() => localStorage.getItem("clipthat.token"));
    const allMoments = (await api("GET", "/v1/vods/" + vodId + "/moments")).body.items;
    const inWindow = (m) => (m.data.words || []).filter((w) => w.start_ms >= m.start_ms && w.end_ms <= m.end_ms);
    const editMoment = allMoments.find((m) => inWindow(m).length >= 3);
    check(editMoment, "a moment with words to edit: " + JSON.stringify(allMoments.map((m) => inWindow(m).length)));
    const editorSummary = await editAndRender({
      page, url, token, vodId, moment: editMoment, vodPath, workDir: dataDir, artifacts: ARTIFACTS,
      templateId: saved[0].id, logoPosition: "bottom-left", titleBoxColor: [255, 0, 102], openFromMoments: true });
    console.log(editorSummary);

    // Discard a moment: it leaves the list for good (the API deletes it); its clips stay.
    step("moments: discard");
    await page.goto(url + "/moments.html?vod=" + vodId);
    await page.waitForSelector("#moments .moment canvas[data-drawn='1']");
    await page.click("#moments .moment:last-child button.danger");
    await page.waitForFunction((n) => document.querySelectorAll("#moments .moment").length === n - 1, count);
    const left = (await api("GET", "/v1/vods/" + vodId + "/moments")).body.items;
    check(left.length === count - 1, "the discarded moment is gone from the API too: " + left.length);
    check((await api("GET", "/v1/clips")).body.items.length === 3, "the clips made from moments stay");

    check(errors.length === 0, "no errors in the pages: " + JSON.stringify(errors));
    console.log("app pages: landing, sign-up/in, account keys, resumable upload, analysis, live " +
                "progress, moments timeline and playback, templates, clip playback: ok");
  } finally {
    if (browser) await browser.close();
    server.child.kill("SIGTERM");
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e) => { console.error(e.message || e); process.exit(1); });
