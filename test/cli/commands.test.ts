import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sel4tut, tempDir } from "./helpers.js";

function exercise(): { cwd: string; dir: string; build: string } {
  const cwd = tempDir();
  expect(sel4tut(["init", "--tut", "fault-handlers"], cwd).status).toBe(0);
  return { cwd, dir: join(cwd, "fault-handlers"), build: join(cwd, "fault-handlers_build") };
}

describe("commands inside an exercise", () => {
  it("hint reveals one layer at a time, from DIR or DIR_build, and remembers it", () => {
    const { dir, build } = exercise();
    const first = sel4tut(["hint"], dir);
    expect(first.status).toBe(0);
    expect(first.stdout).toContain("1/3.");
    expect(first.stdout).not.toContain("2/3.");
    const second = sel4tut(["hint"], build);
    expect(second.stdout).toContain("2/3.");
    expect(second.stdout).not.toContain("3/3.");
    expect(JSON.parse(readFileSync(join(dir, ".sel4tut/progress.json"), "utf8")).hintsShown).toEqual({
      "fault-badge": 2,
    });
    expect(sel4tut(["hint", "--all", "--task", "fault-resume"], dir).stdout).toContain("3/3.");
  });

  it("list shows the tasks with progress for both configurations", () => {
    const { dir } = exercise();
    const r = sel4tut(["list"], dir);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/task\s+master\s+mcs/);
    expect(r.stdout).toMatch(/▶ fault-badge\s+· todo\s+· todo/);
    expect(r.stdout).toContain("Other tutorials:");
  });

  it("list keeps the status columns apart once a task has passed", () => {
    const { dir } = exercise();
    const file = join(dir, ".sel4tut/progress.json");
    const progress = JSON.parse(readFileSync(file, "utf8"));
    progress.passed = { "fault-badge": { master: true } };
    writeFileSync(file, JSON.stringify(progress));
    expect(sel4tut(["list"], dir).stdout).toMatch(/fault-badge\s+✓ passed {2,}· todo {2,}Badge the fault endpoint/);
  });

  it("list names the examples, and one starts by name from any directory", () => {
    const outside = tempDir();
    expect(sel4tut(["list"], outside).stdout).toMatch(/Examples[^\n]*:\n {2}shared-cspace: Two threads, one CSpace/);
    const init = sel4tut(["init", "--tut", "shared-cspace"], outside);
    expect(init.stderr).toBe("");
    expect(init.status).toBe(0);
    expect(sel4tut(["list"], join(outside, "shared-cspace")).stdout).toMatch(/▶ shared-reply/);
  });

  it("list --json is one JSON document with the tutorials, the examples and the exercise's progress", () => {
    const { dir } = exercise();
    const listing = JSON.parse(sel4tut(["list", "--json"], dir).stdout);
    expect(listing.exercise.currentTask).toBe("fault-badge");
    expect(listing.exercise.tasks[0]).toEqual({
      name: "fault-badge",
      title: "Badge the fault endpoint",
      passed: { master: false, mcs: false },
    });
    expect(listing.tutorials.map((t: { name: string; kind: string }) => `${t.kind}:${t.name}`)).toEqual(
      expect.arrayContaining(["tutorial:fault-handlers", "tutorial:vm-faults", "example:shared-cspace"]),
    );
    expect(JSON.parse(sel4tut(["list", "--json"], tempDir()).stdout).exercise).toBeNull();
  });

  it("check --start on the start code says the start state behaves, not that the task passes, and records nothing", () => {
    const { dir } = exercise();
    const r = sel4tut(["check", "--start", "--quiet"], dir);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(
      "Success! fault-badge's start code prints its START text on master, as it should before you solve the task.",
    );
    expect(r.stdout).not.toContain("fault-badge passes");
    expect(JSON.parse(readFileSync(join(dir, ".sel4tut/progress.json"), "utf8")).passed).toEqual({});
  });

  it("usage errors exit 2", () => {
    const { dir } = exercise();
    expect(sel4tut(["check", "--task", "nope"], dir).status).toBe(2);
    const outside = sel4tut(["check"], tempDir());
    expect(outside.status).toBe(2);
    expect(outside.stderr).toContain("is not inside an exercise directory");
  });

  it("keeps an unreadable progress file aside instead of resetting silently", () => {
    const { dir } = exercise();
    const file = join(dir, ".sel4tut/progress.json");
    writeFileSync(file, "{ not json");
    const r = sel4tut(["hint"], dir);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/note: progress file was unreadable .* kept it as .*progress\.json\.broken-1/);
    expect(readFileSync(`${file}.broken-1`, "utf8")).toBe("{ not json");
  });
});
