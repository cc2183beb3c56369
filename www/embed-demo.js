// Nimbus Cloud's page script: it signs the user in with its own form (a credentialed fetch to the backup API
// behind the portal's proxy), then embeds the vmbackup widgets, which use that same cookie session.
import init, { defineElements, resumeSession } from "./vmbackup/widgets/vmbackup_widgets.js";

const $ = (id) => document.getElementById(id);

function activity(text) {
  const item = document.createElement("li");
  item.textContent = `${new Date().toLocaleTimeString()} — ${text}`; // text, never markup
  item.dir = "auto"; // the portal's English lines keep their order on a right-to-left page
  $("portal-activity").prepend(item);
}

async function signIn(username, password) {
  const response = await fetch("/api/session/login", {
    method: "POST",
    credentials: "include",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({ login: username, password }),
  });
  if (!response.ok) throw new Error(response.status === 401 ? "Wrong user name or password." : `HTTP ${response.status}`);
}

let expiryShown = false;

function showBackups(username) {
  expiryShown = false;
  // The widgets start working once the user is signed in: defining the elements then spares the server a
  // round of unauthenticated requests (calling it again is harmless).
  defineElements();
  $("portal-login").hidden = true;
  $("portal-backups").hidden = false;
  $("portal-user").textContent = `Signed in as ${username}`;
}

$("portal-login-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  $("portal-login-error").textContent = "";
  try {
    await signIn(form.get("username"), form.get("password"));
    showBackups(form.get("username"));
    resumeSession("/api"); // widgets that met an expired session carry on, and learn who is signed in now
  } catch (error) {
    $("portal-login-error").textContent = error.message;
  }
});

// The widgets talk to the page through DOM events that bubble out of their shadow roots.
document.addEventListener("vmb-selection-changed", (event) => {
  const vm = event.detail.vmIds.at(-1) ?? "";
  $("portal-restore").removeAttribute("backup"); // a backup chosen for the previous VM
  for (const id of ["portal-backup-button", "portal-history", "portal-restore", "portal-policy"]) {
    $(id).setAttribute("vm", vm);
  }
});
// "Restore…" on a backup in the history: the restore widget preselects that backup.
document.addEventListener("vmb-backup-selected", (event) => {
  const { backupId, vmId } = event.detail;
  if (vmId) $("portal-restore").setAttribute("vm", vmId);
  $("portal-restore").setAttribute("backup", backupId);
  $("portal-restore").scrollIntoView({ block: "nearest" });
  activity("Backup chosen: press Restore… below the history to restore it");
});
document.addEventListener("vmb-backup-started", (event) => activity(`Backup started: ${event.detail.taskIds.length} task(s)`));
document.addEventListener("vmb-restore-started", () => activity("Restore started"));
document.addEventListener("vmb-task-finished", (event) => activity(`Task ${event.detail.state.toLowerCase()}`));
document.addEventListener("vmb-error", (event) => activity(`Error: ${event.detail.message}`));
// Every widget on the page reports the expiry it meets; the portal tells the user once.
document.addEventListener("vmb-session-expired", () => {
  if (expiryShown) return;
  expiryShown = true;
  activity("Session expired: please sign in again");
  $("portal-login").hidden = false;
});

for (const [control, attribute] of [["portal-theme", "theme"], ["portal-lang", "lang"]]) {
  $(control).addEventListener("change", (event) => {
    for (const widget of document.querySelectorAll("[api-base]")) widget.setAttribute(attribute, event.target.value);
  });
}

await init();
// Already signed in (a reload keeps the portal's session)?
const current = await fetch("/api/session/user", { credentials: "include" });
if (current.ok) showBackups("you");
