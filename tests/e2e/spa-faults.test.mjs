// SPA journey: the network and the server misbehave. Slow answers show loading; JSON 500s and a proxy's HTML 502
// page become a clear message (no raw HTML, no "[object Object]") with a retry that works once the fault ends; a
// backup submission whose connection is dropped is never sent again by the page, and once the server answers the
// page finds the backup, cancels the copies the browser's own resend made, and says so.
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

// A load balancer that closes the connection after the server acted, without a reply. The page sends the
// submission once (one fetch), but Chromium itself resends a request whose reused keep-alive connection closed
// that way, so the simulator may receive it several times and make as many tasks; Storware has no idempotency
// key. The widget therefore looks again once the server answers, keeps one task per VM, cancels the copies
// (recognised by the submission's exact windowStart) and says so: one backup runs.
test("a dropped connection on a backup submit runs one backup: the page sends once, finds it, cancels resent copies", async () => {
  const vm = await uniqueProtectedVm(journey.api);
  const { page, watch, pane } = await signedInAtVm(journey.browser, vm);
  const { dialog, submit } = await openBackupDialog(pane);
  // Copies must still be running when the page looks again, to be cancellable.
  const { taskSeconds } = await sim.faults({});
  await sim.faults({ taskSeconds: 60 });
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
  await dialog.getByText("Checking with the server whether the backup started…").waitFor();
  assert.equal(await submit.isDisabled(), true, "nothing can be started while the first submission is checked");

  // The fault ends: the page finds what the server made, without sending the submission again.
  await sim.faults({ dropRate: 0 });
  await pane.getByText("Backup tasks created: 1").waitFor({ timeout: 15_000 });
  await dialog.waitFor({ state: "detached" });
  assert.equal(sentByPage.length, 1, "the page made one submission");
  const reached = await requestCount("POST /api/tasks/export");
  assert.ok(reached >= 1, "the submission reached the server");
  if (reached > 1) {
    await pane.getByText(`the extra backups were cancelled: ${reached - 1}.`).waitFor();
  }
  // One backup goes on; every copy the browser's resend made ends cancelled (a running one on the server's next step).
  await eventually("the copies cancelled", async () => {
    const states = (await exportTasks(journey.api, vm)).map((task) => task.state?.name ?? task.state);
    return states.length === reached && states.filter((state) => state === "CANCELLED").length === reached - 1;
  });
  await sim.faults({ taskSeconds });
  watch.assertClean();
});
