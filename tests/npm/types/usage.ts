// Compiled by types.test.mjs with `tsc --noEmit --strict` inside a project that installed the package: the
// contract's calls type-check, and every `@ts-expect-error` below must be needed (were a signature `any`, the
// directive itself would be the error).
import { Client, isVmbackupError } from "vmbackup";
import { Client as AdminClient, nextRuns, validateSchedule } from "vmbackup/admin";

export async function everyDayUse(baseUrl: string): Promise<string[]> {
  const client = new Client({
    baseUrl,
    session: { mode: "login", username: "admin", password: "vPr0tect" },
    credentials: "include",
    timeoutMs: 30_000,
  });
  await client.login();
  const page = await client.listVms({ page: 0, size: 20, sortBy: "name", direction: "ASC" });
  const names: string[] = page.items.map((vm) => vm.name);
  const total: number | null | undefined = page.total;
  if (total === 0) return [];

  const first = page.items[0];
  const policyId: string | undefined = first?.protection.policy?.id;
  if (first && policyId) {
    const policy = await client.getPolicy(policyId);
    const ruleIds: string[] = policy.rules.flatMap((rule) => (rule.id ? [rule.id] : []));
    const submitted = await client.backUp({ vms: [first.id], rules: ruleIds, backupType: "FULL" });
    for (const task of submitted.tasks) {
      const taskId: string = task.id;
      client.trackTask(taskId);
    }
  }

  const stopWatching: () => void = client.onTaskEvent((event) => {
    if (event.type === "ended" && event.task) {
      const progress: number = event.task.progress;
      console.log(event.task.state, progress);
    }
  });
  const stopListening: () => void = client.onSessionExpired(() => client.resume());
  stopWatching();
  stopListening();

  try {
    await client.getVm("missing");
  } catch (error: unknown) {
    if (isVmbackupError(error)) {
      const kind: string = error.kind;
      const status: number | null | undefined = error.status;
      console.log(kind, status, error.message);
    }
  }

  // @ts-expect-error -- baseUrl is a string
  new Client({ baseUrl: 8080, session: { mode: "hostCookie" } });
  // @ts-expect-error -- listVms returns a page, not an array
  (await client.listVms({ page: 0, size: 1 })).map((vm: unknown) => vm);
  // @ts-expect-error -- a VM name is a string
  const wrong: number = page.items[0]!.name;
  console.log(wrong);

  console.log(typeof validateSchedule, typeof nextRuns);
  const administration = new AdminClient({ baseUrl, session: { mode: "hostCookie" } });
  const policies = await administration.listPolicies({ page: 0, size: 5 });
  const policyNames: string[] = policies.items.map((policy) => policy.name);
  const runs: number[] = nextRuns({ timing: { kind: "time", timeOfDayMs: 0, startWindowMs: null }, daysOfWeek: ["MONDAY"] }, 0, 3);
  console.log(policyNames, runs);
  return names;
}
