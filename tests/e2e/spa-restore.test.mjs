// SPA journey: restoring a backup from the VM's history. The restore is refused until the VM's name is typed
// exactly; it then runs to the end (one POST /api/tasks/restore-and-import), and the restored VM, under its new
// name, is found in the table.
import { test } from "node:test";
import assert from "node:assert/strict";
import { sim } from "./harness.mjs";
import {
  assertNothingStored,
  requestCount,
  searchVms,
  signedInAtVm,
  spaJourney,
  uniqueProtectedVm,
  visibleNames,
} from "./spa-pages.mjs";

const journey = spaJourney({ taskSeconds: 2 });

test("a backup is restored under a new name after the typed-name confirmation", async () => {
  const vm = await uniqueProtectedVm(journey.api);
  const { page, watch, pane } = await signedInAtVm(journey.browser, vm);
  const history = pane.locator(".vmb-history__row").first();
  await history.getByRole("button", { name: /Restore the backup of/ }).click();

  const dialog = page.getByRole("dialog", { name: `Restore ${vm.name}` });
  await dialog.waitFor();
  const newName = `${vm.name}-restored-${Date.now() % 100_000}`;
  await dialog.getByLabel("Name of the restored VM").fill(newName);
  await dialog.getByText(`A new virtual machine named ${newName} will be created.`).waitFor();
  const submit = dialog.getByRole("button", { name: "Restore", exact: true });
  const confirm = dialog.getByLabel(`To confirm, type the name of the virtual machine: ${vm.name}`);

  // A wrong or partial name does not unlock the restore.
  await confirm.fill(vm.name.slice(0, -1));
  await dialog.getByText("The name does not match.").waitFor();
  assert.equal(await confirm.getAttribute("aria-invalid"), "true");
  assert.ok(await submit.isDisabled(), "the restore waits for the exact name");
  await confirm.fill(vm.name.toUpperCase());
  assert.ok(await submit.isDisabled(), "the name is matched exactly");

  await confirm.fill(vm.name);
  await submit.waitFor({ state: "visible" });
  await sim.clearRequests();
  await submit.click();
  await dialog.locator(".vmb-restore__progress[data-stage=finished]").waitFor({ timeout: 30_000 });
  assert.match(await dialog.locator(".vmb-restore__stage").innerText(), new RegExp(`Restored as ${newName}`));
  assert.equal(await requestCount("POST /api/tasks/restore-and-import"), 1, "one restore submission");
  await dialog.getByRole("button", { name: "Close" }).click();
  await dialog.waitFor({ state: "hidden" });

  // The new VM is in the table (the server's inventory), found by its new name.
  const names = await searchVms(page, newName);
  assert.deepEqual(names, [newName]);
  const atServer = await journey.api.get(`/virtual-machines?filter=${encodeURIComponent(newName)}`);
  assert.equal(atServer.length, 1);
  assert.deepEqual(await visibleNames(page), [newName]);
  await assertNothingStored(page);
  watch.assertClean();
});
