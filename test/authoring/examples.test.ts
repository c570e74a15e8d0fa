// The examples in examples/ are exercises written as docs/authoring.md teaches: the files the
// page shows are the shipped files, its commands work as written, and every example passes the
// official test.py matrix on each configuration it lists, through the real command line.
import { cpSync, existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../src/tutorial/catalogue.js";
import { loadTutorial } from "../../src/tutorial/schema.js";
import { sel4tut, sel4tutAsync, tempDir, type CliResult } from "../cli/helpers.js";

const DOC = readFileSync(join(PACKAGE_ROOT, "docs", "authoring.md"), "utf8");
const EXAMPLES = join(PACKAGE_ROOT, "examples");
const explain = (r: CliResult) => `exit ${r.status}\n${r.stdout}\n${r.stderr}`;

/** The fenced blocks that follow `<!-- <kind>: <arg> -->` in the page. */
function blocks(kind: string): { arg: string; body: string }[] {
  const re = new RegExp(`<!-- ${kind}: (\\S+) -->\\n\`\`\`\\w*\\n([\\s\\S]*?)\\n\`\`\`\\n`, "g");
  return [...DOC.matchAll(re)].map((m) => ({ arg: m[1]!, body: m[2]! }));
}

describe("docs/authoring.md's worked example", () => {
  it("shows the files of examples/shared-cspace exactly", () => {
    const shown = blocks("file");
    expect(shown.map((b) => b.arg).sort()).toEqual([
      "examples/shared-cspace/lesson.md",
      "examples/shared-cspace/system.json",
      "examples/shared-cspace/templates/client.ts",
      "examples/shared-cspace/templates/server.ts",
      "examples/shared-cspace/tutorial.json",
    ]);
    for (const b of shown)
      expect(b.body, b.arg).toBe(readFileSync(join(PACKAGE_ROOT, b.arg), "utf8").replace(/\n$/, ""));
  });

  it(
    "runs as the page says: its commands, in order, pass or fail as their comments say",
    { timeout: 300_000 },
    async () => {
      const [commands] = blocks("commands");
      expect(commands?.arg).toBe("examples/shared-cspace");
      const root = tempDir("sel4tut-doc-example-");
      cpSync(join(PACKAGE_ROOT, commands!.arg), join(root, commands!.arg), { recursive: true });
      let cwd = root;
      let ran = 0;
      for (const line of commands!.body.split("\n")) {
        const [command = "", comment = ""] = line.split(/\s+#\s*/);
        const words = command.trim().split(/\s+/);
        if (words[0] === "cd") {
          cwd = join(cwd, words[1]!);
          continue;
        }
        expect(words[0], line).toBe("sel4tut");
        const r = await sel4tutAsync(words.slice(1), cwd);
        expect(r.status, `${line}\n${explain(r)}`).toBe(/\bfails\b/.test(comment) ? 1 : 0);
        ran++;
      }
      expect(ran).toBe(6);
    },
  );
});

const examples = readdirSync(EXAMPLES).filter((d) => existsSync(join(EXAMPLES, d, "tutorial.json")));

describe("examples/", () => {
  it("holds the worked example", () => expect(examples).toContain("shared-cspace"));

  for (const name of examples) {
    const tut = loadTutorial(join(EXAMPLES, name));
    describe(`${name}: every task's start and solution states`, () => {
      for (const task of tut.tasks) {
        it(task.name, { timeout: 240_000 }, async () => {
          const cwd = tempDir(`sel4tut-example-${name}-`);
          const dir = join(EXAMPLES, name);
          expect(sel4tut(["init", "--tut", dir, "--task", task.name, "start"], cwd).status).toBe(0);
          expect(sel4tut(["init", "--tut", dir, "--task", task.name, "--solution", "solution"], cwd).status).toBe(0);
          await Promise.all(
            tut.configs.map(async (config) => {
              const flag = config === "mcs" ? ["--mcs"] : [];
              const startPasses = await sel4tutAsync(["check", "--start", "--quiet", ...flag], join(cwd, "start"));
              expect(startPasses.status, `start state, check --start on ${config}: ${explain(startPasses)}`).toBe(0);
              const startFails = await sel4tutAsync(["check", "--quiet", ...flag], join(cwd, "start"));
              expect(startFails.status, `start state, check on ${config}: ${explain(startFails)}`).toBe(1);
              const solved = await sel4tutAsync(["check", "--quiet", ...flag], join(cwd, "solution"));
              expect(solved.status, `solution, check on ${config}: ${explain(solved)}`).toBe(0);
            }),
          );
        });
      }
    });
  }
});
