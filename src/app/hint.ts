// The `hint` use case: hints come in layers (nudge, pointer, near-solution); each request reveals
// one more (or all), and the count is kept in the progress file before they are shown, so whoever
// sees a hint finds it recorded.
import type { TaskDef } from "../tutorial/schema.js";
import { progressScope, resolveTask, saveProgress, type ExerciseContext } from "./context.js";
import { recordHintsShown } from "./progress.js";

export interface Hints {
  task: TaskDef;
  /** The hints revealed so far, in order. */
  shown: readonly string[];
  /** More hints remain. */
  more: boolean;
}

export async function revealHints(
  ctx: ExerciseContext,
  requested: { task?: string | undefined; all?: boolean | undefined },
): Promise<Hints> {
  // The progress as it is now: another command (watch's h, a second terminal) may have shown more.
  const task = ctx.tut.tasks[resolveTask(ctx.tut, requested.task, ctx.progress.currentTask)]!;
  const before = ctx.progress.hintsShown[task.name] ?? 0;
  const upTo = requested.all ? task.hints.length : Math.min(before + 1, task.hints.length);
  if (upTo > before) {
    await saveProgress(ctx, () => recordHintsShown(progressScope(ctx), task.name, upTo));
    ctx.progress.hintsShown[task.name] = upTo;
  }
  return { task, shown: task.hints.slice(0, upTo), more: upTo < task.hints.length };
}
