// Embed demo journey: the session expires while a backup is tracked. The widgets tell the host
// (vmb-session-expired), the portal shows its own sign-in again, nothing keeps asking the server while the session
// is gone, and after signing in again (the portal calls resumeSession) tracking resumes: the task is neither lost
// nor started twice. Nothing lands in web storage at any point.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { browserStorage, eventually, launchBrowser, sim, TENANT_A } from "./harness.mjs";
import {
  hostEvents,
  openBackupDialog,
  openPortal,
  portalActivity,
  requestCount,
  resetSimulator,
  selectVm,
  signInToPortal,
  widget,
} from "./portal-page.mjs";

const NOTHING_STORED = { localStorage: [], sessionStorage: [], indexedDB: [], cacheStorage: [] };

let browser;
before(async () => {
  await resetSimulator({ taskSeconds: 6 });
  browser = await launchBrowser();
});
after(async () => {
  await sim.reset();
  await browser?.close();
});

/** The API requests the simulator counted since the last clear. */
async function apiRequests() {
  const { byPath } = await sim.requests();
  return Object.entries(byPath ?? {}).filter(([key]) => key.includes(" /api/"));
}

test("an expired session is reported once, asks nothing while expired, and tracking resumes after signing in", async () => {
  const { page, watch } = await openPortal(browser);
  await signInToPortal(page, TENANT_A);
  assert.deepEqual(await browserStorage(page), NOTHING_STORED, "nothing stored after sign-in");
  await selectVm(page, "proxy-00002");

  const { start } = await openBackupDialog(page);
  await start.click();
  const [started] = await eventually("vmb-backup-started", () => hostEvents(page, "vmb-backup-started").then((e) => e.length && e));
  const [taskId] = started.detail.taskIds;
  const entry = widget(page, "vmb-task-progress").locator(`li.vmb-task[data-task-id="${taskId}"]`);
  await entry.locator(".vmb-task__head").getByText(/Queued|Running/).waitFor();
  assert.deepEqual(await browserStorage(page), NOTHING_STORED, "nothing stored after a backup");

  // The session ends at the server while the task is tracked.
  await sim.expireSessions(TENANT_A.user);
  await page.locator("#portal-login").waitFor({ state: "visible" });
  await eventually("vmb-session-expired", () => hostEvents(page, "vmb-session-expired").then((e) => e.length && e));
  await widget(page, "vmb-task-progress").getByText("Your session has expired. Log in again to continue.").waitFor();
  const told = (await portalActivity(page)).filter((line) => line.includes("Session expired"));
  assert.equal(told.length, 1, "the portal tells the user once");

  // No request loop while expired: over a few seconds (more than one polling round) the widgets stay quiet.
  await sim.clearRequests();
  await page.waitForTimeout(4000);
  const quiet = await apiRequests();
  const quietTotal = quiet.reduce((sum, [, n]) => sum + n, 0);
  assert.ok(quietTotal <= 1, `at most one request while expired, got ${JSON.stringify(quiet)}`);
  assert.deepEqual(await browserStorage(page), NOTHING_STORED, "nothing stored after the expiry");

  // Sign in again through the portal: tracking resumes and the same task reaches its end.
  const form = page.locator("#portal-login-form");
  await form.locator('input[name="password"]').fill(TENANT_A.password);
  await form.getByRole("button", { name: "Sign in" }).click();
  await page.locator("#portal-login").waitFor({ state: "hidden" });
  await entry.locator(".vmb-task__head").getByText("Finished", { exact: true }).waitFor({ timeout: 20_000 });
  await eventually("the session prompt to go", async () =>
    (await widget(page, "vmb-task-progress").getByText("Your session has expired.").count()) === 0,
  );
  assert.equal(await widget(page, "vmb-task-progress").locator("li.vmb-task").count(), 1, "one entry: nothing duplicated");
  assert.equal(await requestCount("POST /api/tasks/export"), 0, "no backup was submitted again after the expiry");
  const finished = await eventually("vmb-task-finished", () => hostEvents(page, "vmb-task-finished").then((e) => e.length && e));
  assert.deepEqual(finished.map((e) => e.detail.taskId), [taskId], "the tracked task ended once, not lost");
  assert.equal(finished[0].detail.state, "FINISHED");
  // The table works again too.
  await widget(page, "vmb-vm-table").locator('tbody tr[role="row"] input[type="checkbox"]').first().waitFor();
  assert.deepEqual(await browserStorage(page), NOTHING_STORED, "nothing stored after signing in again");
  watch.assertClean();
});
