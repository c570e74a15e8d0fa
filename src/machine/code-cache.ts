// Loading a large CommonJS file with a V8 code cache: compiling such a file, and then the functions
// its first user calls, can cost more than running them. The first load saves V8's code for the
// file (with the functions compiled meanwhile) in a per-user cache directory; later loads, in any
// process or worker, use that instead of compiling. Anything wrong with the cache (missing, stale,
// rejected by V8, unwritable) only means the file is compiled as require() would compile it.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire, Module } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Script } from "node:vm";
import { threadId } from "node:worker_threads";

export interface CachedModule {
  exports: unknown;
  /** Saves the compiled code when the cache was missing or stale (atomically); call after the first use. */
  save(): void;
}

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

/** The cache file's bytes; undefined when there is none or it cannot be read (a slower load only). */
function readCache(cacheFile: string): Buffer | undefined {
  try {
    return readFileSync(cacheFile);
  } catch {
    return undefined;
  }
}

/**
 * `require(file)`, through the code cache: `name` and `version` name the cache file (one per name:
 * what other versions left goes when it is saved). The module is put in require's cache, so a
 * later require of the file gets it.
 */
export function requireWithCodeCache(file: string, name: string, version: string): CachedModule {
  const dir = ownCacheDir();
  const require = createRequire(file);
  if (dir === null) return { exports: require(file) as unknown, save: () => {} };
  const source = readFileSync(file, "utf8");
  // V8 checks only the source's length against a cache, so the file's identity is in the name.
  const { size, mtimeMs } = statSync(file);
  const cacheFile = join(
    dir,
    `${name}-${version}-${size}-${Math.round(mtimeMs)}-node${process.version}-${process.arch}.v8cache`,
  );
  const cachedData = readCache(cacheFile);
  const script = new Script(Module.wrap(source), { filename: file, ...(cachedData ? { cachedData } : {}) });
  const module = new Module(file);
  module.filename = file;
  require.cache[file] = module;
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, require, module, file, dirname(file));
  module.loaded = true;
  let stale = cachedData === undefined || script.cachedDataRejected === true;
  return {
    exports: module.exports,
    save() {
      if (!stale) return;
      stale = false;
      try {
        for (const f of readdirSync(dir)) {
          if (f.startsWith(`${name}-`) && f.endsWith(".v8cache") && join(dir, f) !== cacheFile)
            rmSync(join(dir, f), { force: true });
        }
        const tmp = `${cacheFile}.${process.pid}-${threadId}.tmp`;
        writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
        renameSync(tmp, cacheFile);
      } catch {
        // A cache that cannot be written is only a slower next load.
      }
    },
  };
}
