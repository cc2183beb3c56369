//! The widgets' stylesheet. It lives in each widget's shadow root (adopted, never added to the host page), so
//! host rules cannot reach in and these rules cannot leak out; every class is still prefixed `vmb-` so that the
//! SPA, which renders without shadow roots, stays safe too. Colours, radii and fonts come from `--vmb-*` custom
//! properties, which inherit through the shadow boundary: a host themes the widgets by setting them.

/// The stylesheet text: the source below squeezed at compile time (no comments, no runs of white space).
pub const STYLESHEET: &str = match std::str::from_utf8(&SQUEEZED.0) {
    Ok(text) => text,
    Err(_) => panic!("squeezing the stylesheet broke a UTF-8 sequence"),
};

const SQUEEZED_LEN: usize = squeeze::<0>(SOURCE.as_bytes()).1;
const SQUEEZED: ([u8; SQUEEZED_LEN], usize) = squeeze::<SQUEEZED_LEN>(SOURCE.as_bytes());

/// `css` without comments and with each run of white space cut to one space, or to none next to `{`, `}`, `;`
/// and `,` (never inside a quoted string, and never around `+`/`-`, which `calc()` needs spaced): the wasm
/// carries only what the browser reads, ~4 KB less. Returns the first `N` bytes of the result and its full
/// length, so that a first call with `N = 0` measures the array a second call fills.
const fn squeeze<const N: usize>(css: &[u8]) -> ([u8; N], usize) {
    const fn tight(byte: u8) -> bool {
        matches!(byte, b'{' | b'}' | b';' | b',')
    }
    let mut out = [0u8; N];
    let mut len = 0;
    let mut i = 0;
    let mut previous = b'{'; // as if after a block: no leading space
    let mut space = false;
    while i < css.len() {
        let byte = css[i];
        if byte == b'/' && i + 1 < css.len() && css[i + 1] == b'*' {
            i += 2;
            while i + 1 < css.len() && !(css[i] == b'*' && css[i + 1] == b'/') {
                i += 1;
            }
            i += 2;
            space = true;
            continue;
        }
        if byte.is_ascii_whitespace() {
            space = true;
            i += 1;
            continue;
        }
        if space && !tight(previous) && !tight(byte) {
            if len < N {
                out[len] = b' ';
            }
            len += 1;
        }
        space = false;
        if byte == b'"' || byte == b'\'' {
            // A quoted string is copied as it is, up to its closing quote.
            let mut end = i + 1;
            while end < css.len() && css[end] != byte {
                if css[end] == b'\\' {
                    end += 1;
                }
                end += 1;
            }
            end += 1;
            while i < end && i < css.len() {
                if len < N {
                    out[len] = css[i];
                }
                len += 1;
                i += 1;
            }
        } else {
            if len < N {
                out[len] = byte;
            }
            len += 1;
            i += 1;
        }
        previous = css[i - 1];
    }
    (out, len)
}

/// The stylesheet as written, with comments for its readers.
const SOURCE: &str = r#"
/* No `contain` here: it would pin the toasts' `position: fixed` to the widget instead of the viewport. */
:host { all: initial; display: block; }
.vmb-root {
  --vmb-font: var(--vmb-font-family, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif);
  --vmb-bg: var(--vmb-color-background, #ffffff);
  --vmb-fg: var(--vmb-color-text, #1d2330);
  --vmb-muted: var(--vmb-color-muted, #5b6474);
  --vmb-border: var(--vmb-color-border, #d5d9e0);
  --vmb-accent: var(--vmb-color-accent, #0b62d6);
  --vmb-accent-fg: var(--vmb-color-accent-text, #ffffff);
  /* Dark enough for small text (badges) on the selected row's tint too: at least 4.5:1 there. */
  --vmb-ok: var(--vmb-color-success, #17692f);
  --vmb-warn: var(--vmb-color-warning, #8a5600);
  --vmb-danger: var(--vmb-color-danger, #c62828);
  --vmb-row-hover: var(--vmb-color-row-hover, #f1f4f9);
  --vmb-row-selected: var(--vmb-color-row-selected, #e3edfd);
  --vmb-r: var(--vmb-radius, 6px);
  --vmb-gap: var(--vmb-spacing, 8px);
  --vmb-focus: var(--vmb-color-focus, #0b62d6);
  font-family: var(--vmb-font); font-size: var(--vmb-font-size, 14px); line-height: 1.45;
  color: var(--vmb-fg); background: var(--vmb-bg); box-sizing: border-box; text-align: start;
  /* Native controls (checkboxes, radios, the time picker's icon, scrollbars) follow the widget's theme. */
  color-scheme: light;
  /* A host rule on the element itself (`* { letter-spacing: … }`) wins over `:host`, and inherited text
     properties would carry it in: set them all here. Direction stays inherited, for right-to-left pages. */
  font-style: normal; font-weight: 400; font-variant: normal; font-stretch: normal; font-feature-settings: normal;
  letter-spacing: normal; word-spacing: normal; text-transform: none; text-indent: 0; text-shadow: none;
  white-space: normal; word-break: normal; overflow-wrap: normal; hyphens: manual; cursor: auto;
}
.vmb-root[data-theme="dark"] {
  color-scheme: dark;
  --vmb-bg: var(--vmb-color-background, #161a22);
  --vmb-fg: var(--vmb-color-text, #e6e9ef);
  --vmb-muted: var(--vmb-color-muted, #a3abb9);
  --vmb-border: var(--vmb-color-border, #394150);
  --vmb-accent: var(--vmb-color-accent, #5b9dff);
  --vmb-accent-fg: var(--vmb-color-accent-text, #0b1220);
  --vmb-ok: var(--vmb-color-success, #5fd08a);
  --vmb-warn: var(--vmb-color-warning, #f0b44c);
  --vmb-danger: var(--vmb-color-danger, #ff7b7b);
  --vmb-row-hover: var(--vmb-color-row-hover, #202634);
  --vmb-row-selected: var(--vmb-color-row-selected, #1d2c47);
  --vmb-focus: var(--vmb-color-focus, #8ab8ff);
}
/* Embedded, a widget paints its own background (a dark one on a light page too): an inset keeps its content off
   the edge of that panel. (The SPA's root, not in a shadow root, is laid out by the app.) */
:host > .vmb-root { padding: var(--vmb-gap); border-radius: var(--vmb-r); }
.vmb-root *, .vmb-root *::before, .vmb-root *::after { box-sizing: inherit; }
/* Right-to-left pages: the widgets mirror (they take the page's direction), while text in them takes its direction
   from its own first letter. The catalog's languages and most values read left to right, so a sentence keeps its
   full stop at its end, a title its colon ("Kopia zapasowa: ci-01", not "ci-01 :Kopia zapasowa") and a date its
   day first, whichever element holds them, and the text stays aligned to the page's start side. Every element
   holding a sentence (text and phrasing elements such as a name's <bdi>), and the sentences that hold a name
   beside their words; not containers of blocks or controls (a radio group) nor a summary (its marker), whose
   parts must still line up from the right. Zero specificity: a part that sets these itself (a name's `isolate`)
   wins; an element with its own `dir` (a value the widget formatted, such as "0 %") keeps it. */
:where(.vmb-root *:not([dir], summary, :has(> :is(div, p, ul, ol, li, dl, table, section, fieldset, form, details,
  dialog, nav, h1, h2, h3, h4, label, input, select, textarea, button)))),
:where(.vmb-root :is(p, h2, h3, .vmb-history__title, .vmb-restore__prompt):not([dir])) { unicode-bidi: plaintext; }
:where(.vmb-root, .vmb-root *):dir(rtl) { text-align: right; }
:is(.vmb-table th, .vmb-table td):dir(rtl) { text-align: right; }
.vmb-root :focus-visible { outline: 2px solid var(--vmb-focus); outline-offset: 2px; }
.vmb-sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
.vmb-toolbar { display: flex; flex-wrap: wrap; gap: var(--vmb-gap); align-items: center; margin-block-end: var(--vmb-gap); }
.vmb-input, .vmb-select { font: inherit; color: var(--vmb-fg); background: var(--vmb-bg);
  border: 1px solid var(--vmb-border); border-radius: var(--vmb-r); padding: 6px 8px; min-height: 32px; }
.vmb-input[aria-invalid="true"], .vmb-select[aria-invalid="true"] { border-color: var(--vmb-danger); }
.vmb-button { font: inherit; cursor: pointer; border-radius: var(--vmb-r); padding: 6px 12px; min-height: 32px;
  border: 1px solid var(--vmb-border); background: var(--vmb-bg); color: var(--vmb-fg); }
.vmb-button:hover:not(:disabled) { background: var(--vmb-row-hover); }
.vmb-button:disabled { opacity: .55; cursor: not-allowed; }
.vmb-button--primary { background: var(--vmb-accent); border-color: var(--vmb-accent); color: var(--vmb-accent-fg); }
.vmb-button--primary:hover:not(:disabled) { background: var(--vmb-accent); filter: brightness(1.08); }
.vmb-button--danger { color: var(--vmb-danger); border-color: var(--vmb-danger); }
.vmb-field { display: flex; flex-direction: column; gap: 4px; margin-block-end: var(--vmb-gap); }
.vmb-label { font-weight: 600; }
.vmb-hint { color: var(--vmb-muted); font-size: .92em; }
.vmb-field-error { color: var(--vmb-danger); font-size: .92em; }
.vmb-alert { border: 1px solid var(--vmb-border); border-inline-start: 4px solid var(--vmb-danger);
  border-radius: var(--vmb-r); padding: var(--vmb-gap); margin-block: var(--vmb-gap); display: flex;
  gap: var(--vmb-gap); align-items: center; flex-wrap: wrap; }
.vmb-alert--info { border-inline-start-color: var(--vmb-accent); }
.vmb-alert__detail { color: var(--vmb-muted); font-size: .9em; }
.vmb-muted { color: var(--vmb-muted); }
.vmb-badge { display: inline-block; border-radius: 999px; padding: 1px 8px; font-size: .85em;
  border: 1px solid currentColor; }
.vmb-badge--ok { color: var(--vmb-ok); } .vmb-badge--warn { color: var(--vmb-warn); }
.vmb-badge--danger { color: var(--vmb-danger); } .vmb-badge--muted { color: var(--vmb-muted); }
.vmb-table-scroll { overflow: auto; border: 1px solid var(--vmb-border); border-radius: var(--vmb-r);
  position: relative; }
.vmb-table { border-collapse: separate; border-spacing: 0; width: 100%; }
.vmb-table th, .vmb-table td { padding: 0 10px; height: 36px; text-align: start; white-space: nowrap;
  overflow: hidden; text-overflow: ellipsis; max-width: 24em; border-block-end: 1px solid var(--vmb-border); }
.vmb-table thead th { position: sticky; top: 0; background: var(--vmb-bg); z-index: 1; font-weight: 600; }
.vmb-table tbody tr:hover { background: var(--vmb-row-hover); }
.vmb-table tbody tr[aria-selected="true"] { background: var(--vmb-row-selected); }
.vmb-sort { font: inherit; font-weight: 600; background: none; border: 0; color: inherit; cursor: pointer; padding: 0; }
.vmb-pager { display: flex; gap: var(--vmb-gap); align-items: center; justify-content: flex-end; margin-block-start: var(--vmb-gap); }
.vmb-dialog { border: 1px solid var(--vmb-border); border-radius: var(--vmb-r); padding: calc(var(--vmb-gap) * 2);
  background: var(--vmb-bg); color: var(--vmb-fg); max-width: 34em; box-shadow: 0 8px 30px rgba(0,0,0,.25); }
.vmb-dialog__title { font-size: 1.15em; margin: 0 0 var(--vmb-gap); }
.vmb-dialog__actions { display: flex; gap: var(--vmb-gap); justify-content: flex-end; margin-block-start: var(--vmb-gap); }
.vmb-progress { width: 100%; height: 10px; border-radius: 999px; background: var(--vmb-border); overflow: hidden; }
.vmb-progress__bar { height: 100%; background: var(--vmb-accent); transition: width .4s ease; }
.vmb-progress__bar--failed { background: var(--vmb-danger); } .vmb-progress__bar--finished { background: var(--vmb-ok); }
.vmb-task { border: 1px solid var(--vmb-border); border-radius: var(--vmb-r); padding: var(--vmb-gap);
  margin-block-end: var(--vmb-gap); display: grid; gap: 4px; }
.vmb-task__head { display: flex; gap: var(--vmb-gap); justify-content: space-between; align-items: center; flex-wrap: wrap; }
.vmb-toast { position: fixed; inset-block-end: 16px; inset-inline-end: 16px; z-index: 10; }
.vmb-list { list-style: none; margin: 0; padding: 0; }
/* ScheduleForm */
.vmb-schedule-form .vmb-heading, .vmb-policy-panel .vmb-heading { font-size: 1.15em; margin: 0 0 var(--vmb-gap); }
.vmb-schedule-form .vmb-subheading, .vmb-policy-panel .vmb-subheading { font-size: 1em; margin: var(--vmb-gap) 0 4px; }
.vmb-schedule-form .vmb-field-row { display: flex; flex-wrap: wrap; gap: calc(var(--vmb-gap) * 2); }
.vmb-schedule-form .vmb-field-row > .vmb-field { flex: 1 1 12em; }
.vmb-schedule-form .vmb-fieldset { border: 1px solid var(--vmb-border); border-radius: var(--vmb-r);
  padding: var(--vmb-gap); margin: 0 0 var(--vmb-gap); }
.vmb-schedule-form .vmb-check-grid { display: flex; flex-wrap: wrap; gap: 4px calc(var(--vmb-gap) * 2); }
.vmb-schedule-form .vmb-check { display: inline-flex; align-items: center; gap: 6px; min-height: 28px; }
.vmb-schedule-form .vmb-details { margin-block-end: var(--vmb-gap); }
.vmb-schedule-form .vmb-details > summary { cursor: pointer; margin-block-end: var(--vmb-gap); }
.vmb-schedule-preview { border-block-start: 1px solid var(--vmb-border); padding-block-start: var(--vmb-gap); }
.vmb-schedule-runs { margin: 0; padding-inline-start: 1.5em; }
.vmb-schedule-runs li { padding-block: 2px; }
/* Under dir=rtl the number stays on the right but reads "1." (an rtl marker showed ".1"); the gap to the text
   then comes before the number. */
.vmb-schedule-runs li:dir(rtl)::marker { content: " " counter(list-item) "."; direction: ltr; unicode-bidi: isolate; }
.vmb-schedule-form .vmb-form-actions { display: flex; flex-wrap: wrap; gap: var(--vmb-gap); align-items: center;
  margin-block-start: var(--vmb-gap); }
.vmb-schedule-form .vmb-status, .vmb-policy-panel .vmb-status { color: var(--vmb-ok); min-height: 1.45em; margin: 0; }
.vmb-confirm { margin-block: var(--vmb-gap); }
/* PolicyPanel */
.vmb-policy { border: 1px solid var(--vmb-border); border-radius: var(--vmb-r); margin-block-end: var(--vmb-gap); }
.vmb-policy__head { display: flex; flex-wrap: wrap; gap: var(--vmb-gap); align-items: center; padding: 4px var(--vmb-gap); }
.vmb-policy__toggle { font: inherit; font-weight: 600; background: none; border: 0; color: inherit; cursor: pointer;
  padding: 4px 0; text-align: start; min-height: 32px; }
.vmb-policy__body { padding: 0 var(--vmb-gap) var(--vmb-gap); border-block-start: 1px solid var(--vmb-border); }
.vmb-rule { padding-block: 4px; border-block-end: 1px solid var(--vmb-border); }
.vmb-rule:last-child { border-block-end: 0; }
.vmb-rule__name { font-weight: 600; }
.vmb-vm-list { max-height: 20em; overflow: auto; margin-block: 4px; }
.vmb-vm-list__item { display: flex; flex-wrap: wrap; gap: var(--vmb-gap); align-items: center; padding-block: 2px; }
.vmb-vm-list__item > span:first-child { flex: 1 1 12em; overflow-wrap: anywhere; }
.vmb-policy-panel .vmb-input[type="search"] { width: 100%; max-width: 24em; }
/* BackupButton */
.vmb-backup-dialog, .vmb-task-confirm { width: min(34em, calc(100vw - 32px)); }
.vmb-backup-dialog::backdrop, .vmb-task-confirm::backdrop { background: var(--vmb-color-backdrop, rgba(0, 0, 0, .35)); }
.vmb-backup-vms { max-height: 8em; overflow: auto; }
.vmb-backup-vms li, .vmb-task__title, .vmb-task__info { overflow-wrap: anywhere; }
.vmb-backup-explanation { margin: 0 0 var(--vmb-gap); }
.vmb-backup-result > p { margin: 0 0 4px; }
/* TaskProgress */
.vmb-task-list { margin-block-start: var(--vmb-gap); }
.vmb-task__meta { display: flex; flex-wrap: wrap; gap: 4px calc(var(--vmb-gap) * 2); font-size: .92em; }
.vmb-task__info { font-size: .92em; }
.vmb-task__actions { display: flex; justify-content: flex-end; }
.vmb-task-toasts { display: grid; gap: var(--vmb-gap); max-width: min(28em, calc(100% - 32px)); }
.vmb-task-toasts:empty { display: none; }
.vmb-task-toast { background: var(--vmb-bg); margin: 0; box-shadow: 0 4px 16px rgba(0, 0, 0, .2); }
/* BackupHistory */
.vmb-history__title { font-weight: 600; margin-block-end: var(--vmb-gap); overflow-wrap: anywhere; }
.vmb-history__table td { height: auto; padding-block: 6px; vertical-align: top; }
.vmb-history__row--chosen { background: var(--vmb-row-selected); }
.vmb-history__info { white-space: normal; max-width: 20em; }
.vmb-history__actions { text-align: end; }
/* The history fits its place without scrolling sideways, whatever the width. Its cells may wrap (a date after its
   comma, a copy's "name · role" at the dot): a table takes its text's natural width where there is room and
   wraps only where there is not (a partly successful backup's row is 895 px on one line). Narrower, the padding
   gets smaller and then the backup type, the column a user needs least, gives way. */
.vmb-history__table th, .vmb-history__table td { white-space: normal; max-width: none; }
.vmb-history__table .vmb-badge, .vmb-history__table td.vmb-history__size { white-space: nowrap; }
/* "25 lis 2026," over "22:56", not a word a line, whatever the padding. */
.vmb-history__table td.vmb-history__time { min-width: 7em; box-sizing: content-box; }
.vmb-history { container-type: inline-size; }
/* Each step leaves 10 px or more to spare for the simulator's longest Polish rows: 676 px wide with all columns,
   609 px with less padding, 514 px without the type. */
@container (max-width: 50em) {
  .vmb-history__table :is(th, td) { padding-inline: 5px; }
  .vmb-history__actions .vmb-button { padding-inline: 8px; }
}
@container (max-width: 44em) {
  .vmb-history__table :is(th, td):nth-child(2) { display: none; }
}
/* A phone or a narrow pane (under ~530 px): no row of columns fits ("Częściowo udana" beside "Przywróć…" needs
   514 px), so each row becomes a small card at the full text size: time and size on its first line, the status
   and its reason beneath, the copies beside the Restore button. The header stays for screen readers only; the
   widget gives the table's parts explicit roles, as a browser drops the table semantics of a part whose `display`
   changes. The size and the button shrink to their content at the line's end, so a right-to-left page mirrors. */
@container (max-width: 38em) {
  .vmb-history__table, .vmb-history__table tbody { display: block; }
  .vmb-history__table thead { display: block; position: absolute; width: 1px; height: 1px; overflow: hidden;
    clip-path: inset(50%); white-space: nowrap; }
  .vmb-history__table tbody tr { display: grid; grid-template-columns: minmax(0, 1fr) auto;
    grid-template-areas: "time size" "status status" "copies actions"; gap: 4px var(--vmb-gap);
    padding: 8px var(--vmb-gap); border-block-end: 1px solid var(--vmb-border); }
  .vmb-history__table tbody tr:last-child { border-block-end: 0; }
  /* Visible overflow: the button's focus ring is not cut off. */
  .vmb-history__table td { padding: 0; border: 0; min-width: 0; overflow: visible; }
  .vmb-history__table td.vmb-history__time { grid-area: time; min-width: 0; }
  .vmb-history__table td.vmb-history__size { grid-area: size; justify-self: end; }
  .vmb-history__table td.vmb-history__status { grid-area: status; }
  .vmb-history__table td.vmb-history__copies { grid-area: copies; overflow-wrap: anywhere; }
  .vmb-history__table td.vmb-history__actions { grid-area: actions; justify-self: end; align-self: end; }
}
/* VmTable: beside a details pane (the SPA's dashboard at 1280 px gives it ~730 px) the table fits without
   scrolling sideways: smaller text and padding, headers on two lines, and the free-text columns are cut short
   (the full text is the cell's title); narrower still, the columns a user needs least give way: the hypervisor first, then project,
   policy and presence. Rows keep one line: the virtual scroller counts on their fixed height. */
.vmb-vm-table { container-type: inline-size; }
.vmb-vm-table .vmb-table td:nth-child(2) { max-width: 16em; }
@container (max-width: 72em) {
  .vmb-vm-table .vmb-table { font-size: .92em; }
  .vmb-vm-table .vmb-table :is(th, td) { padding-inline: 6px; }
  /* A two-word header takes two lines, still within the row's height. */
  .vmb-vm-table .vmb-table th { white-space: normal; line-height: 1.2; }
  .vmb-vm-table .vmb-table td:nth-child(2) { max-width: 9em; }
  .vmb-vm-table .vmb-table td:is(:nth-child(3), :nth-child(4)) { max-width: 8em; }
  .vmb-vm-table .vmb-table td:nth-child(5) { max-width: 7em; }
}
@container (max-width: 50em) {
  .vmb-vm-table .vmb-table :is(th, td):nth-child(4) { display: none; }
}
@container (max-width: 40em) {
  .vmb-vm-table .vmb-table :is(th, td):is(:nth-child(3), :nth-child(5), :nth-child(8)) { display: none; }
}
.vmb-name { unicode-bidi: isolate; overflow-wrap: anywhere; }
/* The task a cancel confirmation is about, on a line of its own above the question. */
.vmb-task-confirm__about { display: block; margin-block-end: 4px; }
/* RestoreDialog */
.vmb-restore__dialog { width: min(38em, calc(100vw - 32px)); max-height: calc(100vh - 32px); overflow: auto; }
.vmb-restore__dialog::backdrop { background: var(--vmb-color-backdrop, rgba(0, 0, 0, .35)); }
.vmb-restore__dialog:focus { outline: none; }
.vmb-restore__dialog .vmb-dialog__title { overflow-wrap: anywhere; }
.vmb-restore__kind { border: 0; padding: 0; margin-inline: 0; display: flex; flex-wrap: wrap; gap: 4px calc(var(--vmb-gap) * 2); }
.vmb-restore__kind legend { padding: 0; margin-block-end: 4px; }
.vmb-restore__summary { border: 1px solid var(--vmb-border); border-radius: var(--vmb-r); padding: var(--vmb-gap);
  margin-block: var(--vmb-gap); }
.vmb-restore__summary-title { font-size: 1em; margin: 0 0 4px; }
.vmb-restore__facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px var(--vmb-gap); margin: 0; }
.vmb-restore__facts dt { color: var(--vmb-muted); }
.vmb-restore__facts dd { margin: 0; overflow-wrap: anywhere; }
.vmb-restore__outcome { margin: var(--vmb-gap) 0 0; font-weight: 600; overflow-wrap: anywhere; }
.vmb-restore__prompt { font-weight: 400; overflow-wrap: anywhere; }
.vmb-restore__prompt .vmb-name { font-weight: 600; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; }
.vmb-restore__status { margin-block-start: var(--vmb-gap); max-width: 34em; }
.vmb-restore__progress { display: grid; gap: 4px; margin-block: var(--vmb-gap); }
.vmb-restore__stage, .vmb-restore__message { margin: 0; overflow-wrap: anywhere; }
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stylesheet_is_squeezed_without_changing_what_it_says() {
        let css = b"/* why */ .a ,  .b > c {\n  content: \"  \" x;\n  width: calc(1px + 2px); /* more */\n}\n";
        let (out, len) = squeeze::<64>(css);
        assert_eq!(std::str::from_utf8(&out[..len]), Ok(".a,.b > c{content: \"  \" x;width: calc(1px + 2px);}"));
        assert_eq!(squeeze::<0>(css).1, len, "the measuring pass counts what the filling pass writes");
        assert!(!STYLESHEET.contains("/*") && !STYLESHEET.contains('\n') && !STYLESHEET.contains("  "));
        assert!(STYLESHEET.contains(".vmb-root{") && STYLESHEET.len() < SOURCE.len() * 4 / 5, "{}", STYLESHEET.len());
    }
}
