// Embed demo journey: styles are isolated both ways. The portal's hostile global CSS (www/embed-demo.css: `*`
// fonts with !important, dashed table borders, uppercase buttons, tall divs) does not change the widgets — their
// computed styles are the same as on the same page served with only the portal's theming rule (the `--vmb-*`
// custom properties) — and the widgets do not change the portal: its header, navigation, headings and controls
// compute the same before and after the widgets mount, nothing is added to <head>, and stylesheets are adopted
// only in the widgets' shadow roots.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { BASE_URL, eventually, launchBrowser, TENANT_A } from "./harness.mjs";
import { openBackupDialog, openPortal, resetSimulator, selectVm, signInToPortal } from "./portal-page.mjs";

let browser;
before(async () => {
  await resetSimulator();
  browser = await launchBrowser();
});
after(() => browser?.close());

const PROPERTIES = [
  "font-family",
  "font-size",
  "font-weight",
  "font-style",
  "letter-spacing",
  "text-transform",
  "line-height",
  "color",
  "background-color",
  "padding-top",
  "padding-right",
  "padding-bottom",
  "padding-left",
  "border-top-width",
  "border-top-style",
  "border-top-color",
  "border-left-width",
  "border-left-style",
  "border-top-left-radius",
  "text-decoration-line",
  "box-sizing",
];

/** Widget elements to compare: [custom element, selector in its shadow root]. */
const WIDGET_PARTS = [
  ["vmb-vm-table", ".vmb-root"],
  ["vmb-vm-table", "input.vmb-input"],
  ["vmb-vm-table", "th"],
  ["vmb-vm-table", "th .vmb-sort"],
  ["vmb-vm-table", "tbody tr[aria-rowindex='2'] td:nth-child(2)"],
  ["vmb-vm-table", "tbody tr[aria-rowindex='2'] input[type=checkbox]"],
  ["vmb-vm-table", ".vmb-table-scroll"],
  ["vmb-backup-button", ".vmb-backup-open"],
  ["vmb-backup-button", "dialog.vmb-backup-dialog"],
  ["vmb-backup-button", "dialog .vmb-dialog__title"],
  ["vmb-backup-button", "dialog .vmb-select"],
  ["vmb-backup-button", "dialog .vmb-backup-submit"],
  ["vmb-backup-button", "dialog .vmb-dialog__actions .vmb-button:not(.vmb-button--primary)"],
  ["vmb-task-progress", ".vmb-task-progress p"],
  ["vmb-backup-history", ".vmb-history__title"],
  ["vmb-backup-history", "table th"],
  ["vmb-backup-history", "table td"],
  ["vmb-backup-history", ".vmb-badge"],
  ["vmb-restore-dialog", ".vmb-restore__open"],
  ["vmb-schedule-form", ".vmb-heading"],
  ["vmb-schedule-form", ".vmb-label"],
  ["vmb-schedule-form", "input.vmb-input"],
  ["vmb-schedule-form", "select.vmb-select"],
  ["vmb-schedule-form", "fieldset.vmb-fieldset"],
  ["vmb-schedule-form", "button[type=submit]"],
  ["vmb-policy-panel", ".vmb-heading"],
  ["vmb-policy-panel", ".vmb-policy"],
];

/** The computed `PROPERTIES` of each part (null where the part is missing). */
function widgetStyles(page) {
  return page.evaluate(
    ([parts, properties]) =>
      Object.fromEntries(
        parts.map(([tag, selector]) => {
          const element = document.querySelector(tag)?.shadowRoot?.querySelector(selector);
          if (!element) return [`${tag} ${selector}`, null];
          const style = getComputedStyle(element);
          return [`${tag} ${selector}`, Object.fromEntries(properties.map((p) => [p, style.getPropertyValue(p)]))];
        }),
      ),
    [WIDGET_PARTS, PROPERTIES],
  );
}

/** The laid-out width of each widget's host element, by tag. */
function widgetWidths(page) {
  return page.evaluate((tags) => Object.fromEntries(tags.map((tag) => [tag, document.querySelector(tag)?.getBoundingClientRect().width])), [
    ...new Set(WIDGET_PARTS.map(([tag]) => tag)),
  ]);
}

/** The portal signed in, app-00001 selected (history rows) and the backup dialog open. */
async function portalWithWidgetsShowing(page) {
  await signInToPortal(page, TENANT_A);
  await selectVm(page, "app-00001");
  await page.locator("#portal-history").locator("table td").first().waitFor();
  await openBackupDialog(page);
}

/** The portal's theming rule for the widgets, alone: the last rule of embed-demo.css. */
async function themingRuleOnly() {
  const css = await (await fetch(`${BASE_URL}/embed-demo.css`)).text();
  const start = css.indexOf("vmb-vm-table, vmb-backup-button");
  assert.ok(start > 0, "embed-demo.css has the theming rule for the widgets");
  const rule = css.slice(start, css.indexOf("}", start) + 1);
  assert.match(rule, /--vmb-color-accent/);
  return rule;
}

test("the portal's hostile global CSS does not change the widgets", async () => {
  const hostile = await openPortal(browser);
  await portalWithWidgetsShowing(hostile.page);
  const inPortal = await widgetStyles(hostile.page);
  // The hostile rules are in force on the portal's own elements.
  assert.match(await hostile.page.locator("#portal-theme").evaluate((e) => getComputedStyle(e).fontFamily), /Georgia/);

  const plain = await openPortal(browser, { gotoPage: false });
  const theming = await themingRuleOnly();
  await plain.page.route("**/embed-demo.css", (route) => route.fulfill({ contentType: "text/css", body: theming }));
  await plain.page.reload();
  await portalWithWidgetsShowing(plain.page);
  assert.doesNotMatch(await plain.page.locator("#portal-theme").evaluate((e) => getComputedStyle(e).fontFamily), /Georgia/);
  // The widgets adapt to the room the page gives them (container queries): on the plain page each gets the width
  // the portal's layout gave it, so that only the portal's CSS differs between the two.
  await plain.page.evaluate((widths) => {
    for (const [tag, width] of Object.entries(widths)) {
      const host = document.querySelector(tag);
      if (host) host.style.width = `${width}px`;
    }
  }, await widgetWidths(hostile.page));
  const onPlainPage = await widgetStyles(plain.page);

  for (const [part, style] of Object.entries(onPlainPage)) {
    assert.ok(style, `${part} is on the plain page`);
    assert.deepEqual(inPortal[part], style, `${part} computes the same under the portal's hostile CSS`);
  }
  assert.doesNotMatch(inPortal["vmb-vm-table .vmb-root"]["font-family"], /Georgia/);
  hostile.watch.assertClean();
  plain.watch.assertClean();
  await hostile.context.close();
  await plain.context.close();
});

/** Computed styles of the portal's own elements. */
function portalStyles(page) {
  return page.evaluate((properties) => {
    const selectors = [
      "body",
      ".portal-header",
      ".portal-logo",
      ".portal-header nav a",
      ".portal-header nav a[aria-current]",
      ".portal-user",
      ".portal-main",
      "#portal-login h1",
      "#portal-login-form button",
      "#portal-login-form input",
      "#portal-backups h1",
      "#portal-backups h2",
      "#portal-theme",
      ".portal-note",
      ".portal-footer",
    ];
    return Object.fromEntries(
      selectors.map((selector) => {
        const style = getComputedStyle(document.querySelector(selector));
        return [selector, Object.fromEntries(properties.filter((p) => p !== "display").map((p) => [p, style.getPropertyValue(p)]))];
      }),
    );
  }, PROPERTIES);
}

/** What the page's <head> holds and which stylesheets are adopted where. */
function stylesheetPlaces(page) {
  return page.evaluate(() => ({
    head: [...document.head.children].map((e) => e.outerHTML),
    documentSheets: document.styleSheets.length,
    documentAdopted: document.adoptedStyleSheets.length,
    shadowAdopted: [...document.querySelectorAll("[api-base]")].map((e) => e.shadowRoot?.adoptedStyleSheets.length ?? 0),
    lightDomVmbClasses: document.querySelectorAll("[class*='vmb-']").length,
  }));
}

test("the widgets do not change the portal page", async () => {
  const { page, watch } = await openPortal(browser);
  const before = await portalStyles(page);
  const placesBefore = await stylesheetPlaces(page);
  assert.deepEqual(placesBefore.shadowAdopted, [0, 0, 0, 0, 0, 0, 0], "no widget is mounted before signing in");

  await portalWithWidgetsShowing(page);
  const placesAfter = await stylesheetPlaces(page);
  assert.deepEqual(placesAfter.head, placesBefore.head, "the widgets add nothing to <head>");
  assert.equal(placesAfter.documentSheets, placesBefore.documentSheets, "no stylesheet added to the document");
  assert.equal(placesAfter.documentAdopted, 0, "nothing adopted by the document");
  assert.ok(placesAfter.shadowAdopted.every((n) => n >= 1), `each shadow root adopts the sheet: ${placesAfter.shadowAdopted}`);
  assert.equal(placesAfter.lightDomVmbClasses, 0, "no widget markup in the portal's own DOM");

  const after = await portalStyles(page);
  for (const [selector, style] of Object.entries(before)) {
    assert.deepEqual(after[selector], style, `${selector} computes the same with the widgets mounted`);
  }
  await eventually("a last look: the header still the portal's", async () =>
    (await page.locator(".portal-header").evaluate((e) => getComputedStyle(e).backgroundColor)) === "rgb(59, 47, 47)",
  );
  watch.assertClean();
});
