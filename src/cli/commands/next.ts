// sel4tut next [--task T]: bring a task's start code into the learner's files, merged with their
// own edits. With a merge still owed from a passed check (it conflicted), it writes that one, the
// conflicted files as FILE.merge copies with markers. Otherwise it moves the current task on (to T,
// or the next one) and merges from the end of the current task to the start of that one.
import type { Command } from "commander";
import { moveToTask } from "../../app/progress.js";
import { UsageError } from "../../app/errors.js";
import { note } from "../lib/note.js";
import { taskIndex } from "../../tutorial/schema.js";
import { advanceLearnerFiles, describeAdvance, readAdvanceState } from "../../app/advance.js";
import { loadContext, progressScope, resolveTask, saveProgress } from "../../app/context.js";

export function registerNext(program: Command): void {
  program
    .command("next")
    .description("bring the next task's start code (or task T's) into your files, keeping your own edits")
    .option("--task <task>", "go to this task instead of the next one")
    .action(async (opts: { task?: string }) => {
      const ctx = loadContext(process.cwd(), note);
      const { tut } = ctx;
      const current = taskIndex(tut, ctx.progress.currentTask);
      const pending = readAdvanceState(ctx.exercise.dir).pending;
      let from: number;
      let to: number;
      if (
        pending &&
        opts.task === undefined &&
        pending.to === ctx.progress.currentTask &&
        taskIndex(tut, pending.from) >= 0
      ) {
        [from, to] = [taskIndex(tut, pending.from), current];
      } else {
        to = opts.task === undefined ? current + 1 : resolveTask(tut, opts.task, ctx.progress.currentTask);
        if (to >= tut.tasks.length)
          throw new UsageError(`${tut.tasks[current]!.name} is the last task of this tutorial; there is no next one`);
        if (to === current)
          throw new UsageError(`${tut.tasks[to]!.name} is already your current task (sel4tut reset starts it over)`);
        from = current;
        const target = tut.tasks[to]!.name;
        await saveProgress(ctx, () => moveToTask(progressScope(ctx), target));
        console.log(`Current task: ${target} (${tut.tasks[to]!.title}). See README.md.`);
      }
      const outcome = advanceLearnerFiles(ctx, from, to, { command: "next", copies: true });
      const lines = describeAdvance(outcome);
      console.log(lines.length > 0 ? lines.join("\n") : `Your files already hold ${outcome.to}'s start code.`);
    });
}
