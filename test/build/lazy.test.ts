// A warm build (nothing changed) must not load TypeScript: `check` has to start fast.
// Runs the compiled build in a fresh process and looks at what it loaded.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");
const dist = (f: string) => pathToFileURL(join(ROOT, "dist", f)).href;

const PROBE = `
import { createRequire } from "node:module";
const { buildExercise } = await import(${JSON.stringify(dist("build/index.js"))});
const dir = process.argv[1];
const r = await buildExercise({
  exerciseDir: dir, buildDir: dir + "_build", config: "master",
  generated: new Map([["cspace_t.ts", "export const ep = 1;\\n"]]),
  typingsFile: ${JSON.stringify(join(ROOT, "test", "build", "fixtures", "sel4.master.d.ts"))},
});
const cache = createRequire(import.meta.url)("node:module")._cache;
console.log(JSON.stringify({ status: r.status, typescript: Object.keys(cache).some((k) => k.includes("typescript")) }));
`;

function build(dir: string): { status: string; typescript: boolean } {
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", PROBE, dir], { encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as { status: string; typescript: boolean };
}

describe("lazy TypeScript", () => {
  it("loads typescript only when something must be rebuilt", () => {
    const dir = mkdtempSync(join(tmpdir(), "sel4tut-lazy-"));
    writeFileSync(join(dir, "t.ts"), 'import { ep } from "./cspace_t";\nexport function main(): number { return ep; }\n');
    expect(build(dir)).toEqual({ status: "built", typescript: true });
    expect(build(dir)).toEqual({ status: "up-to-date", typescript: false });
  });
});
