// Bundles the code a user thread's worker runs (src/machine/worker.ts and everything it imports:
// the machine's worker side, libsel4, the ABI) into one file, dist/machine/worker-bundle.js, so
// that a starting worker loads one module instead of resolving, reading and linking a graph of
// them. `npm run build` runs this after tsc; src/machine/worker-url.ts names the file.
import { buildSync } from "esbuild";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

buildSync({
  absWorkingDir: ROOT,
  entryPoints: ["src/machine/worker.ts"],
  outfile: "dist/machine/worker-bundle.js",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: true,
  logLevel: "warning",
});
