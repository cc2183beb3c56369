// A plain HTML page (tests/npm/page/) in headless Chromium: it imports the package's browser build through an
// import map, under a Content-Security-Policy of `script-src 'self' 'wasm-unsafe-eval'` (plus the import map's
// hash), logs in with its own fetch and lists VMs with the page's cookie session (`mode: "hostCookie"`).
// The simulator serves the page and the API on one origin. Debian's Chromium, driven by playwright-core; never a
// downloaded browser.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";

import { chromium } from "playwright-core";

import { simControl, simUrl } from "./helpers.mjs";

/** Chromium flags: no sandbox (root), no GPU, none of the background connections the closed network refuses. */
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-dev-shm-usage",
];

let userDataDir;
let context;
let page;
const consoleLines = [];

before(async () => {
  await simControl("POST", "reset");
  userDataDir = await mkdtemp(join(tmpdir(), "vmbackup-chromium-"));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.VMBACKUP_CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: CHROMIUM_ARGS,
  });
  page = await context.newPage();
  page.on("console", (message) => consoleLines.push(`${message.type()}: ${message.text()}`));
  page.on("pageerror", (error) => consoleLines.push(`pageerror: ${error.message}`));
});

after(async () => {
  await context?.close();
  if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
});

const pageLog = () => `browser console:\n${consoleLines.join("\n")}`;

/** Waits until the page's `data-state` leaves "new"/"loading" and returns it with the status text. */
async function settledState() {
  await page.waitForFunction(() => !["new", "loading"].includes(document.body.dataset.state), null, { timeout: 20_000 });
  return page.evaluate(() => ({ state: document.body.dataset.state, status: document.querySelector("#status").textContent }));
}

test("the page lists the VMs of its own cookie session", async () => {
  await page.goto(`${simUrl}/index.html`);
  const { state, status } = await settledState().catch((error) => {
    throw new Error(`${error.message}\n${pageLog()}`);
  });
  assert.equal(state, "listed", `${status}\n${pageLog()}`);
  const projects = await page.$$eval("#vms li", (items) => items.map((item) => item.dataset.project));
  assert.ok(projects.length > 0, "some VMs are listed");
  assert.deepEqual([...new Set(projects)], ["Project A"], "tenant-a's session sees its own project only");
  const cookies = await context.cookies(simUrl);
  assert.ok(cookies.some((cookie) => cookie.name === "JSESSIONID" && cookie.httpOnly), "the portal's cookie is HttpOnly");
  assert.ok(!consoleLines.some((line) => /Content.Security.Policy|Refused to/i.test(line)), pageLog());
});

test("an expired page session is reported once and the client resumes when the page says so", async () => {
  await simControl("POST", "expire-sessions");
  const failed = await page.evaluate(() => window.portal.listVms());
  assert.equal(failed.error, "unauthorized", pageLog());
  assert.equal(await page.textContent("#expired"), "1");
  await page.evaluate(() => window.portal.loginAgain());
  const listed = await page.evaluate(() => window.portal.listVms());
  assert.ok(listed.count > 0, `${JSON.stringify(listed)}\n${pageLog()}`);
  assert.equal(await page.textContent("#expired"), "1", "no second notice");
});
