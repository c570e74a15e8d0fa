// What every command inside an exercise needs: the exercise, its tutorial and its progress.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { BUILTIN_TUTORIALS_DIR } from "../../tutorial/catalogue.js";
import { findExercise, type Exercise } from "../../tutorial/exercise.js";
import { loadTutorial, taskIndex, TUTORIAL_FILE, type TutorialDef } from "../../tutorial/format.js";
import { readProgress, type Progress } from "../../tutorial/progress.js";
import { UsageError } from "./errors.js";

export interface ExerciseContext {
  exercise: Exercise;
  tut: TutorialDef;
  progress: Progress;
}

export function loadContext(cwd: string): ExerciseContext {
  const exercise = findExercise(cwd);
  const t = exercise.record.tutorial;
  // Built-in tutorials are found by name in this sel4tut, so moving the package does not matter.
  const tutDir = t.builtin ? join(BUILTIN_TUTORIALS_DIR, t.name) : t.dir;
  if (!existsSync(join(tutDir, TUTORIAL_FILE))) {
    throw new UsageError(`this exercise was made from the tutorial at ${tutDir}, which is no longer there`);
  }
  const tut = loadTutorial(tutDir);
  const { progress, notice } = readProgress(exercise.dir, tut.name, exercise.record.task);
  // Said on stderr so that it never mixes with a program's output.
  if (notice) console.error(`note: ${notice}`);
  if (taskIndex(tut, progress.currentTask) < 0) progress.currentTask = tut.tasks[0]!.name;
  return { exercise, tut, progress };
}

export function resolveTask(tut: TutorialDef, requested: string | undefined, current: string): number {
  const name = requested ?? current;
  const i = taskIndex(tut, name);
  if (i < 0) throw new UsageError(`unknown task "${name}" (tasks: ${tut.tasks.map((t) => t.name).join(", ")})`);
  return i;
}
