// Embed demo journey: <vmb-schedule-form> creates a schedule entered as 01:30 Monday–Friday in Europe/Warsaw; the
// preview shows the UTC time and days and the next runs; what reached the server (read back as the administrator)
// is the UTC time of day in milliseconds and the UTC weekdays; the schedule is then edited and deleted.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { ADMIN, apiSession, eventually, launchBrowser, sim, TENANT_A } from "./harness.mjs";
import { hostEvents, openPortal, requestCount, resetSimulator, signInToPortal, widget } from "./portal-page.mjs";

const ZONE = "Europe/Warsaw";
const WEEKDAYS = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"];
const DAY_LABELS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

let browser;
before(async () => {
  await resetSimulator();
  browser = await launchBrowser();
});
after(async () => {
  await sim.reset();
  await browser?.close();
});

/** The zone's wall clock at `instant`: `{weekday (0 = Monday), minutes after midnight}`. */
function wallClock(instant, zone) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", { timeZone: zone, weekday: "long", hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  return { weekday: DAY_LABELS.indexOf(parts.weekday), minutes: Number(parts.hour) * 60 + Number(parts.minute) };
}

/**
 * What Storware should store for `localMinutes` on `localDays` (0 = Monday) in `zone`, converted with the offset
 * in force at the next run from now — worked out here independently of the widget: the next such run is found
 * by stepping through UTC minutes, and its UTC time and weekday give the stored values.
 */
function expectedStorage(localMinutes, localDays, zone) {
  let t = Math.ceil(Date.now() / 60_000) * 60_000;
  for (let i = 0; i < 8 * 24 * 60; i += 1, t += 60_000) {
    const wall = wallClock(new Date(t), zone);
    if (wall.minutes === localMinutes && localDays.includes(wall.weekday)) break;
  }
  const next = new Date(t);
  const utcMinutes = next.getUTCHours() * 60 + next.getUTCMinutes();
  const utcWeekday = (next.getUTCDay() + 6) % 7; // 0 = Monday
  const shift = (utcWeekday - wallClock(next, zone).weekday + 7) % 7; // 0, or 6 (a day earlier), or 1
  const days = localDays.map((d) => (d + shift) % 7).sort((a, b) => a - b).map((d) => WEEKDAYS[d]);
  return { hourMs: utcMinutes * 60_000, days, utcText: `${String(Math.floor(utcMinutes / 60)).padStart(2, "0")}:${String(utcMinutes % 60).padStart(2, "0")}` };
}

/** Storware's weekday enums, Monday first. */
function sortedDays(days) {
  return days.map((d) => d.name ?? d).sort((a, b) => WEEKDAYS.indexOf(a) - WEEKDAYS.indexOf(b));
}

test("a schedule entered as 01:30 on weekdays in Europe/Warsaw reaches the server in UTC, is edited and deleted", async () => {
  const { page, watch } = await openPortal(browser, { timezoneId: ZONE });
  await signInToPortal(page, TENANT_A);
  const form = widget(page, "vmb-schedule-form");
  await form.getByRole("heading", { name: "New schedule" }).waitFor();

  const name = `e2e weekdays ${Date.now()}`;
  await form.getByLabel("Schedule name").fill(name);
  await form.getByLabel("Backup type").selectOption("INCREMENTAL");
  await form.getByLabel("Active (the schedule starts backups)").check();
  await form.getByLabel("Once a day at a set time").check();
  await form.getByLabel("Start time").fill("01:30");
  await form.getByLabel("Time zone").selectOption(ZONE);
  for (const day of DAY_LABELS.slice(0, 5)) await form.getByLabel(day, { exact: true }).check();
  for (const day of DAY_LABELS.slice(5)) await form.getByLabel(day, { exact: true }).uncheck();

  // The preview: the UTC values the server will get, and five runs at 01:30 Warsaw time on weekdays.
  const expected = expectedStorage(90, [0, 1, 2, 3, 4], ZONE);
  const utcDays = expected.days.map((d) => DAY_LABELS[WEEKDAYS.indexOf(d)]).join(", ");
  await form.getByText(`Stored in UTC: ${expected.utcText} on ${utcDays}`).waitFor();
  const runs = form.locator(".vmb-schedule-runs time");
  await eventually("five previewed runs", async () => (await runs.count()) === 5);
  const instants = (await runs.evaluateAll((els) => els.map((e) => e.getAttribute("datetime")))).map((s) => new Date(s));
  for (const instant of instants) {
    const wall = wallClock(instant, ZONE);
    assert.equal(wall.minutes, 90, `${instant.toISOString()} is 01:30 in Warsaw`);
    assert.ok(wall.weekday <= 4, `${instant.toISOString()} is a weekday in Warsaw`);
  }
  assert.ok(instants.every((t, i) => i === 0 || t > instants[i - 1]), "the runs are in order");
  assert.ok(instants[0] > Date.now() && instants[0] - Date.now() <= 4 * 86_400_000, "the first run is the next one");

  // Save: one create, the form turns into the editor of the saved schedule.
  await form.getByRole("button", { name: "Save" }).click();
  await form.getByRole("status").filter({ hasText: "Schedule saved." }).waitFor();
  await form.getByRole("heading", { name: `Edit schedule “${name}”` }).waitFor();
  const [saved] = await eventually("vmb-schedule-saved", () => hostEvents(page, "vmb-schedule-saved").then((e) => e.length && e));
  const scheduleId = saved.detail.scheduleId;
  assert.ok(scheduleId, "the event names the saved schedule");
  assert.equal(await requestCount("POST /api/schedules"), 1, "one create reached the server");

  const admin = await apiSession(ADMIN);
  const stored = await admin.get(`/schedules/${scheduleId}`);
  assert.equal(stored.name, name);
  assert.equal(stored.hour, expected.hourMs, "UTC milliseconds after midnight");
  assert.deepEqual(sortedDays(stored.daysOfWeek), expected.days, "UTC weekdays");
  assert.equal(stored.executionType.name ?? stored.executionType, "TIME");
  assert.equal(stored.backupType.name ?? stored.backupType, "INCREMENTAL");
  assert.equal(stored.active, true);

  // Edit: 02:15 in Tokyo (UTC+9) instead, which in UTC is the afternoon before: the weekdays shift a day back.
  // The same schedule is replaced, nothing new is created.
  await form.getByLabel("Time zone").selectOption("Asia/Tokyo");
  await form.getByLabel("Start time").fill("02:15");
  const edited = expectedStorage(135, [0, 1, 2, 3, 4], "Asia/Tokyo");
  assert.deepEqual(edited.days, ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "SUNDAY"]);
  await form.getByText(`Stored in UTC: ${edited.utcText} on `).waitFor();
  await form.getByRole("button", { name: "Save" }).click();
  await eventually("the edit to reach the server", async () => (await admin.get(`/schedules/${scheduleId}`)).hour === edited.hourMs);
  assert.equal(await requestCount("POST /api/schedules"), 1, "an edit creates nothing");
  assert.equal(await requestCount(`PUT /api/schedules/${scheduleId}`), 1, "one replace");
  const replaced = await admin.get(`/schedules/${scheduleId}`);
  assert.deepEqual(sortedDays(replaced.daysOfWeek), edited.days, "the shifted UTC weekdays");

  // Delete, after the confirmation.
  await form.getByRole("button", { name: "Delete" }).click();
  const confirm = form.getByRole("dialog", { name: "Delete schedule" });
  await confirm.waitFor();
  await confirm.getByText(`Delete the schedule “${name}”?`).waitFor();
  await confirm.getByRole("button", { name: "Delete" }).click();
  await form.getByRole("status").filter({ hasText: "Schedule deleted." }).waitFor();
  await assert.rejects(admin.get(`/schedules/${scheduleId}`), /404/, "the schedule is gone from the server");
  const [deleted] = await eventually("vmb-schedule-deleted", () => hostEvents(page, "vmb-schedule-deleted").then((e) => e.length && e));
  assert.equal(deleted.detail.scheduleId, scheduleId);
  watch.assertClean();
});
