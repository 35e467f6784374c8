// The web app's one client of the ClipThat API (docs/api.md). Every page loads it first.
//
// Credentials: the session token lives in localStorage ("clipthat.token") and is sent as
// `Authorization: Bearer`, never in a cookie, so another site cannot make the browser send it
// (no cross-site request forgery). Errors are thrown as ApiError with the API's code and message.
"use strict";

(function () {
  const TOKEN_KEY = "clipthat.token";

  class ApiError extends Error {
    constructor(status, code, message, body) {
      super(message);
      this.status = status;
      this.code = code;
      this.body = body;
    }
  }

  function token() { return localStorage.getItem(TOKEN_KEY) || ""; }
  function setToken(t) {
    if (t) localStorage.setItem(TOKEN_KEY, t); else localStorage.removeItem(TOKEN_KEY);
  }

  // fetch() with the token; `body` is sent as JSON unless it is a Blob/ArrayBuffer (then as is,
  // with `contentType`). Resolves to the parsed JSON answer (null for 204).
  async function request(method, path, body, opts) {
    opts = opts || {};
    const headers = Object.assign({}, opts.headers || {});
    if (token()) headers["Authorization"] = "Bearer " + token();
    let payload;
    if (body instanceof Blob || body instanceof ArrayBuffer) {
      payload = body;
      headers["Content-Type"] = opts.contentType || "application/octet-stream";
    } else if (body !== undefined) {
      payload = JSON.stringify(body);
      headers["Content-Type"] = "application/json";
    }
    const res = await fetch(path, { method, headers, body: payload, signal: opts.signal });
    const data = res.status === 204 ? null : await res.json().catch(() => null);
    if (!res.ok) {
      const e = (data && data.error) || {};
      const err = new ApiError(res.status, e.code || "http_" + res.status,
                               e.message || ("the server answered " + res.status), e);
      if (res.status === 401 && !opts.noRedirect) goSignin();
      throw err;
    }
    return data;
  }

  // Send the user to the sign-in page, coming back here afterwards.
  function goSignin() {
    if (location.pathname === "/signin.html") return;
    const next = location.pathname + location.search;
    location.href = "/signin.html?next=" + encodeURIComponent(next);
  }

  // A page that needs an account calls this first; resolves to /v1/me.
  async function requireUser() {
    if (!token()) { goSignin(); throw new ApiError(401, "unauthenticated", "not signed in"); }
    return request("GET", "/v1/me");
  }

  // Server-Sent Events over fetch (EventSource cannot send the Authorization header).
  // Calls onEvent(name, data) for each event; resolves when the stream ends.
  async function streamEvents(path, onEvent, signal) {
    const res = await fetch(path, { headers: { "Authorization": "Bearer " + token() }, signal });
    if (!res.ok || !res.body) throw new ApiError(res.status, "http_" + res.status, "event stream refused");
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let cut;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        let name = "message";
        const lines = [];
        for (const line of block.split("\n")) {
          if (line.startsWith("event:")) name = line.slice(6).trim();
          else if (line.startsWith("data:")) lines.push(line.slice(5).trimStart());
        }
        if (lines.length === 0) continue;
        let data = lines.join("\n");
        try { data = JSON.parse(data); } catch (_) { /* plain text event */ }
        onEvent(name, data);
      }
    }
  }

  async function signOut() {
    try { await request("POST", "/v1/auth/logout", undefined, { noRedirect: true }); } catch (_) { /* gone already */ }
    setToken("");
    location.href = "/signin.html";
  }

  // Display helpers shared by the pages.
  function formatMs(ms) {
    if (ms == null || !isFinite(ms)) return "–";
    const total = Math.max(0, Math.round(ms / 1000));
    const h = Math.floor(total / 3600), m = Math.floor((total % 3600) / 60), s = total % 60;
    const mm = String(m).padStart(h ? 2 : 1, "0"), ss = String(s).padStart(2, "0");
    return h ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
  }
  function formatBytes(n) {
    if (n == null) return "–";
    const units = ["B", "KB", "MB", "GB", "TB"];
    let i = 0;
    while (n >= 1000 && i < units.length - 1) { n /= 1000; i++; }
    return (i ? n.toFixed(1) : String(n)) + " " + units[i];
  }
  function param(name) { return new URLSearchParams(location.search).get(name); }

  // Where to go after signing in: only a path on this site ("/x", never "//host" or "/\\host").
  function safeNext(next, fallback) {
    fallback = fallback || "/dashboard.html";
    if (typeof next !== "string" || !next.startsWith("/") || next.startsWith("//") ||
        next.startsWith("/\\") || /[\u0000-\u001f]/.test(next)) return fallback;
    try {
      const u = new URL(next, location.origin);
      if (u.origin !== location.origin) return fallback;
      return u.pathname + u.search + u.hash;
    } catch (_) { return fallback; }
  }

  // Media the API serves needs the Authorization header, which <img>/<video> cannot send:
  // fetch it and hand the element a blob: URL (revoke it with URL.revokeObjectURL when done).
  async function blobUrl(path, signal) {
    const res = await fetch(path, { headers: { "Authorization": "Bearer " + token() }, signal });
    if (!res.ok) {
      const data = await res.json().catch(() => null);
      const e = (data && data.error) || {};
      throw new ApiError(res.status, e.code || "http_" + res.status,
                         e.message || ("the server answered " + res.status), e);
    }
    return URL.createObjectURL(await res.blob());
  }

  // Words for an error shown to the user.
  function describe(err) {
    if (!err) return "";
    if (err instanceof ApiError) return err.message;
    if (err.name === "AbortError") return "cancelled";
    if (err instanceof TypeError) return "the server could not be reached (" + err.message + ")";
    return String(err.message || err);
  }

  // The signed-in pages' navigation, written once here: a page holds
  // `<nav class="topnav" aria-label="Main" data-app-nav></nav>` and gets these links.
  const APP_NAV = [["/dashboard.html", "Dashboard"], ["/new.html", "New VOD"],
                   ["/templates.html", "Templates"], ["/billing.html", "Credits"],
                   ["/account.html", "Account"]];
  function fillNav(nav) {
    const link = (href, text, cls) => {
      const a = document.createElement("a");
      a.href = href;
      a.textContent = text;
      if (cls) a.className = cls;
      nav.appendChild(a);
    };
    link("/dashboard.html", "ClipThat", "logo");
    for (const [href, text] of APP_NAV) link(href, text);
    const spacer = document.createElement("span");
    spacer.className = "spacer";
    nav.appendChild(spacer);
    const out = document.createElement("button");
    out.type = "button";
    out.id = "nav-signout";
    out.textContent = "Sign out";
    nav.appendChild(out);
  }

  // The shared top navigation: written where asked for, the current page marked, "Sign out" wired.
  function wireNav() {
    for (const nav of document.querySelectorAll("nav.topnav[data-app-nav]")) {
      if (!nav.children.length) fillNav(nav);
    }
    for (const a of document.querySelectorAll(".topnav a[href]")) {
      if (a.getAttribute("href") === location.pathname) a.setAttribute("aria-current", "page");
    }
    const out = document.getElementById("nav-signout");
    if (out) out.addEventListener("click", signOut);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", wireNav);
  else wireNav();

  window.ClipThat = { ApiError, token, setToken, request, requireUser, streamEvents, signOut,
                      goSignin, formatMs, formatBytes, param, safeNext, blobUrl, describe };
})();
