// Loading the `typescript` module for a build, with a V8 code cache. typescript.js is one 9 MB
// CommonJS file: compiling it, and then the functions a build calls, is a third of a cold build.
// The first build saves V8's code for the file (including the functions it compiled meanwhile)
// in a per-user cache directory; later builds, in any exercise, load that instead of compiling.
// Anything wrong with the cache (missing, stale, rejected by V8, unwritable) only means the file
// is compiled as require() would. (Never import() it: that parses the whole file as an ES module
// to detect its format and scans it for named exports before compiling it.)
import type * as TS from "typescript";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire, Module } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Script } from "node:vm";

interface Loaded {
  ts: typeof TS;
  script: Script | null;
  cacheFile: string | null;
  /** The cache must be (re)written after the build. */
  stale: boolean;
}

let loaded: Loaded | undefined;

/** $SEL4TUT_CACHE_DIR, else a directory of this user's in the system's temporary directory; null = no cache. */
function cacheDir(): string | null {
  const env = process.env["SEL4TUT_CACHE_DIR"];
  if (env !== undefined) return env === "" ? null : env;
  const uid = typeof process.getuid === "function" ? process.getuid() : null;
  return join(tmpdir(), `sel4tut-cache${uid === null ? "" : `-${uid}`}`);
}

/** The cache directory, made private if it is new; null when it is not ours or cannot be made. */
function ownCacheDir(): string | null {
  const dir = cacheDir();
  if (dir === null) return null;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = statSync(dir);
    // Code from the cache runs in this process: never read a directory someone else controls.
    if (typeof process.getuid === "function" && (st.uid !== process.getuid() || (st.mode & 0o022) !== 0)) return null;
    return dir;
  } catch {
    return null;
  }
}

export function loadTypeScript(): typeof TS {
  if (loaded) return loaded.ts;
  const require = createRequire(import.meta.url);
  const file = require.resolve("typescript");
  const dir = ownCacheDir();
  if (dir === null) {
    loaded = { ts: require("typescript") as typeof TS, script: null, cacheFile: null, stale: false };
    return loaded.ts;
  }
  const source = readFileSync(file, "utf8");
  const version = (JSON.parse(readFileSync(join(dirname(file), "..", "package.json"), "utf8")) as { version: string })
    .version;
  // V8 checks only the source's length against a cache, so the file's identity is in the name.
  const { size, mtimeMs } = statSync(file);
  const cacheFile = join(
    dir,
    `typescript-${version}-${size}-${Math.round(mtimeMs)}-node${process.version}-${process.arch}.v8cache`,
  );
  const cachedData = existsSync(cacheFile) ? readFileSync(cacheFile) : undefined;
  const script = new Script(Module.wrap(source), { filename: file, ...(cachedData ? { cachedData } : {}) });
  // A module as require() makes it, in require's cache, so a later require("typescript") gets it.
  const module = new Module(file);
  module.filename = file;
  require.cache[file] = module;
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  module.loaded = true;
  loaded = {
    ts: module.exports as typeof TS,
    script,
    cacheFile,
    stale: cachedData === undefined || script.cachedDataRejected === true,
  };
  return loaded.ts;
}

/** After a build: saves the compiled code when the cache was missing or stale (atomically). */
export function saveTypeScriptCache(): void {
  if (!loaded?.stale || !loaded.script || !loaded.cacheFile) return;
  loaded.stale = false;
  try {
    const dir = dirname(loaded.cacheFile);
    // One cache at a time: what other versions of TypeScript or Node left goes.
    for (const f of readdirSync(dir)) {
      if (/^typescript-.*\.v8cache$/.test(f) && join(dir, f) !== loaded.cacheFile)
        rmSync(join(dir, f), { force: true });
    }
    const tmp = `${loaded.cacheFile}.${process.pid}.tmp`;
    writeFileSync(tmp, loaded.script.createCachedData(), { mode: 0o600 });
    renameSync(tmp, loaded.cacheFile);
  } catch {
    // A cache that cannot be written is only a slower next build.
  }
}
