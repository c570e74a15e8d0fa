// The exercise directory itself goes wrong: a file deleted, the directory moved, commands run
// outside it, state files from another sel4tut or damaged. Learner files are never touched.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { freshExercise, runCase, sel4tut, tempDir, TUTORIAL, type Exercise } from "./helpers.js";

const RECORD = ".sel4tut/exercise.json";
const PROGRESS = ".sel4tut/progress.json";

function rewriteJson(ex: Exercise, file: string, change: (v: Record<string, unknown>) => void): void {
  const path = join(ex.dir, file);
  const v = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  change(v);
  writeFileSync(path, JSON.stringify(v, null, 2));
}

describe("the exercise directory", () => {
  it("a deleted thread source: named, with how to get it back; the stale build never runs", async () => {
    const ex = freshExercise(false);
    expect(sel4tut(["build"], ex.dir).status).toBe(0);
    rmSync(join(ex.dir, "faulter.ts"));
    const r = await runCase(ex, ["run"], 1);
    expect(r.stderr).toContain(
      `sel4tut: a file this tutorial runs is missing from ${ex.dir}: faulter.ts (thread faulter).`,
    );
    expect(r.stderr).toContain(`sel4tut init --tut ${TUTORIAL} --task fault-badge DIR`);
    expect(r.stdout).toBe("");
  });

  it("a renamed exercise builds next to its new name, and says so once", async () => {
    const ex = freshExercise();
    const moved = { ...ex, dir: join(ex.root, "my-work"), buildDir: join(ex.root, "my-work_build") };
    renameSync(ex.dir, moved.dir);
    const first = await runCase(moved, ["build"], 0);
    expect(first.stderr).toContain(
      `note: this exercise was moved or renamed (it used to build in ${ex.buildDir}); it builds in ${moved.buildDir} now.`,
    );
    expect(existsSync(join(moved.buildDir, "master", "out", "handler.js"))).toBe(true);
    const again = await runCase(moved, ["build"], 0);
    expect(again.stderr).toBe("");
    expect(again.stdout).toBe("master: no work to do.\n");
  });

  it("the build directory of a moved exercise: where to run sel4tut instead", async () => {
    const ex = freshExercise();
    renameSync(ex.dir, join(ex.root, "elsewhere"));
    const r = await runCase(ex, ["check"], 2, { cwd: ex.buildDir });
    expect(r.stderr).toContain(
      `sel4tut: ${ex.buildDir} is the build directory of ${ex.dir}, which is not there any more (moved or renamed?)`,
    );
  });

  it("a moved exercise never takes over a directory that is not its build directory", async () => {
    const ex = freshExercise();
    const moved = { ...ex, dir: join(ex.root, "copy") };
    renameSync(ex.dir, moved.dir);
    mkdirSync(join(ex.root, "copy_build"));
    writeFileSync(join(ex.root, "copy_build", "notes.txt"), "mine");
    const r = await runCase(moved, ["run"], 1);
    expect(r.stderr).toContain(
      `${join(ex.root, "copy_build")} (where it would build now) exists but is not its build directory; sel4tut never overwrites it`,
    );
    expect(readFileSync(join(ex.root, "copy_build", "notes.txt"), "utf8")).toBe("mine");
  });

  it("commands outside an exercise: how to make one (exit 2); list still works", async () => {
    const cwd = tempDir();
    const ex = { root: cwd, dir: cwd, buildDir: cwd };
    for (const command of [["run"], ["check", "--mcs"], ["build"], ["hint"]]) {
      const r = await runCase(ex, command, 2);
      expect(r.stderr).toBe(
        `sel4tut: ${cwd} is not inside an exercise directory. Create one with "sel4tut init --tut NAME", then cd into it.\n`,
      );
    }
    // The first tutorial of the official track.
    expect((await runCase(ex, ["list"], 0)).stdout).toContain("Start one with: sel4tut init --tut hello-world");
  });
});

describe("an exercise made by another sel4tut", () => {
  it("newer, same format: it works, with a note to update", async () => {
    const ex = freshExercise();
    rewriteJson(ex, RECORD, (r) => (r.sel4tutVersion = "9.0.0"));
    const r = await runCase(ex, ["hint"], 0);
    expect(r.stderr).toMatch(
      /^note: this exercise was made by sel4tut 9\.0\.0, which is newer than this sel4tut \([\d.]+\)\. If something fails, update sel4tut: npm install -g sel4tut@latest\n$/,
    );
  });

  it("newer format: refused, with the command that updates sel4tut; nothing changes", async () => {
    const ex = freshExercise();
    rewriteJson(ex, RECORD, (r) => Object.assign(r, { sel4tutVersion: "9.0.0", schemaVersion: 2 }));
    const record = readFileSync(join(ex.dir, RECORD), "utf8");
    const r = await runCase(ex, ["check"], 1);
    expect(r.stderr).toContain(
      "sel4tut: this exercise was made by a newer sel4tut (sel4tut 9.0.0, exercise format 2); this is sel4tut",
    );
    expect(r.stderr).toContain("npm install -g sel4tut@latest");
    expect(readFileSync(join(ex.dir, RECORD), "utf8")).toBe(record);
  });

  it("older, same format: it works, and a note says so once", async () => {
    const ex = freshExercise();
    rewriteJson(ex, RECORD, (r) => (r.sel4tutVersion = "0.0.1"));
    const first = await runCase(ex, ["hint"], 0);
    expect(first.stderr).toMatch(
      /note: this exercise was made by sel4tut 0\.0\.1; this is sel4tut [\d.]+\. It still works/,
    );
    expect(first.stderr).toContain("This note is shown once.");
    expect((await runCase(ex, ["hint"], 0)).stderr).toBe("");
  });

  it("older format: how to carry on in a fresh exercise, with the current task", async () => {
    const ex = freshExercise(false);
    rewriteJson(ex, PROGRESS, (p) => (p.currentTask = "fault-handle"));
    rewriteJson(ex, RECORD, (r) => {
      r.schemaVersion = 0;
      delete r.sel4tutVersion;
    });
    const r = await runCase(ex, ["run"], 1);
    expect(r.stderr).toContain(
      "sel4tut: this exercise was made by an older sel4tut (another sel4tut, exercise format 0) whose format this sel4tut",
    );
    expect(r.stderr).toContain("Your .ts files are untouched.");
    expect(r.stderr).toContain(`sel4tut init --tut ${TUTORIAL} --task fault-handle NEWDIR`);
  });

  it("a damaged exercise record: said, with the way out", async () => {
    const ex = freshExercise();
    writeFileSync(join(ex.dir, RECORD), '{ "schemaVersion": 1, "tutor');
    const r = await runCase(ex, ["check"], 1);
    expect(r.stderr).toContain(`sel4tut: ${join(ex.dir, RECORD)} is damaged (`);
    expect(r.stderr).toContain("so sel4tut cannot tell which tutorial and task this exercise is");
    expect(r.stderr).toContain(`sel4tut init --tut ${TUTORIAL} --task fault-resume NEWDIR`);
  });

  it("a progress file from a newer sel4tut is left as it is", async () => {
    const ex = freshExercise();
    rewriteJson(ex, PROGRESS, (p) => (p.schemaVersion = 7));
    const progress = readFileSync(join(ex.dir, PROGRESS), "utf8");
    const r = await runCase(ex, ["hint"], 1);
    expect(r.stderr).toContain(
      `sel4tut: ${join(ex.dir, PROGRESS)} was written by a newer sel4tut (progress format 7; this one reads 1)`,
    );
    expect(readFileSync(join(ex.dir, PROGRESS), "utf8")).toBe(progress);
    expect(existsSync(join(ex.dir, `${PROGRESS}.broken-1`))).toBe(false);
  });
});
