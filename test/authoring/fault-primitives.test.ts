// The sel4 module's primitives for fault exercises, on worker threads booted from a spec: a
// raw syscall whose UnknownSyscall fault carries the registers the thread set (and whose reply
// registers come back), ud2 (UserException), reads and writes through the VSpace (VM faults on an
// unmapped page and on a read-only one), each repaired or answered by a handler, on both kernels.
import { describe, expect, it } from "vitest";
import { runSpec } from "./spec-runner.js";

const FAULTER = `
import { printf, readWord, writeWord, rawSyscall, ud2 } from "sel4";

export function main(): number {
  writeWord(0x20000000, 5);
  printf("faulter: read %d from its data page\\n", readWord(0x20000000));
  const regs = { rax: 3, rdi: 7, rsi: 8, rbx: 0 };
  const rax = rawSyscall(0x99, regs);
  printf("faulter: syscall 0x99 returned %d, rbx %d, rdi %d\\n", rax, regs.rbx, regs.rdi);
  ud2();
  printf("faulter: past ud2\\n");
  printf("faulter: read %d from the page the handler mapped\\n", readWord(0x20002000));
  writeWord(0x20001000, 1);
  printf("faulter: wrote to a read-only page\\n");
  return 0;
}
`;

const HANDLER = `
import {
  CONFIG_KERNEL_MCS, printf, ZF_LOGF_IF,
  seL4_Recv, seL4_ReplyRecv, seL4_GetMR, seL4_SetMR, seL4_MessageInfo_new, seL4_MessageInfo_get_label,
  seL4_Fault_UnknownSyscall, seL4_Fault_UserException, seL4_Fault_VMFault,
  seL4_UnknownSyscall_RAX, seL4_UnknownSyscall_RBX, seL4_UnknownSyscall_RDI, seL4_UnknownSyscall_RSI,
  seL4_UnknownSyscall_FaultIP, seL4_UnknownSyscall_Syscall,
  seL4_UserException_FaultIP, seL4_UserException_Number, seL4_VMFault_Addr, seL4_VMFault_FSR,
  seL4_X86_Page_Map, seL4_ReadWrite, seL4_X86_Default_VMAttributes,
  type seL4_MessageInfo_t, type seL4_RecvResult,
} from "sel4";
import { fault_ep_cap, spare_cap, faulter_vspace, reply_cap } from "./cspace_handler";

/** Answers the last fault with \`answer\` (none the first time) and waits for the next one. */
function next(answer: seL4_MessageInfo_t | null): seL4_RecvResult {
  if (CONFIG_KERNEL_MCS) {
    return answer === null ? seL4_Recv(fault_ep_cap, reply_cap) : seL4_ReplyRecv(fault_ep_cap, answer, reply_cap);
  } else {
    return answer === null ? seL4_Recv(fault_ep_cap) : seL4_ReplyRecv(fault_ep_cap, answer);
  }
}

export function main(): number {
  let answer: seL4_MessageInfo_t | null = null;
  for (let count = 1; ; count++) {
    const { info, badge } = next(answer);
    const label = seL4_MessageInfo_get_label(info);
    if (label === seL4_Fault_UnknownSyscall) {
      printf("handler: %d from 0x%lx: unknown syscall 0x%lx, rax %d, rdi %d, rsi %d\\n", count, badge,
        seL4_GetMR(seL4_UnknownSyscall_Syscall), seL4_GetMR(seL4_UnknownSyscall_RAX),
        seL4_GetMR(seL4_UnknownSyscall_RDI), seL4_GetMR(seL4_UnknownSyscall_RSI));
      if (count === 1) {
        // FaultIP unchanged: the syscall runs again, with the RAX this reply sets.
        seL4_SetMR(seL4_UnknownSyscall_RAX, 1);
      } else {
        seL4_SetMR(seL4_UnknownSyscall_RAX, seL4_GetMR(seL4_UnknownSyscall_RDI) + seL4_GetMR(seL4_UnknownSyscall_RSI));
        seL4_SetMR(seL4_UnknownSyscall_RBX, 1234);
        seL4_SetMR(seL4_UnknownSyscall_FaultIP, seL4_GetMR(seL4_UnknownSyscall_FaultIP) + 2);
      }
      answer = seL4_MessageInfo_new(0, 0, 0, seL4_UnknownSyscall_FaultIP + 1);
    } else if (label === seL4_Fault_UserException) {
      printf("handler: %d from 0x%lx: user exception %d\\n", count, badge, seL4_GetMR(seL4_UserException_Number));
      seL4_SetMR(0, seL4_GetMR(seL4_UserException_FaultIP) + 2);
      answer = seL4_MessageInfo_new(0, 0, 0, 1);
    } else if (label === seL4_Fault_VMFault) {
      const addr = seL4_GetMR(seL4_VMFault_Addr);
      printf("handler: %d from 0x%lx: vm fault at 0x%lx, fsr %d\\n", count, badge, addr, seL4_GetMR(seL4_VMFault_FSR));
      if (addr === 0x20001000) {
        printf("handler: leaving the read-only page alone\\n");
        return 0;
      }
      const error = seL4_X86_Page_Map(spare_cap, faulter_vspace, addr, seL4_ReadWrite, seL4_X86_Default_VMAttributes);
      ZF_LOGF_IF(error !== 0, "map failed: %d", error);
      answer = seL4_MessageInfo_new(0, 0, 0, 0);
    } else {
      printf("handler: unexpected label %d\\n", label);
      return 1;
    }
  }
}
`;

const SPEC = {
  schemaVersion: 1,
  objects: {
    fault_ep: { type: "Endpoint" },
    data: { type: "Frame4K" },
    ro: { type: "Frame4K" },
    spare: { type: "Frame4K" },
    reply: { type: "Reply", configs: ["mcs"] },
  },
  threads: {
    faulter: {
      source: "faulter.ts",
      priority: 100,
      caps: [{ symbol: "fault_ep_cap", object: "fault_ep", rights: "WG", badge: "0xf00" }],
      faultEndpoint: "fault_ep_cap",
      mappings: [
        { frame: "data", vaddr: "0x20000000" },
        { frame: "ro", vaddr: "0x20001000", rights: "R" },
      ],
    },
    handler: {
      source: "handler.ts",
      priority: 200,
      caps: [
        { symbol: "fault_ep_cap", object: "fault_ep", rights: "RWG" },
        { symbol: "spare_cap", object: "spare", rights: "RW" },
        { symbol: "faulter_vspace", object: "vspace_faulter" },
        { symbol: "reply_cap", object: "reply", rights: "RWG", configs: ["mcs"] },
      ],
    },
  },
};

describe.each(["master", "mcs"] as const)("fault primitives on worker threads (%s)", (config) => {
  it(
    "raw syscalls, ud2, loads and stores: each fault reaches the handler, and its reply takes effect",
    { timeout: 120_000 },
    async () => {
      const r = await runSpec(config, { system: SPEC, sources: { "faulter.ts": FAULTER, "handler.ts": HANDLER } });
      expect(r.output).toBe(
        [
          "faulter: read 5 from its data page",
          "handler: 1 from 0xf00: unknown syscall 0x99, rax 3, rdi 7, rsi 8",
          "handler: 2 from 0xf00: unknown syscall 0x99, rax 1, rdi 7, rsi 8",
          "faulter: syscall 0x99 returned 15, rbx 1234, rdi 7",
          "handler: 3 from 0xf00: user exception 6",
          "faulter: past ud2",
          // x86 error codes: 4 = user read of a page that is not present, 7 = user write to a present page.
          "handler: 4 from 0xf00: vm fault at 0x20002000, fsr 4",
          "faulter: read 0 from the page the handler mapped",
          "handler: 5 from 0xf00: vm fault at 0x20001000, fsr 7",
          "handler: leaving the read-only page alone",
          "",
        ].join("\n"),
      );
      const source = config === "mcs" ? "through reply object 'reply'" : "from 'tcb_handler'";
      expect(r.report).toContain(
        `tcb_faulter (priority 100): blocked on reply waiting for a reply to its fault (vm fault on data at address 0x20001000 with status 0x7) ${source}, at faulter.ts:13`,
      );
    },
  );
});
