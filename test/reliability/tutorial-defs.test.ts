// Names that do not exist and tutorial definitions that are broken: each is refused before
// anything is written, with the file, line and column of the mistake.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { builtinTutorialNames, exampleNames } from "../../src/tutorial/catalogue.js";
import { snapshot } from "../cli/helpers.js";
import { BROKEN, tutorialDir } from "./broken-tutorials.js";
import { freshExercise, runCase, sel4tut, tempDir, TUTORIAL } from "./helpers.js";

/** Every tutorial and example by name, in the order `sel4tut list` shows them. */
const available = [...builtinTutorialNames(), ...exampleNames()].join(", ");

describe("names that do not exist", () => {
  it("an unknown tutorial, an unknown task, an unknown command or option: exit 2, nothing written", async () => {
    const cwd = tempDir();
    const ex = { root: cwd, dir: cwd, buildDir: cwd };
    const cases: [string[], RegExp][] = [
      [
        ["init", "--tut", "no-such-tutorial"],
        new RegExp(
          `sel4tut: unknown tutorial "no-such-tutorial"\\. Available: ${available} \\(or give a path to a tutorial directory\\)`,
        ),
      ],
      [
        ["init", "--tut", "fault-handler"],
        /sel4tut: unknown tutorial "fault-handler"; did you mean "fault-handlers"\? Available: /,
      ],
      [
        ["init", "--tut", TUTORIAL, "--task", "nope"],
        /sel4tut: unknown task "nope" \(tasks of fault-handlers: fault-badge, fault-ep-setup, /,
      ],
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
      expect(r.stderr).toBe(
        'sel4tut: unknown task "fault-nope" (tasks: fault-badge, fault-ep-setup, fault-ipc-recv, fault-handle, fault-resume)\n',
      );
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
    expect(r.stderr).toContain(
      `sel4tut: this exercise was made from the tutorial at ${join(cwd, "tut")}, which is no longer there. Put it back`,
    );
  });
});
