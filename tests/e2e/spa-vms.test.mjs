// SPA journey: the VM dashboard. The table lists the server's VMs, sorts by a column header (the order the API
// gives for that sort), searches by name after typing pauses (one request, not one per keystroke), pages as it
// scrolls; a selected VM opens its details pane with its backup history (the API's backups of that VM). With
// 10,000 VMs the table scrolls to the very last VM while the DOM keeps a bounded number of rows.
import { test } from "node:test";
import assert from "node:assert/strict";
import { eventually, openPage, sim } from "./harness.mjs";
import { loadedRows, signedInAtVm, signIn, spaJourney, uniqueProtectedVm, visibleNames, vmGrid } from "./spa-pages.mjs";

const journey = spaJourney();

/** The first `count` names the API gives for a sort. */
async function apiNames(orderBy, direction, count) {
  const vms = await journey.api.get(`/virtual-machines?page=0&size=${count}&orderBy=${orderBy}&direction=${direction}`);
  return vms.map((vm) => vm.name);
}

test("the VM table lists, sorts, searches and pages the server's VMs", async () => {
  const { page, watch } = await openPage(journey.browser, "/");
  await signIn(page);
  await loadedRows(page).first().waitFor();
  const grid = vmGrid(page);
  assert.equal(await grid.getAttribute("aria-rowcount"), "10001", "the grid knows all 10,000 VMs (+ its header)");
  assert.match(await page.locator(".vmb-vm-table .vmb-toolbar").innerText(), /1–14 of 10,000/);

  // Sort by name: ascending, then descending on a second click, each the API's order for that sort.
  const nameHeader = grid.locator("thead th", { has: page.getByRole("button", { name: "Name" }) });
  await nameHeader.getByRole("button").click();
  const ascending = await apiNames("name", "ASC", 10);
  await eventually("rows sorted by name ascending", async () =>
    JSON.stringify((await visibleNames(page)).slice(0, 10)) === JSON.stringify(ascending));
  assert.equal(await nameHeader.getAttribute("aria-sort"), "ascending");
  await nameHeader.getByRole("button").click();
  const descending = await apiNames("name", "DESC", 10);
  await eventually("rows sorted by name descending", async () =>
    JSON.stringify((await visibleNames(page)).slice(0, 10)) === JSON.stringify(descending));
  assert.equal(await nameHeader.getAttribute("aria-sort"), "descending");
  assert.notDeepEqual(ascending, descending);

  // Search: typed a key at a time, sent once typing pauses.
  await sim.clearRequests();
  await page.getByRole("searchbox", { name: "Search by name" }).pressSequentially("mq-0001", { delay: 40 });
  const names = await eventually("only matching rows", async () => {
    const shown = await visibleNames(page);
    return shown.length > 0 && shown.every((n) => n.includes("mq-0001")) && shown;
  });
  const { recent } = await sim.requests();
  const expected = await journey.api.get("/virtual-machines?page=0&size=100&filter=mq-0001");
  assert.equal(names.length, expected.length, "every VM the server matches is listed");
  const searches = recent.filter((r) => r.path.startsWith("/api/virtual-machines?") && r.path.includes("mq-0001"));
  assert.equal(searches.length, 1, `one search request for seven keystrokes (${JSON.stringify(recent)})`);

  // Clearing the search brings the whole list back; scrolling fetches further pages and shows later rows.
  await page.getByRole("searchbox", { name: "Search by name" }).fill("");
  await eventually("the whole list again", async () => (await grid.getAttribute("aria-rowcount")) === "10001");
  await sim.clearRequests();
  await grid.evaluate((el) => { el.scrollTop = 36 * 4_321; });
  await eventually("row 4,322 on screen", async () =>
    /4,322–4,335 of 10,000/.test(await page.locator(".vmb-vm-table .vmb-toolbar").innerText()) &&
    (await loadedRows(page).count()) > 10);
  const pageRequests = (await sim.requests()).recent.filter((r) => r.path.startsWith("/api/virtual-machines?"));
  assert.ok(pageRequests.some((r) => /[?&]page=43(&|$)/.test(r.path)), "the page holding row 4,322 was fetched");
  const shownIndexes = await loadedRows(page).evaluateAll((rows) => rows.map((r) => Number(r.getAttribute("aria-rowindex"))));
  assert.ok(shownIndexes.includes(4_323), `row 4,322 (aria-rowindex 4,323) is rendered: ${shownIndexes}`);
  watch.assertClean();
});

test("a selected VM opens its details pane with its backup history", async () => {
  const vm = await uniqueProtectedVm(journey.api);
  const backups = await journey.api.get(`/backups?protected-entity=${vm.guid}&page=0&size=10`);
  assert.ok(backups.length > 0);
  const { page, watch, pane } = await signedInAtVm(journey.browser, vm);
  await pane.getByRole("button", { name: "Back up now" }).waitFor();
  await pane.locator(".vmb-history__title", { hasText: `Backups of ${vm.name}` }).waitFor();
  await eventually("the history rows", async () => (await pane.locator(".vmb-history__row").count()) === backups.length);
  // Newest first, as the server lists them; each row offers a restore of that backup.
  const firstRow = pane.locator(".vmb-history__row").first();
  assert.ok(await firstRow.getByRole("button", { name: /Restore the backup of/ }).isVisible());
  const [selectedRow] = await loadedRows(page).evaluateAll((rows) =>
    rows.filter((r) => r.getAttribute("aria-selected") === "true").map((r) => r.querySelector("td[title]").title));
  assert.equal(selectedRow, vm.name, "the row is marked selected");
  watch.assertClean();
});

test("10,000 VMs scroll from top to bottom with a bounded number of DOM rows", async () => {
  const { page, watch } = await openPage(journey.browser, "/");
  await signIn(page);
  await loadedRows(page).first().waitFor();
  const grid = vmGrid(page);
  const rowCounts = [];
  // Scroll the scroller in large steps to the end, counting the rows in the DOM on the way.
  for (let step = 1; step <= 10; step++) {
    await grid.evaluate((el, share) => { el.scrollTop = el.scrollHeight * share; }, step / 10);
    await eventually(`rows at ${step * 10} %`, async () => (await loadedRows(page).count()) > 0);
    rowCounts.push(await grid.locator("tbody tr").count());
  }
  const lastVm = (await journey.api.get("/virtual-machines?page=99&size=100")).at(-1);
  await eventually("the last VM on screen", async () =>
    (await loadedRows(page).last().getAttribute("aria-rowindex")) === "10001");
  assert.equal(await loadedRows(page).last().locator("td[title]").innerText(), lastVm.name);
  assert.ok(await loadedRows(page).last().isVisible(), "the last row is in view");
  assert.match(await page.locator(".vmb-vm-table .vmb-toolbar").innerText(), /of 10,000/);
  assert.ok(Math.max(...rowCounts) <= 40, `at most ~40 rows in the DOM while scrolling (${rowCounts})`);

  // The keyboard: Home goes back to the first VM, End to the last.
  await grid.focus();
  await page.keyboard.press("Home");
  await eventually("the first row active", async () =>
    (await grid.getAttribute("aria-activedescendant"))?.endsWith("-row-0"));
  await page.keyboard.press("End");
  await eventually("the last row active", async () =>
    (await grid.getAttribute("aria-activedescendant"))?.endsWith("-row-9999"));
  const active = page.locator(".vmb-row--active");
  await active.locator("td[title]").waitFor();
  assert.equal(await active.locator("td[title]").innerText(), lastVm.name);
  assert.ok(await grid.locator("tbody tr").count() <= 40);
  watch.assertClean();
});
