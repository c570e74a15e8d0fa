// sel4tut check [--mcs] [--start] [--task T]: run the exercise and expect the task's
// completion lines, like the official ./check. Exit 0 on success, 1 on failure, 2 on misuse.
// --json and --reporter junit give the same check to programs (src/cli/lib/machine-output.ts);
// `watch` shows its runs with the same checkAndShow().
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { checkTask, expectationOf, taskToCheck, type CheckReport } from "../../app/check.js";
import { loadContext, progressScope, saveProgress, type ExerciseContext } from "../../app/context.js";
import { CommandFailed, describeSystemError, isSystemError, UsageError } from "../../app/errors.js";
import { passTask, type PassOutcome } from "../../app/progress.js";
import type { KernelConfig } from "../../abi/constants.js";
import { completionPatterns } from "../../text/patterns.js";
import { taskIndex } from "../../tutorial/schema.js";
import { advanceLearnerFiles, describeAdvance, readAdvanceState } from "../../app/advance.js";
import { stoppableByCtrlC } from "../lib/ctrl-c.js";
import { explainPointers, formatPointers } from "../lib/explain-pointers.js";
import { diagnosticsJson, emit, expectEvents, junitXml, kernelEvents, lineSplitter } from "../lib/machine-output.js";
import { note } from "../lib/note.js";
import { configOf, MCS_OPTION, TRACE_OPTION, traceFormatOf } from "../lib/options.js";
import { traceWriter } from "../lib/trace-text.js";
import { failure, formatCheck, formatDiagnostics, formatOutput, success } from "../lib/report.js";

const REPORTERS = ["human", "json", "junit"] as const;
type Reporter = (typeof REPORTERS)[number];

export interface CheckOptions {
  mcs?: boolean;
  start?: boolean;
  task?: string;
  quiet?: boolean;
  keepFiles?: boolean;
  json?: boolean;
  reporter?: string;
  output?: string;
  /** Set by watch, where a hint is a key press away. */
  inWatch?: boolean;
  trace?: boolean | string;
}

function reporterOf(opts: CheckOptions): Reporter {
  const r = opts.json || traceFormatOf(opts) === "json" ? "json" : (opts.reporter ?? "human");
  if (!(REPORTERS as readonly string[]).includes(r))
    throw new UsageError(`unknown reporter "${r}" (reporters: ${REPORTERS.join(", ")})`);
  if (opts.output !== undefined && r !== "junit") throw new UsageError("--output is for --reporter junit");
  return r as Reporter;
}

export function registerCheck(program: Command): void {
  program
    .command("check")
    .description("run the exercise and check the current task's completion lines")
    .addOption(MCS_OPTION())
    .option("--start", "expect the task's START text (what its unsolved code prints)")
    .option("--task <task>", "check this task instead of the current one")
    .option("--quiet", "do not echo the program's output")
    .option(
      "--keep-files",
      "when the progress moves on, leave your files as they are (as the official tutorials do); sel4tut next brings the code in later",
    )
    .option("--json", "print one JSON event per line (NDJSON) instead of the report: the same as --reporter json")
    .option("--reporter <name>", `how to report: ${REPORTERS.join(", ")} (JUnit XML, one testcase per expected line)`)
    .option("--output <file>", "with --reporter junit: write the XML to this file instead of standard output")
    .addOption(TRACE_OPTION())
    .action(async (opts: CheckOptions) => {
      const reporter = reporterOf(opts);
      const ctx = loadContext(process.cwd(), reporter === "json" ? (text) => emit({ event: "note", text }) : note);
      const config = configOf(opts, ctx.tut);
      const passed = await stoppableByCtrlC((signal) =>
        reporter === "human"
          ? checkAndShow(ctx, config, opts, signal)
          : checkForPrograms(ctx, config, opts, reporter, signal),
      );
      if (!passed) throw new CommandFailed("check failed", true);
    });
}

/** One check, shown as `sel4tut check` shows it, with the progress it records. True when it passed. */
export async function checkAndShow(
  ctx: ExerciseContext,
  config: KernelConfig,
  opts: CheckOptions,
  signal: AbortSignal,
): Promise<boolean> {
  const traced = traceFormatOf(opts) === "text" ? traceWriter((text) => process.stdout.write(text)) : null;
  const echo = traced ? traced.output : (text: string) => process.stdout.write(text);
  const report = await checkTask({
    ctx,
    config,
    task: opts.task,
    expected: opts.start ? "start" : "finish",
    signal,
    ...(opts.quiet ? {} : { onOutput: echo }),
    ...(traced ? { trace: traced.event } : {}),
  });
  showReport(report, opts);
  if (report.kind !== "checked" || !report.result.ok) return false;
  if (report.expected === "finish") {
    await recordAndAdvance(ctx, report, opts, (text) => console.log(text));
  }
  return true;
}

function showReport(report: CheckReport, opts: CheckOptions): void {
  const { task, config } = report;
  if (report.kind === "build-failed") {
    console.log(formatDiagnostics(config, report.diagnostics));
    return;
  }
  const { result, output, run } = report;
  if (!opts.quiet && output.length > 0 && !output.endsWith("\n")) process.stdout.write("\n");
  // A failed check always shows the output it judged, even when it was not echoed.
  if (!result.ok && opts.quiet) console.log(formatOutput(output));
  const which = report.expected === "start" ? "START" : "FINISH";
  console.log(formatCheck(`\nChecking ${task.name} on ${config} (${which} text):`, result));
  if (!result.ok) {
    console.log(failure(`Failure! ${result.reason}`));
    // Notes go to stderr (as every note does), after the reason they are about.
    for (const line of formatPointers(explainPointers(run))) console.error(line);
    console.log(
      opts.inWatch ? "Stuck? Press h for a hint." : `Stuck? sel4tut hint${opts.task ? ` --task ${task.name}` : ""}`,
    );
    return;
  }
  if (report.expected === "start") {
    // The start state passing is no pass of the task: say what it showed.
    console.log(
      success(
        `Success! ${task.name}'s start code prints its START text on ${config}, as it should before you solve the task.`,
      ),
    );
    return;
  }
  console.log(success(`Success! ${task.name} passes on ${config}.`));
}

/** The same check for programs: NDJSON events (--json) or JUnit XML (--reporter junit). */
async function checkForPrograms(
  ctx: ExerciseContext,
  config: KernelConfig,
  opts: CheckOptions,
  reporter: "json" | "junit",
  signal: AbortSignal,
): Promise<boolean> {
  const started = performance.now();
  let buildMs = 0;
  const expected = opts.start ? "start" : "finish";
  const json = reporter === "json";
  const task = taskToCheck(ctx, config, opts.task);
  if (json) {
    const expect = expected === "start" ? "START" : "FINISH";
    emit({ event: "start", command: "check", tutorial: ctx.tut.name, task: task.name, config, expect });
  }
  const lines = lineSplitter((line) => emit({ event: "output", line }));
  const report = await checkTask({
    ctx,
    config,
    task: task.name,
    expected,
    signal,
    ...(json ? { onOutput: (text: string) => lines.push(text) } : {}),
    ...(json && traceFormatOf(opts) !== null ? { trace: kernelEvents } : {}),
    onBuilt: (build) => {
      buildMs = Math.round(performance.now() - started);
      if (json)
        emit({
          event: "build",
          config,
          status: build.status,
          diagnostics: diagnosticsJson(build.diagnostics),
          ms: buildMs,
        });
    },
  });
  const totalMs = () => Math.round(performance.now() - started);
  const junit = (j: Omit<Parameters<typeof junitXml>[0], "tutorial" | "task" | "config" | "seconds">) => {
    const xml = junitXml({ ...j, tutorial: ctx.tut.name, task: task.name, config, seconds: totalMs() / 1000 });
    if (opts.output !== undefined) writeFileSync(resolve(process.cwd(), opts.output), xml);
    else process.stdout.write(xml);
  };
  if (report.kind === "build-failed") {
    const text = formatDiagnostics(config, report.diagnostics);
    if (json) {
      emit({
        event: "end",
        ok: false,
        outcome: "build-failed",
        reason: `the ${config} build failed`,
        virtualTimeNs: null,
        timings: { buildMs, runMs: 0, totalMs: buildMs },
      });
    } else {
      const { text: expectedText } = expectationOf(task, config, expected);
      const patterns = completionPatterns(expectedText).map((p) => ({ pattern: p.source, endOfLine: p.endOfLine }));
      junit({ result: null, patterns, reason: text, output: "" });
    }
    return false;
  }
  const { result, output, run } = report;
  // What a person reads after the report goes, for a program, into note events (json) or to stderr (junit).
  const say = json ? (text: string) => emit({ event: "note", text }) : (text: string) => console.error(text);
  if (json) {
    lines.flush();
    for (const e of expectEvents(result)) emit(e);
  }
  if (!result.ok) for (const line of formatPointers(explainPointers(run))) say(line.replace(/^note: /, ""));
  if (result.ok && expected === "finish") await recordAndAdvance(ctx, report, opts, say);
  if (json) {
    emit({
      event: "end",
      ok: result.ok,
      outcome: run.outcome,
      reason: result.reason,
      virtualTimeNs: run.virtualTimeNs,
      timings: { buildMs, runMs: totalMs() - buildMs, totalMs: totalMs() },
    });
  } else {
    junit({ result, patterns: [], reason: result.reason, output });
  }
  return result.ok;
}

/**
 * Records the pass of the task this check was started on (never one the progress moved to while it
 * ran), then says which kernel it still has to pass on, or brings the next task's code.
 */
async function recordAndAdvance(
  ctx: ExerciseContext,
  report: Extract<CheckReport, { kind: "checked" }>,
  opts: CheckOptions,
  say: (text: string) => void,
): Promise<void> {
  const outcome = await saveProgress(ctx, () => passTask(progressScope(ctx), report.task.name, report.config));
  if (outcome) showProgress(ctx, outcome, opts, say);
}

/** Which kernel the task still has to pass on, or the task the learner is on now. */
function showProgress(
  ctx: ExerciseContext,
  { recorded, advanced }: PassOutcome,
  opts: CheckOptions,
  say: (text: string) => void,
): void {
  const task = recorded.task;
  const named = opts.task !== undefined;
  const current = recorded.progress.currentTask === task;
  for (const other of recorded.missing) {
    const stays = current
      ? ` (${task} stays your current task until it passes on ${recorded.missing.join(" and ")} too)`
      : "";
    say(
      `Also try the other kernel: sel4tut check${other === "mcs" ? " --mcs" : ""}${named || !current ? ` --task ${task}` : ""}${stays}`,
    );
  }
  if (!advanced) return;
  const next = ctx.tut.tasks.find((t) => t.name === advanced.to);
  if (!next) say("That was the last task of this tutorial.");
  else if (advanced.moved) {
    say(`Next task: ${next.name} (${next.title}). See README.md.`);
    bringNextTaskCode(ctx, task, next.name, opts.keepFiles === true, say);
  }
}

/**
 * The progress moved on in this process (exactly once): the learner's files get the next task's
 * start code, merged with their own edits, unless they keep their files as the official tutorials do.
 */
function bringNextTaskCode(
  ctx: ExerciseContext,
  passed: string,
  next: string,
  keepFiles: boolean,
  say: (text: string) => void,
): void {
  if (keepFiles || !readAdvanceState(ctx.exercise.dir).merge) {
    say(`Your files are as you left them; sel4tut next merges ${next}'s start code into them when you want it.`);
    return;
  }
  try {
    const outcome = advanceLearnerFiles(ctx, taskIndex(ctx.tut, passed), taskIndex(ctx.tut, next), {
      command: "advance",
      copies: false,
    });
    for (const line of describeAdvance(outcome)) say(line);
  } catch (e) {
    // The pass is recorded; only the merge did not happen, and nothing of the learner's was lost.
    if (!isSystemError(e)) throw e;
    console.error(
      `note: ${next}'s start code could not be merged into your files (${describeSystemError(e)}); sel4tut next tries again.`,
    );
  }
}
