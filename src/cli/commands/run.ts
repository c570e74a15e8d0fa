// sel4tut run [--mcs]: build if needed, boot the system and stream its output (./simulate).
// Whatever the program does (finish, fault, deadlock, loop), the run itself succeeded: exit 0;
// judging the output is check's job. Build errors exit 1, Ctrl-C 130, sel4tut's own failures 70.
import type { Command } from "commander";
import { loadContext, requireConfig, targetFor } from "../../app/context.js";
import { CommandFailed } from "../../app/errors.js";
import { buildOrFail } from "../lib/exercise-run.js";
import { configOf, MCS_OPTION, TRACE_OPTION, traceFormatOf } from "../lib/options.js";
import { traceWriter } from "../lib/trace-text.js";
import { note } from "../lib/note.js";
import { stoppableByCtrlC } from "../lib/ctrl-c.js";
import { explainPointers, formatPointers } from "../lib/explain-pointers.js";
import { diagnosticsJson, emit, kernelEvents, lineSplitter } from "../lib/machine-output.js";
import { prepare, runBuilt, type Target } from "../../app/pipeline.js";
import { formatOutcome } from "../lib/report.js";
import { describeOutcome } from "../../check/explain.js";

export function registerRun(program: Command): void {
  program
    .command("run")
    .description("build if needed, then run the exercise on the simulated kernel")
    .addOption(MCS_OPTION())
    .option("--json", "print one JSON event per line (NDJSON): start, build, each output line, end")
    .addOption(TRACE_OPTION())
    .action(async (opts: { mcs?: boolean; json?: boolean; trace?: boolean | string }) => {
      const trace = traceFormatOf(opts);
      const ctx = loadContext(process.cwd(), note);
      const config = configOf(opts, ctx.tut);
      requireConfig(ctx.tut, config);
      const target = targetFor(ctx, config);
      if (opts.json || trace === "json") return runJson(ctx.tut.name, ctx.progress.currentTask, target, trace !== null);
      const prepared = await buildOrFail(target, (s) => console.error(s));
      const traced = trace === "text" ? traceWriter((text) => process.stdout.write(text)) : null;
      let last = "\n";
      const run = await stoppableByCtrlC((signal) =>
        runBuilt({
          plan: prepared.plan,
          outDir: prepared.build.outDir,
          config,
          simTimeLimitMs: ctx.tut.simTimeLimitMs,
          displayRoot: ctx.exercise.dir,
          onOutput: (text) => {
            if (traced) traced.output(text);
            else process.stdout.write(text);
            if (text) last = text;
          },
          signal,
          ...(traced ? { trace: traced.event } : {}),
        }),
      );
      if (!last.endsWith("\n")) process.stdout.write("\n");
      console.error(formatOutcome(config, run));
      // After the report, never among the program's output: which `explain` topic says what it means.
      for (const line of formatPointers(explainPointers(run))) console.error(line);
      // The program was not run to its end: sel4tut stopped it to protect the computer.
      if (run.outcome === "resource-limit") throw new CommandFailed("the run went over a resource limit", true);
    });
}

/** run --json: the same run as NDJSON events (src/cli/lib/machine-output.ts). */
async function runJson(tutorial: string, task: string, target: Target, trace: boolean): Promise<void> {
  const started = performance.now();
  emit({ event: "start", command: "run", tutorial, task, config: target.config });
  const prepared = await prepare(target);
  const buildMs = Math.round(performance.now() - started);
  emit({
    event: "build",
    config: target.config,
    status: prepared.build.status,
    diagnostics: diagnosticsJson(prepared.build.diagnostics),
    ms: buildMs,
  });
  if (prepared.build.status === "failed") {
    emit({
      event: "end",
      ok: false,
      outcome: "build-failed",
      reason: `the ${target.config} build failed`,
      virtualTimeNs: null,
      timings: { buildMs, runMs: 0, totalMs: buildMs },
    });
    throw new CommandFailed("build failed", true);
  }
  const lines = lineSplitter((line) => emit({ event: "output", line }));
  const runStarted = performance.now();
  const run = await stoppableByCtrlC((signal) =>
    runBuilt({
      plan: prepared.plan,
      outDir: prepared.build.outDir,
      config: target.config,
      simTimeLimitMs: target.tut.simTimeLimitMs,
      displayRoot: target.exerciseDir,
      onOutput: (text) => lines.push(text),
      signal,
      ...(trace ? { trace: kernelEvents } : {}),
    }),
  );
  lines.flush();
  for (const line of formatPointers(explainPointers(run))) emit({ event: "note", text: line.replace(/^note: /, "") });
  const runMs = Math.round(performance.now() - runStarted);
  // A run succeeds whatever the program did; its ending is the outcome.
  emit({
    event: "end",
    ok: true,
    outcome: run.outcome,
    reason: describeOutcome(run),
    virtualTimeNs: run.virtualTimeNs,
    timings: { buildMs, runMs, totalMs: Math.round(performance.now() - started) },
  });
}
