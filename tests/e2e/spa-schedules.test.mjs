// SPA journey: a schedule entered as 01:30 on weekdays (Mon–Fri) in Europe/Warsaw. The next-runs preview lists
// the real runs (local 01:30 and their UTC times); what reaches the server is Storware's UTC form (`hour` in ms after
// 00:00 UTC, UTC weekdays) as storware-api.md §6 gives it: saved in winter (CET) 1,800,000 and MONDAY…FRIDAY;
// saved in summer (CEST) 84,600,000 and SUNDAY…THURSDAY (23:30 UTC the day before). A preview across the spring
// clock change shows the local time moving to 02:30 and says so. Edited (a new time) it is PUT again; deleted, it
// is gone from the server.
import { test } from "node:test";
import assert from "node:assert/strict";
import { BASE_URL, eventually, openPage, VIEWER } from "./harness.mjs";
import { assertNothingStored, goTo, signIn, spaJourney } from "./spa-pages.mjs";

const ZONE = "Europe/Warsaw";
const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];
const UTC_DAY_NAMES = ["SUNDAY", "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY"];

const journey = spaJourney();

/** Warsaw's UTC offset in minutes at `instantMs`. */
function warsawOffsetMinutes(instantMs) {
  const name = new Intl.DateTimeFormat("en-US", { timeZone: ZONE, timeZoneName: "longOffset" })
    .formatToParts(new Date(instantMs))
    .find((part) => part.type === "timeZoneName").value; // "GMT+01:00"
  const [, sign, hours, minutes] = /GMT([+-])(\d\d):(\d\d)/.exec(name);
  return (sign === "-" ? -1 : 1) * (Number(hours) * 60 + Number(minutes));
}

/** The next `count` instants after `nowMs` at which Warsaw's wall clock shows 01:30 on a Monday–Friday. */
function expectedRuns(nowMs, count) {
  const runs = [];
  const local = new Date(nowMs + warsawOffsetMinutes(nowMs) * 60_000);
  for (let day = 0; runs.length < count && day < 30; day++) {
    const date = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + day, 1, 30));
    if (date.getUTCDay() === 0 || date.getUTCDay() === 6) continue; // the local weekday
    const instant = date.getTime() - warsawOffsetMinutes(date.getTime() - 3_600_000) * 60_000;
    if (instant > nowMs) runs.push(instant);
  }
  return runs;
}

/** Fills the new-schedule form: name, 01:30, Europe/Warsaw, Monday–Friday. */
async function fillWeekdaySchedule(page, name) {
  const form = page.locator(".vmb-schedule-form");
  await form.getByRole("heading", { name: "New schedule" }).waitFor();
  await assertNothingStored(page);
  await form.getByLabel("Schedule name").fill(name);
  await form.getByLabel("Start time").fill("01:30");
  const zone = form.getByLabel("Time zone");
  assert.equal(await zone.inputValue(), ZONE, "the form starts in the browser's zone");
  await zone.selectOption(ZONE);
  for (const day of ["Saturday", "Sunday"]) await form.getByRole("checkbox", { name: day }).uncheck();
  for (const day of WEEKDAYS) assert.ok(await form.getByRole("checkbox", { name: day }).isChecked());
  return form;
}

/** The preview's runs: `[{ utcIso, text }]`. */
function previewRuns(form) {
  return form.locator(".vmb-schedule-runs li").evaluateAll((items) =>
    items.map((li) => ({ utcIso: li.querySelector("time").getAttribute("datetime"), text: li.innerText })));
}

async function savedSchedule(name) {
  const list = await journey.api.get("/schedules");
  return list.find((schedule) => schedule.name === name);
}

const names = (days) => days.map((d) => d.name ?? d);

test("01:30 on weekdays in Warsaw: preview, what the server gets, edit and delete", async () => {
  const { page, watch } = await openPage(journey.browser, "/", { timezoneId: ZONE });
  await signIn(page);
  await goTo(page, "Schedules");
  const name = `e2e weekdays 01:30 ${Date.now()}`;
  const form = await fillWeekdaySchedule(page, name);

  const now = Date.now();
  const expected = expectedRuns(now, 5);
  const offset = warsawOffsetMinutes(expected[0]);
  const runs = await eventually("five runs in the preview", async () => {
    const shown = await previewRuns(form);
    return shown.length === 5 && shown;
  });
  assert.deepEqual(runs.map((r) => Date.parse(r.utcIso)), expected, "the next five Mon–Fri 01:30 Warsaw instants");
  for (const run of runs) {
    const instant = Date.parse(run.utcIso);
    const localTime = warsawOffsetMinutes(instant) === 60 ? "01:30 (UTC+01:00)" : "02:30 (UTC+02:00)";
    const utcTime = new Date(instant).toISOString().slice(11, 16);
    assert.ok(run.text.includes(localTime), `${run.text} shows the local time ${localTime}`);
    assert.ok(run.text.includes(`${utcTime} UTC`), `${run.text} shows the UTC time ${utcTime}`);
  }
  // The stored form, stated beside the inputs (winter: the same weekdays at 00:30 UTC).
  const utcHour = ((90 - offset + 1440) % 1440) / 60;
  const hourText = `${String(Math.floor(utcHour)).padStart(2, "0")}:${String((utcHour * 60) % 60).padStart(2, "0")}`;
  assert.match(await form.locator(".vmb-schedule-preview").innerText(), new RegExp(`Stored in UTC: ${hourText} on`));

  await form.getByRole("button", { name: "Save" }).click();
  await form.getByRole("status").filter({ hasText: "Schedule saved." }).waitFor();
  await form.getByRole("heading", { name: `Edit schedule “${name}”` }).waitFor();
  const saved = await savedSchedule(name);
  assert.ok(saved, "the schedule reached the server");
  const byId = await journey.api.get(`/schedules/${saved.guid}`);
  assert.equal(byId.executionType?.name ?? byId.executionType, "TIME");
  if (offset === 60) {
    assert.equal(byId.hour, 1_800_000, "01:30 CET = 00:30 UTC");
    assert.deepEqual(names(byId.daysOfWeek), ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"]);
  } else {
    assert.equal(byId.hour, 84_600_000, "01:30 CEST = 23:30 UTC the day before");
    assert.deepEqual(names(byId.daysOfWeek).sort(), ["MONDAY", "SUNDAY", "THURSDAY", "TUESDAY", "WEDNESDAY"]);
  }
  // Whatever the season: the server's rule (UTC hour, UTC weekday) fires at the instants the preview showed.
  for (const instant of expected) {
    assert.equal(instant % 86_400_000, byId.hour);
    assert.ok(names(byId.daysOfWeek).includes(UTC_DAY_NAMES[new Date(instant).getUTCDay()]));
  }

  // Edit: 02:15 local.
  await form.getByLabel("Start time").fill("02:15");
  await form.getByRole("button", { name: "Save" }).click();
  await form.getByRole("status").filter({ hasText: "Schedule saved." }).waitFor();
  const edited = await journey.api.get(`/schedules/${saved.guid}`);
  assert.equal(edited.hour, ((135 - offset + 1440) % 1440) * 60_000, "02:15 local in UTC ms");
  assert.equal(edited.name, name);
  assert.equal((await journey.api.get("/schedules")).filter((s) => s.name === name).length, 1, "edited in place, not copied");

  // Delete, with its confirmation.
  await form.getByRole("button", { name: "Delete" }).click();
  const confirm = page.getByRole("dialog", { name: "Delete schedule" });
  await confirm.waitFor();
  assert.match(await confirm.innerText(), new RegExp(`Delete the schedule “${name}”`));
  await confirm.getByRole("button", { name: "Delete" }).click();
  await form.getByRole("status").filter({ hasText: "Schedule deleted." }).waitFor();
  await assert.rejects(journey.api.get(`/schedules/${saved.guid}`), /404/);
  assert.equal(await savedSchedule(name), undefined, "gone from the list");
  await form.getByRole("heading", { name: "New schedule" }).waitFor();
  watch.assertClean();
});

test("the Schedules page lists the server's schedules, edits one in the form and deletes one after a confirmation; names are text", async () => {
  const stamp = Date.now();
  const plain = `e2e listed ${stamp}`;
  const hostile = `<img src=x onerror="window.__vmbInjected=1">"><script>window.__vmbInjected=1</script> ${stamp}`;
  const create = async (name) => (await journey.api.send("POST", "/schedules", {
    name, executionType: "TIME", hour: 3_600_000, startWindowLength: 21_600_000, daysOfWeek: ["MONDAY"],
  })).body;
  const plainSaved = await create(plain);
  const hostileSaved = await create(hostile);
  const { page, watch } = await openPage(journey.browser, "/", { timezoneId: ZONE });
  await signIn(page);
  await goTo(page, "Schedules");
  const list = page.locator(".vmb-app-schedules");
  const listedNames = () => list.locator("tbody tr td:first-child").allInnerTexts();

  // Every schedule the server has, once (those the simulator's policies use among them).
  const onServer = (await journey.api.get("/schedules")).map((s) => s.name).sort();
  const listed = await eventually("the server's schedules in the list", async () => {
    const names = await listedNames();
    return names.length === onServer.length && names;
  });
  assert.deepEqual([...listed].sort(), onServer);
  assert.ok(listed.includes(hostile), "the payload-named schedule is listed by its name, as text");
  assert.equal(await list.locator("tbody img, tbody script").count(), 0, "no element made of a name");

  // Edit: the schedule opens in the form; a new name is PUT to the same schedule and the list follows.
  await list.getByRole("button", { name: `Edit ${plain}` }).click();
  const form = page.locator(".vmb-schedule-form");
  await form.getByRole("heading", { name: `Edit schedule “${plain}”` }).waitFor();
  await form.getByLabel("Schedule name").fill(`${plain} renamed`);
  await form.getByRole("button", { name: "Save" }).click();
  await form.getByRole("status").filter({ hasText: "Schedule saved." }).waitFor();
  assert.equal((await journey.api.get(`/schedules/${plainSaved.guid}`)).name, `${plain} renamed`, "replaced in place");
  await eventually("the new name in the list", async () => (await listedNames()).includes(`${plain} renamed`));
  assert.ok(!(await listedNames()).includes(plain));
  // "New schedule" puts the form back to creating one.
  await list.getByRole("button", { name: "New schedule" }).click();
  await form.getByRole("heading", { name: "New schedule" }).waitFor();
  assert.equal(await form.getByLabel("Schedule name").inputValue(), "");

  // Delete from the list: only after the confirmation, which names the schedule as text; Cancel keeps it.
  const deleteButton = list.getByRole("button", { name: `Delete ${hostile}` });
  await deleteButton.click();
  const confirm = page.getByRole("dialog", { name: "Delete schedule" });
  await confirm.getByText(`Delete the schedule “${hostile}”?`).waitFor();
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await confirm.waitFor({ state: "detached" });
  assert.ok(await deleteButton.evaluate((button) => button === document.activeElement), "the focus is back on Delete");
  assert.equal((await journey.api.get(`/schedules/${hostileSaved.guid}`)).name, hostile, "cancelled: still there");
  await deleteButton.click();
  await confirm.getByRole("button", { name: "Delete" }).click();
  await list.getByRole("status").filter({ hasText: "Schedule deleted." }).waitFor();
  await assert.rejects(journey.api.get(`/schedules/${hostileSaved.guid}`), /404/);
  await eventually("the row gone", async () => !(await listedNames()).includes(hostile));
  assert.equal(await page.evaluate(() => typeof window.__vmbInjected), "undefined", "no payload ran");

  await journey.api.send("DELETE", `/schedules/${plainSaved.guid}`);
  watch.assertClean();
});

/**
 * Records, from now on, every change the page offers (a visible Save, Edit, Delete or New schedule button), also
 * one shown for a moment: a MutationObserver sees each DOM change before it is painted.
 */
async function recordOfferedChanges(page) {
  await page.evaluate(() => {
    window.__vmbOffered = [];
    const record = () => {
      for (const button of document.querySelectorAll("button")) {
        const label = button.textContent.trim();
        if (/^(Save|Edit|Delete|New schedule)$/.test(label) && !button.closest("[hidden]")) window.__vmbOffered.push(label);
      }
    };
    new MutationObserver(record).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  });
}

test("a read-only user sees the schedules and opens one to view, with no New schedule, no Delete, no Save and a note why", async () => {
  const name = `e2e viewed ${Date.now()}`;
  const saved = (await journey.api.send("POST", "/schedules", {
    name, executionType: "TIME", hour: 3_600_000, startWindowLength: 21_600_000, daysOfWeek: ["MONDAY"],
  })).body;
  const { page, watch } = await openPage(journey.browser, "/", { timezoneId: ZONE });
  // An administrator was here before on the same page: the viewer who logs in next must not get their rights.
  await signIn(page);
  await goTo(page, "Schedules");
  const list = page.locator(".vmb-app-schedules");
  await list.getByRole("button", { name: `Edit ${name}` }).waitFor();
  await page.getByRole("button", { name: "Log out" }).click();
  await recordOfferedChanges(page);
  await signIn(page, VIEWER);
  const view = list.getByRole("button", { name: `View ${name}` });
  await view.waitFor();
  await eventually("no Delete offered", async () => (await list.getByRole("button", { name: /^Delete / }).count()) === 0);
  assert.equal(await list.getByRole("button", { name: /^Edit / }).count(), 0, "View, not Edit");
  const form = page.locator(".vmb-schedule-form");
  assert.equal(await form.count(), 0, "no empty form for a new schedule");
  await view.click();
  await eventually("the schedule in the form", async () => (await form.getByLabel("Schedule name").inputValue()) === name);
  await form.getByRole("heading", { name: `Schedule “${name}”` }).waitFor();
  // The page offers New schedule next to a schedule shown in the form, to one who may change schedules.
  assert.equal(await page.getByRole("button", { name: "New schedule" }).count(), 0, "no New schedule");
  assert.equal(await page.getByText("New schedule").count(), 0, "nothing new offered");
  await form.getByText("You can see the schedule but not save changes: ask your backup administrator.").waitFor();
  assert.equal(await form.getByRole("button", { name: "Save" }).count(), 0, "no Save");
  assert.equal(await form.getByRole("button", { name: "Delete" }).count(), 0, "no Delete in the form");
  // Not even for a moment, before the page knew who the user is.
  assert.deepEqual(await page.evaluate(() => window.__vmbOffered), [], "changes offered to the viewer at some point");
  assert.equal((await journey.api.get(`/schedules/${saved.guid}`)).name, name);
  await journey.api.send("DELETE", `/schedules/${saved.guid}`);
  watch.assertClean();
});

/**
 * Opens the SPA with the page's clock set to `nowMs` (the server keeps its own), fills the weekday schedule and
 * waits for the preview's five runs. Returns `{ context, page, watch, form, name, runs }`.
 */
async function weekdayScheduleAt(nowMs, label) {
  const { context, page, watch } = await openPage(journey.browser, "/", { timezoneId: ZONE, gotoPage: false });
  await page.clock.install({ time: nowMs });
  await page.goto(`${BASE_URL}/`);
  await signIn(page);
  await goTo(page, "Schedules");
  const name = `e2e ${label} ${Date.now()}`;
  const form = await fillWeekdaySchedule(page, name);
  const runs = await eventually("five runs in the preview", async () => {
    const shown = await previewRuns(form);
    return shown.length === 5 && shown;
  });
  return { context, page, watch, form, name, runs };
}

/** Saves the form and returns the schedule as the server has it, which is then deleted again. */
async function saveAndRemove(form, name) {
  await form.getByRole("button", { name: "Save" }).click();
  await form.getByRole("status").filter({ hasText: "Schedule saved." }).waitFor();
  const saved = await savedSchedule(name);
  await journey.api.send("DELETE", `/schedules/${saved.guid}`);
  return saved;
}

test("a preview across the spring clock change shows 01:30 becoming 02:30 and says from when", async () => {
  // Wednesday 24 March 2027, noon in Warsaw: the clocks go forward on Sunday 28 March.
  const { context, watch, form, name, runs } = await weekdayScheduleAt(Date.UTC(2027, 2, 24, 11, 0), "dst");
  // Converted with the offset at the next run (Thu 25 March, CET): 00:30 UTC every run, so from the 29th the
  // local time is 02:30.
  assert.deepEqual(runs.map((r) => r.utcIso), [
    "2027-03-25T00:30:00.000Z",
    "2027-03-26T00:30:00.000Z",
    "2027-03-29T00:30:00.000Z",
    "2027-03-30T00:30:00.000Z",
    "2027-03-31T00:30:00.000Z",
  ]);
  assert.ok(runs[1].text.includes("01:30 (UTC+01:00)"), runs[1].text);
  assert.ok(runs[2].text.includes("02:30 (UTC+02:00)"), runs[2].text);
  const drift = form.locator(".vmb-schedule-drift");
  assert.match(await drift.innerText(), /runs at 02:30 instead of 01:30/);
  assert.match(await drift.innerText(), /^From Mon, Mar 29, 2027 /);

  const saved = await saveAndRemove(form, name);
  assert.equal(saved.hour, 1_800_000);
  assert.deepEqual(names(saved.daysOfWeek), ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"]);
  watch.assertClean();
  await context.close();
});

test("saved in summer time, 01:30 Mon–Fri reaches the server as 23:30 UTC Sunday–Thursday", async () => {
  // Tuesday 15 June 2027, noon in Warsaw (CEST, UTC+2).
  const { context, watch, form, name, runs } = await weekdayScheduleAt(Date.UTC(2027, 5, 15, 10, 0), "summer");
  // Wed 16 June 01:30 CEST = Tue 15 June 23:30 UTC, …
  assert.deepEqual(runs.map((r) => r.utcIso), [
    "2027-06-15T23:30:00.000Z",
    "2027-06-16T23:30:00.000Z",
    "2027-06-17T23:30:00.000Z",
    "2027-06-20T23:30:00.000Z",
    "2027-06-21T23:30:00.000Z",
  ]);
  for (const run of runs) {
    assert.ok(run.text.includes("01:30 (UTC+02:00)") && run.text.includes("23:30 UTC"), run.text);
  }
  assert.match(await form.locator(".vmb-schedule-preview").innerText(),
    /Stored in UTC: 23:30 on Monday, Tuesday, Wednesday, Thursday, Sunday/);
  // …and the way back in autumn is announced too.
  assert.match(await form.locator(".vmb-schedule-drift").innerText(),
    /^From Mon, Nov 1, 2027 this schedule runs at 00:30 instead of 01:30/);
  const saved = await saveAndRemove(form, name);
  assert.equal(saved.hour, 84_600_000);
  assert.deepEqual(names(saved.daysOfWeek).sort(), ["MONDAY", "SUNDAY", "THURSDAY", "TUESDAY", "WEDNESDAY"]);
  watch.assertClean();
  await context.close();
});
