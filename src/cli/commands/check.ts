// sel4tut check [--mcs] [--start] [--task T]: run the exercise and expect the task's
// completion lines, like the official ./check. Exit 0 on success, 1 on failure, 2 on misuse.
// --json and --reporter junit give the same check to programs (src/cli/lib/machine-output.ts).
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { Option, type Command } from "commander";
import { advanceProgress, recordPass } from "../../app/progress.js";
import type { KernelConfig } from "../../abi/constants.js";
import { completionPatterns } from "../../text/patterns.js";
import {
  loadContext,
  progressScope,
  resolveTask,
  saveProgress,
  targetFor,
  type ExerciseContext,
} from "../lib/context.js";
import { CommandFailed, describeSystemError, isSystemError, UsageError } from "../../app/errors.js";
import { explainPointers, formatPointers } from "../lib/explain-pointers.js";
import { configOf, requireConfig, runAndCheck } from "../lib/exercise-run.js";
import { diagnosticsJson, emit, expectEvents, junitXml, lineSplitter } from "../lib/machine-output.js";
import { prepare } from "../lib/pipeline.js";
import { failure, formatCheck, formatDiagnostics, formatOutput, success } from "../lib/report.js";
import { advanceLearnerFiles, describeAdvance, readAdvanceState } from "../lib/advance.js";
import { taskIndex } from "../../tutorial/schema.js";

const REPORTERS = ["human", "json", "junit"] as const;
type Reporter = (typeof REPORTERS)[number];

interface CheckOptions {
  mcs?: boolean;
  start?: boolean;
  task?: string;
  quiet?: boolean;
  inWatch?: boolean;
  keepFiles?: boolean;
  json?: boolean;
  reporter?: string;
  output?: string;
}

function reporterOf(opts: CheckOptions): Reporter {
  const r = opts.json ? "json" : (opts.reporter ?? "human");
  if (!(REPORTERS as readonly string[]).includes(r))
    throw new UsageError(`unknown reporter "${r}" (reporters: ${REPORTERS.join(", ")})`);
  if (opts.output !== undefined && r !== "junit") throw new UsageError("--output is for --reporter junit");
  return r as Reporter;
}

export function registerCheck(program: Command): void {
  program
    .command("check")
    .description("run the exercise and check the current task's completion lines")
    .option("--mcs", "use the MCS kernel configuration")
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
    // watch runs check in its own process, where a hint is a key press away.
    .addOption(new Option("--in-watch").hideHelp())
    .action(async (opts: CheckOptions) => {
      const reporter = reporterOf(opts);
      const human = reporter === "human";
      const started = performance.now();
      const ctx = loadContext(process.cwd());
      const config = configOf(opts);
      requireConfig(ctx.tut, config);
      const index = resolveTask(ctx.tut, opts.task, ctx.progress.currentTask);
      const task = ctx.tut.tasks[index]!;
      const target = targetFor(ctx, config);
      const which = opts.start ? "START" : "FINISH";
      const expectation = opts.start
        ? { text: task.start[config], failureTexts: task.failureTexts.start }
        : { text: task.finish[config], failureTexts: task.failureTexts.finish };
      if (reporter === "json")
        emit({ event: "start", command: "check", tutorial: ctx.tut.name, task: task.name, config, expect: which });
      const junit = (j: Omit<Parameters<typeof junitXml>[0], "tutorial" | "task" | "config" | "seconds">) => {
        const xml = junitXml({
          ...j,
          tutorial: ctx.tut.name,
          task: task.name,
          config,
          seconds: (performance.now() - started) / 1000,
        });
        if (opts.output !== undefined) writeFileSync(resolve(process.cwd(), opts.output), xml);
        else process.stdout.write(xml);
      };

      const prepared = await prepare(target);
      const buildMs = Math.round(performance.now() - started);
      const { diagnostics } = prepared.build;
      if (reporter === "json")
        emit({
          event: "build",
          config,
          status: prepared.build.status,
          diagnostics: diagnosticsJson(diagnostics),
          ms: buildMs,
        });
      if (prepared.build.status === "failed") {
        const text = formatDiagnostics(config, diagnostics);
        if (human) console.log(text);
        if (reporter === "json") {
          emit({
            event: "end",
            ok: false,
            outcome: "build-failed",
            reason: `the ${config} build failed`,
            virtualTimeNs: null,
            timings: { buildMs, runMs: 0, totalMs: buildMs },
          });
        }
        if (reporter === "junit")
          junit({
            result: null,
            patterns: completionPatterns(expectation.text).map((p) => ({ pattern: p.source, endOfLine: p.endOfLine })),
            reason: text,
            output: "",
          });
        throw new CommandFailed("build failed", true);
      }

      const lines = lineSplitter((line) => emit({ event: "output", line }));
      const echo =
        reporter === "json"
          ? (s: string) => lines.push(s)
          : human && !opts.quiet
            ? (s: string) => process.stdout.write(s)
            : null;
      const runStarted = performance.now();
      const { result, output, run } = await runAndCheck(target, prepared, expectation, echo);
      const runMs = Math.round(performance.now() - runStarted);
      if (reporter === "json") {
        lines.flush();
        for (const e of expectEvents(result)) emit(e);
      }
      // What a person reads after the report goes, for a program, into note events (json) or to stderr (junit).
      const say =
        reporter === "json"
          ? (text: string) => emit({ event: "note", text })
          : reporter === "junit"
            ? (text: string) => console.error(text)
            : (text: string) => console.log(text);
      const finish = () => {
        if (reporter === "json") {
          emit({
            event: "end",
            ok: result.ok,
            outcome: run.outcome,
            reason: result.reason,
            virtualTimeNs: run.virtualTimeNs,
            timings: { buildMs, runMs, totalMs: Math.round(performance.now() - started) },
          });
        }
        if (reporter === "junit") junit({ result, patterns: [], reason: result.reason, output });
      };

      if (human) {
        // A failed check always shows the output it judged, even when it was not echoed.
        if (!result.ok && opts.quiet) console.log(formatOutput(output));
        console.log(formatCheck(`\nChecking ${task.name} on ${config} (${which} text):`, result));
      }
      if (!result.ok) {
        if (human) console.log(failure(`Failure! ${result.reason}`));
        // Notes go to stderr (as every note does), after the reason they are about.
        for (const line of formatPointers(explainPointers(output, run))) {
          if (reporter === "json") say(line.replace(/^note: /, ""));
          else console.error(line);
        }
        if (human)
          console.log(
            opts.inWatch
              ? "Stuck? Press h for a hint."
              : `Stuck? sel4tut hint${opts.task ? ` --task ${task.name}` : ""}`,
          );
        finish();
        throw new CommandFailed("check failed", true);
      }
      if (opts.start) {
        // The start state passing is no pass of the task: say what it showed.
        if (human)
          console.log(
            success(
              `Success! ${task.name}'s start code prints its START text on ${config}, as it should before you solve the task.`,
            ),
          );
        finish();
        return;
      }
      if (human) console.log(success(`Success! ${task.name} passes on ${config}.`));
      await recordAndAdvance(ctx, task.name, config, opts.task !== undefined, opts.keepFiles === true, say);
      finish();
    });
}

/**
 * Records the pass of the task this check was started on (never one the progress moved to while it
 * ran), then moves the progress on if the task has now passed on every kernel of the tutorial.
 */
async function recordAndAdvance(
  ctx: ExerciseContext,
  taskName: string,
  config: KernelConfig,
  named: boolean,
  keepFiles: boolean,
  say: (text: string) => void,
): Promise<void> {
  const scope = progressScope(ctx);
  const recorded = await saveProgress(() => recordPass(scope, taskName, config));
  if (!recorded) return;
  const task = ctx.tut.tasks.find((t) => t.name === taskName)!;
  for (const other of recorded.missing) {
    const current = recorded.progress.currentTask === taskName;
    const moves = current
      ? ` (${taskName} stays your current task until it passes on ${recorded.missing.join(" and ")} too)`
      : "";
    say(
      `Also try the other kernel: sel4tut check${other === "mcs" ? " --mcs" : ""}${named || !current ? ` --task ${task.name}` : ""}${moves}`,
    );
  }
  if (!recorded.complete) return;
  const advanced = await saveProgress(() => advanceProgress(scope, taskName));
  if (!advanced) return;
  const next = ctx.tut.tasks.find((t) => t.name === advanced.to);
  if (!next) say("That was the last task of this tutorial.");
  else if (advanced.moved) {
    say(`Next task: ${next.name} (${next.title}). See README.md.`);
    bringNextTaskCode(ctx, taskName, next.name, keepFiles, say);
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
