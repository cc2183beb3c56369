// Embed demo journeys under faults switched on at the simulator: 500s with a JSON body, a proxy's HTML error page,
// a backup submission whose connection is dropped after the server handled it, and slow answers. Each time the
// widget shows a clear error in words (never the raw body), the host hears vmb-error, the widget sends nothing
// twice (and cancels the copies the browser's own resend of a dropped POST made), and it works again once the
// fault ends.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { apiSession, eventually, launchBrowser, sim, TENANT_A } from "./harness.mjs";
import {
  hostEvents,
  openBackupDialog,
  openPortal,
  requestCount,
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

/** A signed-in portal on a fresh simulator (faults are switched on by each test after signing in). */
async function signedInPortal() {
  await resetSimulator({ taskSeconds: 2 });
  const opened = await openPortal(browser);
  await signInToPortal(opened.page, TENANT_A);
  return opened;
}

/** Asserts `text` is words for a person: no markup, no JSON body, no proxy page. */
function assertNoRawBody(text, what) {
  assert.doesNotMatch(text, /<\/?[a-z!][^>]*>|&lt;|\{"|nginx|<html/i, `${what} shows no raw body: ${text}`);
}

/** Types into the table's search box and waits for its error alert. */
async function searchUntilError(page, text) {
  const table = widget(page, "vmb-vm-table");
  await table.getByRole("searchbox", { name: "Search by name" }).fill(text);
  const alert = table.getByRole("alert");
  await alert.waitFor();
  return alert;
}

test("server errors (500, JSON) show a clear error with a retry that works once the fault ends", async () => {
  const { page, watch } = await signedInPortal();
  await sim.faults({ errorRate: 1 });
  await sim.clearRequests();
  const alert = await searchUntilError(page, "web-0002");
  const words = await alert.innerText();
  assert.match(words, /The backup server reported an error\./);
  assert.match(words, /HTTP 500/);
  assertNoRawBody(words, "the table's error");
  const [error] = await eventually("vmb-error", () => hostEvents(page, "vmb-error").then((e) => e.length && e));
  assert.equal(error.widget, "vmb-vm-table");
  assert.equal(error.detail.status, 500);
  assertNoRawBody(error.detail.message, "vmb-error's message");
  // No loop: the failed page is not asked for again and again.
  const asked = await requestCount("GET /api/virtual-machines");
  await page.waitForTimeout(2000);
  assert.equal(await requestCount("GET /api/virtual-machines"), asked, "no retry loop while the server fails");
  assert.ok(asked <= 2, `a failed read is tried at most twice (${asked})`);

  await sim.faults({ errorRate: 0 });
  await alert.getByRole("button", { name: "Try again" }).click();
  await eventually("the rows after the retry", async () => {
    const names = await visibleVmNames(page);
    return names.length > 0 && names.every((n) => n.includes("web-0002"));
  });
  assert.equal(await widget(page, "vmb-vm-table").getByRole("alert").count(), 0, "the error is gone");
  watch.assertClean();
});

test("a proxy's HTML error page is shown as words, and a failed backup submit is sent once and can be repeated", async () => {
  const { page, watch } = await signedInPortal();
  await selectVm(page, "app-00002");
  const button = widget(page, "vmb-backup-button");
  const { dialog, start } = await openBackupDialog(page);

  await sim.faults({ errorRate: 1, htmlErrors: true });
  await sim.clearRequests();
  await start.click();
  const alert = dialog.getByRole("alert");
  await alert.waitFor();
  const words = await alert.innerText();
  assertNoRawBody(words, "the backup dialog's error");
  assert.match(words, /HTTP 502/);
  const [error] = await eventually("vmb-error", () => hostEvents(page, "vmb-error").then((e) => e.length && e));
  assert.equal(error.widget, "vmb-backup-button");
  assertNoRawBody(error.detail.message, "vmb-error's message");
  await page.waitForTimeout(1000);
  assert.equal(await requestCount("POST /api/tasks/export"), 1, "a failed submission is not sent again by itself");
  assert.equal(await hostEvents(page, "vmb-backup-started").then((e) => e.length), 0);

  // The fault ends: the same dialog starts the backup.
  await sim.faults({ errorRate: 0, htmlErrors: false });
  await start.click();
  await button.getByText("Backup tasks created: 1").waitFor();
  assert.equal(await requestCount("POST /api/tasks/export"), 2, "one more request for one more click");
  watch.assertClean();
});

test("a backup whose answer is dropped is sent once by the widget, found once the server answers, and runs once", async () => {
  const { page, watch } = await signedInPortal();
  const vmId = await selectVm(page, "db-00003");
  const api = await apiSession(TENANT_A);
  const exportStates = async () =>
    (await api.get(`/tasks?protected-entity=${vmId}&type=EXPORT`)).map((task) => task.state?.name ?? task.state);
  const statesBefore = await exportStates();
  const cancelledBefore = statesBefore.filter((state) => state === "CANCELLED").length;
  const { dialog, start } = await openBackupDialog(page);
  // What the page itself sends (one fetch per submission), apart from what the browser's network stack does.
  let pageSubmissions = 0;
  page.on("request", (request) => {
    if (request.method() === "POST" && new URL(request.url()).pathname === "/api/tasks/export") pageSubmissions += 1;
  });

  // The server takes the backup but the connection closes before the answer (and stays unreliable). Copies made
  // by Chromium's own resend must still be running when the widget looks again, to be cancellable.
  await sim.faults({ taskSeconds: 60 });
  await sim.faults({ dropRate: 1 });
  await sim.clearRequests();
  await start.click();
  const alert = dialog.getByRole("alert");
  await alert.waitFor({ timeout: 20_000 });
  const words = await alert.innerText();
  assert.match(words, /did not confirm/);
  assertNoRawBody(words, "the lost submission's notice");
  const [error] = await eventually("vmb-error", () => hostEvents(page, "vmb-error").then((e) => e.length && e));
  assert.equal(error.detail.kind, "unconfirmed");
  assert.equal(await hostEvents(page, "vmb-backup-started").then((e) => e.length), 0, "nothing claimed as started");
  await dialog.getByText("Checking with the server whether the backup started…").waitFor();
  assert.equal(await start.isDisabled(), true, "nothing can be started while the first submission is checked");

  // The fault ends: the widget finds the backup without sending it again, cancels the copies, tells the host.
  await sim.faults({ dropRate: 0 });
  const button = widget(page, "vmb-backup-button");
  await button.getByText("Backup tasks created: 1").waitFor({ timeout: 15_000 });
  assert.equal(pageSubmissions, 1, "a submission of unknown fate is never resent by the widget");
  const [started] = await eventually("vmb-backup-started", () =>
    hostEvents(page, "vmb-backup-started").then((e) => e.length && e),
  );
  assert.equal(started.detail.recovered, true);
  assert.equal(started.detail.taskIds.length, 1);
  const reached = await requestCount("POST /api/tasks/export");
  if (reached > 1) await button.getByText(`the extra backups were cancelled: ${reached - 1}.`).waitFor();
  await eventually("one backup left running", async () => {
    const states = await exportStates();
    const made = states.length - statesBefore.length;
    const cancelled = states.filter((state) => state === "CANCELLED").length - cancelledBefore;
    return made === reached && cancelled === reached - 1;
  });
  await widget(page, "vmb-backup-history").getByText("Backups of db-00003").waitFor();
  watch.assertClean();
});

test("slow answers: the table says it is busy and a double click during a slow submit makes one task", async () => {
  const { page, watch } = await signedInPortal();
  await selectVm(page, "cache-00002");
  const button = widget(page, "vmb-backup-button");
  const { dialog, start } = await openBackupDialog(page);

  await sim.faults({ latencyMs: 1500 });
  await sim.clearRequests();
  await start.click();
  await dialog.getByRole("button", { name: "Starting…" }).waitFor();
  assert.equal(await dialog.getByRole("button", { name: "Starting…" }).isDisabled(), true, "disabled while in flight");
  await dialog.getByRole("button", { name: "Starting…" }).click({ force: true }).catch(() => {});
  await button.getByText("Backup tasks created: 1").waitFor({ timeout: 15_000 });
  assert.equal(await requestCount("POST /api/tasks/export"), 1, "one task for the clicks during a slow submit");

  const table = widget(page, "vmb-vm-table");
  await table.getByRole("searchbox", { name: "Search by name" }).fill("proxy-0001");
  await eventually("the table to say it is busy", async () => (await table.getByRole("grid").getAttribute("aria-busy")) === "true", 3000, 50);
  await eventually("the slow rows", async () => {
    const names = await visibleVmNames(page);
    return names.length > 0 && names.every((n) => n.includes("proxy-0001"));
  });
  await sim.faults({ latencyMs: 0 });
  watch.assertClean();
});
