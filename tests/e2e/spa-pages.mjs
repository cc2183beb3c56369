// Steps the SPA journeys share: signing in, moving between the hash routes, finding a VM in the table and
// opening its details pane, reading the simulator's request counts.
import assert from "node:assert/strict";
import { after, before } from "node:test";
import { ADMIN, apiSession, browserStorage, eventually, launchBrowser, openPage, sim } from "./harness.mjs";

/**
 * The hooks of an SPA journey file: the simulator reset (and `faults` set) before its tests, one browser and an
 * admin API session for them, the browser closed and the simulator reset after. Returns `{ browser, api }`, filled
 * in once the `before` hook ran.
 */
export function spaJourney(faults) {
  const journey = { browser: null, api: null };
  before(async () => {
    await sim.reset();
    if (faults) await sim.faults(faults);
    journey.browser = await launchBrowser();
    journey.api = await apiSession(ADMIN);
  });
  after(async () => {
    await journey.browser?.close();
    await sim.reset();
  });
  return journey;
}

/** Signs in through the SPA's login form (the page must show it) and waits for the VM table's first rows. */
export async function signIn(page, { user, password } = ADMIN) {
  const form = page.locator("form.vmb-app-login");
  await form.waitFor();
  await form.getByLabel("User name").fill(user);
  await form.getByLabel("Password").fill(password);
  await form.getByLabel("Password").press("Enter");
  await form.waitFor({ state: "detached" });
}

/** Follows the header's link to a page (`Virtual machines`, `Tasks`, `Schedules`, `Policies`) and waits for it. */
export async function goTo(page, linkName) {
  const link = page.locator(".vmb-app-nav").getByRole("link", { name: linkName, exact: true });
  await link.click();
  await eventually(`the ${linkName} page`, async () => (await link.getAttribute("aria-current")) === "page");
}

/** The VM table's scroller (the grid) on the dashboard. */
export function vmGrid(page) {
  return page.locator(".vmb-app-dashboard .vmb-vm-table .vmb-table-scroll");
}

/** The rendered VM rows that hold a VM (not the spacers, not the loading placeholders), in order. */
export function loadedRows(page) {
  return vmGrid(page).locator("tbody tr[role=row]:has(td[title])");
}

/** The names in the loaded rows, top to bottom. */
export async function visibleNames(page) {
  return loadedRows(page).locator("td[title]").allInnerTexts();
}

/** Types `name` into the table's search box and waits until every loaded row's name contains it. */
export async function searchVms(page, name) {
  await page.getByRole("searchbox", { name: "Search by name" }).fill(name);
  return eventually(`rows matching ${name}`, async () => {
    const names = await visibleNames(page);
    return names.length > 0 && names.every((n) => n.toLowerCase().includes(name.toLowerCase())) && names;
  });
}

/** Searches for `name`, selects the first row whose name is exactly `name` and waits for the details pane. */
export async function openVm(page, name) {
  await searchVms(page, name);
  await loadedRows(page).filter({ has: page.locator(`td[title="${cssString(name)}"]`) }).first().click();
  const pane = page.locator(".vmb-app-details");
  await pane.locator("h2.vmb-app-vm-name", { hasText: name }).waitFor();
  return pane;
}

/** A fresh page of the SPA, signed in as the administrator, with the VM's details pane open. */
export async function signedInAtVm(browser, vm) {
  const { page, watch } = await openPage(browser, "/");
  await signIn(page);
  const pane = await openVm(page, vm.name);
  return { page, watch, pane };
}

function cssString(text) {
  return text.replace(/["\\]/g, "\\$&");
}

/** How many requests of `methodAndPath` (`"POST /api/tasks/export"`) the simulator has seen since the last clear. */
export async function requestCount(methodAndPath) {
  const { byPath } = await sim.requests();
  return byPath[methodAndPath] ?? 0;
}

/** A VM of the simulator's inventory with a name no other VM has, a policy and at least one backup: the journeys'
 * subject, found at the API so that the test does not depend on generated names. */
export async function uniqueProtectedVm(api, { skip = 0 } = {}) {
  const vms = await api.get("/virtual-machines?page=0&size=3000&orderBy=name&direction=DESC");
  const counts = new Map();
  for (const vm of vms) counts.set(vm.name, (counts.get(vm.name) ?? 0) + 1);
  const candidates = vms.filter(
    (vm) => counts.get(vm.name) === 1 && vm.vmBackupPolicy?.guid && vm.lastBackup && /^[a-z]+-\d+$/.test(vm.name),
  );
  assert.ok(candidates.length > skip, "the inventory has VMs with a unique name, a policy and a backup");
  return candidates[skip];
}

/** The state name of a task record (the API writes enums as `{name, description}`). */
export function stateName(task) {
  return typeof task.state === "string" ? task.state : task.state?.name;
}

/** The VM's export (backup) tasks at the API. */
export async function exportTasks(api, vm) {
  const tasks = await api.get(`/tasks?protected-entity=${vm.guid}&page=0&size=50`);
  return tasks.filter((task) => (task.type?.name ?? task.type) === "EXPORT");
}

/** Opens the backup dialog of the VM in the details pane and waits until it can be submitted. */
export async function openBackupDialog(pane) {
  await pane.getByRole("button", { name: "Back up now" }).click();
  const dialog = pane.page().getByRole("dialog", { name: "Back up now" });
  await dialog.waitFor();
  const submit = dialog.getByRole("button", { name: "Start backup" });
  await eventually("the dialog ready to submit", () => submit.isEnabled());
  return { dialog, submit };
}

/**
 * Nothing of the session is kept by the browser beyond the server's HttpOnly cookie: web storage, IndexedDB and
 * Cache Storage are empty, no cookie is readable by scripts, and the password is not left in the page.
 */
export async function assertNothingStored(page, password = ADMIN.password) {
  assert.deepEqual(await browserStorage(page), { localStorage: [], sessionStorage: [], indexedDB: [], cacheStorage: [] });
  assert.equal(await page.evaluate(() => document.cookie), "", "no cookie visible to scripts");
  const cookies = await page.context().cookies();
  for (const cookie of cookies) assert.ok(cookie.httpOnly, `${cookie.name} is HttpOnly`);
  assert.ok(!(await page.content()).includes(password), "the password is not left in the page");
  const fieldValues = await page.locator("input").evaluateAll((inputs) => inputs.map((i) => i.value));
  assert.ok(!fieldValues.includes(password), "no field keeps the password");
}

/** Whether the focused element matches `selector` and, when `name` is given, its label starts with `name`. */
function focusMatches(page, selector, name) {
  return page.evaluate(([sel, wanted]) => {
    const el = document.activeElement;
    if (!el || !el.matches(sel)) return false;
    if (wanted === null) return true;
    const label = el.getAttribute("aria-label") ?? el.labels?.[0]?.textContent ?? el.textContent ?? "";
    return label.trim().startsWith(wanted);
  }, [selector, name ?? null]);
}

/** Presses Tab (Shift+Tab with `back`) until the focus is on `selector` (labelled `name`), as a keyboard user. */
export async function tabTo(page, selector, { name, back = false, max = 120 } = {}) {
  for (let presses = 0; presses <= max; presses++) {
    if (await focusMatches(page, selector, name)) return;
    await page.keyboard.press(back ? "Shift+Tab" : "Tab");
  }
  throw new Error(`Tab did not reach ${selector}${name ? ` "${name}"` : ""} in ${max} presses`);
}

/** Signs in with the keyboard only. */
export async function signInByKeyboard(page, { user, password } = ADMIN) {
  await page.locator("form.vmb-app-login").waitFor();
  await tabTo(page, "input[name=username]");
  await page.keyboard.type(user);
  await page.keyboard.press("Tab");
  await page.keyboard.type(password);
  await page.keyboard.press("Enter");
  await page.locator("form.vmb-app-login").waitFor({ state: "detached" });
}

/** Finds the VM by typing its name into the search, moves into the grid and selects the first row, keys only. */
export async function openVmByKeyboard(page, name) {
  await tabTo(page, "input[type=search]");
  await page.keyboard.press("Control+A");
  await page.keyboard.type(name);
  await eventually(`only ${name} listed`, async () => JSON.stringify(await visibleNames(page)) === JSON.stringify([name]));
  await tabTo(page, "[role=grid]");
  await page.keyboard.press("Home");
  await page.keyboard.press("Space");
  const pane = page.locator(".vmb-app-details");
  await pane.locator("h2.vmb-app-vm-name", { hasText: name }).waitFor();
  return pane;
}
