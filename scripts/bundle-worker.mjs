// Bundles sel4tut's code into one file per entry point, so that a process or a worker loads one
// module instead of resolving, reading and linking a graph of a hundred or more (`npm run build`
// runs this after tsc, whose per-module output in dist/ stays for the tests and the tools):
//
// - dist/machine/worker-bundle.cjs: what a user thread's worker runs (src/machine/worker.ts and what
//   it imports: the machine's worker side, libsel4, the ABI); src/machine/worker-url.ts names it.
// - dist/cli/bundle.js: the sel4tut command, which bin/sel4tut.js starts. Packages stay outside
//   (loaded from node_modules as before; typescript only when a build needs it). Modules the
//   command imports only when it needs them (the kernel, the machine, the compiler) are in the
//   file but run only when first imported. Paths that modules compute from their own URL (the
//   package root, the schemas) are written relative to dist/<folder>/, which both layouts share.
import { build } from "esbuild";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** @type {import("esbuild").BuildOptions} */
const common = {
  absWorkingDir: ROOT,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: true,
  logLevel: "warning",
};

// CommonJS: a worker starts a few milliseconds sooner without Node's ES module loader. The one use
// of import.meta (realm.ts: where the ses package is found from) gets the bundle's URL.
await build({
  ...common,
  entryPoints: ["src/machine/worker.ts"],
  outfile: "dist/machine/worker-bundle.cjs",
  format: "cjs",
  define: { "import.meta.url": "__bundleUrl" },
  banner: { js: '"use strict";\nconst __bundleUrl = require("node:url").pathToFileURL(__filename).href;' },
});

await build({
  ...common,
  entryPoints: ["src/cli/main.ts"],
  outfile: "dist/cli/bundle.js",
  packages: "external",
});
