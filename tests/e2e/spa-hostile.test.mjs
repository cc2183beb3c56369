// SPA journey: hostile names. The simulator's first VMs are named with markup and script payloads
// (`--hostile-names`); a schedule is created through the form with one. Everywhere they appear — table rows, the
// details pane, the history caption, the backup and restore dialogs, the schedule heading — the exact text is
// shown, no element is made of it, no dialog opens and `window.__vmbInjected` stays undefined.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPage } from "./harness.mjs";
import { assertNothingStored, goTo, loadedRows, openBackupDialog, signIn, spaJourney, visibleNames } from "./spa-pages.mjs";

const journey = spaJourney();

const IMG = '<img src=x onerror="window.__vmbInjected=1">';
const SCRIPT = '"><script>window.__vmbInjected=1</script>';
const BIDI = "web-<b>bold</b> & 'quoted' \u202ertl";

/** No payload ran and none became an element. */
async function assertInert(page, scope) {
  assert.equal(await page.evaluate(() => typeof window.__vmbInjected), "undefined", "no payload ran");
  assert.equal(await scope.locator("img, script:not([src]), b").count(), 0, "no element made of a name");
}

test("markup and script names render as their exact text in the table, pane and dialogs", async () => {
  const { page, watch } = await openPage(journey.browser, "/");
  await signIn(page);
  await loadedRows(page).nth(2).waitFor();
  const names = await loadedRows(page).locator("td[title]").evaluateAll((cells) => cells.map((c) => c.textContent));
  assert.deepEqual(names.slice(0, 3), [IMG, SCRIPT, BIDI], "the names, character for character");
  assert.deepEqual((await visibleNames(page)).slice(0, 2), [IMG, SCRIPT], "and shown as such");
  await assertInert(page, page.locator(".vmb-vm-table"));

  // The <img> VM's pane, history caption and backup dialog.
  await loadedRows(page).first().click();
  const pane = page.locator(".vmb-app-details");
  await pane.locator("h2.vmb-app-vm-name").waitFor();
  assert.equal(await pane.locator("h2.vmb-app-vm-name").textContent(), IMG);
  await pane.locator(".vmb-history__title", { hasText: IMG }).waitFor();
  const { dialog } = await openBackupDialog(pane);
  assert.equal(await dialog.locator(".vmb-backup-vms li").textContent(), IMG);
  await assertInert(page, dialog);
  await dialog.getByRole("button", { name: "Cancel" }).click();

  // The restore dialog's title and typed-name prompt.
  await pane.locator(".vmb-history__row").first().getByRole("button", { name: /Restore the backup of/ }).click();
  const restore = page.getByRole("dialog", { name: `Restore ${IMG}` });
  await restore.waitFor();
  await restore.getByLabel(`To confirm, type the name of the virtual machine: ${IMG}`).waitFor();
  await assertInert(page, restore);
  await restore.getByRole("button", { name: "Cancel" }).click();

  // The bidi-override VM: its override is isolated, the text around it reads in order.
  await loadedRows(page).first().click(); // deselect the first
  await loadedRows(page).nth(2).click();
  await pane.locator("h2.vmb-app-vm-name", { hasText: "quoted" }).waitFor();
  assert.equal(await pane.locator("h2.vmb-app-vm-name").textContent(), BIDI);
  await assertInert(page, page.locator("#vmb-app"));
  watch.assertClean();
});

test("a schedule named with markup is saved and shown as text", async () => {
  const name = "<img src=x onerror=alert(1)>";
  const { page, watch } = await openPage(journey.browser, "/");
  await signIn(page);
  await goTo(page, "Schedules");
  const form = page.locator(".vmb-schedule-form");
  await form.getByLabel("Schedule name").fill(name);
  await form.getByLabel("Start time").fill("03:00");
  await form.getByRole("button", { name: "Save" }).click();
  await form.getByRole("heading", { name: `Edit schedule “${name}”` }).waitFor();
  assert.equal(await form.getByRole("heading").first().textContent(), `Edit schedule “${name}”`);
  await assertInert(page, form);
  const saved = (await journey.api.get("/schedules")).find((s) => s.name === name);
  assert.ok(saved, "saved under its exact name");

  await form.getByRole("button", { name: "Delete" }).click();
  const confirm = page.getByRole("dialog", { name: "Delete schedule" });
  assert.match(await confirm.textContent(), /Delete the schedule “<img src=x onerror=alert\(1\)>”\?/);
  await assertInert(page, confirm);
  await confirm.getByRole("button", { name: "Delete" }).click();
  await form.getByRole("status").filter({ hasText: "Schedule deleted." }).waitFor();
  await assertNothingStored(page);
  watch.assertClean();
});
