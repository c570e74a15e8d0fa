// sel4tut trace [--mcs] [--html FILE]: run the exercise with every kernel event recorded and write
// the run as one self-contained HTML sequence diagram (src/cli/lib/trace-html.ts). Like `run`, it
// succeeds whatever the program did (a failed run's diagram shows where it went wrong); build
// errors exit 1.
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { loadContext, requireConfig, targetFor } from "../../app/context.js";
import { CommandFailed } from "../../app/errors.js";
import { traceExercise } from "../../app/trace.js";
import { configOf, MCS_OPTION } from "../lib/options.js";
import { note } from "../lib/note.js";
import { stoppableByCtrlC } from "../lib/ctrl-c.js";
import { explainPointers, formatPointers } from "../lib/explain-pointers.js";
import { formatDiagnostics, formatOutcome } from "../lib/report.js";
import { renderTraceHtml } from "../lib/trace-html.js";

export function registerTrace(program: Command): void {
  program
    .command("trace")
    .description("run the exercise and write its kernel events as an HTML sequence diagram")
    .addOption(MCS_OPTION())
    .option("--html <file>", "where to write the HTML (default: DIR_build/trace-master.html or trace-mcs.html)")
    .action(async (opts: { mcs?: boolean; html?: string }) => {
      const ctx = loadContext(process.cwd(), note);
      const config = configOf(opts, ctx.tut);
      requireConfig(ctx.tut, config);
      const target = targetFor(ctx, config);
      const report = await stoppableByCtrlC((signal) => traceExercise(target, { signal }));
      if (report.kind === "build-failed") {
        console.error(formatDiagnostics(config, report.build.diagnostics));
        throw new CommandFailed("build failed", true);
      }
      const file =
        opts.html !== undefined ? resolve(process.cwd(), opts.html) : join(target.buildDir, `trace-${config}.html`);
      const html = renderTraceHtml({
        title: `${ctx.tut.name}: ${ctx.progress.currentTask} on ${config}`,
        config,
        outcome: report.run.outcome,
        report: report.run.report,
        events: report.events,
        sources: report.sources,
      });
      writeFileSync(file, html);
      console.error(formatOutcome(config, report.run));
      for (const line of formatPointers(explainPointers(report.run))) console.error(line);
      console.log(`wrote ${file} (${report.events.length} kernel events): open it in a browser`);
    });
}
