// The command's bundle is loaded through a V8 code cache (bin/sel4tut.js): the first start writes
// it, later starts use it, and a cache that is missing, corrupt, left by an older build or cannot
// be read or written never changes what the command prints.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { BIN } from "./helpers.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function privateDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "sel4tut-clicache-"));
  chmodSync(dir, 0o700);
  dirs.push(dir);
  return dir;
}

/** `sel4tut --help` with the given cache directory ("" = no cache): what it printed. */
function help(cacheDir: string): string {
  const r = spawnSync(process.execPath, [BIN, "--help"], {
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", SEL4TUT_CACHE_DIR: cacheDir },
    timeout: 60_000,
  });
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  return r.stdout;
}

const cliCaches = (dir: string) => readdirSync(dir).filter((f) => f.startsWith("sel4tut-cli-"));

describe("the command's code cache", () => {
  let uncached = "";
  beforeAll(() => {
    uncached = help("");
  });

  it("is written by the first start and used, unchanged, by the next", () => {
    const cache = privateDir();
    expect(help(cache)).toBe(uncached);
    const [file] = cliCaches(cache);
    expect(file).toMatch(/^sel4tut-cli-[0-9a-f]{12}-bundle-.*\.v8cache$/);
    const written = readFileSync(join(cache, file!));
    expect(written.length).toBeGreaterThan(1000);
    expect(help(cache)).toBe(uncached);
    expect(readFileSync(join(cache, file!)).equals(written)).toBe(true);
  });

  it("replaces a corrupt cache and an older build's, and prints the same", () => {
    const cache = privateDir();
    help(cache);
    const [file] = cliCaches(cache);
    const older = file!.replace(/-bundle-.*$/, "-bundle-1-1-nodev0-x64.v8cache");
    writeFileSync(join(cache, file!), "not V8 code");
    writeFileSync(join(cache, older), "an older build's cache");
    expect(help(cache)).toBe(uncached);
    expect(cliCaches(cache)).toEqual([file]);
    expect(readFileSync(join(cache, file!)).length).toBeGreaterThan(1000);
  });

  it("runs without one when the cache cannot be read or written", () => {
    const cache = privateDir();
    help(cache);
    const [file] = cliCaches(cache);
    rmSync(join(cache, file!));
    mkdirSync(join(cache, file!)); // neither readable as a file nor replaceable by one
    expect(help(cache)).toBe(uncached);
    const notADirectory = join(privateDir(), "file");
    writeFileSync(notADirectory, "");
    expect(help(notADirectory)).toBe(uncached);
  });

  it("is not used from a directory that others can write", () => {
    const cache = privateDir();
    chmodSync(cache, 0o777);
    expect(help(cache)).toBe(uncached);
    expect(cliCaches(cache)).toEqual([]);
  });
});
