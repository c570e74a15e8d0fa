// Where tutorials live: the built-in ones under the package's tutorials/, or any directory
// holding a tutorial.json (`--tut ./my-tutorial`).
import { existsSync, readdirSync, realpathSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { TUTORIAL_FILE } from "./schema.js";
import { nearestName } from "../text/spelling.js";

/** The package root: this file is <root>/{src,dist}/tutorial/catalogue.{ts,js}. */
export const PACKAGE_ROOT = fileURLToPath(new URL("../..", import.meta.url)).replace(/[\\/]$/, "");
export const BUILTIN_TUTORIALS_DIR = join(PACKAGE_ROOT, "tutorials");
/** Exercises written from scratch as docs/authoring.md shows; shipped, so they work outside a clone too. */
const EXAMPLES_DIR = join(PACKAGE_ROOT, "examples");

/**
 * The order a learner takes the built-in tutorials in: the official track (the root-task
 * tutorials, then the capDL ones), then our own. Tutorials not listed follow, by name.
 */
const TUTORIAL_ORDER: readonly string[] = [
  "hello-world",
  "capabilities",
  "untyped",
  "mapping",
  "threads",
  "ipc",
  "notifications",
  "interrupts",
  "fault-handlers",
  "mcs",
  "vm-faults",
];

function orderOf(name: string): number {
  const i = TUTORIAL_ORDER.indexOf(name);
  return i < 0 ? TUTORIAL_ORDER.length : i;
}

/**
 * The directory a tutorial's files must stay inside: the package itself for the built-in
 * tutorials (their templates live in the package's templates/), and the tutorial's own directory
 * for one loaded from a path.
 */
export function confinementRoot(tutorialDir: string): string {
  const builtins = existsSync(BUILTIN_TUTORIALS_DIR) ? realpathSync(BUILTIN_TUTORIALS_DIR) : null;
  return builtins !== null && dirname(realpathSync(tutorialDir)) === builtins ? PACKAGE_ROOT : tutorialDir;
}

function tutorialNamesIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, TUTORIAL_FILE)))
    .map((d) => d.name)
    .sort((a, b) => orderOf(a) - orderOf(b) || (a < b ? -1 : a > b ? 1 : 0));
}

export function builtinTutorialNames(): string[] {
  return tutorialNamesIn(BUILTIN_TUTORIALS_DIR);
}

export function exampleNames(): string[] {
  return tutorialNamesIn(EXAMPLES_DIR).filter((n) => !builtinTutorialNames().includes(n));
}

/** Where a tutorial shipped with sel4tut (a tutorial or an example) lives, by name. */
export function builtinDir(name: string): string {
  return join(builtinTutorialNames().includes(name) ? BUILTIN_TUTORIALS_DIR : EXAMPLES_DIR, name);
}

export interface TutorialLocation {
  dir: string;
  /** Built-in tutorials are recorded by name, so a package update finds them again. */
  builtinName: string | null;
}

export class UnknownTutorialError extends Error {}

function looksLikePath(ref: string): boolean {
  return ref.startsWith(".") || isAbsolute(ref) || ref.includes("/") || ref.includes(sep);
}

export function locateTutorial(ref: string, cwd: string): TutorialLocation {
  if (looksLikePath(ref)) {
    const dir = resolve(cwd, ref);
    if (!statSync(join(dir, TUTORIAL_FILE), { throwIfNoEntry: false })?.isFile()) {
      throw new UnknownTutorialError(`${dir} has no ${TUTORIAL_FILE} file, so it is not a tutorial directory`);
    }
    return { dir, builtinName: null };
  }
  const names = [...builtinTutorialNames(), ...exampleNames()];
  // A bare name that is no built-in tutorial but a tutorial directory here ("--tut t") means that.
  if (!names.includes(ref) && statSync(join(cwd, ref, TUTORIAL_FILE), { throwIfNoEntry: false })?.isFile()) {
    return { dir: resolve(cwd, ref), builtinName: null };
  }
  if (!names.includes(ref)) {
    const near = nearestName(ref, names);
    throw new UnknownTutorialError(
      `unknown tutorial "${ref}"${near ? `; did you mean "${near}"?` : "."} ` +
        `Available: ${names.join(", ")} (or give a path to a tutorial directory)`,
    );
  }
  return { dir: builtinDir(ref), builtinName: ref };
}
