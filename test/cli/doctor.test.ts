// sel4tut doctor: a report that is safe to run anywhere and names what is wrong.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { nodeFinding } from "../../src/cli/lib/doctor-environment.js";
import { sel4tut, snapshot, tempDir } from "./helpers.js";

const VERSION = (
  JSON.parse(readFileSync(join(import.meta.dirname, "../../package.json"), "utf8")) as { version: string }
).version;

describe("sel4tut doctor", () => {
  it("outside an exercise: the environment, no exercise, exit 0", () => {
    const r = sel4tut(["doctor"], tempDir());
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^sel4tut doctor report\n/);
    expect(r.stdout).toContain(`  sel4tut     ${VERSION} (`);
    expect(r.stdout).toContain(`  node        ${process.version} (sel4tut needs >=`);
    expect(r.stdout).toContain(`  platform    ${process.platform}-${process.arch} (`);
    expect(r.stdout).toContain("  terminal    stdout is not a terminal, stdin is not a terminal");
    expect(r.stdout).toContain("  colour      off (NO_COLOR=1, FORCE_COLOR=0)");
    expect(r.stdout).toMatch(/ {2}typescript {2}\d+\.\d+\.\d+ \(loads\)/);
    expect(r.stdout).toContain("  exercise    none (not run inside an exercise directory)");
    expect(r.stdout).toMatch(/\nNo problem found\.\n$/);
  });

  it("inside an exercise (or its build directory): tutorial, task, build and progress state", () => {
    const cwd = tempDir();
    sel4tut(["init", "--tut", "fault-handlers", "--task", "fault-handle"], cwd);
    const dir = join(cwd, "fault-handlers");
    for (const where of [dir, join(cwd, "fault-handlers_build")]) {
      const r = sel4tut(["doctor"], where);
      expect(r.status).toBe(0);
      expect(r.stdout).toContain(`  exercise    ${dir} (made by sel4tut ${VERSION})`);
      expect(r.stdout).toContain("  tutorial    fault-handlers (built in)");
      expect(r.stdout).toContain("  task        fault-handle, 4 of 5 (Repair the faulting slot)");
      expect(r.stdout).toContain("  sources     faulter.ts, handler.ts: present");
      expect(r.stdout).toContain(`  build dir   ${dir}_build: master not built, mcs not built`);
      expect(r.stdout).toContain("  progress    readable; passed: nothing yet");
      expect(r.stdout).toContain("  watch       file events (sel4tut watch --poll if saves go unnoticed)");
    }
  });

  it("names each problem, exits 1, and repairs nothing itself", () => {
    const cwd = tempDir();
    sel4tut(["init", "--tut", "fault-handlers"], cwd);
    const dir = join(cwd, "fault-handlers");
    rmSync(join(dir, "faulter.ts"));
    writeFileSync(join(dir, ".sel4tut/progress.json"), "{ damaged");
    const before = snapshot(cwd);
    const r = sel4tut(["doctor"], dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("  sources     missing faulter.ts  <- problem");
    expect(r.stdout).toContain("2 problems found:\n");
    expect(r.stdout).toContain(
      "  - sources: faulter.ts is missing, so the exercise cannot run; sel4tut reset --yes faulter.ts writes the current task's start code",
    );
    expect(r.stdout).toMatch(
      / {2}- progress: .*progress\.json is damaged \(.*\); the next command keeps it aside as progress\.json\.broken-N/,
    );
    expect(r.stderr).toBe("");
    expect(snapshot(cwd)).toEqual(before);
  });

  it("checks Node against the declared requirement", () => {
    expect(nodeFinding("v20.19.0", ">=20.19").problem).toBeUndefined();
    expect(nodeFinding("v22.1.0", ">=20.19").problem).toBeUndefined();
    expect(nodeFinding("v20.18.3", ">=20.19").problem).toBe(
      "Node v20.18.3 is older than sel4tut needs (>=20.19). Install Node 20.19 or later (https://nodejs.org, or nvm install 20).",
    );
    expect(nodeFinding("v18.0.0", ">=20").problem).toContain("older than sel4tut needs");
  });
});
