// The `check` use case: build the exercise for one kernel, run it, and judge the output against a
// task's completion lines. The task is fixed here, when the check starts (docs/commands.md,
// Progress): a pass recorded meanwhile by another command never changes what this one checks.
import type { BuildDiagnostic } from "../compile/diagnostics.js";
import { expectCompletion, type CheckResult, type Expectation } from "../check/engine.js";
import type { KernelConfig } from "../abi/constants.js";
import type { TaskDef } from "../tutorial/schema.js";
import { requireConfig, resolveTask, targetFor, type ExerciseContext } from "./context.js";
import { Interrupted } from "./errors.js";
import { prepare, runBuilt, type Prepared, type RunEnd, type Target, type TraceRecord } from "./pipeline.js";

/** Which of the task's texts to expect: what its unsolved code prints, or what the solution prints. */
type Expected = "start" | "finish";

export interface CheckRequest {
  ctx: ExerciseContext;
  config: KernelConfig;
  /** The task to check; the current task when the check starts if not given. */
  task?: string | undefined;
  expected: Expected;
  /** Stops the run (Ctrl-C, or watch quitting): the check then throws Interrupted. */
  signal?: AbortSignal;
  /** The program's output as it comes. */
  onOutput?: (text: string) => void;
  /** Called once the build is done (or failed), before the run: reporters time the two apart. */
  onBuilt?: (build: Prepared["build"]) => void;
  /** Every kernel event as it happens (`check --trace`). */
  trace?: (e: TraceRecord) => void;
}

export type CheckReport =
  | { kind: "build-failed"; task: TaskDef; config: KernelConfig; diagnostics: readonly BuildDiagnostic[] }
  | {
      kind: "checked";
      task: TaskDef;
      config: KernelConfig;
      expected: Expected;
      result: CheckResult;
      output: string;
      run: RunEnd;
    };

/** The task a check of `requested` (or of the current task) is about; a usage error if unknown or the kernel is not the tutorial's. */
export function taskToCheck(ctx: ExerciseContext, config: KernelConfig, requested: string | undefined): TaskDef {
  requireConfig(ctx.tut, config);
  return ctx.tut.tasks[resolveTask(ctx.tut, requested, ctx.progress.currentTask)]!;
}

export async function checkTask(req: CheckRequest): Promise<CheckReport> {
  const { ctx, config, expected } = req;
  const task = taskToCheck(ctx, config, req.task);
  const target = targetFor(ctx, config);
  const prepared = await prepare(target);
  req.onBuilt?.(prepared.build);
  if (prepared.build.status === "failed")
    return { kind: "build-failed", task, config, diagnostics: prepared.build.diagnostics };
  if (req.signal?.aborted) throw new Interrupted();
  const judged = await runAndJudge(
    target,
    prepared,
    expectationOf(task, config, expected),
    req.onOutput,
    req.signal,
    req.trace,
  );
  return { kind: "checked", task, config, expected, ...judged };
}

/** What a check of `task` on `config` expects: its START text (`check --start`) or its FINISH text, with their failure texts. */
export function expectationOf(task: TaskDef, config: KernelConfig, expected: Expected): Expectation {
  return expected === "start"
    ? { text: task.start[config], failureTexts: task.failureTexts.start }
    : { text: task.finish[config], failureTexts: task.failureTexts.finish };
}

export interface Judged {
  output: string;
  run: RunEnd;
  result: CheckResult;
}

/** Runs a built exercise and judges its whole output against the expected text. */
export async function runAndJudge(
  target: Target,
  prepared: Prepared,
  expectation: Expectation,
  onOutput?: (text: string) => void,
  signal?: AbortSignal,
  trace?: (e: TraceRecord) => void,
): Promise<Judged> {
  let output = "";
  const run = await runBuilt({
    plan: prepared.plan,
    outDir: prepared.build.outDir,
    config: target.config,
    simTimeLimitMs: target.tut.simTimeLimitMs,
    displayRoot: target.exerciseDir,
    ...(signal ? { signal } : {}),
    ...(trace ? { trace } : {}),
    onOutput: (text) => {
      output += text;
      onOutput?.(text);
    },
  });
  return { output, run, result: expectCompletion(output, expectation, run) };
}
