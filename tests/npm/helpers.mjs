// Shared by the npm package tests: the simulator that `cargo xtask test` started, the package it built, and a
// throw-away consumer project that installs the package the way a user would.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

/** Reads a variable that `cargo xtask test` sets; these tests run only from there. */
function fromXtask(name) {
  const value = process.env[name];
  assert.ok(value, `${name} is not set: run these tests with \`cargo xtask test\``);
  return value;
}

/** `http://127.0.0.1:PORT` of the simulator. */
export const simUrl = fromXtask("VMBACKUP_SIM_URL");
/** The API base a client is given. */
export const apiBase = `${simUrl}/api`;
/** The packed package, `target/npm/vmbackup-<version>.tgz`. */
export const tarball = fromXtask("VMBACKUP_NPM_TARBALL");
/** `target/npm-tests/`: room for throw-away files. */
export const workDir = fromXtask("VMBACKUP_TEST_WORK_DIR");

/** The simulator's administrator (sees every project). */
export const admin = { username: "admin", password: "vPr0tect" };

/** Calls a control endpoint under `/__sim/`; returns its JSON body (or null for an empty one). */
export async function simControl(method, path, body) {
  const response = await fetch(`${simUrl}/__sim/${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  assert.ok(response.ok, `${method} /__sim/${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** `GET /__sim/requests`: `{ total, byPath, byStatus, recent }`. */
export const simRequests = () => simControl("GET", "requests");

/** How many requests went to paths starting with `prefix` ("GET /api/tasks" counts list and detail calls). */
export function countByPathPrefix(requests, prefix) {
  return Object.entries(requests.byPath)
    .filter(([path]) => path.startsWith(prefix))
    .reduce((sum, [, count]) => sum + count, 0);
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** `promise`, or a rejection naming `what` after `ms`. */
export function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * A new folder with a `package.json` (`"type": "module"`) into which the package is installed from its .tgz with
 * `npm install --offline`, as a user would. Returns the folder, the ESM and the CommonJS view of the main entry
 * (`esm`, `cjs`) and of `vmbackup/admin` (`adminEsm`, `adminCjs`), a `require` resolving from the project, and
 * `remove()`.
 */
export async function installPackageInNewProject() {
  const dir = await mkdtemp(join(tmpdir(), "vmbackup-consumer-"));
  await writeFile(
    join(dir, "package.json"),
    JSON.stringify({ name: "vmbackup-consumer", private: true, type: "module" }, null, 2),
  );
  await execFileAsync("npm", ["install", "--offline", "--no-audit", "--no-fund", tarball], { cwd: dir });
  // Both views resolve "vmbackup" from the project through the package's `exports` map, with Node's own
  // conditions: `import` + `node` for the first, `require` + `node` for the second.
  await writeFile(join(dir, "esm-entry.mjs"), 'export * from "vmbackup";\n');
  await writeFile(join(dir, "esm-admin-entry.mjs"), 'export * from "vmbackup/admin";\n');
  const esm = await import(pathToFileURL(join(dir, "esm-entry.mjs")).href);
  const adminEsm = await import(pathToFileURL(join(dir, "esm-admin-entry.mjs")).href);
  const requireFromProject = createRequire(join(dir, "cjs-entry.cjs"));
  const cjs = requireFromProject("vmbackup");
  const adminCjs = requireFromProject("vmbackup/admin");
  return {
    dir,
    esm,
    cjs,
    adminEsm,
    adminCjs,
    requireFromProject,
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/**
 * VMs that can be backed up: present and protected by a policy with an active rule. Returns
 * `[{ vm, ruleId }]` in list order, at most `count`.
 */
export async function backupCandidates(client, count) {
  const page = await client.listVms({ page: 0, size: 500 });
  const policies = new Map();
  const candidates = [];
  for (const vm of page.items) {
    if (candidates.length === count) break;
    const policyId = vm.protection?.policy?.id;
    if (!vm.protection?.present || !policyId) continue;
    if (!policies.has(policyId)) policies.set(policyId, await client.getPolicy(policyId));
    const rule = policies.get(policyId).rules.find((r) => r.active && r.destinations.some((d) => d.active));
    if (rule) candidates.push({ vm, ruleId: rule.id });
  }
  return candidates;
}

/** A task state that no longer changes. */
export const isEndedState = (state) => ["FINISHED", "FAILED", "CANCELLED"].includes(state);
