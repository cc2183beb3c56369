// The package as a Node user gets it: installed from its .tgz into a new project, imported with `import` and
// with `require`, and driven through a whole session against the simulator.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { after, before, describe, test } from "node:test";

import {
  admin,
  apiBase,
  backupCandidates,
  countByPathPrefix,
  installPackageInNewProject,
  isEndedState,
  simControl,
  simRequests,
  sleep,
  withTimeout,
} from "./helpers.mjs";

/** Names the contract promises on the package's main entry (the everyday client). */
const EXPORTED_FUNCTIONS = ["Client", "isVmbackupError", "validateBackup"];
/** What `vmbackup/admin` adds: the schedule helpers and validators. */
const ADMIN_FUNCTIONS = ["validateSchedule", "validatePolicy", "validateRule", "scheduleToServer", "scheduleFromServer", "nextRuns", "nextRunsLocal"];
/** Client methods of `vmbackup/admin` only: policy, rule and schedule administration, destinations. */
const ADMIN_METHODS = ["listPolicies", "createPolicy", "assignVms", "createRule", "listSchedules", "createSchedule", "listBackupDestinations"];
/** Client methods both entries have. */
const EVERYDAY_METHODS = ["login", "listVms", "getPolicy", "policiesForVms", "backUp", "restore", "trackTask", "onTaskEvent"];

let project;

before(async () => {
  project = await installPackageInNewProject();
  await simControl("POST", "reset");
});

after(async () => {
  await project?.remove();
});

/** Resolves with the first event of `client.onTaskEvent` that `matches`, and unsubscribes. */
function nextTaskEvent(client, matches) {
  return new Promise((resolve) => {
    const unsubscribe = client.onTaskEvent((event) => {
      if (matches(event)) {
        unsubscribe();
        resolve(event);
      }
    });
  });
}

/** Asserts that `promise` rejects with a VmbackupError of `kind`, and returns the error. */
async function rejectsWithKind(api, promise, kind) {
  let caught;
  await assert.rejects(promise, (error) => {
    caught = error;
    return true;
  });
  assert.ok(api.isVmbackupError(caught), `expected a VmbackupError, got ${caught}`);
  assert.ok(caught instanceof Error, "a VmbackupError is an Error");
  assert.equal(caught.name, "VmbackupError");
  assert.equal(caught.kind, kind, `${caught.kind}: ${caught.message}`);
  assert.equal(typeof caught.message, "string");
  assert.ok(Array.isArray(caught.fields), "fields is an array");
  return caught;
}

describe("installing the .tgz", () => {
  test("import and require load the same API", () => {
    for (const name of EXPORTED_FUNCTIONS) {
      assert.equal(typeof project.esm[name], "function", `import { ${name} }`);
      assert.equal(typeof project.cjs[name], "function", `require(...).${name}`);
    }
  });

  test("vmbackup/admin has the whole API through import and require; the main entry leaves administration out", () => {
    for (const name of [...EXPORTED_FUNCTIONS, ...ADMIN_FUNCTIONS]) {
      assert.equal(typeof project.adminEsm[name], "function", `import { ${name} } from "vmbackup/admin"`);
      assert.equal(typeof project.adminCjs[name], "function", `require("vmbackup/admin").${name}`);
    }
    for (const name of ADMIN_FUNCTIONS) {
      assert.equal(project.esm[name], undefined, `${name} is not on the main entry`);
    }
    for (const method of EVERYDAY_METHODS) {
      assert.equal(typeof project.esm.Client.prototype[method], "function", `main Client.${method}`);
      assert.equal(typeof project.adminEsm.Client.prototype[method], "function", `admin Client.${method}`);
    }
    for (const method of ADMIN_METHODS) {
      assert.equal(typeof project.adminEsm.Client.prototype[method], "function", `admin Client.${method}`);
      assert.equal(project.esm.Client.prototype[method], undefined, `main Client.${method} is left out`);
    }
  });

  test("the exports map resolves the browser builds, their wasm and package.json", () => {
    for (const specifier of [
      "vmbackup/web",
      "vmbackup/web/vmbackup_bg.wasm",
      "vmbackup/admin/web",
      "vmbackup/admin/web/vmbackup_admin_bg.wasm",
      "vmbackup/package.json",
    ]) {
      const path = project.requireFromProject.resolve(specifier);
      assert.ok(existsSync(path), `${specifier} -> ${path}`);
    }
    const manifest = project.requireFromProject("vmbackup/package.json");
    assert.equal(manifest.name, "vmbackup");
    assert.ok(manifest.sideEffects !== true, "sideEffects is declared");
    assert.throws(() => project.requireFromProject.resolve("vmbackup/node/vmbackup_bg.wasm"), /not exported|ERR_PACKAGE_PATH_NOT_EXPORTED/i);
  });
});

for (const view of ["esm", "cjs"]) {
  describe(`login mode through ${view === "esm" ? "import" : "require"}`, () => {
    let api;
    let client;

    before(() => {
      api = project[view];
      client = new api.Client({ baseUrl: apiBase, session: { mode: "login", ...admin }, timeoutMs: 20_000 });
    });

    test("logs in and lists VMs with a total", async () => {
      const session = await client.login();
      assert.ok(session && typeof session === "object", "login answers the session information");
      const page = await client.listVms({ page: 0, size: 10, sortBy: "name", direction: "ASC" });
      assert.equal(page.items.length, 10);
      assert.equal(typeof page.total, "number");
      assert.ok(page.total >= 10);
      assert.ok(page.items.every((vm) => typeof vm.id === "string" && typeof vm.name === "string"));
      const vm = await client.getVm(page.items[0].id);
      assert.equal(vm.id, page.items[0].id);
    });

    test("backs up a VM with its policy's rule and tracks the task to FINISHED", async () => {
      const [{ vm, ruleId }] = await backupCandidates(client, 1);
      const submitted = await client.backUp({ vms: [vm.id], rules: [ruleId], backupType: "FULL" });
      assert.equal(submitted.tasks.length, 1);
      const task = submitted.tasks[0];
      assert.equal(typeof task.id, "string");
      const ended = nextTaskEvent(client, (event) => event.type === "ended" && event.task.id === task.id);
      const seenStates = new Set();
      const unsubscribe = client.onTaskEvent((event) => {
        if (event.task?.id === task.id) seenStates.add(event.task.state);
      });
      client.trackTask(task.id);
      const event = await withTimeout(ended, 30_000, `task ${task.id} to end`);
      unsubscribe();
      assert.equal(event.task.state, "FINISHED", `${event.task.statusInfo ?? ""}`);
      assert.equal(event.task.progress, 100);
      assert.ok(seenStates.has("FINISHED"));
      const again = await client.getTask(task.id);
      assert.equal(again.state, "FINISHED");
    });

    test("backs up again and cancels the task", async () => {
      const [{ vm, ruleId }] = await backupCandidates(client, 1);
      const submitted = await client.backUp({ vms: [vm.id], rules: [ruleId], backupType: "INCREMENTAL", priority: 60 });
      const task = submitted.tasks[0];
      const ended = nextTaskEvent(client, (event) => event.type === "ended" && event.task.id === task.id);
      client.trackTask(task.id);
      await client.cancelTask(task.id);
      const event = await withTimeout(ended, 30_000, `cancelled task ${task.id} to end`);
      assert.equal(event.task.state, "CANCELLED");
      assert.equal((await client.getTask(task.id)).state, "CANCELLED");
      // Cancelling an ended task is a conflict the caller can show.
      await rejectsWithKind(api, client.cancelTask(task.id), "conflict");
    });

    test("logs in again by itself once the server has ended the session, and replays the call", async () => {
      await client.listVms({ page: 0, size: 1 });
      await simControl("DELETE", "requests");
      await simControl("POST", "expire-sessions");
      const expiredEvents = [];
      const unsubscribe = client.onSessionExpired(() => expiredEvents.push(Date.now()));
      const page = await client.listVms({ page: 0, size: 5 });
      unsubscribe();
      assert.equal(page.items.length, 5);
      const requests = await simRequests();
      assert.equal(requests.byPath["POST /api/session/login"], 1, JSON.stringify(requests.byPath));
      assert.equal(countByPathPrefix(requests, "GET /api/virtual-machines"), 2, "the 401, then the replay");
      assert.equal(requests.byStatus["401"], 1);
      assert.deepEqual(expiredEvents, [], "a session that login mode restores is not reported as expired");
    });

    test("errors are VmbackupErrors with a kind, status and the server's message", async () => {
      const notFound = await rejectsWithKind(api, client.getVm("00000000-0000-0000-0000-000000000000"), "notFound");
      assert.equal(notFound.status, 404);
      const wrongPassword = new api.Client({
        baseUrl: apiBase,
        session: { mode: "login", username: "admin", password: "not-the-password" },
      });
      const unauthorized = await rejectsWithKind(api, wrongPassword.login(), "unauthorized");
      assert.equal(unauthorized.status, 401);
      const nowhere = new api.Client({ baseUrl: "http://127.0.0.1:9/api", session: { mode: "hostCookie" }, timeoutMs: 5_000 });
      await rejectsWithKind(api, nowhere.listVms({ page: 0, size: 1 }), "network");
      assert.equal(api.isVmbackupError(new Error("plain")), false);
    });

    after(async () => {
      await client?.logout().catch(() => {});
    });
  });
}

describe("the whole API through vmbackup/admin", () => {
  test("its Client administers policies and its helpers convert schedules", async () => {
    const api = project.adminEsm;
    const client = new api.Client({ baseUrl: apiBase, session: { mode: "login", ...admin }, timeoutMs: 20_000 });
    await client.login();
    const policies = await client.listPolicies({ page: 0, size: 5 });
    assert.ok(policies.items.length > 0, "the simulator has policies");
    const policy = await client.getPolicy(policies.items[0].id);
    assert.equal(policy.id, policies.items[0].id);
    // The worked example: 01:30 Mon–Fri in Warsaw is 00:30 UTC Mon–Fri in January.
    const weekdays = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"];
    const january = Date.UTC(2026, 0, 15);
    const { value } = api.scheduleToServer({ kind: "time", time: 90 * 60_000, daysOfWeek: weekdays }, "Europe/Warsaw", {
      kind: "at",
      instantMs: january,
    });
    assert.deepEqual(value, [{ timing: { kind: "time", timeOfDayMs: 1_800_000, startWindowMs: null }, daysOfWeek: weekdays }]);
    const unnamed = {
      id: null, name: " ", active: true, kind: "VM_BACKUP", backupType: "FULL", timing: value[0].timing,
      daysOfWeek: weekdays, months: [], occurrences: [], rules: [], policies: [],
    };
    assert.deepEqual(api.validateSchedule(unnamed).map((e) => [e.field, e.code]), [["name", "required"]]);
    await client.logout();
  });
});

describe("host-cookie mode in Node (no cookie of the host: every call is unauthorized)", () => {
  test("a 401 is reported once, tracking pauses without requests, and resume() tries again", async () => {
    const api = project.esm;
    const client = new api.Client({ baseUrl: apiBase, session: { mode: "hostCookie" } });
    let expiredCount = 0;
    const unsubscribe = client.onSessionExpired(() => {
      expiredCount += 1;
    });
    await simControl("DELETE", "requests");
    const error = await rejectsWithKind(api, client.listVms({ page: 0, size: 5 }), "unauthorized");
    assert.equal(error.status, 401);
    assert.equal(expiredCount, 1);

    // While the session is expired calls reject at once and the poller sends nothing, however long it waits.
    const before = (await simRequests()).total;
    await rejectsWithKind(api, client.listVms({ page: 0, size: 5 }), "unauthorized");
    client.trackTask("00000000-0000-0000-0000-000000000001");
    await sleep(3_000);
    const during = (await simRequests()).total;
    assert.equal(during - before, 0, "no request while the session is expired");
    assert.equal(expiredCount, 1, "the expiry is reported once");

    // Told that the host's session is back, the client calls again (and is told again: still no cookie).
    client.resume();
    await rejectsWithKind(api, client.listVms({ page: 0, size: 5 }), "unauthorized");
    assert.equal(expiredCount, 2);
    assert.ok((await simRequests()).total > during, "resume() lets requests through again");
    client.untrackTask("00000000-0000-0000-0000-000000000001");
    unsubscribe();
  });
});
