// Names that do not exist and tutorial definitions that are broken: each is refused before
// anything is written, with the file, line and column of the mistake.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { snapshot } from "../cli/helpers.js";
import { freshExercise, runCase, sel4tut, tempDir, TUTORIAL } from "./helpers.js";

/** A small valid tutorial at cwd/name; `broken` then breaks one part of it. */
function tutorialDir(cwd: string, name: string, broken: (dir: string) => void): void {
  const dir = join(cwd, name);
  mkdirSync(join(dir, "templates"), { recursive: true });
  writeFileSync(join(dir, "tutorial.json"), JSON.stringify({
    schemaVersion: 1, name, title: "T", tasks: [{ name: "t", title: "T", start: "a", finish: "b", hints: ["h"] }],
  }, null, 2));
  writeFileSync(join(dir, "lesson.md"), "# L\n");
  writeFileSync(join(dir, "system.json"), JSON.stringify({ schemaVersion: 1, threads: { main: { source: "main.ts" } } }, null, 2));
  writeFileSync(join(dir, "templates", "main.ts"), "//@task t\n//@before\n// TODO t\n//@end\n");
  broken(dir);
}

const write = (file: string, text: string) => (dir: string) => writeFileSync(join(dir, file), text);

const BROKEN: { what: string; broken: (dir: string) => void; status: number; says: RegExp }[] = [
  { what: "tutorial.json is not JSON", broken: write("tutorial.json", '{ "schemaVersion": 1, "name": '), status: 1,
    says: /the tutorial has errors:\n.*tutorial\.json:1:\d+: invalid JSON: unexpected end of file/ },
  { what: "a tutorial without tasks", broken: write("tutorial.json", '{ "schemaVersion": 1, "name": "x", "title": "T", "tasks": [] }'), status: 1,
    says: /tutorial\.json:1:\d+: tasks: a tutorial needs at least one task/ },
  { what: "fields of the wrong type", broken: write("tutorial.json", '{ "schemaVersion": 1, "name": "x", "title": 5, "tasks": "all" }'), status: 1,
    says: /tasks: expected an array\n[^]*title: "title" must be a string/ },
  { what: "a format from a newer sel4tut", broken: write("tutorial.json", '{ "schemaVersion": 9, "name": "x", "title": "T", "tasks": [] }'), status: 1,
    says: /tutorial\.json:1:\d+: schemaVersion: schemaVersion must be 1/ },
  { what: "a template naming an unknown task", broken: write("templates/main.ts", "//@task zz\n//@before\n// TODO\n"), status: 1,
    says: /templates\/main\.ts:1: unknown task "zz" \(tasks: t\)/ },
  { what: "system.json is not JSON", broken: write("system.json", "threads: main"), status: 1,
    says: /system\.json:1:1: invalid JSON: unexpected "threads"/ },
  { what: "tutorial.json nested 100,000 deep", broken: write("tutorial.json", `{ "schemaVersion": 1, "tasks": ${"[".repeat(100_000)}${"]".repeat(100_000)} }`), status: 1,
    says: /tutorial\.json:1:95: invalid JSON: nested more than 64 levels deep/ },
  { what: "system.json nested 100,000 deep", broken: write("system.json", "{".repeat(100_000)), status: 1,
    says: /system\.json:1:65: invalid JSON: nested more than 64 levels deep/ },
  { what: "a thread without a template", broken: (d) => rmSync(join(d, "templates", "main.ts")), status: 1,
    says: /system\.json: no template in .*templates renders main\.ts \(thread main\)/ },
  { what: "a missing lesson", broken: (d) => rmSync(join(d, "lesson.md")), status: 1,
    says: /lesson: .*lesson\.md does not exist/ },
  { what: "tutorial.json is a directory", broken: (d) => { rmSync(join(d, "tutorial.json")); mkdirSync(join(d, "tutorial.json")); }, status: 2,
    says: /has no tutorial\.json file, so it is not a tutorial directory/ },
];

describe("names that do not exist", () => {
  it("an unknown tutorial, an unknown task, an unknown command or option: exit 2, nothing written", async () => {
    const cwd = tempDir();
    const ex = { root: cwd, dir: cwd, buildDir: cwd };
    const cases: [string[], RegExp][] = [
      [["init", "--tut", "no-such-tutorial"], /sel4tut: unknown tutorial "no-such-tutorial"\. Available: fault-handlers, vm-faults \(or give a path to a tutorial directory\)/],
      [["init", "--tut", TUTORIAL, "--task", "nope"], /sel4tut: unknown task "nope" \(tasks of fault-handlers: fault-badge, fault-ep-setup, /],
      [["init", "--tut", "./nowhere"], /nowhere has no tutorial\.json file, so it is not a tutorial directory/],
      [["frobnicate"], /error: unknown command 'frobnicate'/],
      [["run", "--fast"], /error: unknown option '--fast'/],
      [["init"], /error: required option '--tut <name\|path>' not specified/],
    ];
    for (const [args, says] of cases) expect((await runCase(ex, args, 2)).stderr).toMatch(says);
    expect(snapshot(cwd)).toEqual({});
  });

  it("an unknown task inside an exercise lists the tasks (exit 2)", async () => {
    const ex = freshExercise();
    for (const command of ["check", "hint"]) {
      const r = await runCase(ex, [command, "--task", "fault-nope"], 2);
      expect(r.stderr).toBe('sel4tut: unknown task "fault-nope" (tasks: fault-badge, fault-ep-setup, fault-ipc-recv, fault-handle, fault-resume)\n');
    }
  });
});

describe("a malformed tutorial definition from a path", () => {
  it.each(BROKEN)("$what: said with its file and place, nothing written", async ({ broken, status, says }) => {
    const cwd = tempDir();
    tutorialDir(cwd, "tut", broken);
    const before = snapshot(cwd);
    const r = await runCase({ root: cwd, dir: cwd, buildDir: cwd }, ["init", "--tut", "./tut", "ex"], status);
    expect(r.stderr).toMatch(says);
    expect(snapshot(cwd)).toEqual(before);
  });

  it("the tutorial of an exercise is no longer there (exit 2)", async () => {
    const cwd = tempDir();
    tutorialDir(cwd, "tut", () => {});
    const ex = { root: cwd, dir: join(cwd, "ex"), buildDir: join(cwd, "ex_build") };
    expect(sel4tut(["init", "--tut", "./tut", "ex"], cwd).status).toBe(0);
    rmSync(join(cwd, "tut"), { recursive: true });
    const r = await runCase(ex, ["run"], 2);
    expect(r.stderr).toContain(`sel4tut: this exercise was made from the tutorial at ${join(cwd, "tut")}, which is no longer there. Put it back`);
  });
});
