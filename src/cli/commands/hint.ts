// sel4tut hint [--task T] [--all]: hints come in layers (nudge, pointer, near-solution); each
// call reveals one more, and the count is kept in the progress file.
import { Option, type Command } from "commander";
import { recordHintsShown } from "../../app/progress.js";
import { loadContext, progressScope, resolveTask, saveProgress } from "../lib/context.js";

export function registerHint(program: Command): void {
  program
    .command("hint")
    .description("show the next hint for the current task")
    .option("--task <task>", "hints for this task instead of the current one")
    .option("--all", "show every hint of the task at once")
    // sel4tut watch shows hints with its `h` key, and says so instead.
    .addOption(new Option("--in-watch").hideHelp())
    .action(async (opts: { task?: string; all?: boolean; inWatch?: boolean }) => {
      const ctx = loadContext(process.cwd());
      const task = ctx.tut.tasks[resolveTask(ctx.tut, opts.task, ctx.progress.currentTask)]!;
      const shown = ctx.progress.hintsShown[task.name] ?? 0;
      const upTo = opts.all ? task.hints.length : Math.min(shown + 1, task.hints.length);
      // Counted before they are shown: whoever sees a hint printed finds it in the progress file.
      if (upTo > shown) await saveProgress(() => recordHintsShown(progressScope(ctx), task.name, upTo));
      console.log(`Hints for ${task.name} (${task.title}):`);
      task.hints.slice(0, upTo).forEach((h, i) => console.log(`\n${i + 1}/${task.hints.length}. ${h}`));
      if (upTo < task.hints.length) console.log(`\n${opts.inWatch ? "Press h again" : "Run sel4tut hint again"} for the next one.`);
    });
}
