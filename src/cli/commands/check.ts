// sel4tut check [--mcs] [--start] [--task T]: run the exercise and expect the task's
// completion lines, like the official ./check. Exit 0 on success, 1 on failure, 2 on misuse.
import { Option, type Command } from "commander";
import { advanceProgress, recordPass } from "../../app/progress.js";
import type { KernelConfig } from "../../abi/constants.js";
import { loadContext, progressScope, resolveTask, saveProgress, targetFor, type ExerciseContext } from "../lib/context.js";
import { CommandFailed, describeSystemError, isSystemError } from "../../app/errors.js";
import { explainPointers, formatPointers } from "../lib/explain-pointers.js";
import { buildOrFail, configOf, requireConfig, runAndCheck } from "../lib/exercise-run.js";
import { failure, formatCheck, formatOutput, success } from "../lib/report.js";
import { advanceLearnerFiles, describeAdvance, readAdvanceState } from "../lib/advance.js";
import { taskIndex } from "../../tutorial/schema.js";

export function registerCheck(program: Command): void {
  program
    .command("check")
    .description("run the exercise and check the current task's completion lines")
    .option("--mcs", "use the MCS kernel configuration")
    .option("--start", "expect the task's START text (what its unsolved code prints)")
    .option("--task <task>", "check this task instead of the current one")
    .option("--quiet", "do not echo the program's output")
    // watch runs check in its own process, where a hint is a key press away.
    .option("--keep-files", "when the progress moves on, leave your files as they are (as the official tutorials do); sel4tut next brings the code in later")
    // watch runs check in its own process, where a hint is a key press away.
    .addOption(new Option("--in-watch").hideHelp())
    .action(async (opts: { mcs?: boolean; start?: boolean; task?: string; quiet?: boolean; inWatch?: boolean; keepFiles?: boolean }) => {
      const ctx = loadContext(process.cwd());
      const config = configOf(opts);
      requireConfig(ctx.tut, config);
      const index = resolveTask(ctx.tut, opts.task, ctx.progress.currentTask);
      const task = ctx.tut.tasks[index]!;
      const target = targetFor(ctx, config);
      const prepared = await buildOrFail(target, (s) => console.log(s));
      const which = opts.start ? "START" : "FINISH";
      const expectation = opts.start
        ? { text: task.start[config], failureTexts: task.failureTexts.start }
        : { text: task.finish[config], failureTexts: task.failureTexts.finish };
      const { result, output, run } = await runAndCheck(target, prepared, expectation, opts.quiet ? null : (s) => process.stdout.write(s));
      // A failed check always shows the output it judged, even when it was not echoed.
      if (!result.ok && opts.quiet) console.log(formatOutput(output));
      console.log(formatCheck(`\nChecking ${task.name} on ${config} (${which} text):`, result));
      if (!result.ok) {
        console.log(failure(`Failure! ${result.reason}`));
        // Notes go to stderr (as every note does), after the reason they are about.
        for (const line of formatPointers(explainPointers(output, run))) console.error(line);
        console.log(opts.inWatch ? "Stuck? Press h for a hint." : `Stuck? sel4tut hint${opts.task ? ` --task ${task.name}` : ""}`);
        throw new CommandFailed("check failed", true);
      }
      if (opts.start) {
        // The start state passing is no pass of the task: say what it showed.
        console.log(success(`Success! ${task.name}'s start code prints its START text on ${config}, as it should before you solve the task.`));
        return;
      }
      console.log(success(`Success! ${task.name} passes on ${config}.`));
      await recordAndAdvance(ctx, task.name, config, opts.task !== undefined, opts.keepFiles === true);
    });
}

/**
 * Records the pass of the task this check was started on (never one the progress moved to while it
 * ran), then moves the progress on if the task has now passed on every kernel of the tutorial.
 */
async function recordAndAdvance(ctx: ExerciseContext, taskName: string, config: KernelConfig, named: boolean, keepFiles: boolean): Promise<void> {
  const scope = progressScope(ctx);
  const recorded = await saveProgress(() => recordPass(scope, taskName, config));
  if (!recorded) return;
  const task = ctx.tut.tasks.find((t) => t.name === taskName)!;
  for (const other of recorded.missing) {
    const current = recorded.progress.currentTask === taskName;
    const moves = current ? ` (${taskName} stays your current task until it passes on ${recorded.missing.join(" and ")} too)` : "";
    console.log(`Also try the other kernel: sel4tut check${other === "mcs" ? " --mcs" : ""}${named || !current ? ` --task ${task.name}` : ""}${moves}`);
  }
  if (!recorded.complete) return;
  const advanced = await saveProgress(() => advanceProgress(scope, taskName));
  if (!advanced) return;
  const next = ctx.tut.tasks.find((t) => t.name === advanced.to);
  if (!next) console.log("That was the last task of this tutorial.");
  else if (advanced.moved) {
    console.log(`Next task: ${next.name} (${next.title}). See README.md.`);
    bringNextTaskCode(ctx, taskName, next.name, keepFiles);
  }
}

/**
 * The progress moved on in this process (exactly once): the learner's files get the next task's
 * start code, merged with their own edits, unless they keep their files as the official tutorials do.
 */
function bringNextTaskCode(ctx: ExerciseContext, passed: string, next: string, keepFiles: boolean): void {
  if (keepFiles || !readAdvanceState(ctx.exercise.dir).merge) {
    console.log(`Your files are as you left them; sel4tut next merges ${next}'s start code into them when you want it.`);
    return;
  }
  try {
    const outcome = advanceLearnerFiles(ctx, taskIndex(ctx.tut, passed), taskIndex(ctx.tut, next), { command: "advance", copies: false });
    for (const line of describeAdvance(outcome)) console.log(line);
  } catch (e) {
    // The pass is recorded; only the merge did not happen, and nothing of the learner's was lost.
    if (!isSystemError(e)) throw e;
    console.error(`note: ${next}'s start code could not be merged into your files (${describeSystemError(e)}); sel4tut next tries again.`);
  }
}
