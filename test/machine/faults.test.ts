// Faults of real user threads: repaired and re-executed syscalls, CPU exceptions, escaping JS
// exceptions and VM faults, with fault addresses that map back to the learner's .ts lines.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { KernelConfig } from "../../src/abi/constants.js";
import { loadIpMaps } from "../../src/machine/report.js";
import { IPC_BUFFER_VADDR, runLearnerSystem } from "./harness.js";

const FAULTER = `
import { seL4_Poll, printf } from "sel4";
export function main(): number {
  printf("faulter: touching slot 2\\n");
  const { badge } = seL4_Poll(2);
  printf("faulter: slot 2 works now, badge %d\\n", badge);
  return 0;
}`;

function handler(config: KernelConfig): string {
  const mcs = config === "mcs";
  return `
import { seL4_CNode_Copy, seL4_AllRights, seL4_WordBits, seL4_NoError, seL4_MessageInfo_new, seL4_getFault,
  seL4_Fault_get_seL4_FaultType, seL4_Fault_CapFault_get_Addr, seL4_Fault_CapFault_get_InRecvPhase,
  seL4_Fault_CapFault_get_IP, ZF_LOGF_IF, printf, ${mcs ? "seL4_Recv, seL4_Send" : "seL4_Recv, seL4_Reply"} } from "sel4";
export function main(): number {
  const { info, badge } = ${mcs ? "seL4_Recv(1, 5)" : "seL4_Recv(1)"};
  const fault = seL4_getFault(info);
  printf("handler: fault type %d at cap %d, recv phase %d, badge %lx, ip %p\\n", seL4_Fault_get_seL4_FaultType(fault),
    seL4_Fault_CapFault_get_Addr(fault), seL4_Fault_CapFault_get_InRecvPhase(fault), badge, seL4_Fault_CapFault_get_IP(fault));
  const error = seL4_CNode_Copy(2, 2, seL4_WordBits, 4, 3, seL4_WordBits, seL4_AllRights);
  ZF_LOGF_IF(error !== seL4_NoError, "copy failed: %d", error);
  ${mcs ? "seL4_Send(5, seL4_MessageInfo_new(0, 0, 0, 0))" : "seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0))"};
  printf("handler: done\\n");
  return 0;
}`;
}

describe.each<KernelConfig>(["master", "mcs"])("a cap fault repaired by its handler (%s)", (config) => {
  it("re-executes the faulting call, and the fault IP names the learner's line", async () => {
    const r = await runLearnerSystem({
      config,
      objects: { fault_ep: "Endpoint", seq: "Endpoint", ...(config === "mcs" ? { reply: "Reply" as const } : {}) },
      threads: [
        { name: "faulter", source: FAULTER, caps: [{ slot: 1, object: "fault_ep", badge: 0xbeef }], faultEP: 1 },
        {
          name: "handler",
          source: handler(config),
          caps: [
            { slot: 1, object: "fault_ep" },
            { slot: 2, object: "cnode_faulter" },
            { slot: 3, object: "seq" },
            { slot: 4, object: "cnode_handler" },
            ...(config === "mcs" ? [{ slot: 5, object: "reply" }] : []),
          ],
        },
      ],
    });
    const ip = /ip (0x[0-9a-f]+)/.exec(r.output)?.[1];
    expect(r.output.replace(/ip 0x[0-9a-f]+/, "ip IP")).toBe(
      [
        "faulter: touching slot 2",
        "handler: fault type 1 at cap 2, recv phase 1, badge beef, ip IP",
        "handler: done",
        "faulter: slot 2 works now, badge 0",
        "",
      ].join("\n"),
    );
    expect(loadIpMaps([join(r.outDir, "faulter.js")]).describe(Number(ip))).toBe("faulter.ts:5");
    expect(r.outcome).toBe("finished");
  });
});

describe("CPU exceptions and JS exceptions", () => {
  it("ud2 faults to the handler, which moves the thread past it (master)", async () => {
    const r = await runLearnerSystem({
      config: "master",
      objects: { fault_ep: "Endpoint" },
      threads: [
        {
          name: "crasher",
          faultEP: 1,
          caps: [{ slot: 1, object: "fault_ep" }],
          source: `import { ud2, printf } from "sel4";
export function main(): number { printf("crasher: before ud2\\n"); ud2(); printf("crasher: after ud2\\n"); return 0; }`,
        },
        {
          name: "handler",
          caps: [{ slot: 1, object: "fault_ep" }],
          source: `import { seL4_Recv, seL4_Reply, seL4_SetMR, seL4_getFault, seL4_Fault_UserException_get_Number,
  seL4_Fault_UserException_get_FaultIP, seL4_MessageInfo_new, printf } from "sel4";
export function main(): number {
  const { info } = seL4_Recv(1);
  const fault = seL4_getFault(info);
  printf("handler: user exception %d\\n", seL4_Fault_UserException_get_Number(fault));
  seL4_SetMR(0, seL4_Fault_UserException_get_FaultIP(fault) + 2);
  seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 1));
  return 0;
}`,
        },
      ],
    });
    expect(r.output).toBe("crasher: before ud2\nhandler: user exception 6\ncrasher: after ud2\n");
    expect(r.outcome).toBe("finished");
  });

  it("an escaping exception is reported with .ts lines and becomes a UserException fault (13)", async () => {
    const r = await runLearnerSystem({
      config: "master",
      objects: { fault_ep: "Endpoint" },
      threads: [
        {
          name: "crasher",
          faultEP: 1,
          caps: [{ slot: 1, object: "fault_ep" }],
          source: `import { printf } from "sel4";
function divide(a: number, b: number): number {
  if (b === 0) throw new RangeError("division by zero");
  return a / b;
}
export function main(): number {
  printf("result %d\\n", divide(4, 0));
  return 0;
}`,
        },
        {
          name: "handler",
          caps: [{ slot: 1, object: "fault_ep" }],
          source: `import { seL4_Recv, seL4_getFault, seL4_Fault_UserException_get_Number, seL4_Fault_UserException_get_Code, printf } from "sel4";
export function main(): number {
  const fault = seL4_getFault(seL4_Recv(1).info);
  printf("handler: user exception %d code %d\\n", seL4_Fault_UserException_get_Number(fault), seL4_Fault_UserException_get_Code(fault));
  return 0;
}`,
        },
      ],
    });
    expect(r.output).toMatch(
      /^Uncaught exception in thread "tcb_crasher": RangeError: division by zero\n {4}at divide \(src\/crasher\.ts:3:22\)\n {4}at main \(src\/crasher\.ts:7:25\)\nhandler: user exception 13 code 0\n$/,
    );
    expect(r.outcome).toBe("deadlock");
    expect(r.report).toMatch(/tcb_crasher \(priority 254\): blocked on reply .*at crasher\.ts:3/);
  });

  it("without a handler the kernel reports the fault and the thread stops", async () => {
    const r = await runLearnerSystem({
      config: "master",
      threads: [{ name: "lonely", source: `export function main(): number { throw new Error("oops"); }` }],
    });
    expect(r.output).toMatch(
      /^Uncaught exception in thread "tcb_lonely": Error: oops\n {4}at main \(src\/lonely\.ts:1:40\)\n/,
    );
    expect(r.output).toMatch(/user exception 0xd code 0/);
    expect(r.outcome).toBe("idle");
  });
});

describe("memory accesses", () => {
  it("reads a mapped word through the VSpace and VM-faults on an unmapped one", async () => {
    const r = await runLearnerSystem({
      config: "master",
      threads: [
        {
          name: "reader",
          source: `import { readWord, writeWord, seL4_SetMR, seL4_GetMR, printf } from "sel4";
export function main(): number {
  seL4_SetMR(0, 42);
  printf("read %d\\n", readWord(${IPC_BUFFER_VADDR + 8n}));
  writeWord(${IPC_BUFFER_VADDR + 16n}, 7);
  printf("MR1 is %d\\n", seL4_GetMR(1));
  printf("now %d\\n", readWord(0x5000000));
  return 0;
}`,
        },
      ],
    });
    expect(r.output).toMatch(/^read 42\nMR1 is 7\n[\s\S]*vm fault on data at address 0x5000000/);
    expect(r.output).not.toContain("now");
    expect(r.outcome).toBe("idle");
  });
});

describe("raw system calls", () => {
  it("an unknown syscall number faults; the handler sets RAX and moves the thread past it", async () => {
    const r = await runLearnerSystem({
      config: "master",
      objects: { fault_ep: "Endpoint" },
      threads: [
        {
          name: "caller",
          faultEP: 1,
          caps: [{ slot: 1, object: "fault_ep" }],
          source: `import { rawSyscall, printf } from "sel4";
export function main(): number { printf("emulated: %d\\n", rawSyscall(42)); return 0; }`,
        },
        {
          name: "emulator",
          caps: [{ slot: 1, object: "fault_ep" }],
          source: `import { seL4_Recv, seL4_Reply, seL4_GetMR, seL4_SetMR, seL4_MessageInfo_new, seL4_MessageInfo_get_label,
  seL4_UnknownSyscall_Syscall, seL4_UnknownSyscall_RAX, seL4_UnknownSyscall_FaultIP, printf } from "sel4";
export function main(): number {
  const { info } = seL4_Recv(1);
  printf("emulator: fault label %d, syscall %d\\n", seL4_MessageInfo_get_label(info), seL4_GetMR(seL4_UnknownSyscall_Syscall));
  seL4_SetMR(seL4_UnknownSyscall_FaultIP, seL4_GetMR(seL4_UnknownSyscall_FaultIP) + 2);
  seL4_SetMR(seL4_UnknownSyscall_RAX, 99);
  seL4_Reply(seL4_MessageInfo_new(0, 0, 0, seL4_UnknownSyscall_FaultIP + 1));
  return 0;
}`,
        },
      ],
    });
    expect(r.output).toBe("emulator: fault label 2, syscall 42\nemulated: 99\n");
    expect(r.outcome).toBe("finished");
  });
});
