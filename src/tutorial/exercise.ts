// An exercise directory (what `init` creates) and its build directory: how it was rendered,
// and how any command finds it again from inside DIR or DIR_build.
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import type { KernelConfig } from "./format.js";
import { writeJsonAtomic } from "./state-file.js";

export const STATE_DIR = ".sel4tut";
export const EXERCISE_FILE = join(STATE_DIR, "exercise.json");
export const BUILD_MARKER = ".sel4tut-build.json";

export interface ExerciseRecord {
  schemaVersion: 1;
  tutorial: { name: string; builtin: boolean; dir: string };
  /** The task the exercise was rendered at and whether it was rendered solved. */
  task: string;
  solution: boolean;
  /** The configuration whose typings the editor sees. */
  editorConfig: KernelConfig;
  /** The build directory, relative to the exercise directory. */
  buildDir: string;
  /** Thread sources as rendered, so a later command can tell learner edits apart. */
  sources: string[];
}

export interface Exercise {
  dir: string;
  buildDir: string;
  record: ExerciseRecord;
}

export class NotAnExerciseError extends Error {}

export function buildDirFor(exerciseDir: string): string {
  return `${exerciseDir.replace(/[\\/]+$/, "")}_build`;
}

export function writeExerciseRecord(dir: string, record: ExerciseRecord): void {
  writeJsonAtomic(join(dir, EXERCISE_FILE), record);
}

export function writeBuildMarker(buildDir: string, exerciseDir: string): void {
  writeJsonAtomic(join(buildDir, BUILD_MARKER), { schemaVersion: 1, exercise: `../${basename(exerciseDir)}` });
}

function readRecord(dir: string): ExerciseRecord {
  const file = join(dir, EXERCISE_FILE);
  const raw = JSON.parse(readFileSync(file, "utf8")) as Partial<ExerciseRecord>;
  if (raw.schemaVersion !== 1 || !raw.tutorial || typeof raw.task !== "string") {
    throw new NotAnExerciseError(`${file} is not an exercise record this sel4tut understands`);
  }
  return raw as ExerciseRecord;
}

/** Finds the exercise from a directory inside it, or inside (or being) its build directory. */
export function findExercise(start: string): Exercise {
  let d = resolve(start);
  for (;;) {
    if (existsSync(join(d, EXERCISE_FILE))) {
      const record = readRecord(d);
      return { dir: d, buildDir: resolve(d, record.buildDir), record };
    }
    const marker = join(d, BUILD_MARKER);
    if (existsSync(marker)) {
      const m = JSON.parse(readFileSync(marker, "utf8")) as { exercise?: string };
      const dir = resolve(d, m.exercise ?? "");
      if (existsSync(join(dir, EXERCISE_FILE))) return findExercise(dir);
    }
    const parent = dirname(d);
    if (parent === d) break;
    d = parent;
  }
  throw new NotAnExerciseError(
    `${resolve(start)} is not inside an exercise directory. Create one with "sel4tut init --tut NAME", then cd into it.`,
  );
}
