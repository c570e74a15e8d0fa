// Broken tutorial definitions, each with what sel4tut says about it: the reliability suite runs
// them through the command line, test/authoring/schemas.test.ts through the JSON Schemas.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** A small valid tutorial at cwd/name; `broken` then breaks one part of it. */
export function tutorialDir(cwd: string, name: string, broken: (dir: string) => void): void {
  const dir = join(cwd, name);
  mkdirSync(join(dir, "templates"), { recursive: true });
  writeFileSync(
    join(dir, "tutorial.json"),
    JSON.stringify(
      {
        schemaVersion: 1,
        name,
        title: "T",
        tasks: [{ name: "t", title: "T", start: "a", finish: "b", hints: ["h"] }],
      },
      null,
      2,
    ),
  );
  writeFileSync(join(dir, "lesson.md"), "# L\n");
  writeFileSync(
    join(dir, "system.json"),
    JSON.stringify({ schemaVersion: 1, threads: { main: { source: "main.ts" } } }, null, 2),
  );
  writeFileSync(join(dir, "templates", "main.ts"), "//@task t\n//@before\n// TODO t\n//@end\n");
  broken(dir);
}

const write = (file: string, text: string) => (dir: string) => writeFileSync(join(dir, file), text);

export interface BrokenTutorial {
  what: string;
  broken: (dir: string) => void;
  status: number;
  says: RegExp;
  /** The JSON Schema of this file flags the mistake too, as an editor shows it. */
  schema?: "tutorial" | "system";
}

export const BROKEN: BrokenTutorial[] = [
  {
    what: "tutorial.json is not JSON",
    broken: write("tutorial.json", '{ "schemaVersion": 1, "name": '),
    status: 1,
    says: /the tutorial has errors:\n.*tutorial\.json:1:\d+: invalid JSON: unexpected end of file/,
  },
  {
    what: "a tutorial without tasks",
    schema: "tutorial",
    broken: write("tutorial.json", '{ "schemaVersion": 1, "name": "x", "title": "T", "tasks": [] }'),
    status: 1,
    says: /tutorial\.json:1:\d+: tasks: a tutorial needs at least one task/,
  },
  {
    what: "fields of the wrong type",
    schema: "tutorial",
    broken: write("tutorial.json", '{ "schemaVersion": 1, "name": "x", "title": 5, "tasks": "all" }'),
    status: 1,
    says: /tasks: expected an array\n[^]*title: "title" must be a string/,
  },
  {
    what: "a format from a newer sel4tut",
    schema: "tutorial",
    broken: write("tutorial.json", '{ "schemaVersion": 9, "name": "x", "title": "T", "tasks": [] }'),
    status: 1,
    says: /tutorial\.json:1:\d+: schemaVersion: schemaVersion must be 1/,
  },
  {
    what: "a template naming an unknown task",
    broken: write("templates/main.ts", "//@task zz\n//@before\n// TODO\n"),
    status: 1,
    says: /templates\/main\.ts:1:1: unknown task "zz" \(tasks: t\)/,
  },
  {
    what: "system.json is not JSON",
    broken: write("system.json", "threads: main"),
    status: 1,
    says: /system\.json:1:1: invalid JSON: unexpected "threads"/,
  },
  {
    what: "tutorial.json nested 100,000 deep",
    broken: write("tutorial.json", `{ "schemaVersion": 1, "tasks": ${"[".repeat(100_000)}${"]".repeat(100_000)} }`),
    status: 1,
    says: /tutorial\.json:1:95: invalid JSON: nested more than 64 levels deep/,
  },
  {
    what: "system.json nested 100,000 deep",
    broken: write("system.json", "{".repeat(100_000)),
    status: 1,
    says: /system\.json:1:65: invalid JSON: nested more than 64 levels deep/,
  },
  {
    what: "a thread without a template",
    broken: (d) => rmSync(join(d, "templates", "main.ts")),
    status: 1,
    says: /system\.json:4:13: threads\.main: no template in .*templates renders main\.ts \(thread main\)/,
  },
  {
    what: "a missing lesson",
    broken: (d) => rmSync(join(d, "lesson.md")),
    status: 1,
    says: /lesson: .*lesson\.md does not exist/,
  },
  {
    what: "tutorial.json is a directory",
    broken: (d) => {
      rmSync(join(d, "tutorial.json"));
      mkdirSync(join(d, "tutorial.json"));
    },
    status: 2,
    says: /has no tutorial\.json file, so it is not a tutorial directory/,
  },
];
