// Threads a program creates while it runs, as the threads tutorial creates one: a TCB retyped from
// an untyped, configured into the creator's CSpace and VSpace, its registers pointing at a learner
// function, resumed. What it is given (arguments, pointers, an instruction pointer) behaves as on
// seL4: good ones work, bad ones are faults the kernel reports with the right address and status.
import { describe, expect, it } from "vitest";
import { runSpec } from "../authoring/spec-runner.js";

const SYSTEM = {
  schemaVersion: 1,
  objects: {
    tcb_untyped: { type: "Untyped", sizeBits: 11 },
    tcb_ipc_frame_obj: { type: "Frame4K" },
    tcb_stack: { type: "Frame4K" },
    tcb_sc: { type: "SchedContext", budgetUs: 1000, periodUs: 1000, configs: ["mcs"] },
  },
  threads: {
    threads: {
      caps: [
        { symbol: "root_cnode", object: "cnode_threads" },
        { symbol: "root_vspace", object: "vspace_threads" },
        { symbol: "root_tcb", object: "tcb_threads" },
        { symbol: "tcb_untyped", object: "tcb_untyped" },
        { symbol: "tcb_cap_slot", empty: true },
        { symbol: "tcb_ipc_frame", object: "tcb_ipc_frame_obj", rights: "RW" },
        { symbol: "tcb_sc", object: "tcb_sc", configs: ["mcs"] },
      ],
      mappings: [
        { frame: "tcb_stack", vaddr: "0x600000", endSymbol: "tcb_stack_top" },
        { frame: "tcb_ipc_frame_obj", vaddr: "0x601000", symbol: "thread_ipc_buff_sym" },
      ],
    },
  },
};

/**
 * A program that starts a thread at `new_thread` with the registers `setRegisters` writes (C-like
 * TypeScript, with `regs` in scope), after running `before` in main. main then waits: it has a
 * lower priority than the new thread, so the new thread runs at once.
 */
function program(globals: string, setRegisters: string, before = ""): string {
  return `
import {
  CONFIG_KERNEL_MCS, printf, functionAt, readWord, writeWord, staticWord, ZF_LOGF_IFERR,
  seL4_DebugDumpScheduler, seL4_Untyped_Retype, seL4_TCB_Configure, seL4_TCB_SetPriority, seL4_TCB_ReadRegisters,
  seL4_TCB_WriteRegisters, seL4_TCB_Resume, seL4_SchedContext_Bind, seL4_TCBObject, seL4_TCBBits, seL4_CapNull,
  seL4_UserContextWords, sel4utils_arch_init_local_context, sel4utils_set_instruction_pointer, sel4utils_set_stack_pointer,
  type seL4_Word,
} from "sel4";
import { root_cnode, root_vspace, root_tcb, tcb_untyped, tcb_cap_slot, tcb_ipc_frame, tcb_sc, thread_ipc_buff_sym, tcb_stack_top } from "./cspace_threads";
${globals}
function new_thread(arg1: seL4_Word, arg2: seL4_Word, arg3: seL4_Word): number {
  printf("Hello2: arg1 %p, arg2 %p, arg3 %p\\n", arg1, arg2, arg3);
  const func = functionAt(arg1);
  func(readWord(arg2));
  printf("new thread: done\\n");
  return 0;
}
export function main(): number {
  let error = seL4_Untyped_Retype(tcb_untyped, seL4_TCBObject, seL4_TCBBits, root_cnode, 0, 0, tcb_cap_slot, 1);
  ZF_LOGF_IFERR(error, "retype");
  if (CONFIG_KERNEL_MCS) {
    error = seL4_TCB_Configure(tcb_cap_slot, root_cnode, 0, root_vspace, 0, thread_ipc_buff_sym, tcb_ipc_frame);
  } else {
    error = seL4_TCB_Configure(tcb_cap_slot, seL4_CapNull, root_cnode, 0, root_vspace, 0, thread_ipc_buff_sym, tcb_ipc_frame);
  }
  ZF_LOGF_IFERR(error, "configure");
  ZF_LOGF_IFERR(seL4_TCB_SetPriority(tcb_cap_slot, root_tcb, 254), "priority");
  const regs = seL4_TCB_ReadRegisters(tcb_cap_slot, 0, 0, seL4_UserContextWords).regs;
  ${setRegisters}
  ZF_LOGF_IFERR(seL4_TCB_WriteRegisters(tcb_cap_slot, 0, 0, seL4_UserContextWords, regs), "write registers");
  if (CONFIG_KERNEL_MCS) ZF_LOGF_IFERR(seL4_SchedContext_Bind(tcb_sc, tcb_cap_slot), "bind");
  ${before}
  seL4_DebugDumpScheduler();
  ZF_LOGF_IFERR(seL4_TCB_Resume(tcb_cap_slot), "resume");
  ZF_LOGF_IFERR(seL4_TCB_SetPriority(root_tcb, root_tcb, 100), "lower");
  printf("main: done\\n");
  return 0;
}`;
}

async function run(config: "master" | "mcs", source: string) {
  return runSpec(config, { system: SYSTEM, sources: { "threads.ts": source }, simTimeLimitMs: 20 });
}

/** The kernel's report of a fault nobody handles, on each configuration (src/kernel/faulthandler.c). */
function unhandled(config: "master" | "mcs", fault: string): RegExp {
  const head =
    config === "master"
      ? "Caught cap fault in send phase at address 0\nwhile trying to handle:\n"
      : "Found thread has no fault handler while trying to handle:\n";
  return new RegExp(
    `${head.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}${fault}\nin thread 0xffffff80[0-9a-f]+ "child of: 'tcb_threads'" at address (0x[0-9a-f]+)\nWith stack:\n`,
  );
}

describe.each(["master", "mcs"] as const)("a thread created at run time (%s)", (config) => {
  it("is retyped from an untyped, named after its creator, and starts at a learner function with its three arguments", async () => {
    const r = await run(
      config,
      program(
        `function call_once(n: number): void { printf("call_once %d\\n", n); }
const data = staticWord(7);`,
        "sel4utils_arch_init_local_context(new_thread, 1, 2, 3, tcb_stack_top, regs);",
      ),
    );
    // seL4 names a TCB made by another thread after it (objecttype.c, CONFIG_DEBUG_BUILD).
    expect(r.output).toMatch(/^child of: 'tcb_threads'\s+inactive\s+0x[0-9a-f]+\s+254/m);
    expect(r.output).toContain("Hello2: arg1 0x1, arg2 0x2, arg3 0x3\n");
  });

  it("dereferences a pointer to a global it was passed, and calls a function it was passed", async () => {
    const r = await run(
      config,
      program(
        `function call_once(arg: number): void { printf("Hello 3 %d\\n", arg); }
const data = staticWord(42);`,
        "sel4utils_arch_init_local_context(new_thread, call_once, data, 3, tcb_stack_top, regs);",
      ),
    );
    expect(r.output).toMatch(/Hello2: arg1 0x[0-9a-f]+, arg2 0x500008, arg3 0x3\nHello 3 42\nnew thread: done\n/);
    expect(r.output).not.toContain("while trying to handle");
  });

  it("finds a global its creator changed before starting it: the data segment is initialised once per VSpace", async () => {
    const r = await run(
      config,
      program(
        `function call_once(arg: number): void { printf("Hello 3 %d\\n", arg); }
const data = staticWord(42);`,
        "sel4utils_arch_init_local_context(new_thread, call_once, data, 3, tcb_stack_top, regs);",
        "writeWord(data, 43);",
      ),
    );
    expect(r.output).toContain("Hello 3 43\n");
  });

  it("reading through a bad pointer is a VM fault the kernel reports with the address and a read's status", async () => {
    const r = await run(
      config,
      program("", "sel4utils_arch_init_local_context(new_thread, 1, 2, 3, tcb_stack_top, regs);"),
    );
    // 0x4: a user-mode read of a page that is not present (x86 page-fault error code).
    expect(r.output).toMatch(unhandled(config, "vm fault on data at address 0x2 with status 0x4"));
    expect(r.output).not.toContain("new thread: done");
    // The thread stays inactive; the run is not broken by it.
    expect(r.output).toContain("main: done\n");
  });

  it("an instruction pointer that is no function of the program is a fault at that address, not a crash", async () => {
    const r = await run(
      config,
      program("", "sel4utils_set_instruction_pointer(regs, 0x1234); sel4utils_set_stack_pointer(regs, tcb_stack_top);"),
    );
    const report = unhandled(config, "vm fault on data at address 0x1234 with status 0x4").exec(r.output);
    expect(report?.[1]).toBe("0x1234");
    expect(r.output).not.toContain("Hello2");
    expect(r.outcome).not.toBe("internal-error");
  });

  it("an instruction pointer into mapped data is an invalid-opcode exception there", async () => {
    const r = await run(
      config,
      program(
        "const data = staticWord(1);",
        "sel4utils_set_instruction_pointer(regs, data); sel4utils_set_stack_pointer(regs, tcb_stack_top);",
      ),
    );
    expect(unhandled(config, "user exception 0x6 code 0").exec(r.output)?.[1]).toBe("0x500008");
  });

  it("calling a pointer that is no function faults at the call, after its argument was read", async () => {
    const r = await run(
      config,
      program(
        "const data = staticWord(5);",
        "sel4utils_arch_init_local_context(new_thread, 0x4444, data, 3, tcb_stack_top, regs);",
      ),
    );
    expect(r.output).toContain("Hello2: arg1 0x4444, arg2 0x500008, arg3 0x3\n");
    expect(unhandled(config, "vm fault on data at address 0x4444 with status 0x4").exec(r.output)?.[1]).toBe("0x4444");
  });
});

describe("staticWord", () => {
  it("declares globals only in a file's top-level code, as C does", async () => {
    const r = await runSpec("master", {
      system: { schemaVersion: 1, threads: { main: {} } },
      sources: {
        "main.ts": `import { staticWord, printf, readWord } from "sel4";
const a = staticWord(1);
const b = staticWord(2);
export function main(): number {
  printf("a at %p holds %d, b at %p holds %d\\n", a, readWord(a), b, readWord(b));
  staticWord(3);
  return 0;
}`,
      },
    });
    expect(r.output).toContain("a at 0x500008 holds 1, b at 0x500010 holds 2\n");
    expect(r.output).toMatch(
      /staticWord: declare global data at the top level of a file, outside every function, as a C global is \(at main\.ts:6\)/,
    );
  });
});
