// Embed demo journey: tenant-a signs in through the portal's own form; <vmb-vm-table> lists Project A's VMs only,
// sorts by name both ways, searches, pages through 3,000+ rows with a bounded number of DOM rows (by scrolling and
// by keyboard), and a selected VM reaches the backup button, history and restore widgets through the portal's
// vmb-selection-changed handler.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { apiSession, eventually, launchBrowser, sim, TENANT_A } from "./harness.mjs";
import {
  hostEvents,
  openPortal,
  requestCount,
  resetSimulator,
  searchVms,
  selectVm,
  signInToPortal,
  visibleVmNames,
  vmRows,
  widget,
} from "./portal-page.mjs";

let browser;
before(async () => {
  await resetSimulator();
  browser = await launchBrowser();
});
after(() => browser?.close());

/** The names the server orders as asked, from tenant-a's own API session. */
async function serverNames(api, query) {
  const rows = await api.get(`/virtual-machines?${query}`);
  return rows.map((vm) => vm.name);
}

test("the portal's VM table lists, sorts, searches and pages Project A's VMs and passes the selection on", async () => {
  const api = await apiSession(TENANT_A);
  const { headers } = await api.send("GET", "/virtual-machines?page=0&size=1");
  const tenantTotal = Number(headers.get("x-total-count"));
  assert.ok(tenantTotal > 1000 && tenantTotal < 10_000, `tenant-a sees a part of the inventory (${tenantTotal})`);

  const { page, watch } = await openPortal(browser);
  await signInToPortal(page, TENANT_A);
  const table = widget(page, "vmb-vm-table");
  const grid = table.getByRole("grid", { name: "Virtual machines" });

  // Project A only: the count the table shows is the tenant's, and every rendered row is in Project A.
  await eventually("the table's row count", async () =>
    (await table.locator(".vmb-toolbar").innerText()).includes(`of ${tenantTotal.toLocaleString("en-US")}`),
  );
  const projects = await vmRows(page).locator("td:nth-child(3)").allTextContents();
  assert.ok(projects.length >= 12, `a screenful of rows (${projects.length})`);
  assert.deepEqual([...new Set(projects)], ["Project A"]);

  // Sort by name: ascending, then descending, as the server orders them.
  const nameHeader = table.locator("th", { has: page.getByRole("button", { name: "Name" }) });
  await table.getByRole("button", { name: "Name" }).click();
  await eventually("ascending sort", async () => (await nameHeader.getAttribute("aria-sort")) === "ascending");
  const ascending = await serverNames(api, "page=0&size=12&orderBy=name&direction=ASC");
  await eventually("the rows in ascending name order", async () =>
    JSON.stringify((await visibleVmNames(page)).slice(0, 12)) === JSON.stringify(ascending),
  );
  await table.getByRole("button", { name: "Name" }).click();
  await eventually("descending sort", async () => (await nameHeader.getAttribute("aria-sort")) === "descending");
  const descending = await serverNames(api, "page=0&size=12&orderBy=name&direction=DESC");
  await eventually("the rows in descending name order", async () =>
    JSON.stringify((await visibleVmNames(page)).slice(0, 12)) === JSON.stringify(descending),
  );

  // Search (debounced, server-side): the count and the rows are the server's for that name.
  const { headers: found } = await api.send("GET", "/virtual-machines?page=0&size=1&nameLike=web-0001");
  const foundTotal = Number(found.get("x-total-count"));
  assert.ok(foundTotal > 0 && foundTotal < 100);
  await searchVms(page, "web-0001");
  await eventually("the search's count", async () =>
    (await table.locator(".vmb-toolbar").innerText()).includes(`of ${foundTotal}`),
  );
  await searchVms(page, "");
  await eventually("the whole list again", async () =>
    (await table.locator(".vmb-toolbar").innerText()).includes(`of ${tenantTotal.toLocaleString("en-US")}`),
  );

  // Page through everything by scrolling to the bottom: the last rows come in, the DOM stays bounded and only
  // the pages needed are fetched (not all 34).
  await sim.clearRequests();
  await grid.evaluate((el) => el.scrollTo(0, el.scrollHeight));
  const [last] = await serverNames(api, "page=0&size=1&orderBy=name&direction=ASC"); // still sorted descending
  await eventually("the last row (the first name in ascending order)", async () =>
    (await visibleVmNames(page)).at(-1) === last,
  );
  const bottomInfo = await table.locator(".vmb-toolbar").innerText();
  assert.match(bottomInfo, new RegExp(`–${tenantTotal.toLocaleString("en-US")} of ${tenantTotal.toLocaleString("en-US")}`));
  const domRows = await grid.locator("tbody tr").count();
  assert.ok(domRows < 50, `a bounded number of DOM rows at the bottom (${domRows})`);
  const fetched = await requestCount("GET /api/virtual-machines");
  assert.ok(fetched >= 1 && fetched <= 3, `only the pages on screen were fetched (${fetched})`);

  // And by keyboard: Home goes back to the top.
  await grid.focus();
  await page.keyboard.press("Home");
  await eventually("the first rows again", async () => (await visibleVmNames(page))[0] === descending[0]);

  // Selecting a VM: the portal hears vmb-selection-changed and points the other widgets at it.
  const vmId = await selectVm(page, "app-00001");
  for (const tag of ["vmb-backup-button", "vmb-backup-history", "vmb-restore-dialog", "vmb-policy-panel"]) {
    assert.equal(await widget(page, tag).getAttribute("vm"), vmId, `${tag} follows the selection`);
  }
  await widget(page, "vmb-backup-history").getByText("Backups of app-00001").waitFor();
  await widget(page, "vmb-policy-panel").getByText("app-00001 is backed up by the policy gold.").waitFor();
  assert.ok(await widget(page, "vmb-backup-button").getByRole("button", { name: "Back up now" }).isEnabled());
  assert.ok(await widget(page, "vmb-restore-dialog").getByRole("button", { name: "Restore…" }).isEnabled());
  assert.deepEqual((await hostEvents(page, "vmb-selection-changed")).at(-1).detail.vmIds, [vmId]);

  // The user searches on, so the clicked row leaves the table: the widgets that follow the selection still work.
  await searchVms(page, "web-0001");
  const button = widget(page, "vmb-backup-button");
  await button.getByRole("button", { name: "Back up now" }).click();
  await button.getByRole("dialog", { name: "Back up now" }).getByText("app-00001").waitFor();
  await page.keyboard.press("Escape");
  await button.getByRole("dialog").waitFor({ state: "hidden" });
  watch.assertClean();
});
