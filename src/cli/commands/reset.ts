// sel4tut reset [FILE...] [--yes]: put the learner's files back to the start code of the current
// task, as init would render them, after keeping the current versions in .sel4tut/history/N/.
import type { Command } from "commander";
import { YES_OPTION } from "../lib/options.js";
import { relative, resolve } from "node:path";
import { renderSources } from "../../tutorial/render.js";
import { loadContext, resolveTask } from "../../app/context.js";
import { note } from "../lib/note.js";
import { UsageError } from "../../app/errors.js";
import { fileList, replaceFiles } from "../lib/replace-files.js";
import { reportReplaced } from "../lib/replace-report.js";

/** The exercise-relative names of the files asked for, each one the tutorial renders. */
function chosenFiles(asked: string[], exerciseDir: string, rendered: ReadonlyMap<string, string>): string[] {
  if (asked.length === 0) return [...rendered.keys()];
  return asked.map((a) => {
    // A path from where the learner stands, or a name as the exercise knows it (from DIR_build).
    const fromHere = relative(exerciseDir, resolve(process.cwd(), a)).split("\\").join("/");
    const name = rendered.has(fromHere) ? fromHere : a;
    if (!rendered.has(name)) {
      throw new UsageError(
        `"${a}" is not a file this tutorial gives you; reset can restore ${[...rendered.keys()].join(", ")}`,
      );
    }
    return name;
  });
}

export function registerReset(program: Command): void {
  program
    .command("reset")
    .description("put your files back to the start of the current task (keeps a copy first)")
    .argument("[files...]", "only these files (default: every source file of the tutorial)")
    .addOption(YES_OPTION())
    .action(async (asked: string[], opts: { yes?: boolean }) => {
      const ctx = loadContext(process.cwd(), note);
      const index = resolveTask(ctx.tut, undefined, ctx.progress.currentTask);
      const task = ctx.tut.tasks[index]!;
      // The current task's start code: what `init --task <current>` writes.
      const rendered = renderSources(ctx.tut, { task: index, solution: false });
      const names = chosenFiles(asked, ctx.exercise.dir, rendered);
      const start = `the start of task ${task.name} (${task.title})`;
      const result = await replaceFiles({
        exerciseDir: ctx.exercise.dir,
        wanted: new Map(names.map((n) => [n, Buffer.from(rendered.get(n)!, "utf8")])),
        reason: { command: "reset", task: task.name },
        yes: opts.yes ?? false,
        action: (files) => `Reset ${files} to ${start}`,
        withYes: `sel4tut reset --yes${asked.length > 0 ? ` ${asked.join(" ")}` : ""}`,
      });
      reportReplaced(result, "reset", {
        done: (files) => `Reset ${files} to ${start}.`,
        unchanged: `Nothing to reset: ${fileList(names)} ${names.length === 1 ? "is" : "are"} already the start code of task ${task.name}.`,
      });
    });
}
