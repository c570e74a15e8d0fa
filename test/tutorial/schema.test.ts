import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadTutorial } from "../../src/tutorial/schema.js";
import { MAX_JSON_DEPTH, parseJsonDocument, SourceErrors } from "../../src/tutorial/json-source.js";

function tutorialDir(json: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), "sel4tut-format-"));
  mkdirSync(join(dir, "templates"));
  writeFileSync(join(dir, "lesson.md"), "# x\n");
  writeFileSync(join(dir, "system.json"), "{}");
  writeFileSync(join(dir, "tutorial.json"), typeof json === "string" ? json : JSON.stringify(json, null, 2));
  return dir;
}

const task = (name: string, extra: object = {}) => ({
  name,
  title: name,
  finish: `${name} done`,
  hints: ["h"],
  ...extra,
});

describe("tutorial.json", () => {
  it("falls back to the previous task's FINISH when a task has no START (official rule)", () => {
    const tut = loadTutorial(
      tutorialDir({ schemaVersion: 1, name: "x", title: "X", tasks: [task("a", { start: "a start" }), task("b")] }),
    );
    expect(tut.tasks[1]!.start).toEqual({ master: "a done", mcs: "a done" });
    expect(tut.tasks[0]!.failureTexts.finish).toContain("Ignoring call to sys_exit_group");
  });

  it("accepts per-configuration texts and requires every listed configuration", () => {
    const dir = tutorialDir({
      schemaVersion: 1,
      name: "x",
      title: "X",
      tasks: [task("a", { start: { master: "m" } })],
    });
    expect(() => loadTutorial(dir)).toThrow(/tasks\[0\]\.start\.mcs: missing the text for the mcs configuration/);
  });

  it("reports every error with file, line and entry", () => {
    const dir = tutorialDir({
      schemaVersion: 1,
      name: "x",
      title: "X",
      tasks: [task("a"), { name: "a", finish: 3, hints: [] }],
      extra: 1,
    });
    let err: unknown;
    try {
      loadTutorial(dir);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SourceErrors);
    const msg = (err as Error).message;
    expect(msg).toMatch(/tutorial\.json:\d+:\d+: extra: unknown field/);
    expect(msg).toMatch(/tasks\[0\]: the first task must have a "start" text/);
    expect(msg).toMatch(/tasks\[1\]\.name: duplicate task name "a"/);
    expect(msg).toMatch(/tasks\[1\]\.hints: give each task at least one hint/);
  });

  it("locates JSON syntax errors", () => {
    expect(() => parseJsonDocument("f.json", '{\n  "a": 1,\n  "a": 2\n}')).toThrow(
      /f\.json:3:\d+: invalid JSON: duplicate key "a"/,
    );
    expect(() => parseJsonDocument("f.json", '{ "a": [1, }')).toThrow(
      /f\.json:1:12: invalid JSON: a comma before '}' \(JSON allows no trailing comma\)/,
    );
    expect(() => parseJsonDocument("f.json", "{\n  // a note\n}")).toThrow(
      /f\.json:2:3: invalid JSON: comments are not allowed in JSON \(a "\$comment" field is\)/,
    );
    expect(() => parseJsonDocument("f.json", "{ 'a': 1 }")).toThrow(
      /f\.json:1:3: invalid JSON: unexpected "'a'" \(JSON strings take double quotes\)/,
    );
    expect(() => parseJsonDocument("f.json", '{ "a": 1 ')).toThrow(
      /f\.json:1:10: invalid JSON: unexpected end of file \(expected '}'\)/,
    );
    const doc = parseJsonDocument("f.json", '{\n  "list": [\n    {"x": true}\n  ]\n}');
    expect(doc.offsets.get("list[0].x")).toBe(doc.text.indexOf("true"));
  });

  it("bounds nesting: 100,000 open brackets are an error at the first one too deep, not a stack overflow", () => {
    const deep = "[".repeat(100_000) + "]".repeat(100_000);
    expect(() => parseJsonDocument("f.json", deep)).toThrow(
      new RegExp(`^f\\.json:1:${MAX_JSON_DEPTH + 1}: invalid JSON: nested more than ${MAX_JSON_DEPTH} levels deep$`),
    );
    const justDeepEnough = "[".repeat(MAX_JSON_DEPTH) + "]".repeat(MAX_JSON_DEPTH);
    expect(parseJsonDocument("f.json", justDeepEnough).offsets.size).toBe(MAX_JSON_DEPTH);
  });

  it('a "__proto__" key is a field like any other', () => {
    const { value } = parseJsonDocument("f.json", '{ "__proto__": { "polluted": true } }');
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value as object)).toEqual(["__proto__"]);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });
});
