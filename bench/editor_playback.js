// How long the editor waits before a moment of a 4-hour VOD plays: Debian's chromium loads the
// VOD from `clipthat serve` through a signed media link (POST /v1/vods/{id}/media-link), seeks
// to a moment 3 hours in and plays. Baseline in the same run: the same file from a plain static
// file server (node's fs streams with Range), i.e. what the browser itself needs.
//
//   node bench/editor_playback.js path/to/clipthat [--hours 4] [--data bench-data/editor-playback]
//
// Prints, for each of 3 tries, the time from setting the source to the "playing" event and the
// bytes the browser read, then the medians and the ratio clipthat/static. Target: under 2 s.
"use strict";

const { chromium } = require(require.resolve("playwright-core", { paths: [require("path").join(__dirname, "..", "tests", "browser")] }));
const { spawn, execFileSync } = require("child_process");
const fs = require("fs");
const http = require("http");
const path = require("path");

const BIN = process.argv[2];
const arg = (name, dflt) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : dflt; };
const HOURS = Number(arg("--hours", "4"));
const DATA = arg("--data", path.join(__dirname, "..", "bench-data", "editor-playback"));
const CHROMIUM = process.env.CLIPTHAT_CHROMIUM || "/usr/bin/chromium";

// A long VOD made from a generated minute, repeated by stream copy (made once, kept).
function makeVod() {
  const vod = path.join(DATA, `vod-${HOURS}h.mp4`);
  if (fs.existsSync(vod)) return vod;
  fs.mkdirSync(DATA, { recursive: true });
  const minute = path.join(DATA, "minute");
  if (!fs.existsSync(path.join(minute, "vod.mp4"))) {
    execFileSync(BIN, ["sample", "--out", minute, "--duration", "60", "--size", "640x360", "--fps", "30", "--quiet"], { stdio: "inherit" });
  }
  const list = path.join(DATA, "list.txt");
  fs.writeFileSync(list, Array(Math.round(HOURS * 60)).fill(`file '${path.join(minute, "vod.mp4")}'`).join("\n") + "\n");
  execFileSync("ffmpeg", ["-v", "error", "-y", "-f", "concat", "-safe", "0", "-i", list, "-c", "copy",
                          "-movflags", "+faststart", vod], { stdio: "inherit" });
  return vod;
}

function startClipthat(dataDir) {
  const child = spawn(BIN, ["serve", "--port", "0", "--data", dataDir], { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  return new Promise((resolve, reject) => {
    child.stderr.on("data", (c) => {
      log += c;
      const m = log.match(/listening on (http:\/\/[0-9.]+:\d+)/);
      if (m) resolve({ child, url: m[1] });
    });
    child.on("exit", (code) => reject(new Error("clipthat serve exited " + code + ": " + log)));
  });
}

// A plain static server with single-range support: the baseline.
function startStatic(file) {
  const size = fs.statSync(file).size;
  const server = http.createServer((req, res) => {
    const m = /bytes=(\d*)-(\d*)/.exec(req.headers.range || "");
    if (!m) {
      res.writeHead(200, { "Content-Type": "video/mp4", "Content-Length": size, "Accept-Ranges": "bytes" });
      fs.createReadStream(file).pipe(res);
      return;
    }
    const start = m[1] === "" ? size - Number(m[2]) : Number(m[1]);
    const end = m[2] === "" || m[1] === "" ? size - 1 : Math.min(size - 1, Number(m[2]));
    res.writeHead(206, { "Content-Type": "video/mp4", "Content-Length": end - start + 1, "Accept-Ranges": "bytes",
                         "Content-Range": `bytes ${start}-${end}/${size}` });
    fs.createReadStream(file, { start, end }).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ server, url: "http://127.0.0.1:" + server.address().port })));
}

async function upload(url, file) {
  const signup = await fetch(url + "/v1/auth/signup", { method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email: "bench@example.com", password: "password-123" }) });
  const token = (await signup.json()).token;
  const auth = { Authorization: "Bearer " + token };
  const size = fs.statSync(file).size;
  if (!token) throw new Error("sign-up failed: " + signup.status);
  const vod = await (await fetch(url + "/v1/vods", { method: "POST", headers: { ...auth, "Content-Type": "application/json" },
    body: JSON.stringify({ title: "long", size_bytes: size, filename: "vod.mp4" }) })).json();
  const chunk = vod.upload.chunk_max_bytes;
  const fd = fs.openSync(file, "r");
  for (let at = 0; at < size; at += chunk) {
    const n = Math.min(chunk, size - at);
    const buf = Buffer.alloc(n);
    fs.readSync(fd, buf, 0, n, at);
    if (!vod.upload) throw new Error("no upload session: " + JSON.stringify(vod));
    const r = await fetch(url + vod.upload.url, { method: "PUT", headers: { ...auth, "Content-Type": "application/octet-stream",
      "Content-Range": `bytes ${at}-${at + n - 1}/${size}` }, body: buf });
    if (!r.ok) throw new Error("upload: " + r.status + " " + await r.text());
  }
  fs.closeSync(fd);
  const link = await (await fetch(url + "/v1/vods/" + vod.id + "/media-link", { method: "POST", headers: auth })).json();
  return url + link.url;
}

// Time from setting the source to "playing" at `atSeconds`, in a fresh page.
async function timePlay(browser, src, atSeconds) {
  const page = await browser.newPage();
  let bytes = 0;
  page.on("response", async (r) => { const len = Number(r.headers()["content-length"] || 0); bytes += len; });
  const ms = await page.evaluate(([s, at]) => new Promise((resolve, reject) => {
    const v = document.createElement("video");
    v.muted = true;
    document.body.appendChild(v);
    const t0 = performance.now();
    v.addEventListener("loadedmetadata", () => { v.currentTime = at; v.play().catch(reject); }, { once: true });
    v.addEventListener("playing", () => resolve(performance.now() - t0), { once: true });
    v.addEventListener("error", () => reject(new Error("media error " + (v.error && v.error.code))));
    v.src = s;
  }), [src, atSeconds]);
  await page.close();
  return { ms, bytes };
}

const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  if (!BIN || !fs.existsSync(BIN)) throw new Error("usage: editor_playback.js path/to/clipthat");
  const vod = makeVod();
  const size = fs.statSync(vod).size;
  const serverData = path.join(DATA, "server-" + process.pid);
  const clipthat = await startClipthat(serverData);
  const plain = await startStatic(vod);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--autoplay-policy=no-user-gesture-required"] });
  try {
    const link = await upload(clipthat.url, vod);
    const at = HOURS * 3600 * 0.75;
    const ours = [], base = [];
    for (let i = 0; i < 3; i++) {
      const a = await timePlay(browser, link, at + i * 60);
      const b = await timePlay(browser, plain.url + "/vod.mp4", at + i * 60);
      ours.push(a.ms); base.push(b.ms);
      console.log(`try ${i + 1}: clipthat ${a.ms.toFixed(0)} ms (responses announced ${(a.bytes / 1e6).toFixed(0)} MB), static ${b.ms.toFixed(0)} ms (${(b.bytes / 1e6).toFixed(0)} MB)`);
    }
    const m = median(ours), mb = median(base);
    console.log(`editor_playback: ${HOURS} h VOD (${(size / 1e6).toFixed(0)} MB), moment at ${(at / 3600).toFixed(1)} h: ` +
                `median ${m.toFixed(0)} ms to playing through clipthat, ${mb.toFixed(0)} ms from a static server, ` +
                `ratio ${(m / mb).toFixed(2)}; target < 2000 ms: ${m < 2000 ? "met" : "MISSED"}`);
  } finally {
    await browser.close();
    clipthat.child.kill("SIGTERM");
    plain.server.close();
    setTimeout(() => fs.rmSync(serverData, { recursive: true, force: true }), 500);
  }
}

main().catch((e) => { console.error(e.message || e, e.cause || ""); process.exit(1); });
