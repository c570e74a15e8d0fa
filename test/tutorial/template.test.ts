import { describe, expect, it } from "vitest";
import { parseTemplate, renderTemplate, startSnippets, TemplateError } from "../../src/tutorial/template.js";

const TASKS = ["one", "two", "three"];
const SOURCE = [
  "head",
  "//@task one",
  "//@before",
  "one-before // TODO",
  "//@completed",
  "one-done",
  "//@all",
  "one-shared",
  "//@end",
  "  //@task two",
  "two-shared",
  "  //@before",
  "two-before",
  "  //@completed",
  "two-done",
  "  //@end",
  "//@task three always",
  "//@before",
  "three-before",
  "//@completed",
  "three-done",
  "//@end",
  "tail",
].join("\n");

const render = (task: number, solution: boolean) =>
  renderTemplate(parseTemplate("t.ts", SOURCE, TASKS), { task, solution }).split("\n");

describe("template rendering (the official task model)", () => {
  it("start state: earlier tasks completed, current task before, later append tasks absent", () => {
    expect(render(1, false)).toEqual([
      "head",
      "one-done",
      "one-shared",
      "two-shared",
      "two-before",
      "three-before",
      "tail",
    ]);
  });
  it("solution state completes the current task too", () => {
    expect(render(1, true)).toEqual([
      "head",
      "one-done",
      "one-shared",
      "two-shared",
      "two-done",
      "three-before",
      "tail",
    ]);
  });
  it("first task start shows only its before form", () => {
    expect(render(0, false)).toEqual(["head", "one-before // TODO", "one-shared", "three-before", "tail"]);
  });
  it("last task solution is fully solved", () => {
    expect(render(2, true)).toEqual(["head", "one-done", "one-shared", "two-shared", "two-done", "three-done", "tail"]);
  });
  it("a block that replaces another takes its place once its task has the form the stage asks for", () => {
    const chain = [
      "head",
      "//@task one always",
      "//@before",
      "one-todo",
      "//@completed",
      "one-done",
      "//@end",
      "",
      "//@task two replaces",
      "two-all",
      "//@end",
      "//@task three replaces",
      "//@completed",
      "three-done",
      "//@end",
      "tail",
    ].join("\n");
    const at = (task: number, solution: boolean) =>
      renderTemplate(parseTemplate("t.ts", chain, TASKS), { task, solution })
        .split("\n")
        .filter((l) => l !== "");
    expect(at(0, false)).toEqual(["head", "one-todo", "tail"]);
    expect(at(0, true)).toEqual(["head", "one-done", "tail"]);
    expect(at(1, false)).toEqual(["head", "two-all", "tail"]);
    // Task three has no start form of its own: its start state keeps task two's code.
    expect(at(2, false)).toEqual(["head", "two-all", "tail"]);
    expect(at(2, true)).toEqual(["head", "three-done", "tail"]);
    expect(startSnippets(parseTemplate("t.ts", chain, TASKS), 2)).toEqual(["two-all"]);
    expect(() => parseTemplate("x.ts", "a\n//@task two replaces\n//@end", TASKS)).toThrow(
      /x\.ts:2:1: "replaces" needs the block/,
    );
    expect(() => parseTemplate("x.ts", "//@task two\n//@end\n//@task one replaces\n//@end", TASKS)).toThrow(
      /not earlier than "one"/,
    );
  });
  it("reports marker mistakes with file and line", () => {
    expect(() => parseTemplate("x.ts", "//@task nope\n//@end", TASKS)).toThrow(/x\.ts:1:1: unknown task "nope"/);
    expect(() => parseTemplate("x.ts", "a\n//@task one\nb", TASKS)).toThrow(/x\.ts:2:1: .*never closed/);
    expect(() => parseTemplate("x.ts", "//@before", TASKS)).toThrow(TemplateError);
    expect(() => parseTemplate("x.ts", "//@task one\n//@task two", TASKS)).toThrow(
      /x\.ts:2:1: \/\/@task inside the block opened on line 1/,
    );
    expect(() => parseTemplate("x.ts", "//@frobnicate", TASKS)).toThrow(/unknown marker/);
  });
});
