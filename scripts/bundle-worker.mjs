// Bundles sel4tut's code into one file per entry point, so that a process or a worker loads one
// module instead of resolving, reading and linking a graph of a hundred or more (`npm run build`
// runs this after tsc, whose per-module output in dist/ stays for the tests and the tools):
//
// - dist/machine/worker-bundle.cjs: what a user thread's worker runs (src/machine/worker.ts and what
//   it imports: the machine's worker side, libsel4, the ABI); src/machine/worker-url.ts names it.
// - dist/cli/bundle.cjs: the sel4tut command, which bin/sel4tut.js loads through a V8 code cache
//   (CommonJS, because Node 20 can use a code cache only for a script, not for an ES module).
//   Packages stay outside (loaded from node_modules as before; typescript only when a build needs
//   it), except chalk, which is an ES module only: required from CommonJS, esbuild's interop would
//   give its namespace where the code expects its default export. Modules the
//   command imports only when it needs them (the kernel, the machine, the compiler) are in the
//   file but run only when first imported. Paths that modules compute from their own URL (the
//   package root, the schemas) are written relative to dist/<folder>/, which both layouts share.
import { build } from "esbuild";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const { dependencies } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));

/** @type {import("esbuild").BuildOptions} */
const common = {
  absWorkingDir: ROOT,
  bundle: true,
  platform: "node",
  target: "node20",
  sourcemap: true,
  logLevel: "warning",
};

// Both CommonJS: a worker starts a few milliseconds sooner without Node's ES module loader, and the
// command's bundle can be loaded with a code cache. import.meta.url (realm.ts: where the ses package
// is found from; the command's package root and schemas) becomes the bundle's own URL.
const commonJs = {
  format: "cjs",
  define: { "import.meta.url": "__bundleUrl" },
  banner: { js: '"use strict";\nconst __bundleUrl = require("node:url").pathToFileURL(__filename).href;' },
};

await build({
  ...common,
  ...commonJs,
  entryPoints: ["src/machine/worker.ts"],
  outfile: "dist/machine/worker-bundle.cjs",
});

await build({
  ...common,
  ...commonJs,
  entryPoints: ["src/cli/main.ts"],
  outfile: "dist/cli/bundle.cjs",
  external: Object.keys(dependencies).filter((name) => name !== "chalk"),
});
