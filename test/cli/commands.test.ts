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
    expect(JSON.parse(readFileSync(join(dir, ".sel4tut/progress.json"), "utf8")).hintsShown).toEqual({ "fault-badge": 2 });
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
