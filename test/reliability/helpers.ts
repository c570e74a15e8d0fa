// Bad inputs through the real command line: a learner's exercise in a temp dir, an edit that makes
// it wrong, a spawned sel4tut, and the proof that no learner file changed.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, readdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { expect } from "vitest";
import { sel4tut, sel4tutAsync, tempDir, type CliResult, type SpawnOptions } from "../cli/helpers.js";

export { sel4tut, sel4tutAsync, startSel4tut, tempDir } from "../cli/helpers.js";

export const TUTORIAL = "fault-handlers";

/** Hash of every learner .ts file (everything outside .sel4tut/) in an exercise directory. */
export function hashLearnerFiles(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    if (!existsSync(d)) return;
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (name === ".sel4tut" || name === "node_modules") continue;
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith(".ts")) out[relative(dir, p)] = createHash("sha256").update(readFileSync(p)).digest("hex");
    }
  };
  walk(dir);
  return out;
}

export interface Exercise {
  /** The directory holding the exercise and its build directory. */
  root: string;
  dir: string;
  buildDir: string;
}

const templates = new Map<string, Exercise>();

/**
 * A fresh exercise of the fault-handlers tutorial (solved, or at the first task). The first call
 * runs the real `sel4tut init`; later ones copy that exercise (with the same directory names, so
 * it is not a moved exercise) into a new temp dir.
 */
export function freshExercise(solution = true): Exercise {
  const key = solution ? "solution" : "start";
  let t = templates.get(key);
  if (!t) {
    const root = tempDir("sel4tut-rel-template-");
    const r = sel4tut(["init", "--tut", TUTORIAL, ...(solution ? ["--solution"] : [])], root);
    expect(r.status, r.stderr).toBe(0);
    t = { root, dir: join(root, TUTORIAL), buildDir: join(root, `${TUTORIAL}_build`) };
    templates.set(key, t);
  }
  const root = tempDir("sel4tut-rel-");
  cpSync(t.root, root, { recursive: true });
  return { root, dir: join(root, TUTORIAL), buildDir: join(root, `${TUTORIAL}_build`) };
}

/** Replaces text that must be there (so a changed template fails loudly, not silently). */
export function edit(ex: Exercise, file: string, from: string | RegExp, to: string): void {
  const path = join(ex.dir, file);
  const text = readFileSync(path, "utf8");
  expect(
    typeof from === "string" ? text.includes(from) : from.test(text),
    `${file} should contain ${String(from)}`,
  ).toBe(true);
  writeFileSync(path, text.replace(from, to));
}

/** Adds `names` to the first `import { ... } from "sel4"` of a file. */
export function importFromSel4(ex: Exercise, file: string, ...names: string[]): void {
  edit(ex, file, /import \{\n?/, `import {\n  ${names.join(", ")},\n`);
}

/** Puts statements at the top of a thread's main(). */
export function atStartOfMain(ex: Exercise, file: string, code: string): void {
  edit(ex, file, "export function main(): number {\n", `export function main(): number {\n${code}\n`);
}

/** A function declared before main() (at the top level of the file). */
export function beforeMain(ex: Exercise, file: string, code: string): void {
  edit(ex, file, "export function main(): number {\n", `${code}\nexport function main(): number {\n`);
}

export interface Outcome extends CliResult {
  /** stdout + stderr. */
  all: string;
}

/**
 * Runs a command in the exercise and checks the three things every bad input must get right:
 * the exit code, no internal stack trace (unless it is sel4tut's own error), and no learner file
 * changed.
 */
export async function runCase(
  ex: Exercise,
  args: string[],
  status: number,
  opts: SpawnOptions & { cwd?: string } = {},
): Promise<Outcome> {
  const before = hashLearnerFiles(ex.dir);
  const r = await sel4tutAsync(args, opts.cwd ?? ex.dir, opts);
  const all = r.stdout + r.stderr;
  expect(r.status, all).toBe(status);
  expect(all, "a user error must not show sel4tut's stack trace").not.toMatch(
    /\n\s+at .*(dist|node:internal|node_modules)/,
  );
  expect(all).not.toContain("internal error");
  expect(hashLearnerFiles(ex.dir)).toEqual(before);
  return { ...r, all };
}

/** Processes that belong to a run: children of `pid`, or anything naming or working in `dir`. */
export function leftovers(pid: number, dir: string): string[] {
  const rows = execFileSync("ps", ["-eo", "pid=,ppid=,args="], { encoding: "utf8" }).split("\n").filter(Boolean);
  return rows.filter((row) => {
    const [p, ppid] = row.trim().split(/\s+/).map(Number) as [number, number];
    if (p === process.pid) return false;
    let cwd = "";
    try {
      cwd = readlinkSync(`/proc/${p}/cwd`);
    } catch {
      // not Linux, or the process is gone
    }
    return p === pid || ppid === pid || row.includes(dir) || cwd.startsWith(dir);
  });
}
