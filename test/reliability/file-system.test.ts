// A read-only directory and a full disk. They are simulated (fixtures/fs-faults.mjs makes every
// write under one directory fail with EROFS or ENOSPC), so the tests need neither root nor a real
// full disk; where the tests do not run as root, a real read-only directory is tried as well.
import { chmodSync, existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { freshExercise, runCase, tempDir, TUTORIAL, type Exercise } from "./helpers.js";

const FS_FAULTS = join(import.meta.dirname, "fixtures", "fs-faults.mjs");

function failingWrites(dir: string, code: "EROFS" | "ENOSPC") {
  return { nodeArgs: ["--import", FS_FAULTS], env: { SEL4TUT_FAULT_DIR: dir, SEL4TUT_FAULT_CODE: code } };
}

const outside = (cwd: string): Exercise => ({ root: cwd, dir: cwd, buildDir: cwd });

describe("a directory that cannot be written", () => {
  it("init into a read-only directory: said plainly, nothing created", async () => {
    const cwd = tempDir();
    const r = await runCase(outside(cwd), ["init", "--tut", TUTORIAL], 1, failingWrites(cwd, "EROFS"));
    expect(r.stderr).toBe(
      `sel4tut: cannot create the directory ${join(cwd, TUTORIAL)} (EROFS): the file system is read-only. ` +
        "Work in a directory you can write to (for example under your home directory). None of your .ts files was changed.\n",
    );
    expect(readdirSync(cwd)).toEqual([]);
  });

  it("init onto a full disk: said plainly, and the half-made exercise is removed", async () => {
    const cwd = tempDir();
    const r = await runCase(outside(cwd), ["init", "--tut", TUTORIAL], 1, failingWrites(cwd, "ENOSPC"));
    expect(r.stderr).toMatch(
      /^sel4tut: cannot open .* \(ENOSPC\): the disk is full\. Free some space and run the command again\./,
    );
    expect(readdirSync(cwd)).toEqual([]);
  });

  it("a build directory that cannot be written: run says which path, exit 1", async () => {
    const ex = freshExercise();
    const r = await runCase(ex, ["run"], 1, failingWrites(ex.buildDir, "EROFS"));
    expect(r.stderr).toMatch(
      new RegExp(
        `^sel4tut: cannot \\w+( the directory)? ${ex.buildDir}/.* \\(EROFS\\): the file system is read-only\\.`,
      ),
    );
    expect(r.stdout).toBe("");
  });

  it("a full disk while building: check says so, exit 1, and the next build starts over", async () => {
    const ex = freshExercise();
    const r = await runCase(ex, ["check", "--mcs"], 1, failingWrites(ex.buildDir, "ENOSPC"));
    expect(r.stderr).toMatch(/^sel4tut: cannot \w+ .* \(ENOSPC\): the disk is full\./);
    expect(existsSync(join(ex.buildDir, "mcs", "build-state.json"))).toBe(false);
    expect((await runCase(ex, ["check", "--mcs", "--quiet"], 0)).stdout).toContain("Success!");
  });

  it("a check that passes where progress cannot be saved: success, and a note that it was not saved", async () => {
    const ex = freshExercise();
    const r = await runCase(ex, ["check", "--quiet"], 0, failingWrites(join(ex.dir, ".sel4tut"), "EROFS"));
    expect(r.stdout).toContain("Success! fault-resume passes on master.");
    expect(r.stderr).toMatch(/^note: your progress could not be saved: cannot \w+ .*progress\.json.* \(EROFS\)/);
  });

  it.skipIf(process.getuid?.() === 0)("a real read-only directory (chmod 555)", async () => {
    const cwd = tempDir();
    chmodSync(cwd, 0o555);
    try {
      const r = await runCase(outside(cwd), ["init", "--tut", TUTORIAL], 1);
      expect(r.stderr).toContain("(EACCES): permission denied.");
      expect(readdirSync(cwd)).toEqual([]);
    } finally {
      chmodSync(cwd, 0o755);
    }
  });
});
