// SPA journey: backing up a VM from its details pane. The progress bar reaches the end (Finished, 100 %); a double
// click on the dialog's submit sends one POST /api/tasks/export and makes one task; a running task is cancelled
// only after its confirmation ("Keep it running" keeps it); a failing task shows the server's message.
import { afterEach, test } from "node:test";
import assert from "node:assert/strict";
import { eventually, sim } from "./harness.mjs";
import {
  assertNothingStored,
  exportTasks,
  goTo,
  openBackupDialog,
  requestCount,
  signedInAtVm,
  spaJourney,
  stateName,
  uniqueProtectedVm,
} from "./spa-pages.mjs";

const journey = spaJourney();
afterEach(() => sim.faults({ taskSeconds: 4, failRate: 0, latencyMs: 0 }));

/** Signs in, opens the details pane of the `skip`-th journey VM and starts its backup with a click. */
async function startBackup(skip) {
  const vm = await uniqueProtectedVm(journey.api, { skip });
  const { page, watch, pane } = await signedInAtVm(journey.browser, vm);
  const { submit } = await openBackupDialog(pane);
  await submit.click();
  return { vm, page, watch, pane, task: pane.locator(".vmb-backup-button .vmb-task").first() };
}

test("a backup's progress bar reaches the end, and a double click starts it once", async () => {
  await sim.faults({ taskSeconds: 3 });
  const vm = await uniqueProtectedVm(journey.api);
  const { page, watch, pane } = await signedInAtVm(journey.browser, vm);
  const { dialog, submit } = await openBackupDialog(pane);
  await sim.clearRequests();
  // A slow answer keeps the first submission in flight while the second click lands.
  await sim.faults({ latencyMs: 400 });
  await submit.dblclick();
  await dialog.waitFor({ state: "detached" });
  await sim.faults({ latencyMs: 0 });

  const task = pane.locator(".vmb-backup-button .vmb-task").first();
  await task.waitFor();
  // The name is isolated (FSI … PDI), so that its direction marks cannot reorder the sentence.
  // The title comes with the poller's first reading of the task, which may follow the card by a round trip.
  const title = task.locator(".vmb-task__title");
  await eventually("the task's title", async () => (await title.innerText()) === `Backup of \u2068${vm.name}\u2069`, 5_000, 100);
  const bar = task.getByRole("progressbar");
  const seen = new Set();
  await eventually("the backup finished", async () => {
    seen.add(await bar.getAttribute("aria-valuenow"));
    return (await task.locator(".vmb-task__head").innerText()).includes("Finished");
  }, 30_000, 100);
  assert.equal(await bar.getAttribute("aria-valuenow"), "100");
  // Drawn full once its width transition ends.
  await eventually("the bar drawn full", async () =>
    (await bar.evaluate((el) => el.querySelector(".vmb-progress__bar").offsetWidth / el.clientWidth)) > 0.99, 3_000);
  assert.ok(seen.size > 1, `the bar moved on the way (values seen: ${[...seen]})`);
  await pane.getByText("Backup tasks created: 1").waitFor();

  assert.equal(await requestCount("POST /api/tasks/export"), 1, "one submission for a double click");
  const tasks = await exportTasks(journey.api, vm);
  assert.equal(tasks.length, 1, "one export task at the server");
  assert.equal(stateName(tasks[0]), "FINISHED");
  assert.equal(await pane.locator(".vmb-backup-button .vmb-task").count(), 1, "one task on screen");
  await assertNothingStored(page);
  watch.assertClean();
});

test("a running backup is cancelled only after its confirmation", async () => {
  await sim.faults({ taskSeconds: 120 });
  const { vm, page, watch, task } = await startBackup(1);
  await task.locator(".vmb-task__head", { hasText: "Running" }).waitFor({ timeout: 15_000 });

  // "Keep it running" closes the confirmation and changes nothing.
  await task.getByRole("button", { name: "Cancel task" }).click();
  const confirm = page.getByRole("dialog", { name: "Cancel task" });
  await confirm.waitFor();
  assert.match(await confirm.innerText(), /A backup in progress is discarded/);
  await confirm.getByRole("button", { name: "Keep it running" }).click();
  await confirm.waitFor({ state: "detached" });
  assert.equal(stateName((await exportTasks(journey.api, vm))[0]), "RUNNING");
  assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), "Cancel task",
    "the focus goes back to the button that opened the confirmation");

  await task.getByRole("button", { name: "Cancel task" }).click();
  await confirm.waitFor();
  await confirm.getByRole("button", { name: "Cancel task" }).click();
  await task.locator(".vmb-task__head", { hasText: "Cancelled" }).waitFor({ timeout: 15_000 });
  await eventually("the task cancelled at the server", async () => stateName((await exportTasks(journey.api, vm))[0]) === "CANCELLED");
  assert.equal(await task.getByRole("button", { name: "Cancel task" }).count(), 0, "an ended task offers no cancel");
  watch.assertClean();
});

test("a failing backup shows the server's message", async () => {
  await sim.faults({ taskSeconds: 2, failRate: 1 });
  const { vm, watch, task } = await startBackup(2);
  await task.locator(".vmb-task__head", { hasText: "Failed" }).waitFor({ timeout: 20_000 });
  const failed = (await exportTasks(journey.api, vm)).find((t) => stateName(t) === "FAILED");
  assert.ok(failed?.statusInfo, "the server gave the failure a message");
  const shown = task.locator(".vmb-task__info");
  assert.equal((await shown.innerText()).trim(), failed.statusInfo.trim(), "the server's message is shown as it is");
  assert.ok(await shown.evaluate((el) => el.classList.contains("vmb-field-error")), "shown as an error");
  assert.equal(await task.locator(".vmb-progress__bar--failed").count(), 1, "the bar is marked failed");
  watch.assertClean();
});

test("after a reload, the Tasks page lists the running backup and follows it to the end", async () => {
  await sim.faults({ taskSeconds: 8 });
  const { vm, page, watch, task } = await startBackup(3);
  await task.locator(".vmb-task__head", { hasText: "Running" }).waitFor({ timeout: 15_000 });
  await page.reload();
  await page.locator(".vmb-app-nav").waitFor();
  await goTo(page, "Tasks");
  const listed = page.locator(".vmb-task-progress .vmb-task");
  await listed.first().waitFor({ timeout: 15_000 });
  assert.equal(await listed.count(), 1, "the one backup running at the server");
  await listed.locator(".vmb-task__head", { hasText: "Finished" }).waitFor({ timeout: 30_000 });
  assert.match(await listed.innerText(), new RegExp(vm.name));
  assert.equal((await exportTasks(journey.api, vm)).length, 1);
  watch.assertClean();
});
