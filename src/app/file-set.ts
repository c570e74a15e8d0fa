// A set of learner files as bytes (null = the file is absent), read and written as a unit by
// reset and restore. Bytes, not strings: what is put back must be exactly what was there.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

export type FileSet = ReadonlyMap<string, Buffer | null>;

export function readFileSet(dir: string, names: Iterable<string>): Map<string, Buffer | null> {
  return new Map([...names].map((n) => [n, existsSync(join(dir, n)) ? readFileSync(join(dir, n)) : null]));
}

/** The names whose content in `wanted` differs from what is on disk now. */
export function differingFiles(current: FileSet, wanted: FileSet): string[] {
  return [...wanted.keys()]
    .filter((n) => {
      const [a, b] = [current.get(n) ?? null, wanted.get(n) ?? null];
      return a === null || b === null ? a !== b : !a.equals(b);
    })
    .sort();
}

/**
 * Writes each file through a temporary file and a rename, so an interrupted write leaves either
 * the old or the new content, never half of one; an existing file keeps its permissions.
 */
export function writeFileSet(dir: string, files: FileSet): void {
  for (const [name, content] of files) {
    const file = join(dir, name);
    if (content === null) {
      rmSync(file, { force: true });
      continue;
    }
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.sel4tut-${process.pid}.tmp`;
    try {
      writeFileSync(tmp, content);
      if (existsSync(file)) chmodSync(tmp, statSync(file).mode);
      renameSync(tmp, file);
    } catch (e) {
      rmSync(tmp, { force: true });
      throw e;
    }
  }
}

export function pick(files: FileSet, names: readonly string[]): Map<string, Buffer | null> {
  return new Map(names.map((n) => [n, files.get(n) ?? null]));
}
