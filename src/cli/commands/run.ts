// sel4tut run [--mcs]: build if needed, boot the system and stream its output (./simulate).
// Whatever the program does (finish, fault, deadlock, loop), the run itself succeeded: exit 0;
// judging the output is check's job. Build errors exit 1, Ctrl-C 130, sel4tut's own failures 70.
import type { Command } from "commander";
import { loadContext, targetFor } from "../lib/context.js";
import { CommandFailed } from "../../app/errors.js";
import { buildOrFail, configOf, requireConfig } from "../lib/exercise-run.js";
import { explainPointers, formatPointers } from "../lib/explain-pointers.js";
import { runBuilt } from "../lib/pipeline.js";
import { formatOutcome } from "../lib/report.js";

export function registerRun(program: Command): void {
  program
    .command("run")
    .description("build if needed, then run the exercise on the simulated kernel")
    .option("--mcs", "use the MCS kernel configuration")
    .action(async (opts: { mcs?: boolean }) => {
      const ctx = loadContext(process.cwd());
      const config = configOf(opts);
      requireConfig(ctx.tut, config);
      const target = targetFor(ctx, config);
      const prepared = await buildOrFail(target, (s) => console.error(s));
      let last = "\n";
      let output = "";
      const run = await runBuilt({
        plan: prepared.plan, outDir: prepared.build.outDir, config, simTimeLimitMs: ctx.tut.simTimeLimitMs,
        displayRoot: ctx.exercise.dir,
        onOutput: (text) => {
          process.stdout.write(text);
          output += text;
          if (text) last = text;
        },
      });
      if (!last.endsWith("\n")) process.stdout.write("\n");
      console.error(formatOutcome(config, run));
      // After the report, never among the program's output: which `explain` topic says what it means.
      for (const line of formatPointers(explainPointers(output, run))) console.error(line);
      // The program was not run to its end: sel4tut stopped it to protect the computer.
      if (run.outcome === "resource-limit") throw new CommandFailed("the run went over a resource limit", true);
    });
}
