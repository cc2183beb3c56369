// Embed demo journey: names made of markup and script payloads (the simulator's --hostile-names VMs, in Projects
// A, B and C, so the portal signs in as the administrator, who sees all three; and a schedule named like them)
// render as text in the table, the history, the backup and restore dialogs and the schedule form: no element is
// made from them, no dialog opens, no script runs.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { ADMIN, apiSession, eventually, launchBrowser, sim } from "./harness.mjs";
import {
  openBackupDialog,
  openPortal,
  resetSimulator,
  signInToPortal,
  visibleVmNames,
  vmRow,
  widget,
} from "./portal-page.mjs";

let browser;
before(async () => {
  await resetSimulator();
  browser = await launchBrowser();
});
after(async () => {
  await sim.reset();
  await browser?.close();
});

/** Elements a payload could have made, in every widget's shadow root, and whether a payload ran. */
function injected(page) {
  return page.evaluate(() => {
    const made = [];
    for (const host of document.querySelectorAll("[api-base]")) {
      for (const el of host.shadowRoot?.querySelectorAll("img, script, b, iframe") ?? []) made.push(el.outerHTML);
    }
    return { made, ran: window.__vmbInjected ?? null };
  });
}

test("markup and script payloads in VM and schedule names render as text everywhere", async () => {
  const admin = await apiSession(ADMIN);
  const firstRows = await admin.get("/virtual-machines?page=0&size=3");
  const hostile = firstRows.map((vm) => vm.name);
  assert.ok(hostile.every((name) => /[<>"]|\u202e/.test(name)), `the first VMs are the hostile ones: ${hostile}`);

  const { page, watch } = await openPortal(browser);
  await signInToPortal(page, ADMIN);
  // The table: each name is the cell's text, exactly.
  await eventually("the hostile names in the table", async () =>
    JSON.stringify((await visibleVmNames(page)).slice(0, 3)) === JSON.stringify(hostile),
  );
  assert.deepEqual(await injected(page), { made: [], ran: null });

  // Selected: the history, the backup dialog and the restore dialog name it as text.
  const [imgName] = hostile;
  const row = vmRow(page, imgName);
  await row.click();
  await eventually("the portal to pass the selection on", async () =>
    (await widget(page, "vmb-backup-history").getAttribute("vm")) === firstRows[0].guid,
  );
  await widget(page, "vmb-backup-history").getByText(`Backups of ${imgName}`).waitFor();
  await widget(page, "vmb-policy-panel").getByText(`${imgName} is backed up by the policy gold.`).waitFor();

  const { dialog } = await openBackupDialog(page);
  await dialog.getByText(imgName, { exact: true }).waitFor();
  assert.deepEqual(await injected(page), { made: [], ran: null });
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await dialog.waitFor({ state: "hidden" });

  const restore = widget(page, "vmb-restore-dialog");
  await restore.getByRole("button", { name: "Restore…" }).click();
  const restoreDialog = restore.getByRole("dialog", { name: `Restore ${imgName}` });
  await restoreDialog.waitFor();
  await restoreDialog.getByText(`To confirm, type the name of the virtual machine: ${imgName}`).waitFor();
  // The backups offered are named after the VM too.
  const backupOptions = await restoreDialog.getByLabel("Backup to restore").locator("option").allTextContents();
  assert.ok(backupOptions.length > 0);
  await restoreDialog.getByLabel(`To confirm, type the name of the virtual machine: ${imgName}`).fill(imgName);
  await eventually("the exact hostile name to confirm", () =>
    restoreDialog.getByRole("button", { name: "Restore", exact: true }).isEnabled(),
  );
  assert.deepEqual(await injected(page), { made: [], ran: null });
  await restoreDialog.getByRole("button", { name: "Cancel" }).click();
  await restoreDialog.waitFor({ state: "hidden" });

  // A schedule named with a payload: saved, shown in the form's heading and the delete confirmation as text.
  const scheduleName = `<img src=x onerror="window.__vmbInjected=2">"><script>window.__vmbInjected=3</script>`;
  const form = widget(page, "vmb-schedule-form");
  await form.getByLabel("Schedule name").fill(scheduleName);
  await form.getByLabel("Once a day at a set time").check();
  await form.getByLabel("Start time").fill("03:00");
  await form.getByRole("button", { name: "Save" }).click();
  await form.getByRole("heading", { name: `Edit schedule “${scheduleName}”` }).waitFor();
  const stored = (await admin.get("/schedules")).filter((s) => s.name === scheduleName);
  assert.equal(stored.length, 1, "the server holds the name as given");
  await form.getByRole("button", { name: "Delete" }).click();
  const confirm = form.getByRole("dialog", { name: "Delete schedule" });
  await confirm.getByText(`Delete the schedule “${scheduleName}”?`).waitFor();
  assert.deepEqual(await injected(page), { made: [], ran: null });
  await confirm.getByRole("button", { name: "Delete" }).click();
  await form.getByRole("status").filter({ hasText: "Schedule deleted." }).waitFor();

  // The portal's own page was not touched either.
  assert.equal(await page.locator("body img, body script:not([src])").count(), 0);
  assert.deepEqual(await injected(page), { made: [], ran: null });
  watch.assertClean();
});
