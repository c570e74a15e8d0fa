// The `verify` use case: the official test.py matrix of a tutorial. On every configuration the
// tutorial lists, each task's start state (rendered as `init --task T` does) passes `check --start`
// and fails `check`, and its solution (`init --task T --solution`) passes `check`. Each state is
// rendered into its own exercise directory and checked in-process, as `check` checks it, several
// at once up to a number of jobs.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { KernelConfig } from "../abi/constants.js";
import { buildDirFor } from "../tutorial/exercise.js";
import { renderSources } from "../tutorial/render.js";
import { loadTutorial, type TutorialDef } from "../tutorial/schema.js";
import { expectationOf, runAndJudge } from "./check.js";
import { prepare } from "./pipeline.js";
import { scaffoldExercise } from "./scaffold.js";
import { Interrupted } from "./errors.js";

/** A rendered state of a task: its unsolved start code, or its solution. */
type TaskState = "start" | "solution";
/** Which completion text a check expects: `check --start` the START text, `check` the FINISH text. */
type Text = "start" | "finish";
type Got = "pass" | "fail" | "build failed";

/** One line of the matrix: what one check of one state must do. */
interface MatrixCheck {
  tutorial: string;
  task: string;
  config: KernelConfig;
  state: TaskState;
  text: Text;
  expect: "pass" | "fail";
}

export interface CheckOutcome extends MatrixCheck {
  got: Got;
  ok: boolean;
  /** Why the check passed or failed, in `check`'s words. */
  reason: string;
  /** The exercise directory the check ran in (kept when a check of it did not hold). */
  exercise: string;
}

/** The checks of one rendered state, run one after the other in one exercise directory. */
export interface MatrixUnit {
  task: string;
  config: KernelConfig;
  state: TaskState;
  checks: MatrixCheck[];
}

/** The official matrix of a tutorial, in the order a report lists it. */
export function matrixOf(tut: TutorialDef): MatrixUnit[] {
  const line = (
    task: string,
    config: KernelConfig,
    state: TaskState,
    text: Text,
    expect: "pass" | "fail",
  ): MatrixCheck => ({ tutorial: tut.name, task, config, state, text, expect });
  return tut.tasks.flatMap((t, i) =>
    tut.configs.flatMap((config) => [
      {
        task: t.name,
        config,
        state: "start" as const,
        checks: [
          line(t.name, config, "start", "start", "pass"),
          // An official task with nothing to do (hello-world's first: one text for START and
          // FINISH, the same code unsolved and solved) passes `check` from the start, and so does
          // one whose author says why no output tells its states apart (weakCheck).
          line(
            t.name,
            config,
            "start",
            "finish",
            t.weakCheck !== null || nothingToDo(tut, i, config) ? "pass" : "fail",
          ),
        ],
      },
      {
        task: t.name,
        config,
        state: "solution" as const,
        checks: [line(t.name, config, "solution", "finish", "pass")],
      },
    ]),
  );
}

/** The task's START and FINISH texts are one text, and its start state's code is its solution's. */
function nothingToDo(tut: TutorialDef, task: number, config: KernelConfig): boolean {
  const t = tut.tasks[task]!;
  if (t.start[config] !== t.finish[config]) return false;
  const start = renderSources(tut, { task, solution: false });
  const solved = renderSources(tut, { task, solution: true });
  return start.size === solved.size && [...start].every(([file, text]) => solved.get(file) === text);
}

/** Renders one state into `workDir` and runs its checks. */
export async function runUnit(
  tut: TutorialDef,
  unit: MatrixUnit,
  workDir: string,
  signal?: AbortSignal,
): Promise<CheckOutcome[]> {
  const name = `${tut.name}-${unit.task}-${unit.config}-${unit.state}`;
  const made = scaffoldExercise({
    tutorial: tut.dir,
    cwd: workDir,
    dir: name,
    task: unit.task,
    solution: unit.state === "solution",
    editorConfig: unit.config,
  });
  const task = tut.tasks.find((t) => t.name === unit.task)!;
  const target = { exerciseDir: made.dir, buildDir: buildDirFor(made.dir), tut, config: unit.config, task: unit.task };
  const prepared = await prepare(target);
  const outcomes: CheckOutcome[] = [];
  for (const check of unit.checks) {
    const outcome = (got: Got, reason: string): CheckOutcome => ({
      ...check,
      got,
      ok: got === check.expect,
      reason,
      exercise: made.dir,
    });
    if (prepared.build.status === "failed") {
      const first = prepared.build.diagnostics[0];
      outcomes.push(
        outcome(
          "build failed",
          first ? `${first.file}:${first.line}:${first.column}: ${first.message}` : "the build failed",
        ),
      );
      continue;
    }
    const expectation = expectationOf(task, unit.config, check.text);
    const { result } = await runAndJudge(target, prepared, expectation, undefined, signal);
    outcomes.push(outcome(result.ok ? "pass" : "fail", result.reason ?? "every expected line appeared"));
  }
  return outcomes;
}

export interface VerifyOptions {
  /** How many states are rendered and checked at once. */
  jobs: number;
  /** Called as each state's checks finish (in no fixed order). */
  onUnit?: (outcomes: CheckOutcome[]) => void;
  /** Stops the checks (Ctrl-C): verify then removes every exercise it made and throws Interrupted. */
  signal?: AbortSignal;
}

export interface VerifyReport {
  tutorials: TutorialDef[];
  /** In matrix order: tutorial, task, configuration, state. */
  outcomes: CheckOutcome[];
  ok: boolean;
  /** Where the exercises of the checks that did not hold are kept (null when all held). */
  keptDir: string | null;
}

/** Verifies tutorials (directories); a tutorial that does not load throws its authoring errors first. */
export async function verifyTutorials(dirs: readonly string[], opts: VerifyOptions): Promise<VerifyReport> {
  const tutorials = dirs.map((d) => loadTutorial(d));
  const work = tutorials.flatMap((tut) => matrixOf(tut).map((unit) => ({ tut, unit })));
  const workDir = mkdtempSync(join(tmpdir(), "sel4tut-verify-"));
  const results: CheckOutcome[][] = new Array(work.length);
  try {
    await eachAtMost(opts.jobs, work.length, async (n) => {
      if (opts.signal?.aborted) throw new Interrupted();
      const { tut, unit } = work[n]!;
      results[n] = await runUnit(tut, unit, workDir, opts.signal);
      opts.onUnit?.(results[n]);
    });
  } catch (e) {
    // Interrupted or broken: nothing of a half-done matrix is worth keeping.
    rmSync(workDir, { recursive: true, force: true });
    throw e;
  }
  const outcomes = results.flat();
  // Keep the exercises an author needs to look at; remove the rest.
  const failing = new Set(outcomes.filter((o) => !o.ok).map((o) => o.exercise));
  for (const o of outcomes) {
    if (failing.has(o.exercise)) continue;
    rmSync(o.exercise, { recursive: true, force: true });
    rmSync(buildDirFor(o.exercise), { recursive: true, force: true });
  }
  if (failing.size === 0) rmSync(workDir, { recursive: true, force: true });
  return { tutorials, outcomes, ok: failing.size === 0, keptDir: failing.size === 0 ? null : workDir };
}

/**
 * Calls `task(0 .. count-1)`, at most `limit` at a time. The first error stops new calls and is
 * thrown once the calls already started have ended, so nothing still writes when the caller cleans up.
 */
async function eachAtMost(limit: number, count: number, task: (n: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < count) {
      const n = next++;
      try {
        await task(n);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  const settled = await Promise.allSettled(Array.from({ length: Math.max(1, Math.min(limit, count)) }, worker));
  const firstError = settled.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (firstError) throw firstError.reason;
}
