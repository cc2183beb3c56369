// SPA journey: accessibility. axe-core finds no serious or critical issue on any page — the VM dashboard with a
// details pane, tasks (with a running task), schedules (the form filled in, preview shown), policies — in the light
// and the dark theme, nor in the open dialogs: backup, restore, the cancel confirmation, the re-login prompt.
import { test } from "node:test";
import assert from "node:assert/strict";
import { accessibilityProblems, sim } from "./harness.mjs";
import { goTo, openBackupDialog, openVm, signedInAtVm, spaJourney, uniqueProtectedVm } from "./spa-pages.mjs";

const journey = spaJourney({ taskSeconds: 120 });

async function assertAccessible(page, what, include) {
  const problems = await accessibilityProblems(page, include);
  assert.deepEqual(problems, [], `${what}: ${JSON.stringify(problems, null, 1)}`);
}

test("every SPA page and dialog passes the axe scan, light and dark", async () => {
  const vm = await uniqueProtectedVm(journey.api);
  const { page, watch, pane } = await signedInAtVm(journey.browser, vm);
  await pane.locator(".vmb-history__row").first().waitFor();

  // The dialogs, each scanned while open.
  const { dialog, submit } = await openBackupDialog(pane);
  await assertAccessible(page, "backup dialog", ".vmb-backup-dialog");
  await submit.click();
  await dialog.waitFor({ state: "detached" });
  const task = pane.locator(".vmb-backup-button .vmb-task").first();
  await task.locator(".vmb-task__head", { hasText: "Running" }).waitFor({ timeout: 15_000 });
  await task.getByRole("button", { name: "Cancel task" }).click();
  const confirm = page.getByRole("dialog", { name: "Cancel task" });
  await confirm.waitFor();
  await assertAccessible(page, "cancel confirmation", ".vmb-task-confirm");
  await confirm.getByRole("button", { name: "Keep it running" }).click();

  await pane.locator(".vmb-history__row").first().getByRole("button", { name: /Restore the backup of/ }).click();
  const restore = page.getByRole("dialog", { name: `Restore ${vm.name}` });
  await restore.getByLabel(/To confirm, type the name/).waitFor();
  await assertAccessible(page, "restore dialog", ".vmb-restore__dialog");
  await restore.getByRole("button", { name: "Cancel" }).click();
  await restore.waitFor({ state: "hidden" });

  for (const theme of ["light", "dark"]) {
    if (theme === "dark") await page.getByLabel("Dark theme").check();
    await goTo(page, "Virtual machines");
    await openVm(page, vm.name);
    await assertAccessible(page, `VM dashboard with details (${theme})`);

    await goTo(page, "Tasks");
    await page.locator(".vmb-task-progress .vmb-task").first().waitFor();
    await assertAccessible(page, `tasks (${theme})`);

    await goTo(page, "Schedules");
    const form = page.locator(".vmb-schedule-form");
    await form.getByLabel("Schedule name").fill("a11y check");
    await form.getByLabel("Start time").fill("01:30");
    await form.locator(".vmb-schedule-runs li").first().waitFor();
    await assertAccessible(page, `schedules with the form filled (${theme})`);
    // The errors shown after an incomplete save are announced and tied to their fields.
    await form.getByLabel("Start time").fill("");
    await form.getByRole("button", { name: "Save" }).click();
    await form.locator(".vmb-field-error").first().waitFor();
    await assertAccessible(page, `schedule form with errors (${theme})`);

    await goTo(page, "Policies");
    await page.locator(".vmb-app-main h1", { hasText: "Policies" }).waitFor();
    await page.getByText("gold").first().waitFor();
    await assertAccessible(page, `policies (${theme})`);
  }

  // The re-login prompt over the page.
  await sim.faults({ sessionTtlSecs: 0 });
  await sim.expireSessions();
  await goTo(page, "Virtual machines");
  await page.locator(".vmb-app-overlay form").waitFor({ timeout: 15_000 });
  await assertAccessible(page, "re-login prompt");
  await sim.faults({ sessionTtlSecs: 1800 });
  watch.assertClean();
});
