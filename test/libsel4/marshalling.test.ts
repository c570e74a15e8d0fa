// libsel4 marshalling without a kernel: registers, IPC buffer and labels as libsel4 lays them out.
import { describe, expect, it } from "vitest";
import { R10, R12, R13, R15, R8, R9, RDI, RDX, RSI } from "../../src/abi/registers.js";
import { invocationLabelNumber } from "../../src/abi/invocation.js";
import { syscallNumber } from "../../src/abi/syscall.js";
import type { KernelConfig } from "../../src/abi/constants.js";
import { fakeLibsel4 } from "./fake-channel.js";

const u64 = (n: number | bigint) => BigInt.asUintN(64, BigInt(n));
const MSG = 1; // IPC buffer word of MR0
const CAPS = 122;

describe.each<KernelConfig>(["master", "mcs"])("invocations on %s", (config) => {
  it("seL4_CNode_Copy: label, MRs in registers then buffer, source root as extra cap", () => {
    const { ch, sel4 } = fakeLibsel4(config);
    ch.kernel = (regs) => (regs[RSI] = 0n);
    const error = sel4.seL4_CNode_Copy(7, 2, 64, 3, 5, 64, sel4.seL4_AllRights);
    expect(error).toBe(0);
    const { regs, buffer } = ch.last;
    expect(regs[RDX]).toBe(u64(syscallNumber(config, "Call")!));
    expect(regs[RDI]).toBe(7n);
    const label = BigInt(invocationLabelNumber(config, "CNodeCopy")!);
    expect(regs[RSI]).toBe((label << 12n) | (1n << 7n) | 5n);
    expect([regs[R10], regs[R8], regs[R9], regs[R15]]).toEqual([2n, 64n, 5n, 64n]);
    expect(buffer[MSG + 4]).toBe(15n);
    expect(buffer[CAPS]).toBe(3n);
  });

  it("an error reply copies MR0..3 into the buffer so seL4_GetMR reads the details", () => {
    const { ch, sel4 } = fakeLibsel4(config);
    ch.kernel = (regs) => {
      regs[RSI] = 6n << 12n; // seL4_FailedLookup
      [regs[R10], regs[R8], regs[R9], regs[R15]] = [1n, 2n, 64n, 0n];
    };
    expect(sel4.seL4_CNode_Move(2, 1, 64, 2, 9, 64)).toBe(sel4.seL4_FailedLookup);
    expect([0, 1, 2, 3].map((i) => sel4.seL4_GetMR(i))).toEqual([1, 2, 64, 0]);
  });

  it("seL4_Call sends MR0..3 in registers and copies the reply's back", () => {
    const { ch, sel4 } = fakeLibsel4(config);
    sel4.seL4_SetMR(0, -1);
    sel4.seL4_SetMR(1, 0xbeef);
    ch.kernel = (regs) => {
      regs[R10] = 99n;
      regs[RSI] = (5n << 12n) | 1n;
    };
    const info = sel4.seL4_Call(4, sel4.seL4_MessageInfo_new(3, 0, 0, 2));
    expect(ch.last.regs[R10]).toBe(u64(-1));
    expect(ch.last.regs[R8]).toBe(0xbeefn);
    expect(sel4.seL4_MessageInfo_get_label(info)).toBe(5);
    expect(sel4.seL4_GetMR(0)).toBe(99);
  });
});

describe("system call registers per configuration", () => {
  it("master seL4_Recv: src in RDI, badge back in RDI", () => {
    const { ch, sel4 } = fakeLibsel4("master");
    ch.kernel = (regs) => (regs[RDI] = 0xbeefn);
    const { badge, info } = sel4.seL4_Recv(3);
    expect(ch.last.regs[RDX]).toBe(u64(-5));
    expect(ch.last.regs[RDI]).toBe(3n);
    expect(badge).toBe(0xbeef);
    expect(sel4.seL4_MessageInfo_get_length(info)).toBe(0);
  });

  it("MCS seL4_Recv takes the reply object in R12; seL4_NBSendRecv its destination in R13", () => {
    const { ch, sel4 } = fakeLibsel4("mcs");
    sel4.seL4_Recv(3, 4);
    expect(ch.last.regs[RDX]).toBe(u64(-7));
    expect(ch.last.regs[R12]).toBe(4n);
    sel4.seL4_NBSendRecv(5, sel4.seL4_MessageInfo_new(0, 0, 0, 1), 3, 4);
    expect(ch.last.regs[RDX]).toBe(u64(-3));
    expect([ch.last.regs[R13], ch.last.regs[RDI], ch.last.regs[R12]]).toEqual([5n, 3n, 4n]);
  });

  it("seL4_SchedContext_Consumed returns { error, consumed }", () => {
    const { ch, sel4 } = fakeLibsel4("mcs");
    ch.kernel = (regs) => {
      regs[RSI] = 0n;
      regs[R10] = 1234n;
    };
    expect(sel4.seL4_SchedContext_Consumed(9)).toEqual({ error: 0, consumed: 1234 });
  });

  it("seL4_TCB_ReadRegisters packs its flags into MR0 and names the registers", () => {
    const { ch, sel4 } = fakeLibsel4("master");
    ch.kernel = (regs, buffer) => {
      regs[RSI] = 0n;
      [regs[R10], regs[R8], regs[R9], regs[R15]] = [0x401000n, 0x7000n, 0x202n, 5n];
      buffer[MSG + 4] = 6n;
    };
    const { error, regs } = sel4.seL4_TCB_ReadRegisters(3, 1, 0, 5);
    expect(error).toBe(0);
    expect(ch.last.regs[R10]).toBe(1n);
    expect(ch.last.regs[R8]).toBe(5n);
    expect(regs).toMatchObject({ rip: 0x401000, rsp: 0x7000, rflags: 0x202, rax: 5, rbx: 6, rcx: 0 });
  });

  it("seL4_MessageInfo_t has libsel4's layout", () => {
    const { ch, sel4 } = fakeLibsel4("master");
    sel4.seL4_Send(1, sel4.seL4_MessageInfo_new(0x123, 1, 2, 3));
    expect(ch.last.regs[RSI]).toBe((0x123n << 12n) | (1n << 9n) | (2n << 7n) | 3n);
    const info = sel4.seL4_MessageInfo_set_length(sel4.seL4_MessageInfo_new(1, 0, 0, 0), 200);
    expect(sel4.seL4_MessageInfo_get_length(info)).toBe(200 & 0x7f);
  });

  it("words round-trip as numbers: -1 stays -1", () => {
    const { sel4 } = fakeLibsel4("master");
    sel4.seL4_SetMR(5, -1);
    expect(sel4.seL4_GetMR(5)).toBe(-1);
    sel4.seL4_SetMR(5, 2n ** 63n + 5n);
    expect(sel4.seL4_GetMR(5)).toBe(Number(2n ** 63n + 5n));
  });
});

describe("errors at the API boundary", () => {
  it("names the function and the argument", () => {
    const { sel4 } = fakeLibsel4("master");
    const info = sel4.seL4_MessageInfo_new(0, 0, 0, 0);
    expect(() => sel4.seL4_Call(Number.NaN, info)).toThrow("seL4_Call: argument 'dest' must be an integer, got NaN");
    expect(() => sel4.seL4_Call(1.5, info)).toThrow(TypeError);
    expect(() => sel4.seL4_Call(1, 7)).toThrow("seL4_Call: argument 'msgInfo' must be a seL4_MessageInfo_t");
    expect(() => sel4.seL4_GetMR(120)).toThrow("seL4_GetMR: argument 'i' must be an integer in 0..119, got 120");
    expect(() => sel4.seL4_CNode_Copy(1, 2, 3)).toThrow(
      /seL4_CNode_Copy: expected 7 arguments: seL4_CNode_Copy\(service, dest_index/,
    );
  });

  it("calls of the other configuration name it, the right call and the learner's line", () => {
    const mcs = fakeLibsel4("mcs").sel4;
    expect(() => mcs.seL4_Reply(mcs.seL4_MessageInfo_new(0, 0, 0, 0))).toThrow(
      /seL4_Reply: does not exist on the MCS kernel; reply by sending on the reply object, seL4_Send\(reply, info\).*\(at learner\.ts:12\)/,
    );
    expect(() => mcs.seL4_Recv(1)).toThrow(
      /seL4_Recv\(src\) is the master form; on the MCS kernel call seL4_Recv\(src, reply\) \(at learner\.ts:12\)/,
    );
    const master = fakeLibsel4("master").sel4;
    expect(() => master.seL4_Recv(1, 2)).toThrow(
      /is the MCS form; on the master \(non-MCS\) kernel call seL4_Recv\(src\)/,
    );
    expect(() => master.seL4_SchedContext_Bind(1, 2)).toThrow(/exists only on the MCS kernel/);
    expect(() => master.seL4_TCB_Configure(1, 2, 3, 4, 5, 6, 7)).toThrow(
      /seL4_TCB_Configure\(service, cspace_root, .*\) is the MCS form; on the master \(non-MCS\) kernel call seL4_TCB_Configure\(service, fault_ep,/,
    );
  });
});

describe("fault messages and logging", () => {
  it("seL4_getFault decodes a cap fault from the received message", () => {
    const { sel4 } = fakeLibsel4("master");
    [0x400010, 3, 1, 2, 0].forEach((v, i) => sel4.seL4_SetMR(i, v));
    const fault = sel4.seL4_getFault(sel4.seL4_MessageInfo_new(sel4.seL4_Fault_CapFault, 0, 0, 5));
    expect(sel4.seL4_Fault_get_seL4_FaultType(fault)).toBe(1);
    expect(sel4.seL4_Fault_CapFault_get_Addr(fault)).toBe(3);
    expect(sel4.seL4_Fault_CapFault_get_InRecvPhase(fault)).toBe(1);
    expect(() => sel4.seL4_Fault_VMFault_get_Addr(fault)).toThrow(/not a VMFault/);
  });

  it("ZF_LOGF_IF prints the C macro's line from the call site it is given, then ends the thread", () => {
    const { ch, sel4 } = fakeLibsel4("master");
    const site = { cond: "error != 0", func: "main", file: "handler.ts", line: 42 };
    sel4.ZF_LOGF_IF.call(site, false, "never");
    expect(ch.printed).toEqual([]);
    expect(() => sel4.ZF_LOGF_IF.call(site, true, "Handler: Failed to mint %s!", "ep cap")).toThrow("thread exited");
    expect(ch.printed.join("")).toBe(
      "main@handler.ts:42 [Cond failed: error != 0]\n\tHandler: Failed to mint ep cap!\n",
    );
    expect(ch.exited).toBe(true);
  });

  it("ZF_LOGF_IFERR names the error; assert prints musl's line", () => {
    const { ch, sel4 } = fakeLibsel4("master");
    const site = { cond: "x", func: "f", file: "a.ts", line: 3 };
    expect(() => sel4.ZF_LOGF_IFERR.call(site, 2, "bad")).toThrow("thread exited");
    expect(() => sel4.assert.call({ ...site, cond: "n == 1" }, false)).toThrow("thread exited");
    expect(ch.printed.join("")).toBe(
      "f@a.ts:3 [Err seL4_InvalidCapability]:\n\tbad\nAssertion failed: n == 1 (a.ts: f: 3)\n",
    );
  });

  it("seL4_DebugNameThread writes the name as a C string into the message words", () => {
    const { ch, sel4 } = fakeLibsel4("master");
    sel4.seL4_DebugNameThread(4, "worker-1");
    expect(ch.last.regs[RDI]).toBe(4n);
    expect(
      Buffer.from(BigUint64Array.from([ch.last.buffer[MSG]!, ch.last.buffer[MSG + 1]!]).buffer).toString("latin1"),
    ).toBe("worker-1\0\0\0\0\0\0\0\0");
  });
});
