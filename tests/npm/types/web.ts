// The plain-browser entry: `init()` first, then the same Client.
import init, { Client } from "vmbackup/web";

export async function inThePage(): Promise<number> {
  await init();
  const client = new Client({ baseUrl: "/api", session: { mode: "hostCookie" }, credentials: "same-origin" });
  const page = await client.listVms({ page: 0, size: 20 });
  return page.items.length;
}
