// The exercise directory is the learner's, but a submission under grading (or a planted file) may
// hold symbolic links: sel4tut never builds a thread from one, and reset and restore never write
// through one. Each attack is refused with exit 1, naming the link, and nothing changes outside.
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { freshExercise, noProcessLeft, outsideFiles, runCase } from "./helpers.js";

describe("symbolic links in an exercise", () => {
  it("reset cannot write a task's start code through a learner file that is a symlink out of the exercise", async () => {
    const ex = freshExercise();
    const outside = outsideFiles(ex.root);
    rmSync(join(ex.dir, "handler.ts"));
    symlinkSync(join(outside.dir, "bashrc.ts"), join(ex.dir, "handler.ts"));
    const r = await runCase(ex, ["reset", "--yes"], 1);
    expect(r.stderr).toMatch(
      /handler\.ts is a symbolic link; sel4tut never reads or writes learner files through one, so that nothing outside the exercise can change\. .*Nothing was changed\./,
    );
    outside.unchanged();
    noProcessLeft(ex.root);
  });

  it("restore cannot follow a snapshot's path through a symlinked directory", async () => {
    const ex = freshExercise();
    const outside = outsideFiles(ex.root);
    // A planted snapshot: its manifest names sub/bashrc.ts, and sub leads out of the exercise.
    const snap = join(ex.dir, ".sel4tut", "history", "1");
    mkdirSync(join(snap, "files", "sub"), { recursive: true });
    writeFileSync(join(snap, "files", "sub", "bashrc.ts"), "// overwritten by the attack\n");
    writeFileSync(
      join(snap, "snapshot.json"),
      JSON.stringify({ schemaVersion: 1, command: "reset", files: [{ path: "sub/bashrc.ts", existed: true }] }),
    );
    symlinkSync(outside.dir, join(ex.dir, "sub"));
    const r = await runCase(ex, ["restore", "1", "--yes"], 1);
    expect(r.stderr).toMatch(/sub is a symbolic link; sel4tut never reads or writes learner files through one/);
    outside.unchanged();
  });

  it("restore cannot write into a history directory that is a symlink out of the exercise", async () => {
    const ex = freshExercise();
    const outside = outsideFiles(ex.root);
    symlinkSync(outside.dir, join(ex.dir, ".sel4tut", "history"));
    const r = await runCase(ex, ["reset", "--yes"], 1);
    expect(r.stderr).toMatch(/history is a symbolic link/);
    outside.unchanged();
  });

  for (const [what, plant, says] of [
    [
      "a directory",
      (dir: string) => mkdirSync(dir),
      /handler\.ts (\(thread handler\) )?is a directory; sel4tut builds only plain files in the exercise directory/,
    ],
    [
      "a symlink out of the exercise",
      (dir: string, out: string) => symlinkSync(join(out, "bashrc.ts"), dir),
      /handler\.ts (\(thread handler\) )?is a symbolic link; sel4tut builds only plain files/,
    ],
  ] as const) {
    it(`a thread source that is ${what}: run and check refuse it with exit 1; doctor names it`, async () => {
      const ex = freshExercise();
      const outside = outsideFiles(ex.root);
      rmSync(join(ex.dir, "handler.ts"));
      plant(join(ex.dir, "handler.ts"), outside.dir);
      for (const cmd of [["run"], ["check"]]) {
        const r = await runCase(ex, cmd, 1);
        expect(r.stderr).toMatch(says);
        expect(r.stderr).toContain("Put the file itself there. Nothing was built or run.");
      }
      const d = await runCase(ex, ["doctor"], 1);
      expect(d.all).toMatch(says);
      outside.unchanged();
      noProcessLeft(ex.root);
    });
  }
});
