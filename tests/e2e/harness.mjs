// What every browser journey shares: the browser, pages that record what must never happen (dialogs, uncaught
// errors), the simulator's control endpoints and API, screenshots, the accessibility scan and the storage check.
//
// `cargo xtask test e2e-tests` sets VMBACKUP_E2E_URL (the simulator serving the demo site and the API on one
// origin), VMBACKUP_E2E_SCREENS (target/e2e/screens) and VMBACKUP_CHROMIUM (Debian's /usr/bin/chromium).
import assert from "node:assert/strict";
import { mkdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { chromium } from "playwright-core";

/** The simulator's origin: `/` the SPA, `/embed-demo.html` the portal page, `/api` the API, `/__sim` control. */
export const BASE_URL = requiredEnv("VMBACKUP_E2E_URL");
const SCREENS_DIR = process.env.VMBACKUP_E2E_SCREENS ?? path.resolve("target", "e2e", "screens");
const CHROMIUM = process.env.VMBACKUP_CHROMIUM ?? "/usr/bin/chromium";

/** The simulator's users (see crates/sim/README.md). */
export const ADMIN = { user: "admin", password: "vPr0tect" };
export const TENANT_A = { user: "tenant-a", password: "tenant-a-pass" };
/** The simulator's read-only user: sees every project, may change nothing. */
export const VIEWER = { user: "viewer", password: "viewer-pass" };

/** Headless Chromium as DEVELOPERS.md requires (playwright adds --headless and a fresh --user-data-dir). */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-dev-shm-usage",
];

function requiredEnv(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the journeys with \`cargo xtask test e2e-tests\``);
  return value.replace(/\/$/, "");
}

/** Debian's Chromium, never a downloaded one. */
export function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/**
 * A fresh context (no cookies, no storage) and a page at `urlPath`, watched for what must never happen: any
 * `alert`/`confirm`/`prompt` dialog (a script payload that ran) and uncaught page errors. Dialogs are dismissed
 * and recorded; `watch.assertClean()` fails the test if there were any.
 *
 * Options: `colorScheme` ("light" | "dark"), `locale` (default "en-US"), `timezoneId` (default Europe/Warsaw),
 * `viewport`, `gotoPage` (default true: navigate and wait for the load event).
 */
export async function openPage(browser, urlPath, options = {}) {
  const context = await browser.newContext({
    colorScheme: options.colorScheme ?? "light",
    locale: options.locale ?? "en-US",
    timezoneId: options.timezoneId ?? "Europe/Warsaw",
    viewport: options.viewport ?? { width: 1280, height: 900 },
  });
  const page = await context.newPage();
  const watch = {
    dialogs: [],
    pageErrors: [],
    consoleErrors: [],
    assertClean() {
      assert.deepEqual(watch.dialogs, [], "no dialog may open (a script payload ran)");
      assert.deepEqual(watch.pageErrors, [], "no uncaught error in the page");
    },
  };
  page.on("dialog", (dialog) => {
    watch.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    dialog.dismiss().catch(() => {});
  });
  page.on("pageerror", (error) => watch.pageErrors.push(String(error?.stack ?? error)));
  page.on("console", (message) => {
    if (message.type() === "error") watch.consoleErrors.push(message.text());
  });
  if (options.gotoPage ?? true) await page.goto(`${BASE_URL}${urlPath}`);
  return { context, page, watch };
}

/** Calls a `/__sim` control endpoint; fails on a non-2xx answer. */
async function control(method, pathAndQuery, body) {
  const response = await fetch(`${BASE_URL}/__sim${pathAndQuery}`, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} /__sim${pathAndQuery}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** The simulator's run-time controls (crates/sim/README.md, "Control endpoints"). */
export const sim = {
  /** Changes the faults given (`latencyMs`, `errorRate`, `htmlErrors`, `dropRate`, `failRate`, `taskSeconds`,
   * `sessionTtlSecs`) and returns them all. */
  faults: (patch) => control("PATCH", "/faults", patch),
  /** Rebuilds the inventory, clears tasks, restores start-up faults, forgets request counts. */
  reset: () => control("POST", "/reset"),
  /** Ends every session (or one user's): the next API call gets 401. */
  expireSessions: (user) => control("POST", `/expire-sessions${user ? `?user=${encodeURIComponent(user)}` : ""}`),
  /** `{ total, byPath: {"METHOD /path": n}, byStatus, recent: [{method, path, status, millis}] }`. */
  requests: () => control("GET", "/requests"),
  clearRequests: () => control("DELETE", "/requests"),
  health: () => control("GET", "/health"),
};

/**
 * A signed-in API session from Node, to look at what reached the server (or to prepare data) independently of
 * the browser: `await (await apiSession(ADMIN)).get("/schedules")`.
 */
export async function apiSession({ user, password }) {
  const login = await fetch(`${BASE_URL}/api/session/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({ login: user, password }),
  });
  assert.ok(login.ok, `login as ${user}: ${login.status}`);
  const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0];
  const send = async (method, apiPath, body) => {
    const response = await fetch(`${BASE_URL}/api${apiPath}`, {
      method,
      headers: { Cookie: cookie, Accept: "application/json", ...(body ? { "Content-Type": "application/json" } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} /api${apiPath}: ${response.status} ${text}`);
    return { body: text ? JSON.parse(text) : null, headers: response.headers };
  };
  return {
    get: async (apiPath) => (await send("GET", apiPath)).body,
    send,
  };
}

/** Polls `probe` until it returns a truthy value (returned) or `timeoutMs` passes (then fails with `what`). */
export async function eventually(what, probe, timeoutMs = 15_000, intervalMs = 200) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await probe();
      if (last) return last;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${last})`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Writes `target/e2e/screens/<name>.png` (full page unless `fullPage: false`). */
export async function screenshot(page, name, { fullPage = true } = {}) {
  await mkdir(SCREENS_DIR, { recursive: true });
  const file = path.join(SCREENS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage, animations: "disabled" });
  return file;
}

const axeSource = await readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/**
 * The serious and critical accessibility violations axe-core finds in the page (open shadow roots included), or
 * within `include` (a CSS selector). Each is `{ id, impact, help, targets }`. Evaluated through the DevTools
 * protocol, so the pages' CSP (no inline scripts) does not stop it.
 */
export async function accessibilityProblems(page, include) {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async (selector) => {
    // eslint-disable-next-line no-undef
    const result = await axe.run(selector ? { include: [[selector]] } : document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 5).map((node) => JSON.stringify(node.target)),
    }));
  }, include ?? null);
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

/** Everything the page's origin keeps in web storage: localStorage and sessionStorage entries, IndexedDB
 * database names, Cache Storage names. A session must leave all of them empty. */
export function browserStorage(page) {
  return page.evaluate(async () => ({
    localStorage: Object.entries({ ...localStorage }),
    sessionStorage: Object.entries({ ...sessionStorage }),
    indexedDB: (await indexedDB.databases()).map((db) => db.name),
    cacheStorage: "caches" in self ? await caches.keys() : [],
  }));
}
