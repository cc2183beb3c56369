// The task poller's cost, counted at the simulator: tracking 1, 10 or 100 running tasks costs one request per
// polling interval. A sampler reads the simulator's request counts every 50 ms; the requests of one round arrive
// together, and rounds are at least a second apart, so each burst of task requests is one round.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import {
  admin,
  apiBase,
  backupCandidates,
  countByPathPrefix,
  installPackageInNewProject,
  simControl,
  simRequests,
  sleep,
} from "./helpers.mjs";

/** Rounds to watch for each number of tasks. */
const ROUNDS = 4;
/** Requests closer together than this belong to one round (the poller's fastest interval is 1 s). */
const SAME_ROUND_MS = 400;
const SAMPLE_EVERY_MS = 50;
const WATCH_AT_MOST_MS = 45_000;

let project;

before(async () => {
  project = await installPackageInNewProject();
  await simControl("POST", "reset");
  // Backups that take an hour: every tracked task stays queued or running while it is watched.
  await simControl("PUT", "faults", { taskSeconds: 3600 });
});

after(async () => {
  await simControl("POST", "reset");
  await project?.remove();
});

/** The task requests ("GET /api/tasks…") per path, from a request summary. */
function taskPaths(requests) {
  return Object.fromEntries(Object.entries(requests.byPath).filter(([path]) => path.startsWith("GET /api/tasks")));
}

/**
 * Samples the simulator until `rounds` bursts of task requests are seen (or time runs out); returns each burst's
 * request count, start time and the paths used.
 */
async function watchRounds(rounds) {
  const start = await simRequests();
  let last = countByPathPrefix(start, "GET /api/tasks");
  const bursts = [];
  const began = Date.now();
  while (Date.now() - began < WATCH_AT_MOST_MS) {
    await sleep(SAMPLE_EVERY_MS);
    const now = Date.now();
    const count = countByPathPrefix(await simRequests(), "GET /api/tasks");
    if (count === last) {
      const current = bursts.at(-1);
      if (bursts.length >= rounds && current && now - current.lastAt > SAME_ROUND_MS) break;
      continue;
    }
    const current = bursts.at(-1);
    if (current && now - current.lastAt < SAME_ROUND_MS) {
      current.requests += count - last;
      current.lastAt = now;
    } else {
      bursts.push({ requests: count - last, at: now, lastAt: now });
    }
    last = count;
  }
  const paths = taskPaths(await simRequests());
  const startPaths = taskPaths(start);
  const pathsUsed = Object.keys(paths).filter((path) => paths[path] !== (startPaths[path] ?? 0));
  return { bursts: bursts.slice(0, rounds), pathsUsed };
}

for (const count of [1, 10, 100]) {
  test(`tracking ${count} running task(s) costs one request per interval`, { timeout: 90_000 }, async () => {
    const { Client } = project.esm;
    const setup = new Client({ baseUrl: apiBase, session: { mode: "login", ...admin } });
    await setup.login();
    const candidates = await backupCandidates(setup, count);
    assert.equal(candidates.length, count, `the simulator has ${count} VMs that can be backed up`);
    const rules = [...new Set(candidates.map((candidate) => candidate.ruleId))];
    const submitted = await setup.backUp({ vms: candidates.map((c) => c.vm.id), rules, backupType: "FULL" });
    assert.equal(submitted.tasks.length, count);

    // A client of its own, so that only its poller asks for tasks.
    const client = new Client({ baseUrl: apiBase, session: { mode: "login", ...admin } });
    await client.login();
    for (const task of submitted.tasks) client.trackTask(task.id);

    const { bursts, pathsUsed } = await watchRounds(ROUNDS);
    for (const task of submitted.tasks) client.untrackTask(task.id);

    const perRound = bursts.map((burst) => burst.requests);
    const intervals = bursts.slice(1).map((burst, index) => ((burst.at - bursts[index].at) / 1000).toFixed(1));
    console.log(
      `poller, ${count} task(s): ${bursts.length} rounds, requests per round [${perRound.join(", ")}], ` +
        `seconds between rounds [${intervals.join(", ")}], paths ${pathsUsed.join(" ")}`,
    );
    assert.equal(bursts.length, ROUNDS, `saw ${bursts.length} polling rounds in ${WATCH_AT_MOST_MS / 1000} s`);
    assert.deepEqual(perRound, Array(ROUNDS).fill(1), "one request per round");
    for (const path of pathsUsed) assert.equal(path, "GET /api/tasks", "the round lists tasks in one call");

    // Clean up: cancel what this test started (the next count starts from no running tasks).
    await Promise.all(submitted.tasks.map((task) => setup.cancelTask(task.id).catch(() => {})));
    await setup.logout().catch(() => {});
    await client.logout().catch(() => {});
  });
}
