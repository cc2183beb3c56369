// SPA journey: the network and the server misbehave. Slow answers show loading; JSON 500s and a proxy's HTML 502
// page become a clear message (no raw HTML, no "[object Object]") with a retry that works once the fault ends; a
// backup submission whose connection is dropped is never sent again (one POST, one task at the server) and the
// user is told to check rather than retry blindly.
import { afterEach, test } from "node:test";
import assert from "node:assert/strict";
import { eventually, openPage, sim } from "./harness.mjs";
import {
  exportTasks,
  loadedRows,
  openBackupDialog,
  requestCount,
  searchVms,
  signedInAtVm,
  signIn,
  spaJourney,
  uniqueProtectedVm,
  vmGrid,
} from "./spa-pages.mjs";

const journey = spaJourney();
afterEach(() => sim.faults({ latencyMs: 0, errorRate: 0, htmlErrors: false, dropRate: 0 }));

/** Text a user must never see in an error: markup, a JS object's default string, an empty detail. */
function assertReadable(text) {
  assert.ok(!/[<>]/.test(text), `no markup in the message: ${text}`);
  assert.ok(!text.includes("[object Object]"), `no [object Object]: ${text}`);
  assert.ok(!/undefined|null/.test(text), `no undefined/null: ${text}`);
}

test("slow answers show loading, then the rows", async () => {
  const { page, watch } = await openPage(journey.browser, "/");
  await signIn(page);
  await loadedRows(page).first().waitFor();
  await sim.faults({ latencyMs: 800 });
  await page.getByRole("searchbox", { name: "Search by name" }).fill("web-0003");
  const grid = vmGrid(page);
  await eventually("the table busy", async () => (await grid.getAttribute("aria-busy")) === "true", 3_000, 50);
  // Until the answer comes the rows say they are loading (the new search's rows, not the old ones).
  await grid.locator("tbody td", { hasText: "Loading…" }).first().waitFor({ timeout: 3_000 });
  await searchVms(page, "web-0003");
  assert.equal(await grid.getAttribute("aria-busy"), "false");
  watch.assertClean();
});

for (const { label, faults, summary, detail } of [
  {
    label: "a JSON 500",
    faults: { errorRate: 1 },
    summary: "The backup server reported an error.",
    detail: "HTTP 500",
  },
  {
    label: "a proxy's HTML 502 page",
    faults: { errorRate: 1, htmlErrors: true },
    summary: "The backup server reported an error.",
    detail: "HTTP 502",
  },
]) {
  test(`${label} becomes a clear message, and Try again works once the fault ends`, async () => {
    const { page, watch } = await openPage(journey.browser, "/");
    await signIn(page);
    await loadedRows(page).first().waitFor();
    await sim.faults(faults);
    await page.getByRole("searchbox", { name: "Search by name" }).fill("app-0001");
    const alert = page.locator(".vmb-vm-table").getByRole("alert");
    await alert.waitFor();
    const text = await alert.innerText();
    assert.ok(text.includes(summary), text);
    assert.ok(text.includes(detail), text);
    assertReadable(text);

    await sim.faults({ errorRate: 0, htmlErrors: false });
    await alert.getByRole("button", { name: "Try again" }).click();
    await alert.waitFor({ state: "detached" });
    await searchVms(page, "app-0001");
    watch.assertClean();
  });
}

test("a 502 page on a backup submit is not resent: the user is told to check, and can start it once after", async () => {
  const vm = await uniqueProtectedVm(journey.api, { skip: 1 });
  const { page, watch, pane } = await signedInAtVm(journey.browser, vm);
  const first = await openBackupDialog(pane);
  await sim.clearRequests();
  await sim.faults({ errorRate: 1, htmlErrors: true });
  await first.submit.click();
  // A proxy's 502 may come after the server took the request: the client looks for the task (that fails too)
  // and says so, with no blind retry.
  const alert = first.dialog.getByRole("alert");
  await alert.waitFor();
  const text = await alert.innerText();
  assertReadable(text);
  assert.ok(text.includes("The server did not confirm the request. It may have been carried out: check before trying again."), text);
  assert.ok(text.includes("HTTP 502 with a web page instead of an API error"), text);
  assert.equal(await alert.getByRole("button", { name: "Try again" }).count(), 0);
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  assert.equal(await requestCount("POST /api/tasks/export"), 1, "a failed submission is not resent on its own");

  // The fault ends; the user checks (no task: the injected error came before the server's handler) and starts
  // the backup again: one task.
  await sim.faults({ errorRate: 0, htmlErrors: false });
  assert.equal((await exportTasks(journey.api, vm)).length, 0, "the proxy's error made nothing");
  await first.dialog.getByRole("button", { name: "Cancel" }).click();
  await first.dialog.waitFor({ state: "detached" });
  const second = await openBackupDialog(pane);
  await second.submit.click();
  await second.dialog.waitFor({ state: "detached" });
  await pane.getByText("Backup tasks created: 1").waitFor();
  assert.equal(await requestCount("POST /api/tasks/export"), 2);
  assert.equal((await exportTasks(journey.api, vm)).length, 1, "one task after starting it again");
  watch.assertClean();
});

// Known bug, reported to the lead: the page sends one POST (one fetch), but Chromium itself resends a request
// whose reused keep-alive connection closes without a reply (ERR_EMPTY_RESPONSE), so the simulator receives the
// submission up to three or four times (once per pooled connection) and makes as many tasks. The test runs in full and reports as TODO until that is fixed.
const BROWSER_RESENDS_DROPPED_POST =
  "Chromium resends a POST whose reused HTTP/1.1 connection closed without a reply: several tasks instead of 1";

test("a dropped connection on a backup submit never sends it twice and tells the user to check", {
  todo: BROWSER_RESENDS_DROPPED_POST,
}, async () => {
  const vm = await uniqueProtectedVm(journey.api);
  const { page, watch, pane } = await signedInAtVm(journey.browser, vm);
  const { dialog, submit } = await openBackupDialog(pane);
  await sim.clearRequests();
  await sim.faults({ dropRate: 1 });
  const sentByPage = [];
  page.on("request", (request) => {
    if (request.method() === "POST" && request.url().endsWith("/api/tasks/export")) sentByPage.push(request.url());
  });
  await submit.click();
  const alert = dialog.getByRole("alert");
  await alert.waitFor({ timeout: 20_000 });
  const text = await alert.innerText();
  assertReadable(text);
  assert.ok(
    text.includes("The server did not confirm the request. It may have been carried out: check before trying again."),
    text,
  );
  assert.equal(await alert.getByRole("button", { name: "Try again" }).count(), 0, "no blind retry offered");

  // The fault ends: nothing is sent again on its own, and the page recovers (the table answers again).
  await sim.faults({ dropRate: 0 });
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  assert.equal(sentByPage.length, 1, "the page made one submission");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await dialog.waitFor({ state: "detached" });
  await searchVms(page, "mq-0002");

  // …and the one task the server made is all there is.
  assert.equal(await requestCount("POST /api/tasks/export"), 1, "the submission reached the server once");
  assert.equal((await exportTasks(journey.api, vm)).length, 1, "one task at the server");
  watch.assertClean();
});
