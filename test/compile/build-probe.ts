// Runs the compiled build (dist/) of a one-file exercise in a fresh process, so a test can see
// what one `buildExercise` call loads and writes. `npm test` builds dist/ first.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { expect } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");
const dist = (f: string) => pathToFileURL(join(ROOT, "dist", f)).href;

export interface ProbeResult {
  status: string;
  diagnostics: number;
  /** Whether the process had the typescript module in require's cache afterwards. */
  typescript: boolean;
}

const PROBE = `
import { createRequire } from "node:module";
const { buildExercise } = await import(${JSON.stringify(dist("compile/index.js"))});
const dir = process.argv[1];
const r = await buildExercise({
  exerciseDir: dir, buildDir: dir + "_build", config: "master",
  generated: new Map([["cspace_t.ts", "export const ep = 1;\\n"]]),
  typingsFile: ${JSON.stringify(join(ROOT, "test", "compile", "fixtures", "sel4.master.d.ts"))},
});
const cache = createRequire(import.meta.url)("node:module")._cache;
console.log(JSON.stringify({
  status: r.status, diagnostics: r.diagnostics.length, typescript: Object.keys(cache).some((k) => k.includes("typescript")),
}));
`;

/** Builds the exercise in `dir` (its t.ts imports `ep` from the generated ./cspace_t) for master. */
export function probeBuild(dir: string, env: Record<string, string> = {}): ProbeResult {
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", PROBE, dir], {
    encoding: "utf8",
    env: { ...process.env, ...env },
  });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as ProbeResult;
}
