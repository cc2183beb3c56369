// Embed demo journey: <vmb-restore-dialog> restores the selected VM's backup into a new VM after the user types
// the VM's name; a wrong name sends nothing; the restore is followed to its end (one request), the host hears
// vmb-restore-started and vmb-task-finished, and the restored VM appears in the portal's VM table. Behind a
// proxy that drops every answer, the restore is sent once by the page, found once the server answers again, and
// the copies Chromium's own resend made are cancelled, which the dialog says.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { apiSession, eventually, launchBrowser, sim, TENANT_A } from "./harness.mjs";
import {
  hostEvents,
  openPortal,
  portalActivity,
  requestCount,
  resetSimulator,
  searchVms,
  selectVm,
  signInToPortal,
  vmRow,
  widget,
} from "./portal-page.mjs";

let browser;
before(async () => {
  await resetSimulator({ taskSeconds: 2 });
  browser = await launchBrowser();
});
after(async () => {
  await sim.reset();
  await browser?.close();
});

test("a backup is restored into a new VM after the typed-name confirmation, and the VM appears in the table", async () => {
  const { page, watch } = await openPortal(browser);
  await signInToPortal(page, TENANT_A);
  const source = "web-00001";
  const newName = `web-00001-restored-${Date.now()}`;
  await selectVm(page, source);

  // "Restore…" on the history's oldest restorable backup: the portal hands that backup to the restore widget.
  const history = widget(page, "vmb-backup-history");
  await history.locator("table td").first().waitFor();
  await history.locator("button", { hasText: "Restore…" }).last().click();
  const [chosen] = await eventually("vmb-backup-selected", () => hostEvents(page, "vmb-backup-selected").then((e) => e.length && e));
  const restore = widget(page, "vmb-restore-dialog");
  await eventually("the portal to pass the backup on", async () => (await restore.getAttribute("backup")) === chosen.detail.backupId);
  await restore.getByRole("button", { name: "Restore…" }).click();
  const dialog = restore.getByRole("dialog", { name: `Restore ${source}` });
  await dialog.waitFor();
  // The chosen backup is preselected, with a copy of it; the target is the server's choice unless changed.
  const backupChoice = dialog.getByLabel("Backup to restore");
  await eventually("the chosen backup preselected", async () => (await backupChoice.inputValue()) === chosen.detail.backupId);
  await dialog.getByLabel("Name of the restored VM").fill(newName);
  await dialog.getByText(`A new virtual machine named ${newName} will be created.`).waitFor();

  // The confirmation: a wrong name keeps the button disabled and sends nothing.
  const confirmField = dialog.getByLabel(`To confirm, type the name of the virtual machine: ${source}`);
  const submit = dialog.getByRole("button", { name: "Restore", exact: true });
  await confirmField.fill("web-0000");
  await dialog.getByText("The name does not match.").waitFor();
  assert.equal(await submit.isDisabled(), true, "a wrong name cannot start the restore");
  await confirmField.press("Enter");
  assert.equal(await requestCount("POST /api/tasks/restore-and-import"), 0, "Enter with a wrong name sends nothing");
  await confirmField.fill(source);
  await eventually("the restore button to be enabled", () => submit.isEnabled());
  await submit.click();

  // Followed to the end: restore, then import, then the new VM.
  await restore.getByText(`Restored as ${newName}.`).waitFor({ timeout: 30_000 });
  assert.equal(await requestCount("POST /api/tasks/restore-and-import"), 1, "one restore request");
  const [started] = await eventually("vmb-restore-started", () => hostEvents(page, "vmb-restore-started").then((e) => e.length && e));
  assert.equal(started.detail.taskIds.length, 1);
  await eventually("the portal's activity list to show the restore", async () =>
    (await portalActivity(page)).some((line) => line.includes("Restore started")),
  );
  await eventually("vmb-task-finished", () => hostEvents(page, "vmb-task-finished").then((e) => e.length && e));
  // One end for one restore, named by the task vmb-restore-started named (whichever widget saw it first: the
  // dialog, or the portal's page-wide task list).
  await new Promise((resolve) => setTimeout(resolve, 1000));
  assert.deepEqual(
    (await hostEvents(page, "vmb-task-finished")).map((e) => [e.detail.taskId, e.detail.state]),
    [[started.detail.taskIds[0], "FINISHED"]],
  );

  // The server has the new VM in the tenant's project, and the portal's table shows it.
  const api = await apiSession(TENANT_A);
  const found = await api.get(`/virtual-machines?nameLike=${encodeURIComponent(newName)}`);
  assert.deepEqual(found.map((vm) => [vm.name, vm.project?.name]), [[newName, "Project A"]]);
  // The dialog stays open with the outcome until the user closes it (focus goes back to its button).
  await dialog.getByText(`Restored as ${newName}.`).waitFor();
  await dialog.getByRole("button", { name: "Close" }).click();
  await dialog.waitFor({ state: "hidden" });
  await searchVms(page, newName);
  await vmRow(page, newName).waitFor();
  watch.assertClean();
});

test("a restore whose answer is dropped is sent once, found once the server answers, and only one copy runs", async () => {
  const { page, watch } = await openPortal(browser);
  await signInToPortal(page, TENANT_A);
  const source = "web-00002";
  const vmId = await selectVm(page, source);
  const api = await apiSession(TENANT_A);
  const restoreStates = async () =>
    (await api.get(`/tasks?protected-entity=${vmId}&type=RESTORE`)).map((task) => task.state?.name ?? task.state);
  const statesBefore = await restoreStates();
  const cancelledBefore = statesBefore.filter((state) => state === "CANCELLED").length;
  const restore = widget(page, "vmb-restore-dialog");
  await eventually("the portal to pass the VM on", async () => (await restore.getAttribute("vm")) === vmId);
  await restore.getByRole("button", { name: "Restore…" }).click();
  const dialog = restore.getByRole("dialog", { name: `Restore ${source}` });
  await dialog.getByLabel("Name of the restored VM").fill(`${source}-resent-${Date.now()}`);
  await dialog.getByLabel(`To confirm, type the name of the virtual machine: ${source}`).fill(source);
  const submit = dialog.getByRole("button", { name: "Restore", exact: true });
  await eventually("the restore button to be enabled", () => submit.isEnabled());
  // What the page itself sends (one fetch per submission), apart from what the browser's network stack resends.
  let pageSubmissions = 0;
  page.on("request", (request) => {
    if (request.method() === "POST" && new URL(request.url()).pathname === "/api/tasks/restore-and-import") {
      pageSubmissions += 1;
    }
  });

  // The server takes the restore but every connection closes before the answer, the widget's look-up's too.
  // Copies made by Chromium's own resend must still be running when the widget looks again, to be cancellable.
  await sim.faults({ taskSeconds: 60, dropRate: 1 });
  await sim.clearRequests();
  await submit.click();
  const alert = dialog.getByRole("alert");
  await alert.waitFor({ timeout: 20_000 });
  assert.match(await alert.innerText(), /did not confirm/);
  await dialog.getByText("Checking with the server whether the restore started…").waitFor();
  assert.equal(await hostEvents(page, "vmb-restore-started").then((e) => e.length), 0, "nothing claimed as started");

  // The fault ends: the widget finds the restore without sending it again, cancels the copies, tells the host.
  await sim.faults({ dropRate: 0 });
  await dialog.getByText("The server's answer was lost, but the restore task was found").waitFor({ timeout: 15_000 });
  assert.equal(pageSubmissions, 1, "a restore of unknown fate is never resent by the widget");
  const reached = await requestCount("POST /api/tasks/restore-and-import");
  assert.ok(reached > 1, `Chromium resent the dropped restore (${reached} reached the server)`);
  await dialog.getByText(`the extra restores were cancelled: ${reached - 1}.`).waitFor();
  const [started] = await eventually("vmb-restore-started", () =>
    hostEvents(page, "vmb-restore-started").then((e) => e.length && e),
  );
  assert.equal(started.detail.taskIds.length, 1);
  await eventually("one restore left running", async () => {
    const states = await restoreStates();
    const made = states.length - statesBefore.length;
    const cancelled = states.filter((state) => state === "CANCELLED").length - cancelledBefore;
    return made === reached && cancelled === reached - 1;
  });
  await sim.faults({ taskSeconds: 2 });
  watch.assertClean();
});
