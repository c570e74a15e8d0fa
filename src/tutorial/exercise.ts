// An exercise directory (what `init` creates) and its build directory: how it was rendered,
// and how any command finds it again from inside DIR or DIR_build.
import { existsSync, lstatSync, readFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import type { KernelConfig } from "../abi/constants.js";
import { writeJsonAtomic } from "./state-file.js";

export const STATE_DIR = ".sel4tut";
const EXERCISE_FILE = join(STATE_DIR, "exercise.json");
const BUILD_MARKER = ".sel4tut-build.json";

export const EXERCISE_SCHEMA = 1;

export interface ExerciseRecord {
  schemaVersion: typeof EXERCISE_SCHEMA;
  /** The sel4tut that made the exercise; absent in exercises made before it was recorded (0.1.0). */
  sel4tutVersion?: string;
  /** The last (other) sel4tut that told the learner it opened an exercise made by an older one. */
  openedBy?: string;
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
  /** Always DIR_build next to the exercise, wherever the exercise is now. */
  buildDir: string;
  record: ExerciseRecord;
  /** The build directory the record names when it is not buildDir: the exercise was moved or renamed. */
  movedFrom: string | null;
}

export class NotAnExerciseError extends Error {}

/** An exercise record this sel4tut cannot read: damaged, or written in another sel4tut's format. */
export class ExerciseRecordError extends Error {
  constructor(
    readonly file: string,
    readonly kind: "damaged" | "newer" | "older",
    /** What could be read of the record (to name the tutorial and the sel4tut that made it). */
    readonly found: {
      schemaVersion?: unknown;
      sel4tutVersion?: unknown;
      tutorial?: { name?: unknown };
      task?: unknown;
    },
    detail: string,
  ) {
    super(detail);
  }
}

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
  let raw: Partial<ExerciseRecord>;
  try {
    raw = JSON.parse(readFileSync(file, "utf8")) as Partial<ExerciseRecord>;
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    throw new ExerciseRecordError(file, "damaged", {}, e.message);
  }
  if (typeof raw !== "object" || raw === null)
    throw new ExerciseRecordError(file, "damaged", {}, "it is not a JSON object");
  const v = raw.schemaVersion as unknown;
  if (typeof v === "number" && v > EXERCISE_SCHEMA)
    throw new ExerciseRecordError(file, "newer", raw, `exercise format ${v}`);
  if (v !== EXERCISE_SCHEMA) throw new ExerciseRecordError(file, "older", raw, `exercise format ${String(v)}`);
  if (
    !raw.tutorial ||
    typeof raw.tutorial.name !== "string" ||
    typeof raw.task !== "string" ||
    typeof raw.buildDir !== "string"
  ) {
    throw new ExerciseRecordError(file, "damaged", raw, "fields are missing");
  }
  return raw as ExerciseRecord;
}

/** The exercise directory a build marker points to, or null when the marker cannot be read. */
function markedExercise(marker: string): string | null {
  try {
    const m = JSON.parse(readFileSync(marker, "utf8")) as { exercise?: unknown };
    return typeof m.exercise === "string" ? resolve(dirname(marker), m.exercise) : null;
  } catch {
    return null;
  }
}

/** True when buildDir is free to be this exercise's build directory (absent, or already marked as its). */
export function buildDirBelongsTo(buildDir: string, exerciseDir: string): boolean {
  if (!existsSync(buildDir)) return true;
  return markedExercise(join(buildDir, BUILD_MARKER)) === resolve(exerciseDir);
}

/** Finds the exercise from a directory inside it, or inside (or being) its build directory. */
export function findExercise(start: string): Exercise {
  let d = resolve(start);
  for (;;) {
    if (existsSync(join(d, EXERCISE_FILE))) {
      const record = readRecord(d);
      const buildDir = buildDirFor(d);
      const recorded = resolve(d, record.buildDir);
      return { dir: d, buildDir, record, movedFrom: recorded === buildDir ? null : recorded };
    }
    const marker = join(d, BUILD_MARKER);
    if (existsSync(marker)) {
      const dir = markedExercise(marker);
      if (dir && existsSync(join(dir, EXERCISE_FILE))) return findExercise(dir);
      throw new NotAnExerciseError(
        `${d} is the build directory of ${dir ?? "an exercise"}, which is not there any more (moved or renamed?). ` +
          "Run sel4tut inside the exercise directory itself; it makes a new build directory next to it.",
      );
    }
    const parent = dirname(d);
    if (parent === d) break;
    d = parent;
  }
  throw new NotAnExerciseError(
    `${resolve(start)} is not inside an exercise directory. Create one with "sel4tut init --tut NAME", then cd into it.`,
  );
}

/**
 * What is wrong with a thread source of an exercise, if anything: absent, or not a plain file. The
 * build reads only plain files, so a directory or a symbolic link (which could lead anywhere on
 * the host) in a source's place is refused by name rather than left for the machine to trip over.
 */
export function sourceProblem(
  exerciseDir: string,
  source: string,
): "missing" | "directory" | "symlink" | "special" | null {
  const stat = lstatSync(join(exerciseDir, source), { throwIfNoEntry: false });
  if (!stat) return "missing";
  if (stat.isSymbolicLink()) return "symlink";
  if (stat.isDirectory()) return "directory";
  return stat.isFile() ? null : "special";
}

/** A sentence about a source that sourceProblem found wrong (other than missing). */
export function describeSourceProblem(
  source: string,
  problem: "directory" | "symlink" | "special",
  thread?: string,
): string {
  const what = { directory: "a directory", symlink: "a symbolic link", special: "not a regular file" }[problem];
  return `${source}${thread ? ` (thread ${thread})` : ""} is ${what}; sel4tut builds only plain files in the exercise directory. Put the file itself there.`;
}
