// SPA journey: the session expires while a backup is being tracked. The SPA keeps the credentials in memory for
// one silent re-login, so a plain expiry is bridged without the user noticing (tracking carries on). When that
// re-login cannot bring the session back (here: every new session dies at once, as when the account was changed),
// the user is told (the re-login overlay over the current page), the page does not hammer the server while expired
// (a bounded few requests over several seconds), logging in again resumes the tracking (the task reaches Finished
// on screen), and the task is neither lost nor duplicated (one export task at the server, one on screen).
import { test } from "node:test";
import assert from "node:assert/strict";
import { ADMIN, apiSession, eventually, sim } from "./harness.mjs";
import {
  exportTasks,
  openBackupDialog,
  requestCount,
  signedInAtVm,
  spaJourney,
  uniqueProtectedVm,
} from "./spa-pages.mjs";

const journey = spaJourney();

/** Signs in, opens the VM's pane and starts its backup; resolves once the task runs. */
async function trackedBackup(vm) {
  const { page, watch, pane } = await signedInAtVm(journey.browser, vm);
  const { submit } = await openBackupDialog(pane);
  await submit.click();
  const task = pane.locator(".vmb-backup-button .vmb-task").first();
  await task.locator(".vmb-task__head", { hasText: "Running" }).waitFor({ timeout: 15_000 });
  return { page, watch, pane, task };
}

/** The task ends Finished on screen, once. */
async function assertFinishedOnScreen(pane, task) {
  await task.locator(".vmb-task__head", { hasText: "Finished" }).waitFor({ timeout: 30_000 });
  assert.equal(await task.getByRole("progressbar").getAttribute("aria-valuenow"), "100");
  assert.equal(await pane.locator(".vmb-backup-button .vmb-task").count(), 1, "one task on screen");
}

/** The server has exactly one export task for the VM. */
async function assertOneTaskAtServer(vm) {
  // A session of its own: the expiry ended the journey's one too.
  const tasks = await exportTasks(await apiSession(ADMIN), vm);
  assert.equal(tasks.length, 1, "one export task at the server: not lost, not sent again");
}

test("a plain expiry is bridged by the one silent re-login: tracking carries on", async () => {
  await sim.faults({ taskSeconds: 4 });
  const vm = await uniqueProtectedVm(await apiSession(ADMIN), { skip: 1 });
  const { page, watch, pane, task } = await trackedBackup(vm);
  await sim.clearRequests();
  await sim.expireSessions();
  await eventually("the silent re-login", async () => (await requestCount("POST /api/session/login")) === 1);
  await assertFinishedOnScreen(pane, task);
  assert.equal(await requestCount("POST /api/session/login"), 1, "one re-login");
  await assertOneTaskAtServer(vm);
  assert.equal(await page.locator(".vmb-app-overlay").count(), 0, "nothing to tell the user");
  watch.assertClean();
});

test("an expiry the re-login cannot bridge is told, not hammered, and tracking resumes after logging in", async () => {
  await sim.faults({ taskSeconds: 10 });
  const vm = await uniqueProtectedVm(await apiSession(ADMIN));
  const { page, watch, pane, task } = await trackedBackup(vm);

  // Every new session dies at once: the silent re-login gets a session the replay finds expired.
  await sim.faults({ sessionTtlSecs: 0 });
  await sim.expireSessions();
  const overlay = page.locator(".vmb-app-overlay");
  await overlay.waitFor({ timeout: 15_000 });
  await overlay.getByText("Your session has expired. Log in again to continue where you were.").waitFor();
  const form = overlay.locator("form.vmb-app-login");
  assert.equal(await form.count(), 1, "one login form over the page");
  // A modal prompt: the focus is in it, and Tab never reaches the page behind it.
  await eventually("the focus in the user name field", () =>
    page.evaluate(() => document.activeElement?.getAttribute("name") === "username"));
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press("Tab");
    const behind = await page.evaluate(() =>
      !!document.activeElement?.closest(".vmb-app-header, .vmb-app-main"));
    assert.equal(behind, false, `Tab ${i + 1} stays out of the page behind the prompt`);
  }

  // Expired: a bounded few requests while the user takes their time.
  await sim.clearRequests();
  await new Promise((resolve) => setTimeout(resolve, 4_000));
  const { total, recent } = await sim.requests();
  assert.ok(total <= 3, `at most a few requests in 4 s while expired: ${JSON.stringify(recent)}`);

  await sim.faults({ sessionTtlSecs: 1800 });
  await form.getByLabel("User name").fill(ADMIN.user);
  await form.getByLabel("Password").fill(ADMIN.password);
  await form.getByRole("button", { name: "Log in" }).click();
  await overlay.waitFor({ state: "detached" });

  // Where the user was: the same VM's pane, the same task, now followed to its end.
  await pane.locator("h2.vmb-app-vm-name", { hasText: vm.name }).waitFor();
  await assertFinishedOnScreen(pane, task);
  assert.equal(await requestCount("POST /api/tasks/export"), 0, "no backup submitted after the expiry");
  assert.equal(await requestCount("GET /api/session/user"), 0, "the login's answer lists the privileges: not asked again");
  await assertOneTaskAtServer(vm);
  watch.assertClean();
});
