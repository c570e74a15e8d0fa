// rawSyscall's register object, without a kernel: what goes into the registers before the trap,
// what comes back after it, and the mistakes it refuses.
import { describe, expect, it } from "vitest";
import { RAX, RBX, RDI, RDX, RSI, R15 } from "../../src/abi/registers.js";
import { fakeLibsel4 } from "../libsel4/fake-channel.js";

describe("rawSyscall(number, registers)", () => {
  it("sets the named registers and RDX, then reports every general register as the kernel left it", () => {
    const { ch, sel4 } = fakeLibsel4("master");
    ch.kernel = (regs) => {
      regs[RAX] = 15n;
      regs[RBX] = 2n ** 64n - 1n;
      regs[R15] = 9n;
    };
    const regs: Record<string, unknown> = { rdi: 7, rsi: 8n };
    expect(sel4.rawSyscall(0x99, regs)).toBe(15);
    expect([ch.last.regs[RDX], ch.last.regs[RDI], ch.last.regs[RSI]]).toEqual([0x99n, 7n, 8n]);
    expect(regs).toMatchObject({ rax: 15, rbx: -1, rdi: 7, rsi: 8, r15: 9, rcx: 0 });
    expect(Object.keys(regs)).not.toContain("rdx");
    expect(sel4.rawSyscall(1)).toBe(15);
  });

  it("refuses registers it cannot set and values that are not words", () => {
    const { sel4 } = fakeLibsel4("mcs");
    expect(() => sel4.rawSyscall(1, { rdx: 1 })).toThrow(
      /rawSyscall: argument 'registers' has "rdx"; the registers are rax, rbx/,
    );
    expect(() => sel4.rawSyscall(1, { rsp: 1 })).toThrow(/has "rsp"/);
    expect(() => sel4.rawSyscall(1, [1])).toThrow(/must be an object such as \{ rdi: 1 \}/);
    expect(() => sel4.rawSyscall(1, { rdi: 1.5 })).toThrow(/rawSyscall: argument 'registers\.rdi' must be an integer/);
  });
});
