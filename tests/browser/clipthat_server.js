// Starts a real `clipthat serve` on a free loopback port for the browser tests and resolves to
// {child, url, log()} once it listens (rejects after 30 s or when it exits first).
//
//   const { startServer } = require("./clipthat_server.js");
//   const server = await startServer(bin, { dataDir, web, workers: 1, env: {...} });
"use strict";

const { spawn } = require("child_process");

function startServer(bin, { dataDir, web, workers, env }) {
  const args = ["serve", "--port", "0", "--data", dataDir];
  if (web) args.push("--web", web);
  if (workers) args.push("--workers", String(workers));
  const child = spawn(bin, args, { env: { ...process.env, ...(env || {}) }, stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("clipthat serve did not start: " + log)), 30000);
    child.stderr.on("data", (chunk) => {
      log += chunk;
      if (log.length > 200000) log = log.slice(-100000);
      const m = log.match(/listening on (http:\/\/[0-9.]+:\d+)/);
      if (m) { clearTimeout(timer); resolve({ child, url: m[1], log: () => log }); }
    });
    child.on("exit", (code) => { clearTimeout(timer); reject(new Error("clipthat serve exited " + code + ": " + log.slice(-2000))); });
  });
}

module.exports = { startServer };
