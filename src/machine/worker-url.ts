// Where the worker entry is. Workers cannot start from .ts on Node 20, so when this module is
// itself loaded from src/ (vitest), the compiled twin in dist/ is used (`npm test` builds first).
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

export function workerEntryUrl(): URL {
  const here = fileURLToPath(import.meta.url);
  const compiled = here.endsWith(".ts") ? toDist(here) : here;
  const entry = new URL("./worker.js", pathToFileURL(compiled));
  if (!existsSync(entry)) {
    throw new Error(`worker entry ${fileURLToPath(entry)} is missing: run "npm run build" (tsc) first`);
  }
  return entry;
}

/** /repo/src/machine/x.ts -> /repo/dist/machine/x.js (the last /src/ in the path). */
export function toDist(path: string): string {
  const sep = path.includes("\\") ? "\\" : "/";
  const marker = `${sep}src${sep}`;
  const at = path.lastIndexOf(marker);
  if (at < 0) throw new Error(`cannot map ${path} to its compiled file: it is not under src/`);
  return `${path.slice(0, at)}${sep}dist${sep}${path.slice(at + marker.length).replace(/\.ts$/, ".js")}`;
}
