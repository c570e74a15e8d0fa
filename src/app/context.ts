// What every command inside an exercise needs: the exercise, its tutorial and its progress.
// Exercises that were moved, or made by another sel4tut, are explained here (docs/errors.md).
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { builtinDir } from "../tutorial/catalogue.js";
import {
  buildDirBelongsTo,
  EXERCISE_SCHEMA,
  ExerciseRecordError,
  findExercise,
  writeBuildMarker,
  writeExerciseRecord,
  type Exercise,
} from "../tutorial/exercise.js";
import type { KernelConfig } from "../abi/constants.js";
import { loadTutorial, taskIndex, TUTORIAL_FILE, type TutorialDef } from "../tutorial/schema.js";
import { NewerProgressError, PROGRESS_FILE, readProgress, type Progress } from "../tutorial/progress.js";
import type { ProgressScope } from "./progress.js";
import { CommandFailed, describeSystemError, isSystemError, UsageError } from "./errors.js";
import { readmeWithProgress, stageFor } from "../tutorial/render.js";
import { writeTextAtomic } from "../tutorial/state-file.js";
import { sel4tutVersion } from "./package-info.js";
import type { Target } from "./pipeline.js";

export interface ExerciseContext {
  exercise: Exercise;
  tut: TutorialDef;
  progress: Progress;
  /** Where things worth saying but not failing for go (the CLI prints them as `note:` lines). */
  note: Note;
}

export type Note = (text: string) => void;

export function loadContext(cwd: string, note: Note): ExerciseContext {
  const exercise = openExercise(cwd, note);
  const tutDir = tutorialDirOf(exercise);
  if (!existsSync(join(tutDir, TUTORIAL_FILE))) {
    throw new UsageError(
      `this exercise was made from the tutorial at ${tutDir}, which is no longer there. ` +
        "Put it back there; or, if it moved, make a new exercise from where it is now (sel4tut init --tut PATH NEWDIR) and copy your .ts files into it",
    );
  }
  const tut = loadTutorial(tutDir);
  const { progress, notice } = readExerciseProgress(exercise, tut);
  if (notice) note(notice);
  if (taskIndex(tut, progress.currentTask) < 0) progress.currentTask = tut.tasks[0]!.name;
  return { exercise, tut, progress, note };
}

/** Built-in tutorials are found by name in this sel4tut, so moving the package does not matter. */
export function tutorialDirOf(exercise: Exercise): string {
  const t = exercise.record.tutorial;
  return t.builtin ? builtinDir(t.name) : t.dir;
}

function readExerciseProgress(exercise: Exercise, tut: TutorialDef): ReturnType<typeof readProgress> {
  try {
    return readProgress(exercise.dir, tut.name, exercise.record.task);
  } catch (e) {
    if (!(e instanceof NewerProgressError)) throw e;
    throw new CommandFailed(
      `${e.message}. Update sel4tut and run the command again: npm install -g sel4tut@latest. Nothing was changed.`,
    );
  }
}

function openExercise(cwd: string, note: Note): Exercise {
  let exercise: Exercise;
  try {
    exercise = findExercise(cwd);
  } catch (e) {
    if (e instanceof ExerciseRecordError) throw new CommandFailed(recordErrorText(e));
    throw e;
  }
  compareVersions(exercise, note);
  if (exercise.movedFrom) adoptBuildDir(exercise, note);
  return exercise;
}

/** Tutorial and current task from the progress file next to an unreadable exercise record, if it says them. */
function progressBeside(exerciseFile: string): { tutorial?: unknown; currentTask?: unknown } {
  try {
    return JSON.parse(readFileSync(join(dirname(exerciseFile), basename(PROGRESS_FILE)), "utf8")) as {
      tutorial?: unknown;
      currentTask?: unknown;
    };
  } catch {
    return {};
  }
}

/** How to carry on in a fresh exercise: the learner's .ts files are theirs to copy over. */
function freshStart(e: ExerciseRecordError): string {
  const progress = progressBeside(e.file);
  const name = [e.found.tutorial?.name, progress.tutorial].find((n) => typeof n === "string") ?? "NAME";
  const task = [progress.currentTask, e.found.task].find((t) => typeof t === "string");
  return (
    `Your .ts files are untouched. To carry on, make a fresh exercise and copy them into it:\n` +
    `  sel4tut init --tut ${String(name)}${task ? ` --task ${String(task)}` : ""} NEWDIR`
  );
}

export function recordErrorText(e: ExerciseRecordError): string {
  const ours = sel4tutVersion();
  const madeBy = typeof e.found.sel4tutVersion === "string" ? `sel4tut ${e.found.sel4tutVersion}` : "another sel4tut";
  switch (e.kind) {
    case "newer":
      return (
        `this exercise was made by a newer sel4tut (${madeBy}, ${e.message}); this is sel4tut ${ours}, which reads exercise format ${EXERCISE_SCHEMA}.\n` +
        "Update sel4tut and run the command again: npm install -g sel4tut@latest (or npm install sel4tut@latest in your project). Nothing was changed."
      );
    case "older":
      return `this exercise was made by an older sel4tut (${madeBy}, ${e.message}) whose format this sel4tut (${ours}) no longer reads.\n${freshStart(e)}`;
    case "damaged":
      return `${e.file} is damaged (${e.message}), so sel4tut cannot tell which tutorial and task this exercise is.\n${freshStart(e)}`;
  }
}

/** major.minor.patch as numbers (a pre-release suffix is ignored). */
function versionParts(v: string): number[] {
  return v
    .split("-")[0]!
    .split(".")
    .map((p) => Number.parseInt(p, 10) || 0);
}

export function compareVersion(a: string, b: string): number {
  const [x, y] = [versionParts(a), versionParts(b)];
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) < (y[i] ?? 0) ? -1 : 1;
  return 0;
}

/** Exercises made before versions were recorded come from 0.1.0. */
const UNRECORDED_VERSION = "0.1.0";

/** Same format, other sel4tut: it works; say so, and what to do if something looks wrong. */
function compareVersions(exercise: Exercise, note: Note): void {
  const ours = sel4tutVersion();
  const theirs = exercise.record.sel4tutVersion ?? UNRECORDED_VERSION;
  const order = compareVersion(theirs, ours);
  if (order > 0) {
    note(
      `this exercise was made by sel4tut ${theirs}, which is newer than this sel4tut (${ours}). ` +
        "If something fails, update sel4tut: npm install -g sel4tut@latest",
    );
  } else if (order < 0 && exercise.record.openedBy !== ours) {
    note(
      `this exercise was made by sel4tut ${theirs}; this is sel4tut ${ours}. It still works, and your files stay as they are; ` +
        `the tutorial may have changed since (sel4tut init --tut ${exercise.record.tutorial.name} NEWDIR shows the current one). ` +
        "This note is shown once.",
    );
    exercise.record.openedBy = ours;
    try {
      writeExerciseRecord(exercise.dir, exercise.record);
    } catch {
      // Only the note's "once" is lost (a read-only exercise): it shows again next time.
    }
  }
}

/** A moved or renamed exercise builds next to where it is now, never in another exercise's build directory. */
function adoptBuildDir(exercise: Exercise, note: Note): void {
  const { dir, buildDir } = exercise;
  if (!buildDirBelongsTo(buildDir, dir)) {
    throw new CommandFailed(
      `this exercise was moved or renamed, and ${buildDir} (where it would build now) exists but is not its build directory; ` +
        "sel4tut never overwrites it. Move that directory away, or give this exercise another name, then run the command again.",
    );
  }
  mkdirSync(buildDir, { recursive: true });
  writeBuildMarker(buildDir, dir);
  exercise.record.buildDir = `../${basename(buildDir)}`;
  writeExerciseRecord(dir, exercise.record);
  note(`this exercise was moved or renamed (it used to build in ${exercise.movedFrom}); it builds in ${buildDir} now.`);
  exercise.movedFrom = null;
}

/** Where this exercise's progress lives, for the locked changes of app/progress.ts. */
export function progressScope(ctx: ExerciseContext): ProgressScope {
  return {
    dir: ctx.exercise.dir,
    tut: ctx.tut,
    firstTask: ctx.exercise.record.task,
    onNotice: ctx.note,
    onWritten: (progress) => refreshReadmeProgress(ctx, progress),
  };
}

/** Progress is worth keeping but not worth failing a command for: a change that cannot be saved is said, not thrown. */
export async function saveProgress<T>(ctx: ExerciseContext, change: () => Promise<T>): Promise<T | null> {
  try {
    return await change();
  } catch (e) {
    if (e instanceof NewerProgressError) {
      throw new CommandFailed(
        `${e.message}. Update sel4tut and run the command again: npm install -g sel4tut@latest. Nothing was changed.`,
      );
    }
    if (!isSystemError(e)) throw e;
    ctx.note(`your progress could not be saved: ${describeSystemError(e)}`);
    return null;
  }
}

/** The README's task list follows the progress (the rest of the README is the learner's to edit). */
function refreshReadmeProgress(ctx: ExerciseContext, progress: Progress): void {
  const file = join(ctx.exercise.dir, "README.md");
  if (!existsSync(file)) return;
  const { task, solution } = ctx.exercise.record;
  const given = taskIndex(ctx.tut, task) >= 0 ? stageFor(ctx.tut, task, solution) : { task: 0, solution: false };
  try {
    const updated = readmeWithProgress(readFileSync(file, "utf8"), ctx.tut, given, progress);
    if (updated !== null) writeTextAtomic(file, updated);
  } catch (e) {
    // The progress itself is saved; only its copy in the README is behind.
    if (!isSystemError(e)) throw e;
    ctx.note(`README.md's task list could not be updated: ${describeSystemError(e)}`);
  }
}

/** A tutorial written for one kernel only (mcs: MCS) refuses the other, saying which option to use. */
export function requireConfig(tut: TutorialDef, config: KernelConfig): void {
  if (tut.configs.includes(config)) return;
  const fix =
    config === "master"
      ? "add --mcs (for example: sel4tut check --mcs)"
      : "leave out --mcs (for example: sel4tut check)";
  const kernels = tut.configs.map((c) => (c === "mcs" ? "MCS" : c)).join(" and ");
  throw new UsageError(`${tut.name} runs on the ${kernels} kernel only: ${fix}`);
}

export function resolveTask(tut: TutorialDef, requested: string | undefined, current: string): number {
  const name = requested ?? current;
  const i = taskIndex(tut, name);
  if (i < 0) throw new UsageError(`unknown task "${name}" (tasks: ${tut.tasks.map((t) => t.name).join(", ")})`);
  return i;
}

/** What run, check and build work on: this exercise, built and run for one configuration. */
export function targetFor(ctx: ExerciseContext, config: KernelConfig): Target {
  return {
    exerciseDir: ctx.exercise.dir,
    buildDir: ctx.exercise.buildDir,
    tut: ctx.tut,
    config,
    task: ctx.progress.currentTask,
  };
}
