// Where the worker entry is. Workers cannot start from .ts on Node 20, so when this module is
// itself loaded from src/ (vitest), the compiled twin in dist/ is used (`npm test` builds first),
// after checking that dist/ is not older than the sources the worker runs.
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** Source directories whose code runs inside a worker. */
const WORKER_SOURCES = ["machine", "libsel4"];

let checked = false;

export function workerEntryUrl(): URL {
  const here = fileURLToPath(import.meta.url);
  const fromSource = here.endsWith(".ts");
  const entry = join(dirname(fromSource ? toDist(here) : here), "worker.js");
  if (!existsSync(entry)) throw new Error(`worker entry ${entry} is missing: run "npx tsc -p tsconfig.json" first`);
  if (fromSource && !checked) {
    assertCompiledIsCurrent(join(dirname(here), ".."));
    checked = true;
  }
  return pathToFileURL(entry);
}

/** /repo/src/machine/x.ts -> /repo/dist/machine/x.js (the last /src/ in the path). */
function toDist(path: string): string {
  const sep = path.includes("\\") ? "\\" : "/";
  const marker = `${sep}src${sep}`;
  const at = path.lastIndexOf(marker);
  if (at < 0) throw new Error(`cannot map ${path} to its compiled file: it is not under src/`);
  return `${path.slice(0, at)}${sep}dist${sep}${path.slice(at + marker.length).replace(/\.ts$/, ".js")}`;
}

/** A stale dist/ would run old worker code against new machine code: say so instead. */
function assertCompiledIsCurrent(srcRoot: string): void {
  for (const dir of WORKER_SOURCES) {
    for (const name of readdirSync(join(srcRoot, dir))) {
      if (!name.endsWith(".ts") || name.endsWith(".d.ts")) continue;
      const source = join(srcRoot, dir, name);
      const compiled = toDist(source);
      if (!existsSync(compiled) || statSync(compiled).mtimeMs < statSync(source).mtimeMs) {
        throw new Error(`${compiled} is older than ${source}: run "npx tsc -p tsconfig.json" before the tests`);
      }
    }
  }
}
