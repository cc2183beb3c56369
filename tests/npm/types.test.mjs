// The package's TypeScript declarations as a TypeScript user meets them: `tsc --noEmit --strict` in a project that
// installed the .tgz, under Node's (`nodenext`) and bundlers' (`bundler`) module resolution.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { copyFile, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";

import { installPackageInNewProject } from "./helpers.mjs";

const here = dirname(fileURLToPath(import.meta.url));
/** tsc from the development tools in tests/node_modules (TypeScript 5.x). */
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");

/**
 * Two consumer projects as they are usually set up. Node: what `tsc --init` writes (target esnext, nodenext),
 * with the package's declarations checked too (`skipLibCheck: false`). Bundler: what Vite's templates write (lib
 * ES2022 + DOM, bundler resolution, `skipLibCheck: true`): wasm-bindgen declares `[Symbol.dispose]()` on every
 * class, which TypeScript's lib knows from `esnext` (or `esnext.disposable`) on, so a project on an older lib that
 * also checks libraries needs that lib entry.
 */
const RESOLUTIONS = {
  nodenext: { module: "nodenext", moduleResolution: "nodenext", target: "esnext", lib: ["esnext", "dom"], skipLibCheck: false },
  bundler: { module: "esnext", moduleResolution: "bundler", target: "es2022", lib: ["es2022", "dom"], skipLibCheck: true },
};

let project;

before(async () => {
  project = await installPackageInNewProject();
  for (const file of ["usage.ts", "web.ts", "widgets.ts", "misuse.ts"]) {
    await copyFile(join(here, "types", file), join(project.dir, file));
  }
});

after(async () => {
  await project?.remove();
});

/** Writes a tsconfig for `files` and runs tsc on it; resolves with `{ code, output }`. */
async function compile(name, resolution, files) {
  const config = join(project.dir, `tsconfig.${name}.json`);
  const compilerOptions = { strict: true, noEmit: true, types: [], ...RESOLUTIONS[resolution] };
  await writeFile(config, JSON.stringify({ compilerOptions, files }, null, 2));
  return new Promise((resolve) => {
    execFile(process.execPath, [tsc, "-p", config, "--pretty", "false"], { cwd: project.dir }, (error, stdout, stderr) => {
      resolve({ code: error ? (error.code ?? 1) : 0, output: `${stdout}${stderr}` });
    });
  });
}

/** One tsc run per resolution over all four files (tsc's start-up is most of its time); the tests split its output. */
const compiled = new Map();
function compileOnce(resolution) {
  if (!compiled.has(resolution)) compiled.set(resolution, compile(resolution, resolution, ["usage.ts", "web.ts", "widgets.ts", "misuse.ts"]));
  return compiled.get(resolution);
}

/** The error lines of `output` about `file`, the package's own declarations, or the configuration. */
const errorsIn = (output, file) =>
  output.split("\n").filter((line) => line.startsWith(`${file}(`) || line.includes("/vmbackup/") || line.startsWith("error "));

for (const resolution of Object.keys(RESOLUTIONS)) {
  test(`the contract's calls compile with --strict (${resolution} resolution)`, async () => {
    const { output } = await compileOnce(resolution);
    const errors = [...errorsIn(output, "usage.ts"), ...errorsIn(output, "web.ts"), ...errorsIn(output, "widgets.ts")];
    assert.deepEqual(errors, [], output);
  });

  test(`misuse does not compile, one error per marked line (${resolution} resolution)`, async () => {
    const { code, output } = await compileOnce(resolution);
    assert.notEqual(code, 0, "misuse.ts compiled: the types accept what they must refuse");
    const source = (await readFile(join(project.dir, "misuse.ts"), "utf8")).split("\n");
    const marked = source.flatMap((line, index) => (line.includes("// MISUSE") ? [index + 1] : []));
    const failing = new Set([...output.matchAll(/^misuse\.ts\((\d+),\d+\): error/gm)].map((match) => Number(match[1])));
    const missed = marked.filter((line) => !failing.has(line));
    assert.deepEqual(missed, [], `lines without the expected error:\n${missed.map((l) => source[l - 1]).join("\n")}\n${output}`);
    const unexpected = [...failing].filter((line) => !marked.includes(line));
    assert.deepEqual(unexpected, [], `errors on unmarked lines:\n${output}`);
  });
}

test("the public declarations name no `any`", async () => {
  for (const declaration of ["web/vmbackup", "bundler/vmbackup", "node/vmbackup", "admin/web/vmbackup_admin", "admin/bundler/vmbackup_admin", "admin/node/vmbackup_admin", "widgets/vmbackup_widgets"]) {
    const file = project.requireFromProject.resolve(`vmbackup/package.json`).replace(/package\.json$/, `${declaration}.d.ts`);
    const declarations = await readFile(file, "utf8");
    // The web build's InitOutput lists the raw wasm exports (numbers only); everything else is public surface.
    const publicPart = declarations.split("export type InitInput")[0];
    const withoutComments = publicPart.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
    const anys = withoutComments.split("\n").filter((line) => /\bany\b/.test(line));
    assert.deepEqual(anys, [], `${declaration}.d.ts`);
  }
});
