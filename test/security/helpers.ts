// Attacks through the real command line: a tutorial or an exercise set up as an attacker would,
// a spawned sel4tut, and the proof that the attack failed as documented: the exit code and the
// message, nothing changed outside the exercise, and no process left behind.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { snapshot } from "../cli/helpers.js";
import { leftovers, tempDir } from "../reliability/helpers.js";

export { freshExercise, runCase, sel4tutAsync, atStartOfMain, beforeMain } from "../reliability/helpers.js";

/** A directory of files an attack must not read into an exercise nor change: a stand-in for $HOME or /etc. */
export function outsideFiles(root: string): { dir: string; unchanged: () => void } {
  const dir = join(root, "outside");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "secret.md"), "SECRET-CONTENT\n");
  writeFileSync(join(dir, "bashrc.ts"), "// the learner's shell settings\n");
  const before = snapshot(dir);
  return { dir, unchanged: () => expect(snapshot(dir)).toEqual(before) };
}

/** No process of the run is left: nothing naming or working in `dir`. */
export function noProcessLeft(dir: string): void {
  expect(leftovers(-1, dir)).toEqual([]);
}

export interface TutorialParts {
  json?: Record<string, unknown>;
  lesson?: string;
  template?: string;
}

/** A small valid tutorial at root/name (one task, one thread), with `parts` replacing its defaults. */
export function tutorialAt(root: string, name: string, parts: TutorialParts = {}): string {
  const dir = join(root, name);
  mkdirSync(join(dir, "templates"), { recursive: true });
  const json = {
    schemaVersion: 1,
    name,
    title: "T",
    tasks: [{ name: "t", title: "T", start: "a", finish: "b", hints: ["h"] }],
    ...parts.json,
  };
  writeFileSync(join(dir, "tutorial.json"), JSON.stringify(json, null, 2));
  writeFileSync(join(dir, "lesson.md"), parts.lesson ?? "# L\n");
  writeFileSync(
    join(dir, "system.json"),
    JSON.stringify({ schemaVersion: 1, threads: { main: { source: "main.ts" } } }, null, 2),
  );
  writeFileSync(
    join(dir, "templates", "main.ts"),
    parts.template ?? "//@task t\n//@before\n// TODO t\n//@end\nexport function main(): number {\n  return 0;\n}\n",
  );
  return dir;
}

/** A fresh working directory (`root`) for attacks that start with init. */
export function attackRoot(): string {
  return tempDir("sel4tut-attack-");
}
