// The clip editor alone (web/editor.html), a faster loop than the whole-path test
// (app_pages_test.js, which runs the same editor steps after the pages before it): a real
// `clipthat serve --workers 1` on loopback, a generated sample uploaded with its chat and analysed
// through the API, then the editor steps of editor_steps.js in Debian's chromium. Screenshots and
// the rendered clip go to $CLIPTHAT_ARTIFACTS (default tests/browser/artifacts).
//
//   node tests/browser/editor_test.js path/to/clipthat
// Exit 0 when every check holds; 1 with the failed check on stderr.
"use strict";

const { chromium } = require("playwright-core");
const { startServer } = require("./clipthat_server.js");
const { execFileSync } = require("child_process");
const { editAndRender } = require("./editor_steps.js");
const fs = require("fs");
const os = require("os");
const path = require("path");

const BIN = process.argv[2];
const WEB = path.join(__dirname, "..", "..", "web");
const CHROMIUM = process.env.CLIPTHAT_CHROMIUM || "/usr/bin/chromium";
const ARTIFACTS = process.env.CLIPTHAT_ARTIFACTS || path.join(__dirname, "artifacts");

function check(condition, what) {
  if (!condition) throw new Error("check failed: " + what);
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));


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
  const { child, url } = await startServer(BIN, { dataDir: path.join(work, "data"), web: WEB, workers: 1,
                                                 env: { CLIPTHAT_BILLING_SIGNUP_CREDITS: "1000" } });
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
    const moment = moments.find((m) => (m.data.words || []).filter((w) => w.start_ms >= m.start_ms && w.end_ms <= m.end_ms).length >= 3) || moments[0];

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

    const summary = await editAndRender({ page, url, token, vodId, moment, vodPath: path.join(work, "sample", "vod.mp4"),
                                          workDir: work, artifacts: ARTIFACTS });
    check(errors.length === 0, "no errors in the page: " + JSON.stringify(errors));
    console.log(summary);
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
