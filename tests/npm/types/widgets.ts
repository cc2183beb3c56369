// The widgets entry as a portal's TypeScript uses it: typed mount options, widget names and `vmb-*` event details.
import init, { defineElements, mount, resumeSession, type MountOptions, type WidgetName } from "vmbackup/widgets";

export async function inThePortal(host: HTMLElement): Promise<string[]> {
  await init();
  defineElements();
  const options: MountOptions = { apiBase: "/api", vm: "vm-1", lang: "pl", theme: "dark", credentials: "same-origin" };
  const name: WidgetName = "backup-history";
  const handle = mount(host, name, options);
  mount(host, "vm-table");
  handle.setTheme("auto");
  handle.setLang("en-GB");
  const started: string[] = [];
  host.addEventListener("vmb-backup-started", (event) => {
    started.push(...event.detail.taskIds, ...event.detail.vmIds);
    if (event.detail.recovered) started.push("recovered");
  });
  document.addEventListener("vmb-error", (event) => {
    const status: number | null = event.detail.status;
    if (event.detail.kind === "forbidden") started.push(`${status ?? ""} ${event.detail.message}`);
  });
  document.addEventListener("vmb-session-expired", () => resumeSession("/api"));
  const table: HTMLElement = document.createElement("vmb-vm-table");
  table.setAttribute("api-base", "/api");
  handle.unmount();
  return started;
}
