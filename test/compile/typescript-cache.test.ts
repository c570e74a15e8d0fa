// The V8 code cache of the typescript module: written by the first cold build, used by the next,
// and a damaged or foreign cache never breaks a build. Runs the compiled build in fresh processes.
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { probeBuild } from "./build-probe.js";

/** A cold build of a fresh one-file exercise with the given cache directory. */
function coldBuild(
  cacheDir: string,
  source = "export function main(): number { return ep; }\n",
): { status: string; diagnostics: number } {
  const dir = mkdtempSync(join(tmpdir(), "sel4tut-tscache-ex-"));
  try {
    writeFileSync(join(dir, "t.ts"), `import { ep } from "./cspace_t";\n${source}`);
    const { status, diagnostics } = probeBuild(dir, { SEL4TUT_CACHE_DIR: cacheDir });
    return { status, diagnostics };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(`${dir}_build`, { recursive: true, force: true });
  }
}

const caches = (dir: string) => readdirSync(dir).filter((f) => f.endsWith(".v8cache"));

describe("typescript code cache", () => {
  it("is written by a cold build and used by the next", () => {
    const cache = mkdtempSync(join(tmpdir(), "sel4tut-tscache-"));
    chmodSync(cache, 0o700);
    expect(coldBuild(cache)).toEqual({ status: "built", diagnostics: 0 });
    const [file] = caches(cache);
    expect(file).toMatch(/^typescript-.*\.v8cache$/);
    const written = readFileSync(join(cache, file!));
    expect(coldBuild(cache, "export function main(): number { return ep + 1; }\n")).toEqual({
      status: "built",
      diagnostics: 0,
    });
    // An accepted cache is not rewritten.
    expect(readFileSync(join(cache, file!)).equals(written)).toBe(true);
    rmSync(cache, { recursive: true, force: true });
  });

  it("survives a damaged cache and replaces it, and leaves no stale versions behind", () => {
    const cache = mkdtempSync(join(tmpdir(), "sel4tut-tscache-"));
    chmodSync(cache, 0o700);
    coldBuild(cache);
    const [file] = caches(cache);
    writeFileSync(join(cache, file!), "not V8 code");
    writeFileSync(join(cache, "typescript-0.0.0-1-nodev0-x64.v8cache"), "an old version's cache");
    expect(coldBuild(cache, "export function main(): number { return nope; }\n")).toEqual({
      status: "failed",
      diagnostics: 1,
    });
    expect(caches(cache)).toEqual([file]);
    expect(readFileSync(join(cache, file!)).length).toBeGreaterThan(1000);
    rmSync(cache, { recursive: true, force: true });
  });

  it("is not used from a directory that others can write", () => {
    const cache = mkdtempSync(join(tmpdir(), "sel4tut-tscache-"));
    chmodSync(cache, 0o777);
    expect(coldBuild(cache)).toEqual({ status: "built", diagnostics: 0 });
    expect(caches(cache)).toEqual([]);
    rmSync(cache, { recursive: true, force: true });
  });
});
