// Text sel4tut shows but did not write (a tutorial's titles, hints and lesson from a path; a
// learner's output quoted in a report) reaches the terminal without anything a terminal would
// interpret: escape sequences and control characters are shown as visible escapes, and no line
// is longer than sel4tut's bound. A completion pattern that would backtrack cannot stall check.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  attackRoot,
  atStartOfMain,
  freshExercise,
  noProcessLeft,
  runCase,
  sel4tutAsync,
  tutorialAt,
} from "./helpers.js";

/** Anything a terminal acts on: ESC, BEL, other C0 controls but tab and newline, C1, bidi overrides. */
// eslint-disable-next-line no-control-regex
const INTERPRETED = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;
const CLEAR_SCREEN = "\u001b[2J\u001b[H";
const TITLE = "\u001b]0;owned\u0007";

function longestLine(text: string): number {
  return Math.max(...text.split("\n").map((l) => l.length));
}

describe("text from a tutorial loaded from a path", () => {
  it("titles, task titles and hints: escapes shown visibly, lines bounded, in list and hint", async () => {
    const root = attackRoot();
    const tut = tutorialAt(join(root, "src"), "loud", {
      json: {
        title: `Loud${CLEAR_SCREEN}`,
        summary: `reads \u202eesrever`,
        tasks: [
          {
            name: "t",
            title: `Task${TITLE}`,
            start: "a",
            finish: "b",
            hints: [`look${CLEAR_SCREEN}`, "x".repeat(20_000)],
          },
        ],
      },
      lesson: `# Lesson${CLEAR_SCREEN}\n`,
    });
    await runCase({ root, dir: tut, buildDir: root }, ["init", "--tut", tut], 0, { cwd: root });
    const ex = join(root, "loud");
    expect(readFileSync(join(ex, "README.md"), "utf8")).toContain("# Lesson\\x1b[2J\\x1b[H");
    for (const args of [["list"], ["hint", "--all"]]) {
      const r = await sel4tutAsync(args, ex);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout + r.stderr).not.toMatch(INTERPRETED);
      expect(longestLine(r.stdout + r.stderr)).toBeLessThan(700);
    }
    const hints = await sel4tutAsync(["hint", "--all"], ex);
    expect(hints.stdout).toContain("look\\x1b[2J\\x1b[H");
    expect(hints.stdout).toContain("… (19500 more characters)");
    const list = await sel4tutAsync(["list"], ex);
    expect(list.stdout).toContain("Task\\x1b]0;owned\\x07");
  });

  it("a completion pattern that backtracks exponentially ((a+)+c) against a long line: check ends with its verdict", async () => {
    const root = attackRoot();
    const tut = tutorialAt(join(root, "src"), "slow", {
      json: { tasks: [{ name: "t", title: "T", start: "a", finish: "(a+)+c", hints: ["h"] }] },
      template:
        'import { printf } from "sel4";\n//@task t\n//@before\n// TODO\n//@end\nexport function main(): number {\n  printf("%s\\n", "a".repeat(5000) + "b");\n  return 0;\n}\n',
    });
    await runCase({ root, dir: tut, buildDir: root }, ["init", "--tut", tut], 0, { cwd: root });
    const ex = join(root, "slow");
    const r = await runCase({ root, dir: ex, buildDir: root }, ["check", "--quiet"], 1);
    expect(r.stdout).toContain('✗ missing  "(a+)+c"');
    expect(r.stdout).toContain("… (4501 more characters)");
    noProcessLeft(root);
  });
});

describe("learner output quoted in sel4tut's own report", () => {
  it("check --quiet shows the output it judged with escapes made visible", async () => {
    const ex = freshExercise();
    atStartOfMain(ex, "faulter.ts", `  printf("wipe${"\\x1b[2J"} bell${"\\x07"}\\n");`);
    const r = await runCase(ex, ["check", "--quiet"], 0);
    expect(r.stdout).not.toMatch(INTERPRETED);
    expect(r.stdout).not.toContain("Output of the run");
    const failing = freshExercise(false);
    atStartOfMain(failing, "faulter.ts", `  printf("wipe${"\\x1b[2J"} bell${"\\x07"}\\n");`);
    const f = await runCase(failing, ["check", "--quiet"], 1);
    expect(f.stdout).toContain("wipe\\x1b[2J bell\\x07");
    expect(f.stdout + f.stderr).not.toMatch(INTERPRETED);
  });
});
