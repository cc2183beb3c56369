// Embed demo journeys for accessibility: axe-core finds no serious or critical issue on the whole portal page or
// in any widget (each scanned alone, with its dialogs open), and the backup, cancel, schedule and restore journeys
// work with the keyboard alone (Tab, arrows, Space, Enter, Escape; no clicks).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { accessibilityProblems, ADMIN, apiSession, eventually, launchBrowser, sim, TENANT_A } from "./harness.mjs";
import {
  hostEvents,
  openBackupDialog,
  openPortal,
  PORTAL_WIDGETS,
  resetSimulator,
  selectVm,
  signInToPortal,
  visibleVmNames,
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

async function assertAccessible(page, include, what) {
  assert.deepEqual(await accessibilityProblems(page, include), [], `${what}: no serious or critical axe issue`);
}

test("axe finds no serious issue on the portal or in any widget, dialogs open", async () => {
  await resetSimulator({ taskSeconds: 60 });
  const { page, watch } = await openPortal(browser);
  await assertAccessible(page, undefined, "the portal's sign-in");
  await signInToPortal(page, TENANT_A);
  await selectVm(page, "app-00001");
  await widget(page, "vmb-backup-history").locator("table td").first().waitFor();
  await assertAccessible(page, undefined, "the whole portal, signed in");
  for (const tag of Object.keys(PORTAL_WIDGETS)) await assertAccessible(page, tag, tag);

  // Dialogs open: backup, cancel confirmation, restore, schedule delete confirmation.
  const { dialog, start } = await openBackupDialog(page);
  await assertAccessible(page, "vmb-backup-button", "the backup dialog");
  await start.click();
  await dialog.waitFor({ state: "hidden" });
  const [started] = await eventually("vmb-backup-started", () => hostEvents(page, "vmb-backup-started").then((e) => e.length && e));
  const entry = widget(page, "vmb-task-progress").locator(`li.vmb-task[data-task-id="${started.detail.taskIds[0]}"]`);
  await entry.getByRole("button", { name: "Cancel task" }).click();
  const confirm = widget(page, "vmb-task-progress").getByRole("dialog", { name: "Cancel task" });
  await confirm.waitFor();
  await assertAccessible(page, "vmb-task-progress", "the cancel confirmation");
  await confirm.getByRole("button", { name: "Keep it running" }).click();
  await assertAccessible(page, "vmb-task-progress", "a running task");

  const restore = widget(page, "vmb-restore-dialog");
  await restore.getByRole("button", { name: "Restore…" }).click();
  const restoreDialog = restore.getByRole("dialog", { name: "Restore app-00001" });
  await restoreDialog.getByLabel("Backup to restore").waitFor();
  await restoreDialog.getByLabel("Name of the restored VM").fill("x");
  await assertAccessible(page, "vmb-restore-dialog", "the restore dialog");
  await restoreDialog.getByRole("button", { name: "Cancel" }).click();

  const form = widget(page, "vmb-schedule-form");
  await form.getByRole("button", { name: "Save" }).click();
  await form.getByRole("alert").first().waitFor();
  await assertAccessible(page, "vmb-schedule-form", "the schedule form with field errors");
  await form.getByLabel("Schedule name").fill(`a11y ${Date.now()}`);
  await form.getByLabel("Start time").fill("04:00");
  await form.getByRole("button", { name: "Save" }).click();
  await form.getByRole("status").filter({ hasText: "Schedule saved." }).waitFor();
  await form.getByRole("button", { name: "Delete" }).click();
  await form.getByRole("dialog", { name: "Delete schedule" }).waitFor();
  await assertAccessible(page, "vmb-schedule-form", "the delete confirmation");
  await assertAccessible(page, undefined, "the whole portal with a dialog open");
  await form.getByRole("dialog", { name: "Delete schedule" }).getByRole("button", { name: "Cancel" }).click();

  // The dark theme and Polish too, through the portal's own selects.
  await page.locator("#portal-theme").selectOption("dark");
  await page.locator("#portal-lang").selectOption("pl");
  await widget(page, "vmb-vm-table").getByText("Hiperwizor / klaster").waitFor();
  await widget(page, "vmb-backup-history").locator("table td").first().waitFor();
  await assertAccessible(page, undefined, "the whole portal, dark and Polish");
  watch.assertClean();
});

/** The focused element, through open shadow roots: `{tag, label, text, name, type}`. */
function focused(page) {
  return page.evaluate(() => {
    let element = document.activeElement;
    while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
    if (!element) return null;
    return {
      tag: element.tagName.toLowerCase(),
      label: element.getAttribute("aria-label") ?? element.labels?.[0]?.textContent?.trim() ?? "",
      text: (element.textContent ?? "").trim().slice(0, 80),
      name: element.getAttribute("name") ?? "",
      type: element.getAttribute("type") ?? "",
      role: element.getAttribute("role") ?? "",
    };
  });
}

/** Presses Tab (or Shift+Tab) until the focused element matches `wanted`; fails after `max` presses. */
async function tabTo(page, what, wanted, { max = 80, backwards = false } = {}) {
  for (let i = 0; i < max; i += 1) {
    const now = await focused(page);
    if (now && wanted(now)) return now;
    await page.keyboard.press(backwards ? "Shift+Tab" : "Tab");
  }
  throw new Error(`Tab never reached ${what}`);
}

const isButton = (text) => (f) => f.tag === "button" && f.text === text;

test("back up, cancel, schedule and restore with the keyboard alone", async () => {
  await resetSimulator({ taskSeconds: 60 });
  const { page, watch } = await openPortal(browser);
  // Sign in by keyboard: the portal's form is prefilled with tenant-a.
  await tabTo(page, "the portal's password", (f) => f.name === "password");
  await page.keyboard.press("Enter");
  await page.locator("#portal-login").waitFor({ state: "hidden" });

  // Find and select a VM: search, into the grid, arrow to the row, Space.
  await tabTo(page, "the table's search box", (f) => f.label === "Search by name");
  await page.keyboard.type("app-00003");
  await eventually("the search result", async () => {
    const names = await visibleVmNames(page);
    return names.length === 1 && names[0] === "app-00003";
  });
  await tabTo(page, "the grid", (f) => f.role === "grid");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Space");
  await eventually("the selection to reach the backup button", async () => (await widget(page, "vmb-backup-button").getAttribute("vm")) !== null);

  // Back up: the dialog takes the focus, Start backup by Enter, the focus comes back.
  await tabTo(page, "Back up now", isButton("Back up now"));
  await page.keyboard.press("Enter");
  const dialog = widget(page, "vmb-backup-button").getByRole("dialog", { name: "Back up now" });
  await dialog.waitFor();
  await eventually("the focus in the dialog", async () => (await dialog.evaluate((d) => d.contains(d.getRootNode().activeElement))));
  await eventually("the rule to load", () => dialog.getByRole("button", { name: "Start backup" }).isEnabled());
  await tabTo(page, "Start backup", isButton("Start backup"));
  await page.keyboard.press("Enter");
  await widget(page, "vmb-backup-button").getByText("Backup tasks created: 1").waitFor();
  assert.deepEqual(await focused(page).then((f) => f.text), "Back up now", "the focus is back on the opener");
  const [started] = await hostEvents(page, "vmb-backup-started");
  const taskId = started.detail.taskIds[0];

  // Cancel it: Escape keeps it, then the confirmation by keyboard.
  const entry = widget(page, "vmb-task-progress").locator(`li.vmb-task[data-task-id="${taskId}"]`);
  await entry.locator(".vmb-task__head").getByText(/Queued|Running/).waitFor();
  // The backup button lists its task too: the first Cancel task button in the tab order is as good as any.
  await tabTo(page, "the task's Cancel task", isButton("Cancel task"));
  await page.keyboard.press("Enter");
  const confirm = page.getByRole("dialog", { name: "Cancel task" });
  await confirm.waitFor();
  assert.equal((await focused(page)).text, "Keep it running", "the safe choice has the focus");
  await page.keyboard.press("Escape");
  await confirm.waitFor({ state: "hidden" });
  assert.equal((await focused(page)).text, "Cancel task", "Escape gives the focus back");
  await page.keyboard.press("Enter");
  await confirm.waitFor();
  await page.keyboard.press("Tab");
  assert.equal((await focused(page)).text, "Cancel task");
  await page.keyboard.press("Enter");
  await entry.locator(".vmb-task__head").getByText("Cancelled", { exact: true }).waitFor();

  // A schedule: every field by keyboard.
  await tabTo(page, "the schedule's name", (f) => f.name === "name" && f.label === "Schedule name");
  const name = `keyboard ${Date.now()}`;
  await page.keyboard.type(name);
  await tabTo(page, "the start time", (f) => f.name === "hour");
  await page.keyboard.type("01:30");
  await tabTo(page, "Saturday", (f) => f.type === "checkbox" && f.label === "Saturday");
  const saturday = widget(page, "vmb-schedule-form").getByLabel("Saturday", { exact: true });
  if (await saturday.isChecked()) await page.keyboard.press("Space");
  await page.keyboard.press("Tab");
  assert.equal((await focused(page)).label, "Sunday");
  if (await widget(page, "vmb-schedule-form").getByLabel("Sunday", { exact: true }).isChecked()) await page.keyboard.press("Space");
  await tabTo(page, "Save", isButton("Save"));
  await page.keyboard.press("Enter");
  const form = widget(page, "vmb-schedule-form");
  await form.getByRole("status").filter({ hasText: "Schedule saved." }).waitFor();
  const [saved] = await eventually("vmb-schedule-saved", () => hostEvents(page, "vmb-schedule-saved").then((e) => e.length && e));
  const stored = await (await apiSession(ADMIN)).get(`/schedules/${saved.detail.scheduleId}`);
  assert.equal(stored.name, name);
  assert.equal(stored.daysOfWeek.length, 5, "Saturday and Sunday unchecked by keyboard");
  await tabTo(page, "Delete", isButton("Delete"));
  await page.keyboard.press("Enter");
  const deleteDialog = form.getByRole("dialog", { name: "Delete schedule" });
  await deleteDialog.waitFor();
  await tabTo(page, "the confirmation's Delete", isButton("Delete"), { max: 4 });
  await page.keyboard.press("Enter");
  await form.getByRole("status").filter({ hasText: "Schedule deleted." }).waitFor();

  // Restore: open, type the confirmation, Enter submits; Escape closes at the end.
  await tabTo(page, "Restore…", isButton("Restore…"), { max: 120, backwards: true });
  await page.keyboard.press("Enter");
  const restoreDialog = widget(page, "vmb-restore-dialog").getByRole("dialog", { name: "Restore app-00003" });
  await restoreDialog.getByLabel("Backup to restore").waitFor();
  await tabTo(page, "the confirmation field", (f) => f.name === "confirm-name");
  await page.keyboard.type("app-00003");
  await page.keyboard.press("Enter");
  await restoreDialog.locator(".vmb-restore__progress").waitFor();
  await page.keyboard.press("Escape");
  await restoreDialog.waitFor({ state: "hidden" });
  assert.equal((await focused(page)).text, "Restore…", "the focus is back on the opener");
  const [restoreStarted] = await eventually("vmb-restore-started", () => hostEvents(page, "vmb-restore-started").then((e) => e.length && e));
  assert.equal(restoreStarted.detail.taskIds.length, 1);
  watch.assertClean();
});
