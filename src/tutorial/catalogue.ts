// Where tutorials live: the built-in ones under the package's tutorials/, or any directory
// holding a tutorial.json (`--tut ./my-tutorial`).
import { existsSync, readdirSync, statSync } from "node:fs";
import { isAbsolute, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { TUTORIAL_FILE } from "./schema.js";

/** The package root: this file is <root>/{src,dist}/tutorial/catalogue.{ts,js}. */
export const PACKAGE_ROOT = fileURLToPath(new URL("../..", import.meta.url)).replace(/[\\/]$/, "");
export const BUILTIN_TUTORIALS_DIR = join(PACKAGE_ROOT, "tutorials");
/** Exercises written from scratch as docs/authoring.md shows; shipped, so they work outside a clone too. */
const EXAMPLES_DIR = join(PACKAGE_ROOT, "examples");

function tutorialNamesIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, TUTORIAL_FILE)))
    .map((d) => d.name)
    .sort();
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
  if (!names.includes(ref)) {
    throw new UnknownTutorialError(
      `unknown tutorial "${ref}". Available: ${names.join(", ")} (or give a path to a tutorial directory)`,
    );
  }
  return { dir: builtinDir(ref), builtinName: ref };
}
