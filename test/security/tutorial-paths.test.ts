// A tutorial loaded from a path (`init --tut ./somewhere`) is untrusted: every file it names must
// lie inside its directory once symbolic links are resolved, its names are plain names, and its
// completion patterns are checked when it loads. Each attack is refused with exit 1 and the
// file:line:column of the field, and nothing is written.
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { snapshot } from "../cli/helpers.js";
import { attackRoot, noProcessLeft, outsideFiles, runCase, tutorialAt } from "./helpers.js";

interface Attack {
  what: string;
  json?: Record<string, unknown>;
  /** Changes made to the tutorial directory after it is written. */
  plant?: (tutorial: string, outside: string) => void;
  says: RegExp;
}

const OUTSIDE = /is outside the tutorial directory .* \(every file of a tutorial must be inside its directory\)/;

const ATTACKS: Attack[] = [
  {
    what: "a lesson given as an absolute host path",
    json: { lesson: "/etc/passwd" },
    says: /tutorial\.json:\d+:\d+: lesson: "\/etc\/passwd" is outside the tutorial directory/,
  },
  {
    what: "a lesson reached with ../",
    json: { lesson: "../outside/secret.md" },
    says: /tutorial\.json:\d+:\d+: lesson: "\.\.\/outside\/secret\.md" is outside/,
  },
  {
    what: "a lesson that is a symbolic link out of the tutorial",
    plant: (t, o) => {
      symlinkSync(join(o, "secret.md"), join(t, "lesson.link.md"));
    },
    json: { lesson: "lesson.link.md" },
    says: OUTSIDE,
  },
  {
    what: "a templates directory that is a symbolic link out of the tutorial",
    plant: (t, o) => symlinkSync(o, join(t, "tpl")),
    json: { templates: "tpl" },
    says: /templates: "tpl" is outside the tutorial directory/,
  },
  {
    what: "a system file outside the tutorial",
    json: { system: "../outside/secret.md" },
    says: /system: "\.\.\/outside\/secret\.md" is outside/,
  },
  {
    what: "a template file that is a symbolic link out of the tutorial",
    plant: (t, o) => symlinkSync(join(o, "bashrc.ts"), join(t, "templates", "helper.ts")),
    says: /templates\/helper\.ts is a symbolic link that does not lead to a file inside the tutorial directory/,
  },
  {
    what: "a name that is a path (init would create the exercise elsewhere)",
    json: { name: "../../../../tmp/x" },
    says: /name: "name" must be a plain name: letters, digits, '_', '\.' and '-'/,
  },
  {
    what: "a task name with a slash and an escape sequence",
    json: { tasks: [{ name: "t/\u001b[2J", title: "T", start: "a", finish: "b", hints: ["h"] }] },
    says: /tasks\[0\]\.name: a task's "name" must be a plain name/,
  },
  {
    what: "a completion pattern that is not a regular expression",
    json: { tasks: [{ name: "t", title: "T", start: "a", finish: "ok\n(unclosed", hints: ["h"] }] },
    says: /tutorial\.json:\d+:\d+: tasks\[0\]\.finish: line 2 of the text: "\(unclosed" is not a regular expression sel4tut can match: missing closing \)/,
  },
  {
    what: "a failure text with a lookahead (which would need backtracking)",
    json: { failureTexts: { finish: ["(?=x)y"] } },
    says: /failureTexts\.finish\[0\]: "\(\?=x\)y" is not a regular expression sel4tut can match/,
  },
  {
    what: "a completion pattern holding a raw escape character",
    json: { tasks: [{ name: "t", title: "T", start: "a", finish: "\u001b]0;pwned\u0007", hints: ["h"] }] },
    says: /tasks\[0\]\.finish: holds a control character; write it as an escape in the pattern/,
  },
  {
    what: "a simulated-time budget the wall clock would end first",
    json: { simTimeLimitMs: 3_600_000 },
    says: /simTimeLimitMs: "simTimeLimitMs" must be an integer from 1 to 5000/,
  },
];

describe("a tutorial from a path cannot reach outside its directory", () => {
  for (const a of ATTACKS) {
    it(`${a.what}: refused at its field with exit 1, nothing written`, async () => {
      const root = attackRoot();
      const outside = outsideFiles(root);
      const tut = tutorialAt(root, "evil", { json: a.json });
      a.plant?.(tut, outside.dir);
      const work = join(root, "work");
      mkdirSync(work);
      const r = await runCase({ root, dir: work, buildDir: work }, ["init", "--tut", tut], 1);
      expect(r.stderr).toMatch(/sel4tut: the tutorial has errors:\n/);
      expect(r.stderr).toMatch(a.says);
      expect(r.all).not.toContain("SECRET-CONTENT");
      expect(snapshot(work)).toEqual({});
      expect(existsSync("/tmp/x")).toBe(false);
      outside.unchanged();
      noProcessLeft(root);
    });
  }

  it("a template symlink that stays inside the tutorial is followed", async () => {
    const root = attackRoot();
    const tut = tutorialAt(join(root, "src"), "linked");
    writeFileSync(join(tut, "shared.ts.txt"), "export const SHARED = 1;\n");
    symlinkSync(join(tut, "shared.ts.txt"), join(tut, "templates", "shared.ts"));
    const r = await runCase({ root, dir: join(root, "src"), buildDir: root }, ["init", "--tut", tut], 0, { cwd: root });
    expect(r.stdout + r.stderr).not.toContain("error");
    expect(snapshot(join(root, "linked"))["shared.ts"]).toBe("export const SHARED = 1;\n");
  });
});
