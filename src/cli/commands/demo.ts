// sel4tut demo (npm start): render the fault-handlers solution into a temporary directory and
// check it on both kernel configurations.
import type { Command } from "commander";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CommandFailed } from "../../app/errors.js";
import { runAndJudge } from "../../app/check.js";
import { buildOrFail } from "../lib/exercise-run.js";
import { stoppableByCtrlC } from "../lib/ctrl-c.js";
import { failure, formatCheck, formatOutcome, success } from "../lib/report.js";
import { scaffoldExercise } from "../../app/scaffold.js";

const DEMO_TUTORIAL = "fault-handlers";

export function registerDemo(program: Command): void {
  program
    .command("demo")
    .description(`check the ${DEMO_TUTORIAL} solution on both kernel configurations`)
    .option("--keep", "keep the temporary exercise directory")
    .action(async (opts: { keep?: boolean }) => {
      const root = mkdtempSync(join(tmpdir(), "sel4tut-demo-"));
      const results: string[] = [];
      try {
        const s = scaffoldExercise({ tutorial: DEMO_TUTORIAL, cwd: root, solution: true, editorConfig: "master" });
        const task = s.tut.tasks[s.stage.task]!;
        console.log(`${s.tut.title}: the solved exercise, checked against "${task.name}" on every configuration.`);
        for (const config of s.tut.configs) {
          const target = { exerciseDir: s.dir, buildDir: s.buildDir, tut: s.tut, config };
          console.log(`\n=== ${config} ===`);
          const prepared = await buildOrFail(target, (m) => console.log(m));
          const { result, run, output } = await stoppableByCtrlC((signal) =>
            runAndJudge(
              target,
              prepared,
              { text: task.finish[config], failureTexts: task.failureTexts.finish },
              (t) => process.stdout.write(t),
              signal,
            ),
          );
          if (output.length > 0 && !output.endsWith("\n")) process.stdout.write("\n");
          console.log(formatOutcome(config, run));
          console.log(formatCheck(`Checking ${task.name} on ${config}:`, result));
          console.log(result.ok ? success(`Success on ${config}!`) : failure(`Failure on ${config}: ${result.reason}`));
          results.push(`${config}: ${result.ok ? "passed" : "FAILED"}`);
        }
      } finally {
        if (opts.keep) console.log(`\nKept ${root}`);
        else rmSync(root, { recursive: true, force: true });
      }
      const failed = results.some((r) => r.endsWith("FAILED"));
      console.log(`\n${(failed ? failure : success)(`Demo ${failed ? "failed" : "passed"}: ${results.join(", ")}.`)}`);
      if (failed) throw new CommandFailed("demo failed", true);
    });
}
