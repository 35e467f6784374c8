// The credits page: balance, prices, buying a pack through Stripe Checkout, the ledger.
// Talks to the API with the session token kept in localStorage ("clipthat.token").
"use strict";

const TOKEN_KEY = "clipthat.token";
const $ = (id) => document.getElementById(id);

function token() { return localStorage.getItem(TOKEN_KEY) || ""; }

async function api(method, path, body) {
  const headers = { "Authorization": "Bearer " + token() };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const data = res.status === 204 ? null : await res.json().catch(() => null);
  if (!res.ok) {
    const err = new Error((data && data.error && data.error.message) || ("HTTP " + res.status));
    err.status = res.status;
    throw err;
  }
  return data;
}

function money(cents, currency) {
  return new Intl.NumberFormat(undefined, { style: "currency", currency: currency.toUpperCase() })
    .format(cents / 100);
}

function showSignin(message) {
  $("account").hidden = true;
  $("signout").hidden = true;
  $("signin").hidden = false;
  $("signin-error").textContent = message || "";
}

let nextCursor = null;

function addLedgerRows(items) {
  const body = $("ledger");
  for (const e of items) {
    const tr = document.createElement("tr");
    const when = document.createElement("td");
    when.textContent = new Date(e.created_at_ms).toLocaleString();
    const kind = document.createElement("td");
    kind.textContent = e.kind;
    const amount = document.createElement("td");
    amount.className = "num " + (e.amount > 0 ? "plus" : e.amount < 0 ? "minus" : "");
    amount.textContent = e.amount > 0 ? "+" + e.amount : e.amount < 0 ? String(e.amount)
                                                        : "(" + e.credits + " charged)";
    const why = document.createElement("td");
    why.textContent = e.reason;
    tr.append(when, kind, amount, why);
    body.append(tr);
  }
}

async function loadLedger(reset) {
  if (reset) { $("ledger").textContent = ""; nextCursor = null; }
  const page = await api("GET", "/v1/billing/ledger?limit=20" +
                         (nextCursor ? "&cursor=" + encodeURIComponent(nextCursor) : ""));
  addLedgerRows(page.items);
  nextCursor = page.next_cursor;
  $("more").hidden = !nextCursor;
}

async function buy(pack) {
  $("checkout-error").textContent = "";
  try {
    const session = await api("POST", "/v1/billing/checkout", { pack });
    window.location.assign(session.url);
  } catch (err) {
    $("checkout-error").textContent = "Could not start the payment: " + err.message;
  }
}

function render(billing) {
  $("balance").textContent = billing.balance;
  $("reserved").textContent = billing.reserved;
  const prices = $("prices");
  prices.textContent = "";
  const p = billing.prices;
  for (const line of [
    `Analysing a VOD: ${p.analysis_per_hour} credits per hour, charged per started 10 minutes`,
    `Rendering a clip: ${p.render_clip} credit${p.render_clip === 1 ? "" : "s"}`,
    `Live monitoring: ${p.live_minute} credit${p.live_minute === 1 ? "" : "s"} per minute`,
  ]) {
    const li = document.createElement("li");
    li.textContent = line;
    prices.append(li);
  }
  $("checkout-off").hidden = billing.checkout_enabled;
  const packs = $("packs");
  packs.textContent = "";
  for (const pack of billing.packs) {
    const div = document.createElement("div");
    div.className = "pack";
    const credits = document.createElement("strong");
    credits.textContent = pack.credits + " credits";
    const price = document.createElement("p");
    price.textContent = money(pack.amount_cents, pack.currency);
    const button = document.createElement("button");
    button.textContent = "Buy";
    button.disabled = !billing.checkout_enabled;
    button.addEventListener("click", () => buy(pack.id));
    div.append(credits, price, button);
    packs.append(div);
  }
}

// Back from Stripe: the credits arrive when Stripe's webhook does, usually within seconds.
async function waitForPurchase(before) {
  $("notice").textContent = "Payment received. Your credits appear as soon as Stripe confirms it…";
  for (let i = 0; i < 30; i++) {
    await new Promise((r) => setTimeout(r, 2000));
    const billing = await api("GET", "/v1/billing");
    if (billing.balance > before) {
      render(billing);
      await loadLedger(true);
      $("notice").textContent = `Thank you: ${billing.balance - before} credits added.`;
      return;
    }
  }
  $("notice").textContent = "Stripe has not confirmed the payment yet; this page shows the " +
                            "credits once it does (reload later).";
}

async function show() {
  if (!token()) { showSignin(); return; }
  try {
    const billing = await api("GET", "/v1/billing");
    $("signin").hidden = true;
    $("account").hidden = false;
    $("signout").hidden = false;
    render(billing);
    await loadLedger(true);
    const params = new URLSearchParams(window.location.search);
    if (params.get("checkout") === "cancelled") {
      $("notice").textContent = "The payment was cancelled; nothing was charged.";
    } else if (params.get("checkout") === "success") {
      history.replaceState(null, "", window.location.pathname);
      waitForPurchase(billing.balance);
    }
  } catch (err) {
    if (err.status === 401) { localStorage.removeItem(TOKEN_KEY); showSignin("Please sign in again."); }
    else { $("notice").textContent = "Could not load your credits: " + err.message; }
  }
}

$("signin-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  try {
    const res = await fetch("/v1/auth/login", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: form.get("email"), password: form.get("password") }),
    });
    const data = await res.json().catch(() => null);
    if (!res.ok) throw new Error((data && data.error && data.error.message) || ("HTTP " + res.status));
    localStorage.setItem(TOKEN_KEY, data.token);
    show();
  } catch (err) {
    $("signin-error").textContent = err.message;
  }
});
$("signout").addEventListener("click", () => { localStorage.removeItem(TOKEN_KEY); showSignin(); });
$("more").addEventListener("click", () => loadLedger(false));
show();
