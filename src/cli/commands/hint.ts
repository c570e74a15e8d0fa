// sel4tut hint [--task T] [--all]: hints come in layers (nudge, pointer, near-solution); each
// call reveals one more, and the count is kept in the progress file.
import type { Command } from "commander";
import { loadContext, resolveTask, saveProgress } from "../lib/context.js";

export function registerHint(program: Command): void {
  program
    .command("hint")
    .description("show the next hint for the current task")
    .option("--task <task>", "hints for this task instead of the current one")
    .option("--all", "show every hint of the task at once")
    .action((opts: { task?: string; all?: boolean }) => {
      const ctx = loadContext(process.cwd());
      const task = ctx.tut.tasks[resolveTask(ctx.tut, opts.task, ctx.progress.currentTask)]!;
      const shown = ctx.progress.hintsShown[task.name] ?? 0;
      const upTo = opts.all ? task.hints.length : Math.min(shown + 1, task.hints.length);
      console.log(`Hints for ${task.name} (${task.title}):`);
      task.hints.slice(0, upTo).forEach((h, i) => console.log(`\n${i + 1}/${task.hints.length}. ${h}`));
      if (upTo < task.hints.length) console.log("\nRun sel4tut hint again for the next one.");
      if (upTo > shown) {
        ctx.progress.hintsShown[task.name] = upTo;
        saveProgress(ctx);
      }
    });
}
