// The official test.py matrix, on both kernel configurations: for every task of every
// built-in tutorial, the rendered start state passes `check --start` and fails `check`, and
// the rendered solution passes `check`. Run through the real command line.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BUILTIN_TUTORIALS_DIR, builtinTutorialNames } from "../../src/tutorial/catalogue.js";
import { loadTutorial } from "../../src/tutorial/schema.js";
import { sel4tut, sel4tutAsync, tempDir, type CliResult } from "../cli/helpers.js";

const explain = (r: CliResult) => `exit ${r.status}\n${r.stdout}\n${r.stderr}`;

/** The learner's sources of two exercise directories are the same (a task with nothing to do, like hello-world's first). */
function sameSources(a: string, b: string): boolean {
  const files = (d: string) => readdirSync(d).filter((f) => f.endsWith(".ts")).sort();
  return JSON.stringify(files(a)) === JSON.stringify(files(b)) && files(a).every((f) => readFileSync(join(a, f), "utf8") === readFileSync(join(b, f), "utf8"));
}

for (const name of builtinTutorialNames()) {
  const tut = loadTutorial(join(BUILTIN_TUTORIALS_DIR, name));
  describe(`${name}: every task's start and solution states`, () => {
    for (const task of tut.tasks) {
      it(`${task.name}`, { timeout: 240_000 }, async () => {
        const cwd = tempDir(`sel4tut-matrix-${name}-`);
        expect(sel4tut(["init", "--tut", name, "--task", task.name, "start"], cwd).status).toBe(0);
        expect(sel4tut(["init", "--tut", name, "--task", task.name, "--solution", "solution"], cwd).status).toBe(0);
        const start = join(cwd, "start");
        const solution = join(cwd, "solution");
        await Promise.all(tut.configs.map(async (config) => {
          const flag = config === "mcs" ? ["--mcs"] : [];
          const startPasses = await sel4tutAsync(["check", "--start", "--quiet", ...flag], start);
          expect(startPasses.status, `start state, check --start on ${config}: ${explain(startPasses)}`).toBe(0);
          // Official tasks whose start state is already their solution (one ALL text, no code to
          // write) pass `check` from the start; every other start state must fail it.
          const nothingToDo = task.start[config] === task.finish[config] && sameSources(start, solution);
          const startFails = await sel4tutAsync(["check", "--quiet", ...flag], start);
          expect(startFails.status, `start state, check on ${config}: ${explain(startFails)}`).toBe(nothingToDo ? 0 : 1);
          const solved = await sel4tutAsync(["check", "--quiet", ...flag], solution);
          expect(solved.status, `solution, check on ${config}: ${explain(solved)}`).toBe(0);
        }));
      });
    }
  });
}
