// Must NOT compile: types.test.mjs checks that tsc reports an error on every line marked MISUSE, proving that the
// package's types are real types and not `any`.
import { Client } from "vmbackup";
import { mount } from "vmbackup/widgets";

export async function misuse(): Promise<void> {
  const client = new Client({ baseUrl: "http://127.0.0.1:8080/api", session: { mode: "hostCookie" } });
  const page = await client.listVms({ page: 0, size: 20 });
  const count: string = page.items.length; // MISUSE
  const vm = page.items[0]!;
  vm.noSuchField.toString(); // MISUSE
  await client.getVm(42); // MISUSE
  await client.backUp({ vms: "one-vm", rules: [], backupType: "FULL" }); // MISUSE
  new Client({ baseUrl: "x", session: { mode: "password" } }); // MISUSE
  client.trackTask(); // MISUSE
  await client.listPolicies(); // MISUSE
  console.log(count);
}

export function misuseWidgets(host: HTMLElement): void {
  mount(host, "vm-tabel"); // MISUSE
  mount(host, "vm-table", { theme: "purple" }); // MISUSE
  mount(host, "vm-table", { apiBase: 8080 }); // MISUSE
  mount(host, "vm-table").setTheme("blue"); // MISUSE
  host.addEventListener("vmb-backup-started", (event) => event.detail.taskId); // MISUSE
  host.addEventListener("vmb-error", (event) => event.detail.kind === "notAKind"); // MISUSE
}
