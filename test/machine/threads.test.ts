// What learner code sees inside its thread: its own files, the sel4 module and nothing else,
// console output in program order, and errors that point at its own lines.
import { describe, expect, it } from "vitest";
import { runLearnerSystem } from "./harness.js";

describe("learner code in a thread", () => {
  it("imports its own files, and console.log prints in order with printf", async () => {
    const r = await runLearnerSystem({
      config: "master",
      files: { "util.ts": `export function twice(n: number): number { return 2 * n; }\n` },
      threads: [
        {
          name: "main",
          source: `import { printf } from "sel4";
import { twice } from "./util";
declare const console: { log(...args: unknown[]): void };
export function main(): number {
  printf("printf %d\\n", twice(21));
  console.log("console", { x: 1 });
  printf("after\\n");
  return 0;
}`,
        },
      ],
    });
    expect(r.output).toBe("printf 42\nconsole { x: 1 }\nafter\n");
    expect(r.outcome).toBe("finished");
  });

  it("printf output held in the worker comes out before the kernel's own prints", async () => {
    const r = await runLearnerSystem({
      config: "master",
      threads: [
        {
          name: "talker",
          source: `import { printf, seL4_DebugPutChar, seL4_DebugDumpScheduler } from "sel4";
export function main(): number {
  printf("a");
  seL4_DebugPutChar("b");
  printf("c\\n");
  seL4_DebugDumpScheduler();
  printf("done\\n");
  return 0;
}`,
        },
      ],
    });
    expect(r.output).toMatch(/^abc\nDumping all tcbs![\s\S]*tcb_talker[\s\S]*\ndone\n$/);
  });

  it("reads virtual time from Date.now(), so a busy-wait on the clock is deterministic", async () => {
    const r = await runLearnerSystem({
      config: "master",
      threads: [
        {
          name: "waiter",
          source: `import { printf } from "sel4";
export function main(): number {
  const start = Date.now();
  let spins = 0;
  while (Date.now() - start < 30) spins++;
  printf("waited %d ms of virtual time in %d spins\\n", Date.now() - start, spins);
  return 0;
}`,
        },
      ],
    });
    expect(r.output).toBe("waited 30 ms of virtual time in 299999 spins\n");
    expect(r.virtualTimeNs).toBeGreaterThanOrEqual(30e6);
  });

  it("cannot import anything but sel4 and its own files", async () => {
    const r = await runLearnerSystem({
      config: "master",
      threads: [
        {
          name: "sneaky",
          source: `// @ts-ignore: not a module a thread may import\nimport { readFileSync } from "fs";\nexport function main(): number { readFileSync("/etc/passwd"); return 0; }`,
        },
      ],
    });
    expect(r.output).toMatch(
      /Uncaught exception in thread "tcb_sneaky": Error: Cannot import "fs" in a seL4 thread: only "sel4" and your own files/,
    );
  });

  it("ZF_LOGF_IF prints the C macro's line with the .ts call site and stops the thread", async () => {
    const r = await runLearnerSystem({
      config: "master",
      threads: [
        {
          name: "handler",
          source: `import { ZF_LOGF_IF, printf } from "sel4";
export function main(): number {
  const error: number = 2;
  ZF_LOGF_IF(error !== 0, "Handler: Failed to mint ep cap with badge!");
  printf("not reached\\n");
  return 0;
}`,
        },
      ],
    });
    expect(r.output).toBe(
      "main@handler.ts:4 [Cond failed: error !== 0]\n\tHandler: Failed to mint ep cap with badge!\n",
    );
    expect(r.outcome).toBe("finished");
    // The report says the thread was stopped, not that main returned.
    expect(r.report).toMatch(/every thread ended \("tcb_handler" by abort\(\), after a failed ZF_LOGF_IF or assert\)/);
  });

  it("a call of the other configuration's API names it and the learner's line", async () => {
    const r = await runLearnerSystem({
      config: "mcs",
      threads: [
        {
          name: "server",
          source: `import * as sel4 from "sel4";
export function main(): number {
  const api = sel4 as unknown as { seL4_Reply(info: sel4.seL4_MessageInfo_t): void };
  api.seL4_Reply(sel4.seL4_MessageInfo_new(0, 0, 0, 0));
  return 0;
}`,
        },
      ],
    });
    expect(r.output).toMatch(
      /^Uncaught exception in thread "tcb_server": seL4ConfigError: seL4_Reply: does not exist on the MCS kernel; reply by sending on the reply object, seL4_Send\(reply, info\), or use seL4_ReplyRecv\(src, info, reply\) \(at src\/server\.ts:4\)\n {4}at main \(src\/server\.ts:4:7\)/,
    );
  });
});

describe("threads the program creates at run time", () => {
  it("start at the function their registers name, with RDI/RSI/RDX as arguments", async () => {
    const r = await runLearnerSystem({
      config: "master",
      objects: { untyped: "Untyped" },
      threads: [
        {
          name: "threads",
          caps: [
            { slot: 1, object: "untyped" },
            { slot: 2, object: "cnode_threads" },
            { slot: 3, object: "vspace_threads" },
            { slot: 4, object: "tcb_threads" },
          ],
          source: `import { seL4_Untyped_Retype, seL4_TCB_Configure, seL4_TCB_SetPriority, seL4_TCB_ReadRegisters, seL4_TCB_WriteRegisters,
  seL4_TCB_Resume, seL4_TCBObject, seL4_TCBBits, seL4_CapNull, seL4_WordBits, seL4_UserContextWords,
  sel4utils_arch_init_local_context, functionAt, ZF_LOGF_IF, printf } from "sel4";
const NEW_TCB = 5;
function call_once(n: number): void {
  printf("Hello 3 %d\\n", n);
}
function new_thread(arg1: number, arg2: number, arg3: number): number {
  printf("Hello2: arg1 %p, arg2 %p, arg3 %p\\n", arg1 === 1 ? 1 : 0, arg2, arg3);
  if (arg1 !== 1) functionAt(arg1)(arg2);
  return 0;
}
export function main(): number {
  let error = seL4_Untyped_Retype(1, seL4_TCBObject, seL4_TCBBits, 2, 0, 0, NEW_TCB, 1);
  ZF_LOGF_IF(error !== 0, "retype %d", error);
  error = seL4_TCB_Configure(NEW_TCB, seL4_CapNull, 2, 0, 3, 0, 0, 0);
  ZF_LOGF_IF(error !== 0, "configure %d", error);
  error = seL4_TCB_SetPriority(NEW_TCB, 4, 254);
  const { regs } = seL4_TCB_ReadRegisters(NEW_TCB, 0, 0, seL4_UserContextWords);
  sel4utils_arch_init_local_context(new_thread, call_once, 42, 3, 0x7000, regs);
  error = seL4_TCB_WriteRegisters(NEW_TCB, 0, 0, seL4_UserContextWords, regs);
  ZF_LOGF_IF(error !== 0, "write registers %d", error);
  seL4_TCB_Resume(NEW_TCB);
  printf("main: resumed the new thread (word bits %d)\\n", seL4_WordBits);
  return 0;
}`,
        },
      ],
    });
    expect(r.output).toBe(
      "main: resumed the new thread (word bits 64)\nHello2: arg1 0, arg2 0x2a, arg3 0x3\nHello 3 42\n",
    );
    expect(r.outcome).toBe("finished");
  });
});
