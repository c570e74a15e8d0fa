// Where the worker entry is: the worker's code bundled into one file by `npm run build`
// (scripts/bundle-worker.mjs), which a starting worker loads without walking a module graph. It is
// found from the package root, so the same file serves this module in dist/, the command's bundle,
// the sources under vitest and the benchmark's build (dist-bench/); the latter two check first that
// it is not older than the sources it was made from.
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** Source directories whose code runs inside a worker (and so is in the bundle). */
const WORKER_SOURCES = ["machine", "libsel4", "abi"];

let entry: URL | null = null;

export function workerEntryUrl(): URL {
  entry ??= locateBundle();
  return entry;
}

function locateBundle(): URL {
  const here = fileURLToPath(import.meta.url);
  const root = packageRoot(here);
  const bundle = join(root, "dist", "machine", "worker-bundle.cjs");
  if (!existsSync(bundle)) throw new Error(`worker entry ${bundle} is missing: run "npm run build" first`);
  if (!here.startsWith(join(root, "dist") + sep)) assertBundleIsCurrent(bundle, join(root, "src"));
  return pathToFileURL(bundle);
}

/** The nearest directory above `file` with a package.json. */
function packageRoot(file: string): string {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json"))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${file}`);
  }
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
