import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sel4tut, snapshot, tempDir } from "./helpers.js";

describe("sel4tut init (as a new user)", () => {
  it("creates the exercise and its build directory", () => {
    const cwd = tempDir();
    const r = sel4tut(["init", "--tut", "fault-handlers"], cwd);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Tutorial created in subdirectory "fault-handlers".');
    expect(r.stdout).toContain('Build directory initialised in "fault-handlers_build".');
    const dir = join(cwd, "fault-handlers");
    for (const f of [
      "faulter.ts",
      "handler.ts",
      "README.md",
      "tsconfig.json",
      ".sel4tut/exercise.json",
      ".sel4tut/progress.json",
      ".sel4tut/gen/cspace_handler.ts",
      ".sel4tut/gen/cspace_faulter.ts",
    ]) {
      expect(existsSync(join(dir, f)), f).toBe(true);
    }
    expect(existsSync(join(cwd, "fault-handlers_build", ".sel4tut-build.json"))).toBe(true);
    expect(readFileSync(join(dir, "handler.ts"), "utf8")).toContain("TODO fault-badge");
    expect(readFileSync(join(dir, "README.md"), "utf8")).toMatch(
      /`fault-badge`: Badge the fault endpoint \(master · to do, MCS · to do\) \*\*← your current task\*\*/,
    );
    expect(readFileSync(join(dir, "README.md"), "utf8")).toMatch(/`sel4tut reset` starts the current task over/);
    const progress = JSON.parse(readFileSync(join(dir, ".sel4tut/progress.json"), "utf8"));
    expect(progress).toMatchObject({ schemaVersion: 1, currentTask: "fault-badge", passed: {} });
  });

  it("never overwrites: an existing directory is refused and nothing is written", () => {
    const cwd = tempDir();
    const dir = join(cwd, "fault-handlers");
    mkdirSync(dir);
    writeFileSync(join(dir, "handler.ts"), "// my own work\n");
    const before = snapshot(cwd);
    const r = sel4tut(["init", "--tut", "fault-handlers"], cwd);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("already exists; sel4tut never overwrites it");
    expect(snapshot(cwd)).toEqual(before);
    expect(existsSync(join(cwd, "fault-handlers_build"))).toBe(false);
  });

  it("refuses when only the build directory exists", () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, "mine_build"));
    const r = sel4tut(["init", "--tut", "fault-handlers", "mine"], cwd);
    expect(r.status).toBe(1);
    expect(existsSync(join(cwd, "mine"))).toBe(false);
  });

  it("renders --task and --solution like the official init", () => {
    const cwd = tempDir();
    expect(sel4tut(["init", "--tut", "fault-handlers", "--task", "fault-handle", "a"], cwd).status).toBe(0);
    const a = readFileSync(join(cwd, "a", "handler.ts"), "utf8");
    expect(a).toContain("TODO fault-handle");
    expect(a).not.toContain("TODO fault-badge");
    expect(a).not.toContain("Successfully resumed");
    expect(sel4tut(["init", "--tut", "fault-handlers", "--solution", "b"], cwd).status).toBe(0);
    expect(readFileSync(join(cwd, "b", "handler.ts"), "utf8")).not.toContain("TODO");
  });

  it("sets up editors: the exercise type-checks with its own tsconfig.json, both configurations' branches included", () => {
    const cwd = tempDir();
    for (const [name, flags] of [
      ["start", []],
      ["solved", ["--solution"]],
    ] as const) {
      expect(sel4tut(["init", "--tut", "fault-handlers", ...flags, name], cwd).status).toBe(0);
      const tsc = join(import.meta.dirname, "..", "..", "node_modules", "typescript", "bin", "tsc");
      const r = spawnSync(process.execPath, [tsc, "-p", join(cwd, name)], { encoding: "utf8" });
      expect(r.status, r.stdout).toBe(0);
    }
  });

  it("gives the editor the MCS cap names with --mcs", () => {
    const cwd = tempDir();
    expect(sel4tut(["init", "--tut", "fault-handlers", "--mcs"], cwd).status).toBe(0);
    const gen = readFileSync(join(cwd, "fault-handlers", ".sel4tut/gen/cspace_handler.ts"), "utf8");
    expect(gen).toContain("for the mcs configuration");
    expect(gen).toContain("export const reply = 8;");
  });

  it("reports usage errors with exit code 2", () => {
    const cwd = tempDir();
    const r = sel4tut(["init", "--tut", "no-such-tutorial"], cwd);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown tutorial "no-such-tutorial"');
    expect(sel4tut(["init", "--tut", "fault-handlers", "--task", "nope"], cwd).status).toBe(2);
    expect(sel4tut(["init"], cwd).status).toBe(2);
    expect(sel4tut(["frobnicate"], cwd).status).toBe(2);
    expect(snapshot(cwd)).toEqual({});
  });

  it("loads a tutorial from any directory path", () => {
    const cwd = tempDir();
    const tut = join(cwd, "my-tutorial");
    mkdirSync(join(tut, "templates"), { recursive: true });
    writeFileSync(
      join(tut, "tutorial.json"),
      JSON.stringify({
        schemaVersion: 1,
        name: "my-tutorial",
        title: "Mine",
        tasks: [{ name: "only", title: "Only", start: "a", finish: "b", hints: ["h"] }],
      }),
    );
    writeFileSync(join(tut, "lesson.md"), "# Mine\n");
    writeFileSync(
      join(tut, "system.json"),
      JSON.stringify({ schemaVersion: 1, threads: { main: { source: "main.ts" } } }),
    );
    writeFileSync(join(tut, "templates", "main.ts"), "//@task only\n//@before\n// TODO only\n//@end\n");
    const r = sel4tut(["init", "--tut", "./my-tutorial", "ex"], cwd);
    expect(r.status).toBe(0);
    expect(readFileSync(join(cwd, "ex", "main.ts"), "utf8")).toBe("// TODO only\n");
  });

  it("reports a broken system spec with file and entry, writing nothing", () => {
    const cwd = tempDir();
    const tut = join(cwd, "bad");
    mkdirSync(join(tut, "templates"), { recursive: true });
    writeFileSync(
      join(tut, "tutorial.json"),
      JSON.stringify({
        schemaVersion: 1,
        name: "bad",
        title: "Bad",
        tasks: [{ name: "t", title: "T", start: "a", finish: "b", hints: ["h"] }],
      }),
    );
    writeFileSync(join(tut, "lesson.md"), "# Bad\n");
    writeFileSync(
      join(tut, "system.json"),
      JSON.stringify(
        { schemaVersion: 1, threads: { main: { source: "main.ts", caps: [{ symbol: "x", object: "ghost" }] } } },
        null,
        2,
      ),
    );
    const before = snapshot(cwd);
    const r = sel4tut(["init", "--tut", "./bad", "ex"], cwd);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/system\.json:\d+:\d+: threads\.main\.caps\[0\]\.object: unknown object "ghost"/);
    expect(snapshot(cwd)).toEqual(before);
  });
});
