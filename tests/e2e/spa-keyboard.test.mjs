// SPA journeys with the keyboard alone (Tab, Shift+Tab, Enter, Space, arrows, typing; no click): sign in, find and
// select a VM, back it up and see it finish; cancel a running backup through its confirmation; create the 01:30
// weekday schedule; restore a backup with the typed-name confirmation and find the new VM.
import { afterEach, test } from "node:test";
import assert from "node:assert/strict";
import { eventually, openPage, sim } from "./harness.mjs";
import {
  exportTasks,
  openVmByKeyboard,
  signInByKeyboard,
  spaJourney,
  stateName,
  tabTo,
  uniqueProtectedVm,
  visibleNames,
} from "./spa-pages.mjs";

const journey = spaJourney();
afterEach(() => sim.faults({ taskSeconds: 4 }));

/** Signs in and opens the `skip`-th journey VM, keys only. */
async function keyboardSession(skip) {
  const vm = await uniqueProtectedVm(journey.api, { skip });
  const { page, watch } = await openPage(journey.browser, "/");
  await signInByKeyboard(page);
  const pane = await openVmByKeyboard(page, vm.name);
  return { vm, page, watch, pane };
}

/** From the details pane: Back up now, then Start backup, keys only. */
async function backUpByKeyboard(page, pane) {
  await tabTo(page, "button.vmb-backup-open");
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "Back up now" });
  await dialog.waitFor();
  const submit = dialog.getByRole("button", { name: "Start backup" });
  await eventually("the dialog ready to submit", () => submit.isEnabled());
  await tabTo(page, "button.vmb-backup-submit");
  await page.keyboard.press("Enter");
  await dialog.waitFor({ state: "detached" });
  // The focus goes back to the button that opened the dialog.
  assert.ok(await page.evaluate(() => document.activeElement?.classList.contains("vmb-backup-open")));
  return pane.locator(".vmb-backup-button .vmb-task").first();
}

test("keyboard: back up a VM and watch it finish", async () => {
  await sim.faults({ taskSeconds: 3 });
  const { vm, page, watch, pane } = await keyboardSession(3);
  const task = await backUpByKeyboard(page, pane);
  await task.locator(".vmb-task__head", { hasText: "Finished" }).waitFor({ timeout: 30_000 });
  assert.equal(await task.getByRole("progressbar").getAttribute("aria-valuenow"), "100");
  assert.equal((await exportTasks(journey.api, vm)).length, 1);
  watch.assertClean();
});

test("keyboard: cancel a running backup through its confirmation", async () => {
  await sim.faults({ taskSeconds: 120 });
  const { vm, page, watch, pane } = await keyboardSession(4);
  const task = await backUpByKeyboard(page, pane);
  await task.locator(".vmb-task__head", { hasText: "Running" }).waitFor({ timeout: 15_000 });
  await tabTo(page, ".vmb-task__actions button", { name: "Cancel task" });
  await page.keyboard.press("Enter");
  const confirm = page.getByRole("dialog", { name: "Cancel task" });
  await confirm.waitFor();
  // The safe choice has the focus; Tab moves to the confirming one.
  await eventually("the focus on Keep it running", () =>
    page.evaluate(() => document.activeElement?.classList.contains("vmb-task-confirm__keep")));
  await tabTo(page, "button.vmb-task-confirm__yes", { max: 3 });
  await page.keyboard.press("Enter");
  await task.locator(".vmb-task__head", { hasText: "Cancelled" }).waitFor({ timeout: 15_000 });
  await eventually("cancelled at the server", async () =>
    stateName((await exportTasks(journey.api, vm))[0]) === "CANCELLED");
  watch.assertClean();
});

test("keyboard: create the 01:30 weekday schedule in Warsaw", async () => {
  const { page, watch } = await openPage(journey.browser, "/");
  await signInByKeyboard(page);
  await tabTo(page, "a[href='#/schedules']");
  await page.keyboard.press("Enter");
  const form = page.locator(".vmb-schedule-form");
  await form.getByRole("heading", { name: "New schedule" }).waitFor();
  const name = `keyboard weekdays ${Date.now()}`;
  await tabTo(page, "input[name=name]");
  await page.keyboard.type(name);
  await tabTo(page, "input[name=hour]");
  // A 24-hour HH:MM text box, in every language.
  await page.keyboard.type("01:30");
  assert.equal(await form.getByLabel("Start time").inputValue(), "01:30");
  for (const day of ["Saturday", "Sunday"]) {
    await tabTo(page, "input[type=checkbox]", { name: day });
    await page.keyboard.press("Space");
  }
  await form.locator(".vmb-schedule-runs li").first().waitFor();
  await tabTo(page, "button[type=submit]", { name: "Save" });
  await page.keyboard.press("Enter");
  await form.getByRole("status").filter({ hasText: "Schedule saved." }).waitFor();
  const saved = (await journey.api.get("/schedules")).find((s) => s.name === name);
  assert.equal(saved.hour, 1_800_000);
  assert.deepEqual(saved.daysOfWeek.map((d) => d.name ?? d), ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"]);
  await journey.api.send("DELETE", `/schedules/${saved.guid}`);
  watch.assertClean();
});

test("keyboard: restore a backup with the typed-name confirmation", async () => {
  await sim.faults({ taskSeconds: 2 });
  const { vm, page, watch, pane } = await keyboardSession(5);
  await pane.locator(".vmb-history__row").first().waitFor();
  await tabTo(page, ".vmb-history__row button", { name: "Restore the backup of" });
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: `Restore ${vm.name}` });
  await dialog.getByLabel(/To confirm, type the name/).waitFor();
  const newName = `${vm.name}-kbd-${Date.now() % 100_000}`;
  await tabTo(page, "input[name=new-name]");
  await page.keyboard.type(newName);
  await tabTo(page, "input[name=confirm-name]");
  await page.keyboard.type(vm.name);
  await tabTo(page, "button.vmb-restore__submit");
  await page.keyboard.press("Enter");
  await dialog.locator(".vmb-restore__progress[data-stage=finished]").waitFor({ timeout: 30_000 });
  await eventually("the focus on Close", () =>
    page.evaluate(() => document.activeElement?.textContent?.trim() === "Close"));
  await page.keyboard.press("Enter");
  await dialog.waitFor({ state: "hidden" });

  await tabTo(page, "input[type=search]", { back: true });
  await page.keyboard.press("Control+A");
  await page.keyboard.type(newName);
  await eventually("the restored VM listed", async () =>
    JSON.stringify(await visibleNames(page)) === JSON.stringify([newName]));
  watch.assertClean();
});
