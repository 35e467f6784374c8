// The credits page (web/billing.html) in a real browser: Debian's chromium driven by
// playwright-core, against a real `clipthat serve` and a loopback server that speaks Stripe's
// Checkout wire format. A user signs in, sees the sign-up credits and the prices, buys a pack
// (the page posts to the API, the API creates the Checkout Session, the browser is sent to
// Stripe's url, which here comes straight back as Stripe does after a payment), Stripe's signed
// webhook arrives, and the page shows the new balance and the purchase in its history.
//
//   node tests/browser/billing_page_test.js path/to/clipthat
// Exit 0 when every check holds; 1 with the failed check on stderr.
"use strict";

const { chromium } = require("playwright-core");
const { startServer } = require("./clipthat_server.js");
const crypto = require("crypto");
const fs = require("fs");
const http = require("http");
const os = require("os");
const path = require("path");

const BIN = process.argv[2];
const WEB = path.join(__dirname, "..", "..", "web");
const STRIPE_KEY = "sk_test_browser_0123456789";
const WEBHOOK_SECRET = "whsec_browser_test";
const CHROMIUM = process.env.CLIPTHAT_CHROMIUM || "/usr/bin/chromium";

function check(condition, what) {
  if (!condition) throw new Error("check failed: " + what);
}

// Stripe's Checkout endpoint: form-encoded, Bearer key, Idempotency-Key; answers a session.
function startFakeStripe(seen) {
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => { body += chunk; });
    req.on("end", () => {
      const record = { path: req.url, headers: req.headers, form: Object.fromEntries(new URLSearchParams(body)) };
      seen.push(record);
      if (req.method !== "POST" || req.url !== "/v1/checkout/sessions" ||
          req.headers.authorization !== "Bearer " + STRIPE_KEY) {
        res.writeHead(401, { "Content-Type": "application/json" });
        res.end(JSON.stringify({ error: { type: "invalid_request_error", message: "Invalid API Key provided" } }));
        return;
      }
      const form = Object.fromEntries(new URLSearchParams(body));
      const id = "cs_test_" + crypto.randomBytes(8).toString("hex");
      record.session_id = id;
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify({
        id, object: "checkout.session", mode: form.mode, status: "open", payment_status: "unpaid",
        client_reference_id: form.client_reference_id,
        metadata: { credits: form["metadata[credits]"], pack: form["metadata[pack]"] },
        amount_total: Number(form["line_items[0][price_data][unit_amount]"]),
        currency: form["line_items[0][price_data][currency]"],
        // After paying, Stripe sends the buyer to success_url: go there at once.
        url: form.success_url.replace("{CHECKOUT_SESSION_ID}", id),
      }));
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}


function signedEvent(event) {
  const body = JSON.stringify(event);
  const t = Math.floor(Date.now() / 1000);
  const v1 = crypto.createHmac("sha256", WEBHOOK_SECRET).update(t + "." + body).digest("hex");
  return { body, signature: `t=${t},v1=${v1}` };
}

async function main() {
  check(BIN && fs.existsSync(BIN), "usage: billing_page_test.js path/to/clipthat");
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "clipthat-browser-"));
  const seen = [];
  const stripe = await startFakeStripe(seen);
  const stripeUrl = "http://127.0.0.1:" + stripe.address().port;
  const { child, url } = await startServer(BIN, { dataDir, web: WEB, env: {
    CLIPTHAT_BILLING_STRIPE_SECRET_KEY: STRIPE_KEY,
    CLIPTHAT_BILLING_STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    CLIPTHAT_BILLING_STRIPE_API_BASE: stripeUrl,
  } });
  let browser;
  try {
    const email = "buyer@example.com";
    const password = "password-123";
    const signup = await fetch(url + "/v1/auth/signup", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email, password }),
    });
    check(signup.status === 201, "sign-up answers 201, not " + signup.status);
    const userId = (await signup.json()).user.id;

    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    // Failed requests (the deliberate wrong password's 401) are not page errors.
    page.on("console", (m) => {
      if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) errors.push(m.text());
    });

    // Signed out: the sign-in form; signing in shows the account.
    await page.goto(url + "/billing.html");
    await page.waitForSelector("#signin:not([hidden])");
    await page.fill("input[name=email]", email);
    await page.fill("input[name=password]", "wrong-password");
    await page.click("#signin-form button");
    await page.waitForFunction(() => document.querySelector("#signin-error").textContent.length > 0);
    await page.fill("input[name=password]", password);
    await page.click("#signin-form button");
    await page.waitForSelector("#account:not([hidden])");
    check(await page.textContent("#balance") === "30", "the sign-up credits show as the balance");
    const prices = await page.$$eval("#prices li", (items) => items.map((li) => li.textContent));
    check(prices.length === 3 && prices[0].includes("6 credits per hour"), "the prices are listed: " + prices);
    const packs = await page.$$eval(".pack strong", (items) => items.map((s) => s.textContent));
    check(packs.join("|") === "100 credits|500 credits|2000 credits", "the packs are offered: " + packs);

    // Buy the first pack: the page asks the API, the API asks Stripe, the browser comes back.
    await page.click(".pack button");
    await page.waitForFunction(() => document.querySelector("#notice").textContent.startsWith("Payment received"));
    const checkout = seen.find((s) => s.path === "/v1/checkout/sessions");
    check(checkout, "the API created a Checkout Session");
    check(checkout.headers["idempotency-key"], "the Checkout request carries an Idempotency-Key");
    check(checkout.form.mode === "payment", "mode=payment");
    check(checkout.form.client_reference_id === userId, "client_reference_id is the user's id");
    check(checkout.form["metadata[credits]"] === "100", "metadata[credits]=100");
    check(checkout.form.success_url.startsWith(url + "/billing.html?checkout=success"), "success_url returns to the page");
    check(await page.textContent("#balance") === "30", "nothing is granted before the webhook");

    // Stripe's signed event arrives: the page notices the new balance by itself.
    const sessionId = checkout.session_id;
    const event = signedEvent({
      id: "evt_browser_1", object: "event", type: "checkout.session.completed",
      data: { object: { id: sessionId, object: "checkout.session", payment_status: "paid",
                        client_reference_id: userId, metadata: { credits: "100", pack: "starter" },
                        amount_total: 500, currency: "usd", payment_intent: "pi_browser_1" } },
    });
    const hook = await fetch(url + "/v1/billing/stripe-webhook", {
      method: "POST", headers: { "Content-Type": "application/json", "Stripe-Signature": event.signature },
      body: event.body,
    });
    check(hook.status === 200, "the webhook answers 200, not " + hook.status);
    await page.waitForFunction(() => document.querySelector("#notice").textContent.startsWith("Thank you"),
                               null, { timeout: 30000 });
    check(await page.textContent("#balance") === "130", "the purchase shows in the balance");
    const rows = await page.$$eval("#ledger tr", (trs) => trs.map((tr) => tr.innerText));
    check(rows.length === 2 && rows[0].includes("purchase") && rows[0].includes("+100"),
          "the history lists the purchase first: " + JSON.stringify(rows));

    // A cancelled checkout says nothing was charged.
    await page.goto(url + "/billing.html?checkout=cancelled");
    await page.waitForFunction(() => document.querySelector("#notice").textContent.includes("cancelled"));

    // Signing out forgets the token.
    await page.click("#signout");
    await page.waitForSelector("#signin:not([hidden])");
    check(await page.evaluate(() => localStorage.getItem("clipthat.token")) === null, "sign-out forgets the token");
    check(errors.length === 0, "no errors in the page: " + JSON.stringify(errors));
    console.log("billing page: sign-in, prices, checkout, webhook, history, cancel, sign-out: ok");
  } finally {
    if (browser) await browser.close();
    child.kill("SIGTERM");
    stripe.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e) => { console.error(e.message || e); process.exit(1); });
