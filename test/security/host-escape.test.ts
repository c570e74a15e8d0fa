// Learner code trying to leave the simulated machine: to reach the real `process` (and from there
// child processes, files, signals), to reach the machine's shared memory or skip its turn by
// replacing globals, to name the machine's runtime object, or to use what a seL4 thread does not
// have (WebAssembly, shared memory, the network, Node's Buffer). Each attempt ends as a learner
// error or changes nothing: the run's output is the untouched run's, nothing outside the
// exercise changes, and no process is left behind.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { edit } from "../reliability/helpers.js";
import { atStartOfMain, beforeMain, freshExercise, noProcessLeft, outsideFiles, runCase } from "./helpers.js";

const CONSOLE = "declare const console: { log(...a: unknown[]): void; dir(o: unknown, opts?: object): void };";

/** The untouched solution's output on master: an attack that changes nothing must print exactly it. */
async function untouchedOutput(): Promise<string> {
  return (await runCase(freshExercise(), ["run"], 0)).stdout;
}

describe("learner code cannot reach the host", () => {
  it("inspect.custom planted on globalThis and Object.prototype, then console.log(globalThis): no host object handed over", async () => {
    const ex = freshExercise();
    const outside = outsideFiles(ex.root);
    beforeMain(ex, "faulter.ts", CONSOLE);
    atStartOfMain(
      ex,
      "faulter.ts",
      [
        "  const g = globalThis as any;",
        '  const key = Symbol.for("nodejs.util.inspect.custom");',
        '  let proto = "changed";',
        '  try { (Object.prototype as any)[key] = () => "x"; } catch { proto = "frozen"; }',
        "  const handed: unknown[] = [];",
        '  g[key] = function (...args: unknown[]) { handed.push(...args); return "x"; };',
        "  console.log(globalThis);",
        "  delete g[key];",
        '  let escaped = "no";',
        "  try { g.process.getBuiltinModule('child_process').execSync(`touch ${JSON.stringify(" +
          JSON.stringify(join(outside.dir, "pwned")) +
          ")}`); escaped = 'yes'; } catch { /* the stand-in throws */ }",
        '  printf("Object.prototype: %s; handed over: %d; escaped: %s\\n", proto, handed.length, escaped);',
      ].join("\n"),
    );
    const r = await runCase(ex, ["run"], 0);
    expect(r.stdout).toContain("Object.prototype: frozen; handed over: 0; escaped: no\n");
    expect(r.all).not.toContain(String(process.execPath));
    expect(r.all).not.toMatch(/pid: \d+|execPath|getBuiltinModule: \[Function/);
    expect(existsSync(join(outside.dir, "pwned"))).toBe(false);
    outside.unchanged();
    noProcessLeft(ex.root);
  });

  it("console.dir(globalThis, { getters: true, showHidden: true }) shows no host detail", async () => {
    const ex = freshExercise();
    beforeMain(ex, "faulter.ts", CONSOLE);
    atStartOfMain(ex, "faulter.ts", "  console.dir(globalThis, { getters: true, showHidden: true, depth: 2 });");
    const r = await runCase(ex, ["run"], 0);
    expect(r.all).not.toContain(String(process.execPath));
    expect(r.all).not.toContain(process.cwd());
    expect(r.all).not.toMatch(/execPath|hrtime|\bppid\b|\$sel4\$/);
  });

  it("replacing BigUint64Array, Atomics.load and TextEncoder's encodeInto captures nothing and changes nothing", async () => {
    const expected = await untouchedOutput();
    const ex = freshExercise();
    atStartOfMain(
      ex,
      "faulter.ts",
      [
        "  const g = globalThis as any;",
        "  let seen = 0;",
        "  const Real = g.BigUint64Array;",
        "  try { g.BigUint64Array = function (...args: any[]) { seen++; return new Real(...args); }; } catch { /* a constant */ }",
        "  try { g.Atomics.load = () => { seen++; return 1; }; } catch { /* a stand-in */ }",
        "  const enc = g.TextEncoder.prototype.encodeInto;",
        "  try { g.TextEncoder.prototype.encodeInto = function (this: unknown, s: string, into: Uint8Array) { seen++; return enc.call(this, s, into); }; } catch { /* frozen */ }",
        "  try { (Uint8Array.prototype as any).constructor = function () { seen++; }; } catch { /* frozen */ }",
        "  try { (Object.getPrototypeOf(Int8Array).prototype as any).subarray = function () { seen++; }; } catch { /* frozen */ }",
        "  (globalThis as any).__seen = () => seen;",
      ].join("\n"),
    );
    edit(
      ex,
      "faulter.ts",
      'printf(PROGNAME + "Finished execution.\\n");',
      'printf(PROGNAME + "Finished execution.\\n");\n  if ((globalThis as any).__seen() > 0) printf("captured %d\\n", (globalThis as any).__seen());',
    );
    const r = await runCase(ex, ["run"], 0);
    expect(r.stdout).toBe(expected);
  });

  for (const [what, code, says] of [
    [
      "WebAssembly",
      "(globalThis as any).WebAssembly.Module",
      /WebAssembly\.Module is not available in a seL4 thread: the simulated machine runs your TypeScript only/,
    ],
    [
      "SharedArrayBuffer",
      "new (globalThis as any).SharedArrayBuffer(8)",
      /SharedArrayBuffer is not available in a seL4 thread: threads share memory through frames the kernel maps/,
    ],
    [
      "Atomics.wait",
      "(globalThis as any).Atomics.wait(new Int32Array(4), 0, 0, 1e9)",
      /Atomics\.wait is not available in a seL4 thread: a seL4 thread waits in the kernel/,
    ],
    [
      "fetch",
      '(globalThis as any).fetch("http://127.0.0.1:1/")',
      /fetch is not available in a seL4 thread: a seL4 thread has no network/,
    ],
    [
      "Buffer.allocUnsafe",
      "(globalThis as any).Buffer.allocUnsafe(64)",
      /Buffer\.allocUnsafe is not available in a seL4 thread: it is Node's \(Buffer\.allocUnsafe\(\) shows uninitialised memory\); use Uint8Array/,
    ],
  ] as const) {
    it(`${what}: an exception at the learner's line, naming what to use instead`, async () => {
      const ex = freshExercise();
      atStartOfMain(ex, "faulter.ts", `  ${code};`);
      const r = await runCase(ex, ["run"], 0);
      expect(r.stdout).toMatch(says);
      expect(r.stdout).toMatch(/\n {4}at main \(faulter\.ts:12:\d+\)\n/);
    });
  }

  for (const [what, top, code, says] of [
    [
      "$sel4$.lim = Infinity (preemption off)",
      "declare const $sel4$: any;",
      "  $sel4$.lim = Infinity;\n  while (true) {}",
      /\$sel4\$ cannot be used here: it is sel4tut's own/,
    ],
    [
      "$sel4$.n = NaN before a system call",
      "declare const $sel4$: any;",
      "  $sel4$.n = NaN;",
      /\$sel4\$ cannot be used here/,
    ],
    [
      "eval reaching the runtime object by a computed name",
      "",
      '  eval("$" + "sel4$").lim = Infinity;',
      /eval cannot be used here: it would run code the build never saw/,
    ],
    [
      "the module wrapper's arguments at the top level",
      "// @ts-ignore\nconst leaked = arguments[5];",
      "",
      /arguments at the top level of a file cannot be used here/,
    ],
  ] as const) {
    it(`${what}: a build error at its place, exit 1`, async () => {
      const ex = freshExercise();
      if (top) beforeMain(ex, "faulter.ts", top);
      if (code) atStartOfMain(ex, "faulter.ts", code);
      const r = await runCase(ex, ["run"], 1);
      expect(r.all).toMatch(says);
      expect(r.all).toMatch(/faulter\.ts:\d+:\d+ - error: /);
    });
  }
});
