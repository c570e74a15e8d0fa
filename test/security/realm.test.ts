// Learner code runs in a hardened realm: the JavaScript intrinsics are frozen, and the thread's
// global object holds only what a seL4 thread has (the intrinsics, its console, virtual clocks,
// seeded Math, Intl, and stand-ins that say what to use instead of the host's objects). Code the
// build never saw (eval, the Function constructors) cannot run. Each case runs in process, as
// `sel4tut run` would run it.
import { describe, expect, it } from "vitest";
import { wallClockNetMs } from "../../src/app/pipeline.js";
import { MAX_SIM_TIME_LIMIT_MS } from "../../src/tutorial/schema.js";
import { runSpec } from "../authoring/spec-runner.js";

const SYSTEM = { schemaVersion: 1, threads: { main: { source: "main.ts" } } };

/** Runs `body` as main()'s body on master; returns what the thread printed and how the run ended. */
async function runMain(body: string, top = ""): Promise<{ output: string; outcome: string }> {
  const source = [
    'import { printf } from "sel4";',
    "declare const console: { log(...a: unknown[]): void };",
    top,
    "export function main(): number {",
    body,
    "  return 0;",
    "}",
    "",
  ].join("\n");
  const run = await runSpec("master", { system: SYSTEM, sources: { "main.ts": source } });
  return { output: run.output, outcome: run.outcome };
}

/** A line of main's body that prints what `expr` throws (its message), or "no exception". */
const attempt = (label: string, expr: string) =>
  `  try { ${expr}; printf("${label}: no exception\\n"); } catch (e) { printf("${label}: %s\\n", String((e as Error).message)); }`;

describe("the thread's realm", () => {
  it("globalThis holds the JavaScript intrinsics and the thread's own globals, nothing of the host", async () => {
    const { output } = await runMain('  printf("%s\\n", Object.getOwnPropertyNames(globalThis).sort().join(" "));');
    const names = output.split("\n")[0]!.split(" ");
    for (const host of ["Compartment", "lockdown", "harden", "require", "module", "__filename", "__dirname", "global"])
      expect(names).not.toContain(host);
    expect(names).toEqual(
      expect.arrayContaining(["console", "Date", "Math", "Intl", "performance", "process", "Buffer", "Atomics"]),
    );
    expect(names).toEqual([...names].sort());
    expect(output).not.toMatch(/\$sel4\$/);
  });

  it("the intrinsics are frozen: changing Array.prototype, Object.prototype or JSON throws at the learner's line", async () => {
    const { output } = await runMain(
      [
        attempt("Array.prototype.push", "(Array.prototype as any).push = () => 0"),
        attempt("Object.prototype", "(Object.prototype as any).polluted = 1"),
        attempt("JSON.stringify", "(JSON as any).stringify = () => ''"),
        attempt("Math.random", "(Math as any).random = () => 0.5"),
        attempt("Date.now", "(Date as any).now = () => 0"),
        attempt("the global Math", "(globalThis as any).Math = {}"),
        attempt("a global of its own", "(globalThis as any).mine = 1"),
        '  printf("still %s %s\\n", JSON.stringify([1]), String(({} as any).polluted));',
      ].join("\n"),
    );
    expect(output).toContain(
      "Array.prototype.push: Cannot assign to read only property 'push' of object '[object Array]'\n",
    );
    expect(output).toContain("Object.prototype: Cannot add property polluted, object is not extensible\n");
    expect(output).toContain(
      "JSON.stringify: Cannot assign to read only property 'stringify' of object '[object JSON]'\n",
    );
    expect(output).toContain("Math.random: Cannot assign to read only property 'random' of object '[object Math]'\n");
    expect(output).toMatch(/Date\.now: Cannot assign to read only property 'now' of function/);
    expect(output).toContain(
      "the global Math: Cannot assign to read only property 'Math' of object '[object Object]'\n",
    );
    expect(output).toContain("a global of its own: no exception\n");
    expect(output).toContain("still [1] undefined\n");
  });

  it("code the build never saw cannot run: Function, indirect eval and the function constructors throw", async () => {
    const { output } = await runMain(
      [
        attempt("Function", '(globalThis as any).Function("return 1")()'),
        attempt("indirect eval", '(0, (globalThis as any).eval)("1")'),
        attempt("constructor", '(function () {}).constructor("return 1")'),
        attempt("generator constructor", '(function* () {}).constructor("return 1")'),
        '  printf("instanceof %s\\n", String((() => 1) instanceof Function));',
      ].join("\n"),
    );
    const never = "cannot be used in a seL4 thread: it would run code the build never saw (and so never instrumented)";
    expect(output).toContain(`Function: Function ${never}`);
    expect(output).toContain(`indirect eval: eval ${never}`);
    expect(output).toContain("constructor: Function.prototype.constructor is not a valid constructor.\n");
    expect(output).toMatch(/generator constructor: .*not a valid constructor/);
    expect(output).toContain("instanceof true\n");
  });

  it("an exception's stack names the learner's .ts lines only", async () => {
    const { output } = await runMain(
      '  const e = f();\n  printf("%s\\n", e.stack!);',
      "function f(): Error { return new Error(`made`); }",
    );
    expect(output).toContain("Error: made\n    at f (main.ts:3:30)\n    at main (main.ts:5:13)\n");
    expect(output).not.toMatch(/dist|node_modules|node:|\/tmp\//);
  });

  it('text that ses would refuse as source ("-->", "<!--", "import(") prints as written', async () => {
    const { output, outcome } = await runMain(
      [
        '  printf("a-->b <!-- c import(x) import // y\\n");',
        "  const t = 1;",
        "  printf(`${t}-->${t} <!-- import(z)\\n`);",
        '  printf("%s %s\\n", String(/x-->y/.test("x-->y")), ({ k: "v-->" }).k);',
        '  let n = 3; while (n-->0) printf("%d", n); printf("\\n");',
        '  const { "x-->y": v } = { "x-->y": "named" };',
        '  class K { "m<!--"() { return "method"; } }',
        '  printf("%s %s\\n", v, new K()["m<!--"]());',
      ].join("\n"),
    );
    expect(outcome).toBe("finished");
    expect(output).toContain(
      "a-->b <!-- c import(x) import // y\n1-->1 <!-- import(z)\ntrue v-->\n210\nnamed method\n",
    );
  });
});

describe("require resolves through the build", () => {
  it("a file of the build's output directory that is not code (its package.json) is refused", async () => {
    const { output } = await runMain(
      attempt("package.json", 'require("./package.json")'),
      "declare const require: (spec: string) => unknown;",
    );
    expect(output).toBe('package.json: Cannot import "./package.json": it is not one of your program\'s files\n');
  });
});

describe("a runaway run ends by its simulated budget", () => {
  it("the wall-clock net leaves a second of real time per simulated millisecond, up to the largest budget", () => {
    // A loop of traps costs 20-80 µs of real time per simulated µs (docs/security.md): the net
    // must stay more than ten times above that for every budget a tutorial may set.
    for (const budget of [1, 100, 3000, MAX_SIM_TIME_LIMIT_MS])
      expect(wallClockNetMs(budget)).toBeGreaterThanOrEqual(budget * 80 * 10);
    expect(wallClockNetMs(MAX_SIM_TIME_LIMIT_MS)).toBeLessThanOrEqual(2 * 60 * 60 * 1000);
  });
});
