// Embed demo journeys: back up the selected VM from <vmb-backup-button> (a double click makes one task, the
// portal hears vmb-backup-started and vmb-task-finished, the progress reaches the end), cancel a running task
// after its confirmation, and a failing task shows the server's message.
import { after, before, beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { apiSession, eventually, launchBrowser, sim, TENANT_A } from "./harness.mjs";
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

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await sim.reset();
  await browser?.close();
});

/** The portal signed in as tenant-a with `vm` selected, on a fresh simulator with `faults`. */
async function portalWithSelectedVm(vm, faults) {
  await resetSimulator(faults);
  const opened = await openPortal(browser);
  await signInToPortal(opened.page, TENANT_A);
  await selectVm(opened.page, vm);
  return opened;
}

/** Starts a backup of the selected VM and answers the task id the widget reported. */
async function startBackup(page) {
  const { start } = await openBackupDialog(page);
  await start.click();
  await widget(page, "vmb-backup-button").getByText("Backup tasks created: 1").waitFor();
  const [started] = await eventually("vmb-backup-started", () => hostEvents(page, "vmb-backup-started").then((e) => e.length && e));
  return started.detail.taskIds[0];
}

/** The portal's <vmb-task-progress> entry of task `taskId`. */
function taskEntry(page, taskId) {
  return widget(page, "vmb-task-progress").locator(`li.vmb-task[data-task-id="${taskId}"]`);
}

test("a double click on Start backup makes exactly one task, whose progress reaches the end", async () => {
  const { page, watch } = await portalWithSelectedVm("app-00001", { taskSeconds: 2 });
  const vmId = await widget(page, "vmb-backup-button").getAttribute("vm");
  const { dialog, start } = await openBackupDialog(page);
  await dialog.getByText("app-00001").waitFor();
  // The rule comes from the VM's policy (gold): the select has a chosen rule, no "no policy" explanation.
  assert.equal(await dialog.getByRole("note").count(), 0, "app-00001 has a policy, so no explanation");

  await start.dblclick();
  await widget(page, "vmb-backup-button").getByText("Backup tasks created: 1").waitFor();
  const started = await eventually("vmb-backup-started", () => hostEvents(page, "vmb-backup-started").then((e) => e.length && e));
  assert.equal(started.length, 1, "one vmb-backup-started event");
  assert.deepEqual(started[0].detail.vmIds, [vmId]);
  assert.equal(started[0].detail.taskIds.length, 1);
  assert.equal(started[0].widget, "vmb-backup-button");
  const [taskId] = started[0].detail.taskIds;
  assert.equal(await requestCount("POST /api/tasks/export"), 1, "the double click sent one backup request");
  await eventually("the portal's activity list to show the start", async () =>
    (await portalActivity(page)).some((line) => line.includes("Backup started: 1 task(s)")),
  );

  // The portal's <vmb-task-progress> follows every task of the page: its bar goes to 100 % and Finished.
  const entry = taskEntry(page, taskId);
  await entry.waitFor();
  const bar = entry.getByRole("progressbar");
  await eventually("the progress bar to reach 100", async () => (await bar.getAttribute("aria-valuenow")) === "100", 20_000);
  await entry.locator(".vmb-task__head").getByText("Finished", { exact: true }).waitFor();
  const finished = await eventually("vmb-task-finished", () => hostEvents(page, "vmb-task-finished").then((e) => e.length && e));
  assert.deepEqual(
    finished.map((e) => [e.detail.taskId, e.detail.state]),
    [[taskId, "FINISHED"]],
    "one vmb-task-finished for one task",
  );
  await eventually("the portal's activity list to show the end", async () =>
    (await portalActivity(page)).some((line) => line.includes("Task finished")),
  );
  // One backup, one task at the server, and still one request after everything settled.
  const api = await apiSession(TENANT_A);
  const tasks = await api.get(`/tasks?protected-entity=${vmId}&type=EXPORT`);
  assert.equal(tasks.filter((t) => (t.guid ?? t.id) === taskId).length, 1);
  assert.equal(await requestCount("POST /api/tasks/export"), 1);
  watch.assertClean();
});

test("a running task is cancelled only after its confirmation", async () => {
  const { page, watch } = await portalWithSelectedVm("web-00001", { taskSeconds: 60 });
  const taskId = await startBackup(page);
  const entry = taskEntry(page, taskId);
  await entry.locator(".vmb-task__head").getByText("Running", { exact: true }).waitFor({ timeout: 15_000 });

  // Keeping it running sends nothing.
  await entry.getByRole("button", { name: "Cancel task" }).click();
  const confirm = widget(page, "vmb-task-progress").getByRole("dialog", { name: "Cancel task" });
  await confirm.waitFor();
  await confirm.getByText("Cancel this task? A backup in progress is discarded.").waitFor();
  await confirm.getByRole("button", { name: "Keep it running" }).click();
  await confirm.waitFor({ state: "hidden" });
  assert.equal(await requestCount(`PUT /api/tasks/${taskId}/cancel`), 0, "keeping the task sends no cancel");

  await entry.getByRole("button", { name: "Cancel task" }).click();
  await confirm.getByRole("button", { name: "Cancel task" }).click();
  await entry.locator(".vmb-task__head").getByText("Cancelled", { exact: true }).waitFor();
  const api = await apiSession(TENANT_A);
  const task = await api.get(`/tasks/${taskId}`);
  assert.equal(task.state?.name ?? task.state, "CANCELLED");
  const finished = await eventually("vmb-task-finished", () => hostEvents(page, "vmb-task-finished").then((e) => e.length && e));
  assert.deepEqual(
    finished.map((e) => [e.detail.taskId, e.detail.state]).filter(([id]) => id === taskId).at(0),
    [taskId, "CANCELLED"],
  );
  await eventually("the portal's activity list to show the cancel", async () =>
    (await portalActivity(page)).some((line) => line.includes("Task cancelled")),
  );
  watch.assertClean();
});

test("a failing task shows the server's message and the host hears it", async () => {
  const { page, watch } = await portalWithSelectedVm("cache-00001", { taskSeconds: 1, failRate: 1 });
  const taskId = await startBackup(page);
  const entry = taskEntry(page, taskId);
  await entry.locator(".vmb-task__head").getByText("Failed", { exact: true }).waitFor({ timeout: 15_000 });
  const api = await apiSession(TENANT_A);
  const task = await api.get(`/tasks/${taskId}`);
  assert.ok(task.statusInfo, "the simulator gave the failure a message");
  await entry.getByText(task.statusInfo).waitFor();
  const finished = await eventually("vmb-task-finished", () => hostEvents(page, "vmb-task-finished").then((e) => e.length && e));
  assert.equal(finished[0].detail.state, "FAILED");
  assert.equal(finished[0].detail.message, task.statusInfo);
  await eventually("the portal's activity list to show the failure", async () =>
    (await portalActivity(page)).some((line) => line.includes("Task failed")),
  );
  watch.assertClean();
});
