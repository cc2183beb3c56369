// SPA screenshots: every page (login, VM dashboard with details, tasks with a running backup, schedules with the
// form filled in, policies) and the backup dialog, in English and Polish, light and dark, and the dashboard and
// schedule form right-to-left. Written to target/e2e/screens/spa-<page>-<what>-<lang>-<theme>[-rtl].png; the
// switches themselves are checked on the way (the page's language and the theme change when chosen).
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPage, screenshot, sim } from "./harness.mjs";
import { openBackupDialog, signedInAtVm, spaJourney, uniqueProtectedVm } from "./spa-pages.mjs";

const journey = spaJourney({ taskSeconds: 600 });

/** Selects the VM named `name` on the dashboard (by the search field and the row; the labels change with the
 * language) and waits for its history. */
async function showVm(page, name) {
  await page.locator(".vmb-vm-table input[type=search]").fill(name);
  const row = page.locator(`.vmb-vm-table tbody tr:has(td[title="${name}"])`);
  await row.waitFor();
  if ((await row.getAttribute("aria-selected")) !== "true") await row.click();
  await page.locator(".vmb-app-details .vmb-history__row").first().waitFor();
}

/** Follows the header link to `hash` (by address: the link texts change with the language). */
async function goToHash(page, hash) {
  await page.locator(`.vmb-app-nav a[href='${hash}']`).click();
  await page.locator(`.vmb-app-nav a[href='${hash}'][aria-current=page]`).waitFor();
}

test("the login page in both languages and themes", async () => {
  for (const [lang, locale] of [["en", "en-US"], ["pl", "pl-PL"]]) {
    for (const theme of ["light", "dark"]) {
      const { context, page } = await openPage(journey.browser, "/", { locale, colorScheme: theme });
      await page.locator("form.vmb-app-login").waitFor();
      assert.equal(await page.locator("#vmb-login-title").innerText(),
        lang === "en" ? "Log in to the backup server" : "Zaloguj się do serwera kopii");
      assert.ok(await page.evaluate(() => !!document.elementFromPoint(innerWidth / 2, 4)?.closest("#vmb-app")),
        "the app's background covers the page up to its top edge");
      await screenshot(page, `spa-login-form-${lang}-${theme}`);
      await context.close();
    }
  }
});

test("every signed-in page in both languages and themes, and right-to-left", async () => {
  const vm = await uniqueProtectedVm(journey.api);
  const { page, watch, pane } = await signedInAtVm(journey.browser, vm);
  await pane.locator(".vmb-history__row").first().waitFor();
  const { dialog, submit } = await openBackupDialog(pane);
  await screenshot(page, "spa-backup-dialog-en-light", { fullPage: false });
  await submit.click();
  await dialog.waitFor({ state: "detached" });
  await pane.locator(".vmb-task__head .vmb-badge").first().waitFor();

  const shoot = async (suffix) => {
    await goToHash(page, "#/vms");
    await showVm(page, vm.name);
    await screenshot(page, `spa-vms-details-${suffix}`);
    await goToHash(page, "#/tasks");
    await page.locator(".vmb-task-progress .vmb-task").first().waitFor();
    await screenshot(page, `spa-tasks-running-${suffix}`);
    await goToHash(page, "#/schedules");
    const form = page.locator(".vmb-schedule-form");
    await form.locator("input[name=name]").fill("nightly <b>weekdays</b>");
    await form.locator("input[name=hour]").fill("01:30");
    await form.locator(".vmb-schedule-runs li").first().waitFor();
    await screenshot(page, `spa-schedules-form-${suffix}`);
    await goToHash(page, "#/policies");
    await page.locator(".vmb-app-main").getByText("gold").first().waitFor();
    await screenshot(page, `spa-policies-list-${suffix}`);
  };

  for (const lang of ["en", "pl"]) {
    await page.locator(".vmb-app-switch select").selectOption(lang);
    assert.equal(await page.evaluate(() => document.documentElement.lang), lang);
    assert.equal(await page.locator(".vmb-app-nav a[href='#/tasks']").innerText(), lang === "en" ? "Tasks" : "Zadania");
    for (const theme of ["light", "dark"]) {
      await page.locator(".vmb-app-switch input[type=checkbox]").setChecked(theme === "dark");
      assert.equal(await page.locator("#vmb-app").getAttribute("data-theme"), theme);
      await shoot(`${lang}-${theme}`);
    }
  }

  await page.locator(".vmb-app-switch select").selectOption("en");
  await page.locator(".vmb-app-switch input[type=checkbox]").setChecked(false);
  await page.evaluate(() => { document.documentElement.dir = "rtl"; });
  await goToHash(page, "#/vms");
  await showVm(page, vm.name);
  await screenshot(page, "spa-vms-details-en-light-rtl");
  await goToHash(page, "#/schedules");
  await page.locator(".vmb-schedule-form input[name=hour]").fill("01:30");
  await screenshot(page, "spa-schedules-form-en-light-rtl");
  await sim.reset();
  watch.assertClean();
});
