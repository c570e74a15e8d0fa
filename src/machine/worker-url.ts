// Where the worker entry is: the worker's code bundled into one file by `npm run build`
// (scripts/bundle-worker.mjs), which a starting worker loads without walking a module graph.
// When this module is itself loaded from src/ (vitest), it is the bundle in dist/ too (`npm test`
// builds first), after checking that it is not older than the sources it was made from.
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** Source directories whose code runs inside a worker (and so is in the bundle). */
const WORKER_SOURCES = ["machine", "libsel4", "abi"];
const BUNDLE = "worker-bundle.js";

let checked = false;

export function workerEntryUrl(): URL {
  const here = fileURLToPath(import.meta.url);
  const fromSource = here.endsWith(".ts");
  const entry = join(dirname(fromSource ? toDist(here) : here), BUNDLE);
  if (!existsSync(entry)) throw new Error(`worker entry ${entry} is missing: run "npm run build" first`);
  if (fromSource && !checked) {
    assertBundleIsCurrent(entry, join(dirname(here), ".."));
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

/** A stale bundle would run old worker code against new machine code: say so instead. */
function assertBundleIsCurrent(bundle: string, srcRoot: string): void {
  const built = statSync(bundle).mtimeMs;
  for (const dir of WORKER_SOURCES) {
    for (const name of readdirSync(join(srcRoot, dir))) {
      if (!name.endsWith(".ts") || name.endsWith(".d.ts")) continue;
      const source = join(srcRoot, dir, name);
      if (statSync(source).mtimeMs > built) {
        throw new Error(`${bundle} is older than ${source}: run "npm run build" before the tests`);
      }
    }
  }
}
