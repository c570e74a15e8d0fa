// Loading the `typescript` module for a build, with a V8 code cache. typescript.js is one 9 MB
// CommonJS file: compiling it, and then the functions a build calls, is a third of a cold build.
// The first build saves V8's code for the file (including the functions it compiled meanwhile)
// in a per-user cache directory; later builds, in any exercise, load that instead of compiling.
// Anything wrong with the cache (missing, stale, rejected by V8, unwritable) only means the file
// is compiled as require() would. (Never import() it: that parses the whole file as an ES module
// to detect its format and scans it for named exports before compiling it.)
import type * as TS from "typescript";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { requireWithCodeCache, type CachedModule } from "../machine/code-cache.js";

let loaded: (CachedModule & { exports: typeof TS }) | undefined;

export function loadTypeScript(): typeof TS {
  if (loaded) return loaded.exports;
  const require = createRequire(import.meta.url);
  const file = require.resolve("typescript");
  const { version } = JSON.parse(readFileSync(join(dirname(file), "..", "package.json"), "utf8")) as {
    version: string;
  };
  loaded = requireWithCodeCache(file, "typescript", version) as CachedModule & { exports: typeof TS };
  return loaded.exports;
}

/** After a build: saves the compiled code when the cache was missing or stale. */
export function saveTypeScriptCache(): void {
  loaded?.save();
}
