// A learner reaching for a host API out of habit (console.log, setTimeout, fs, ...) gets, at the
// build and at their own line:column, what a seL4 thread has for the job instead of the
// compiler's stock advice (add 'dom' to 'lib', install @types/node); the compiler's spelling
// suggestions stay.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../src/compile/diagnostics.js";
import { buildExercise } from "../../src/compile/index.js";
import { sel4TypingsFile } from "../../src/compile/typings.js";

const GENERATED = new Map([["cspace_t.ts", "export const ep = 1;\nexport const faulter_fault_ep_cap = 2;\n"]]);

/** Builds a thread whose main() holds `line` as its second line; the diagnostics, as printed. */
async function buildWith(line: string, imports = "// no other imports\n"): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), "sel4tut-host-api-"));
  writeFileSync(
    join(dir, "t.ts"),
    `import { printf } from "sel4";\n${imports}export function main(): number {\n  printf("start\\n");\n${line}\n  return 0;\n}\n`,
  );
  const r = await buildExercise({
    exerciseDir: dir,
    buildDir: `${dir}_build`,
    config: "master",
    generated: GENERATED,
    typingsFile: sel4TypingsFile("master"),
  });
  return r.diagnostics.map(formatDiagnostic);
}

const LINE = 5; // the line `line` lands on in buildWith's file

describe("host APIs at build time, in seL4 terms", () => {
  it("console.log: print with printf, which goes to the kernel's debug console", async () => {
    const [d, ...rest] = await buildWith('  console.log("hello");');
    expect(rest).toEqual([]);
    expect(d).toContain(
      `t.ts:${LINE}:3 - error TS2584: Cannot find name 'console': a seL4 thread has no console object. ` +
        'Instead, print with printf from "sel4", as the C tutorials do',
    );
    expect(d).not.toMatch(/lib|dom/);
  });

  it("process.exit: return from main() or halt the system, not npm i @types/node", async () => {
    const [d] = await buildWith("  process.exit(1);");
    expect(d).toContain(`t.ts:${LINE}:3 - error TS2591: Cannot find name 'process': a seL4 thread has no process`);
    expect(d).toContain(
      "Instead, to end the thread, return from main(); to stop the whole system, call seL4_DebugHalt().",
    );
    expect(d).not.toContain("@types/node");
  });

  it("process.env: no environment, settings go in the code", async () => {
    const [d] = await buildWith('  const where = process.env["HOME"];');
    expect(d).toContain(`t.ts:${LINE}:17 - error TS2591: Cannot find name 'process'`);
    expect(d).toContain("Instead, put settings in your code.");
  });

  for (const timer of [
    "setTimeout(() => 0, 10)",
    "setInterval(() => 0, 10)",
    "setImmediate(() => 0)",
    "queueMicrotask(() => 0)",
  ]) {
    const name = timer.slice(0, timer.indexOf("("));
    it(`${name}: no event loop; block in the kernel, yield, or read the simulated clock`, async () => {
      const [d] = await buildWith(`  ${timer};`);
      expect(d).toContain(
        `t.ts:${LINE}:3 - error TS2304: Cannot find name '${name}': a seL4 thread runs synchronously and never returns to an event loop`,
      );
      expect(d).toContain("block in the kernel (seL4_Recv or seL4_Wait)");
      expect(d).toContain("seL4_Yield()");
      expect(d).toContain("Date.now() reads the simulated clock");
    });
  }

  for (const [mod, why] of [
    ["fs", "has no file system"],
    ["node:fs", "has no file system"],
    ["net", "seL4 has no network in the kernel"],
    ["child_process", "a new thread is a TCB made from untyped memory (seL4_Untyped_Retype)"],
  ] as const) {
    it(`import from "${mod}": only sel4 and the exercise's files, and why`, async () => {
      const [d] = await buildWith('  printf("%d\\n", typeof m);', `import * as m from "${mod}";\n`);
      // The import is line 2; the compiler points at the module name, column 20.
      expect(d).toContain(`t.ts:2:20 - error TS2307: Cannot import '${mod}' in a seL4 thread: `);
      expect(d).toContain(why);
      expect(d).toMatch(/Instead, .*import what you need from "sel4" or from the exercise's own files/);
    });
  }

  it("require: import from sel4 or the exercise's files", async () => {
    const [d] = await buildWith('  const fs = require("fs");');
    expect(d).toContain(
      `t.ts:${LINE}:14 - error TS2591: Cannot find name 'require': a seL4 thread has no module loader of its own. ` +
        'Instead, import what you need from "sel4"',
    );
  });

  it("fetch: no network in the kernel; talk to other threads by IPC", async () => {
    const [d] = await buildWith('  fetch("https://sel4.systems");');
    expect(d).toContain(`t.ts:${LINE}:3 - error TS2304: Cannot find name 'fetch': seL4 has no network in the kernel`);
    expect(d).toContain("Instead, talk to other threads by IPC (seL4_Call, seL4_Send, seL4_Recv).");
  });

  it("crypto: no entropy source; Math.random() is seeded per thread (and builds)", async () => {
    const [d] = await buildWith("  const n = crypto.randomUUID();");
    expect(d).toContain(
      `t.ts:${LINE}:13 - error TS2304: Cannot find name 'crypto': a seL4 thread has no entropy source`,
    );
    expect(d).toContain("use Math.random(), which is seeded per thread");
    expect(await buildWith('  printf("%d\\n", Math.floor(Math.random() * 6));')).toEqual([]);
  });

  it("keeps the compiler's spelling suggestion for a misspelt cap name, even when the right name is imported and unused", async () => {
    const [d] = await buildWith(
      '  printf("%d\\n", faulter_fault_ep_cp);',
      'import { faulter_fault_ep_cap } from "./cspace_t";\n',
    );
    expect(d).toContain(
      `t.ts:${LINE}:18 - error TS2552: Cannot find name 'faulter_fault_ep_cp'. Did you mean 'faulter_fault_ep_cap'?`,
    );
  });

  it("an unknown name that is not a host API keeps the compiler's own message", async () => {
    const [d] = await buildWith('  printf("%d\\n", no_such_cap);');
    expect(d).toContain(`t.ts:${LINE}:18 - error TS2304: Cannot find name 'no_such_cap'.`);
  });
});
