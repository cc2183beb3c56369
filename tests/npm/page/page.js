// A plain page of a "portal" that already has its own session: it logs in with a plain fetch (the browser keeps
// the cookie), then lists VMs through the package's browser build with `session: { mode: "hostCookie" }`.
// The test drives it through `window.portal` and reads the result from the DOM.
import init, { Client, isVmbackupError } from "vmbackup/web";

const status = document.querySelector("#status");
const list = document.querySelector("#vms");
const expiredNotices = document.querySelector("#expired");

/** Logs the portal user in the way the portal itself would: its own request, its own cookie. */
async function portalLogin(login, password) {
  const response = await fetch("/api/session/login", {
    method: "POST",
    credentials: "include",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ login, password }),
  });
  if (!response.ok) throw new Error(`portal login: ${response.status}`);
}

function show(state, text) {
  status.textContent = text;
  document.body.dataset.state = state;
}

async function listVms(client) {
  try {
    const page = await client.listVms({ page: 0, size: 100 });
    list.replaceChildren(
      ...page.items.map((vm) => {
        const item = document.createElement("li");
        item.textContent = vm.name;
        item.dataset.project = vm.project?.name ?? "";
        return item;
      }),
    );
    show("listed", `${page.items.length} of ${page.total} VMs`);
    return { count: page.items.length, total: page.total };
  } catch (error) {
    show("error", isVmbackupError(error) ? `${error.kind}: ${error.message}` : String(error));
    return { error: isVmbackupError(error) ? error.kind : String(error) };
  }
}

async function main() {
  show("loading", "loading the client");
  await init();
  await portalLogin("tenant-a", "tenant-a-pass");
  const client = new Client({
    baseUrl: `${location.origin}/api`,
    session: { mode: "hostCookie" },
    credentials: "same-origin",
  });
  client.onSessionExpired(() => {
    expiredNotices.textContent = String(Number(expiredNotices.textContent) + 1);
  });
  window.portal = {
    listVms: () => listVms(client),
    loginAgain: async () => {
      await portalLogin("tenant-a", "tenant-a-pass");
      client.resume();
    },
  };
  await listVms(client);
}

main().catch((error) => show("error", `page: ${error}`));
