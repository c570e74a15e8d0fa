// sel4tut hint [--task T] [--all]: hints come in layers (nudge, pointer, near-solution); each
// call reveals one more, and the count is kept in the progress file. `watch` shows its h key's
// hints with the same showHints().
import type { Command } from "commander";
import { loadContext, type ExerciseContext } from "../../app/context.js";
import { revealHints } from "../../app/hint.js";
import { note } from "../lib/note.js";

export function registerHint(program: Command): void {
  program
    .command("hint")
    .description("show the next hint for the current task")
    .option("--task <task>", "hints for this task instead of the current one")
    .option("--all", "show every hint of the task at once")
    .action(async (opts: { task?: string; all?: boolean }) => {
      await showHints(loadContext(process.cwd(), note), opts, "Run sel4tut hint again");
    });
}

/** Reveals and prints the next hint; `again` says how to get the one after it. */
export async function showHints(
  ctx: ExerciseContext,
  opts: { task?: string; all?: boolean },
  again: string,
): Promise<void> {
  const { task, shown, more } = await revealHints(ctx, opts);
  console.log(`Hints for ${task.name} (${task.title}):`);
  shown.forEach((h, i) => console.log(`\n${i + 1}/${task.hints.length}. ${h}`));
  if (more) console.log(`\n${again} for the next one.`);
}
