// What the embed-demo journeys share: the Nimbus Cloud portal (www/embed-demo.html) opened and signed in through
// its own form, the `<vmb-*>` widgets on it, and a record of the widgets' DOM events as the host page hears them.
import assert from "node:assert/strict";
import { BASE_URL, eventually, openPage, sim, TENANT_A } from "./harness.mjs";

/** The portal page's path on the simulator's origin. */
export const PORTAL_PATH = "/embed-demo.html";

/** The custom elements the portal embeds, with the id the portal gives each. */
export const PORTAL_WIDGETS = {
  "vmb-vm-table": "#portal-vm-table",
  "vmb-backup-button": "#portal-backup-button",
  "vmb-task-progress": "#portal-task-progress",
  "vmb-backup-history": "#portal-history",
  "vmb-restore-dialog": "#portal-restore",
  "vmb-schedule-form": "#portal-schedule",
  "vmb-policy-panel": "#portal-policy",
};

/** The `vmb-*` events recorded on `document` (where the portal listens too), installed before any page script. */
const EVENT_NAMES = [
  "vmb-backup-started",
  "vmb-restore-started",
  "vmb-task-finished",
  "vmb-session-expired",
  "vmb-error",
  "vmb-selection-changed",
  "vmb-backup-selected",
  "vmb-schedule-saved",
  "vmb-schedule-deleted",
];

function recordHostEvents(names) {
  window.__vmbHostEvents = [];
  for (const name of names) {
    document.addEventListener(name, (event) => {
      window.__vmbHostEvents.push({
        name,
        widget: event.target?.tagName?.toLowerCase() ?? null,
        detail: JSON.parse(JSON.stringify(event.detail ?? null)),
      });
    });
  }
}

/**
 * Opens the portal (not signed in), recording the widgets' events. Options as harness `openPage`.
 * Returns `{context, page, watch}`.
 */
export async function openPortal(browser, options = {}) {
  const opened = await openPage(browser, PORTAL_PATH, { ...options, gotoPage: false });
  await opened.page.addInitScript(recordHostEvents, EVENT_NAMES);
  await opened.page.goto(`${BASE_URL}${PORTAL_PATH}`);
  await opened.page.locator("#portal-login-form").waitFor();
  return opened;
}

/** Signs in through the portal's own form and waits for the VM table's first rows. */
export async function signInToPortal(page, { user, password } = TENANT_A) {
  const form = page.locator("#portal-login-form");
  await form.locator('input[name="username"]').fill(user);
  await form.locator('input[name="password"]').fill(password);
  await form.getByRole("button", { name: "Sign in" }).click();
  await page.locator("#portal-login").waitFor({ state: "hidden" });
  await vmRows(page).first().waitFor();
}

/** A fresh simulator (inventory, tasks, faults) with the given faults, e.g. `{ taskSeconds: 2 }`. */
export async function resetSimulator(faults = {}) {
  await sim.reset();
  if (Object.keys(faults).length > 0) await sim.faults(faults);
  await sim.clearRequests();
}

/** A widget by its tag (the portal has one of each). Playwright's CSS locators pierce its open shadow root. */
export function widget(page, tag) {
  assert.ok(PORTAL_WIDGETS[tag], `the portal embeds no ${tag}`);
  return page.locator(PORTAL_WIDGETS[tag]);
}

/** The VM table's data rows (loaded ones: a row still loading has no checkbox). */
export function vmRows(page) {
  return widget(page, "vmb-vm-table").locator('tbody tr[role="row"]:has(input[type="checkbox"])');
}

/** The VM names in the table's rendered rows, top to bottom. */
export async function visibleVmNames(page) {
  return vmRows(page).locator("td:nth-child(2)").allTextContents();
}

/** The row of the VM named exactly `name`, among the rendered ones. */
export function vmRow(page, name) {
  return vmRows(page).filter({ has: page.locator(`td[title="${name.replace(/"/g, '\\"')}"]`) });
}

/** Searches the table by name and waits until every rendered row matches. */
export async function searchVms(page, text) {
  await widget(page, "vmb-vm-table").getByRole("searchbox", { name: "Search by name" }).fill(text);
  await eventually(`the table to show only VMs named like "${text}"`, async () => {
    const names = await visibleVmNames(page);
    return names.length > 0 && names.every((n) => n.toLowerCase().includes(text.toLowerCase()));
  });
}

/** Selects the VM named `name` (searching for it first) and waits until the portal has passed the selection on. */
export async function selectVm(page, name) {
  await searchVms(page, name);
  const row = vmRow(page, name);
  await row.click();
  await eventually(`the row of ${name} to be selected`, async () => (await row.getAttribute("aria-selected")) === "true");
  const vmId = await eventually("the selection event", async () => {
    const events = await hostEvents(page, "vmb-selection-changed");
    return events.at(-1)?.detail?.vmIds?.at(-1);
  });
  await eventually("the portal to set the vm attribute", async () =>
    (await widget(page, "vmb-backup-button").getAttribute("vm")) === vmId,
  );
  return vmId;
}

/** The widget events the page heard so far (optionally only those named `name`). */
export async function hostEvents(page, name) {
  const events = await page.evaluate(() => window.__vmbHostEvents ?? []);
  return name ? events.filter((e) => e.name === name) : events;
}

/** The portal's activity list (the host's own rendering of the widgets' events), newest first. */
export function portalActivity(page) {
  return page.locator("#portal-activity li").allTextContents();
}

/** How many requests reached the simulator as `METHOD /path` (e.g. "POST /api/tasks/export"). */
export async function requestCount(key) {
  const counts = await sim.requests();
  return counts.byPath?.[key] ?? 0;
}

/** Opens <vmb-backup-button>'s dialog for the selected VM and waits until its rule is read (Start enabled).
 * Returns `{dialog, start}`. */
export async function openBackupDialog(page) {
  const button = widget(page, "vmb-backup-button");
  await button.getByRole("button", { name: "Back up now" }).click();
  const dialog = button.getByRole("dialog", { name: "Back up now" });
  await dialog.waitFor();
  const start = dialog.getByRole("button", { name: "Start backup" });
  await eventually("the backup dialog's rule to load", () => start.isEnabled());
  return { dialog, start };
}
