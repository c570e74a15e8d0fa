// The `new tutorial` use case: a skeleton tutorial an author makes their own. It is the package's
// skeletons/tutorial/ (two threads, one task; `verify` passes on it as it is), named after its
// directory and with "$schema" pointing at this sel4tut's schemas, so an editor checks it at once.
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join, relative, resolve, sep } from "node:path";
import { applyEdits, modify } from "jsonc-parser";
import { PACKAGE_ROOT } from "../tutorial/catalogue.js";
import { schemaFile, type SchemaName } from "../tutorial/json-schemas.js";
import { CommandFailed } from "./errors.js";

const SKELETON_DIR = join(PACKAGE_ROOT, "skeletons", "tutorial");

export interface NewTutorial {
  dir: string;
  name: string;
  /** The files written, relative to `dir`, in order. */
  files: string[];
}

/** Writes the skeleton into `dir` (absent, or an empty directory): never over anything that exists. */
export function createTutorial(cwd: string, dir: string): NewTutorial {
  const target = resolve(cwd, dir);
  if (existsSync(target) && readdirSync(target).length > 0) {
    throw new CommandFailed(
      `${target} already exists and is not empty; sel4tut never overwrites it. Choose another directory: sel4tut new tutorial DIR`,
    );
  }
  const name = basename(target);
  cpSync(SKELETON_DIR, target, { recursive: true, errorOnExist: true, force: false });
  // Edited in place with jsonc-parser, so the files keep the skeleton's layout.
  setFields(join(target, "tutorial.json"), { $schema: schemaPath(target, "tutorial"), name });
  setFields(join(target, "system.json"), { $schema: schemaPath(target, "system") });
  return { dir: target, name, files: listFiles(target) };
}

/** The schema's path as "$schema" gives it: relative to the tutorial, with forward slashes. */
function schemaPath(tutorialDir: string, name: SchemaName): string {
  return relative(tutorialDir, schemaFile(name)).split(sep).join("/");
}

function setFields(file: string, fields: Record<string, string>): void {
  let text = readFileSync(file, "utf8");
  for (const [key, value] of Object.entries(fields)) {
    text = applyEdits(text, modify(text, [key], value, { formattingOptions: { insertSpaces: true, tabSize: 2 } }));
  }
  writeFileSync(file, text);
}

function listFiles(dir: string, under = ""): string[] {
  return readdirSync(join(dir, under), { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((d) => (d.isDirectory() ? listFiles(dir, join(under, d.name)) : [join(under, d.name)]));
}
