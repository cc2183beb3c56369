// Embed demo journey: the portal's own theme and language selects switch every widget (their text, `lang` and
// theme), and the page keeps its layout right-to-left. Screenshots of the whole portal and of each widget (and of
// the backup and restore dialogs) in English and Polish, light and dark, and right-to-left, are written to
// target/e2e/screens/embed-*.png to be looked at.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { eventually, launchBrowser, screenshot, sim, TENANT_A } from "./harness.mjs";
import {
  openBackupDialog,
  openPortal,
  PORTAL_WIDGETS,
  resetSimulator,
  selectVm,
  signInToPortal,
  widget,
} from "./portal-page.mjs";
import { mkdir } from "node:fs/promises";
import path from "node:path";

const SCREENS_DIR = process.env.VMBACKUP_E2E_SCREENS ?? path.resolve("target", "e2e", "screens");

let browser;
before(async () => {
  await resetSimulator({ taskSeconds: 600 }); // a backup stays running for the task list's screenshots
  browser = await launchBrowser();
});
after(async () => {
  await sim.reset();
  await browser?.close();
});

/** A word each widget shows in each language, to know the switch reached it. */
const WORDS = {
  en: {
    "vmb-vm-table": "Hypervisor / cluster",
    "vmb-backup-button": "Back up now",
    "vmb-task-progress": "Backup of",
    "vmb-backup-history": "Backups of app-00001",
    "vmb-restore-dialog": "Restore…",
    "vmb-schedule-form": "New schedule",
    "vmb-policy-panel": "Backup policies",
  },
  pl: {
    "vmb-vm-table": "Hiperwizor / klaster",
    "vmb-backup-button": "Utwórz kopię teraz",
    "vmb-task-progress": "Kopia zapasowa:",
    "vmb-backup-history": "Kopie zapasowe maszyny app-00001",
    "vmb-restore-dialog": "Przywróć…",
    "vmb-schedule-form": "Nowy harmonogram",
    "vmb-policy-panel": "Polityki kopii",
  },
};

/** Writes an element's screenshot as `<name>.png` next to the harness's page screenshots. */
async function elementShot(locator, name) {
  await mkdir(SCREENS_DIR, { recursive: true });
  await locator.screenshot({ path: path.join(SCREENS_DIR, `${name}.png`), animations: "disabled" });
}

/** Switches the portal's selects and waits until every widget speaks `lang` in `theme`. */
async function switchPortal(page, lang, theme) {
  await page.locator("#portal-lang").selectOption(lang);
  await page.locator("#portal-theme").selectOption(theme);
  for (const tag of Object.keys(PORTAL_WIDGETS)) {
    const root = widget(page, tag).locator(".vmb-root");
    await eventually(`${tag} in ${lang} ${theme}`, async () =>
      (await root.getAttribute("lang")) === lang && (await root.getAttribute("data-theme")) === theme,
    );
    await widget(page, tag).getByText(WORDS[lang][tag], { exact: false }).first().waitFor();
  }
  await widget(page, "vmb-backup-history").locator("table td").first().waitFor();
  await widget(page, "vmb-vm-table").locator('tbody tr[role="row"] input[type="checkbox"]').first().waitFor();
}

/** The screenshots of one language, theme and direction. */
async function shootAll(page, suffix) {
  await screenshot(page, `embed-portal-${suffix}`);
  for (const [tag, selector] of Object.entries(PORTAL_WIDGETS)) {
    await elementShot(page.locator(selector), `embed-${tag.slice(4)}-${suffix}`);
  }
  const button = widget(page, "vmb-backup-button");
  await button.locator("button.vmb-backup-open").click();
  const dialog = button.locator("dialog.vmb-backup-dialog");
  await eventually("the rule to load", () => dialog.locator("button.vmb-backup-submit").isEnabled());
  await elementShot(dialog, `embed-backup-dialog-${suffix}`);
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "hidden" });
  const restore = widget(page, "vmb-restore-dialog");
  await restore.locator("button.vmb-restore__open").click();
  const restoreDialog = restore.locator("dialog.vmb-restore__dialog");
  await restoreDialog.locator("select[name=backup]").waitFor();
  await elementShot(restoreDialog, `embed-restore-dialog-${suffix}`);
  await page.keyboard.press("Escape");
  await restoreDialog.waitFor({ state: "hidden" });
}

test("the portal's theme and language switch every widget; screenshots light, dark, Polish and RTL", async () => {
  const { page, watch } = await openPortal(browser);
  await signInToPortal(page, TENANT_A);
  await selectVm(page, "app-00001");
  const { start } = await openBackupDialog(page);
  await start.click();
  await widget(page, "vmb-task-progress").locator("li.vmb-task").waitFor();

  for (const [lang, theme] of [["en", "light"], ["en", "dark"], ["pl", "light"], ["pl", "dark"]]) {
    await switchPortal(page, lang, theme);
    // Dark means dark: the widgets' background is, whatever the portal around them.
    const background = await widget(page, "vmb-vm-table").locator(".vmb-root").evaluate((e) => getComputedStyle(e).backgroundColor);
    const [r, g, b] = background.match(/\d+/g).map(Number);
    assert.equal(r + g + b < 150, theme === "dark", `${lang} ${theme}: background ${background}`);
    // The widget's own panel keeps its content off its edge.
    const history = widget(page, "vmb-backup-history");
    const [panel, title] = await Promise.all([history.locator(".vmb-root").boundingBox(), history.locator(".vmb-history__title").boundingBox()]);
    assert.ok(title.x - panel.x >= 4 && title.y - panel.y >= 4, `the history's title is inset in its panel (${title.x - panel.x}, ${title.y - panel.y})`);
    await shootAll(page, `${lang}-${theme}`);
  }

  // Right to left: the page's direction reaches the widgets, which lay out from the right.
  await page.evaluate(() => document.documentElement.setAttribute("dir", "rtl"));
  for (const [lang, theme] of [["en", "light"], ["pl", "dark"]]) {
    await switchPortal(page, lang, theme);
    for (const tag of Object.keys(PORTAL_WIDGETS)) {
      assert.equal(await widget(page, tag).locator(".vmb-root").evaluate((e) => getComputedStyle(e).direction), "rtl", tag);
    }
    const table = widget(page, "vmb-vm-table");
    const [nameHeader, lastHeader] = await Promise.all([
      table.locator("th").nth(1).boundingBox(),
      table.locator("th").last().boundingBox(),
    ]);
    assert.ok(nameHeader.x > lastHeader.x, "the first columns are on the right");
    // Values keep their reading order inside the mirrored layout: a date's first word is left of its last.
    const order = await widget(page, "vmb-backup-history").locator("table td").first().evaluate((cell) => {
      const text = [...cell.childNodes].find((node) => node.nodeType === Node.TEXT_NODE);
      const range = document.createRange();
      range.setStart(text, 0);
      range.setEnd(text, 2);
      const first = range.getBoundingClientRect().x;
      range.setStart(text, text.length - 2);
      range.setEnd(text, text.length);
      return { text: text.textContent, first, last: range.getBoundingClientRect().x };
    });
    assert.ok(order.first < order.last, `"${order.text}" reads left to right in its cell`);
    // A sentence with a name keeps its word order: "Backups of" before the name, and right-aligned.
    const title = await widget(page, "vmb-backup-history").locator(".vmb-history__title").evaluate((element) => {
      // The sentence is isolated as a whole (<bdi dir> around words and the name's own <bdi class="vmb-name">).
      const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
      let words = walker.nextNode();
      while (words && (!words.textContent.trim() || words.parentElement.closest(".vmb-name"))) words = walker.nextNode();
      const range = document.createRange();
      range.selectNodeContents(words);
      const name = element.querySelector(".vmb-name").getBoundingClientRect();
      return { words: range.getBoundingClientRect().x, name: name.x, gap: element.getBoundingClientRect().right - name.right };
    });
    assert.ok(title.words < title.name && title.gap < 14, `the history's title reads in order at the right: ${JSON.stringify(title)}`);
    // ...and sits at the start (right) side of its cell, like the headers.
    // (The selected VM's row: a language switch keeps the widget, so its search and selection stay.)
    const gap = await widget(page, "vmb-vm-table").locator('tbody tr[aria-selected="true"] td:nth-child(2)').evaluate((cell) => {
      const range = document.createRange();
      range.selectNodeContents(cell);
      return cell.getBoundingClientRect().right - range.getBoundingClientRect().right;
    });
    assert.ok(gap < 14, `the name is right-aligned in its cell (${gap}px from the right edge)`);
    await shootAll(page, `${lang}-${theme}-rtl`);
  }
  watch.assertClean();
});
