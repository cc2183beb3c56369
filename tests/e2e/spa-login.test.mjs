// SPA journey: signing in. A wrong password is refused with a message and nothing else; the right one opens the
// VM dashboard; neither leaves credentials or session data in web storage; the login page passes the scan.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import {
  accessibilityProblems,
  ADMIN,
  browserStorage,
  launchBrowser,
  openPage,
  screenshot,
  sim,
} from "./harness.mjs";

let browser;
before(async () => {
  await sim.reset();
  browser = await launchBrowser();
});
after(() => browser?.close());

test("the SPA refuses a wrong password, signs in with the right one and stores nothing", async () => {
  const { page, watch } = await openPage(browser, "/");
  const form = page.locator("form.vmb-app-login");
  await form.waitFor();
  assert.deepEqual(await accessibilityProblems(page), [], "the login page has no serious accessibility issue");
  await screenshot(page, "spa-login-en-light");

  await page.getByLabel("User name").fill(ADMIN.user);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByLabel("Password").press("Enter");
  await form.getByRole("alert").waitFor();
  assert.match(await form.getByRole("alert").innerText(), /password|credentials|sign/i);

  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByLabel("Password").press("Enter");
  await page.locator(".vmb-vm-table").first().waitFor();
  await page.getByRole("row").nth(2).waitFor();

  const storage = await browserStorage(page);
  assert.deepEqual(storage, { localStorage: [], sessionStorage: [], indexedDB: [], cacheStorage: [] });
  const html = await page.content();
  assert.ok(!html.includes(ADMIN.password), "the password is not left in the page");
  watch.assertClean();
});
