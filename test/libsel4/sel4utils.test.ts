// The libsel4utils helpers that start a thread by hand (sel4_arch/x86_64 util.h and arch.c), and
// what calling a C function pointer does.
import { describe, expect, it } from "vitest";
import { fakeLibsel4 } from "./fake-channel.js";

function context(): Record<string, number> {
  return { rip: 0, rsp: 0, rdi: 0, rsi: 0, rdx: 0 };
}

describe("sel4utils_arch_init_local_context (x86_64)", () => {
  it("puts the entry in rip, the arguments in rdi, rsi and rdx, and rsp 8 below the top, as after a call", () => {
    const { sel4 } = fakeLibsel4("master");
    const regs = context();
    function entry(): number {
      return 1;
    }
    expect(sel4.sel4utils_arch_init_local_context(entry, 1, 2, 3, 0x512000, regs)).toBe(0);
    expect(regs).toEqual({ rip: 0x401000, rdi: 1, rsi: 2, rdx: 3, rsp: 0x511ff8 });
  });

  it("refuses a stack top that is not 16-byte aligned: logs, changes nothing, returns -1", () => {
    const { sel4, ch } = fakeLibsel4("master");
    const regs = context();
    expect(sel4.sel4utils_arch_init_local_context(0x401000, 1, 2, 3, 0x512008, regs)).toBe(-1);
    expect(regs).toEqual(context());
    expect(ch.printed.join("")).toBe(
      "sel4utils_arch_init_context_with_args@arch.c:32 Initial stack pointer must be 16 byte aligned\n",
    );
  });
});

describe("functionAt: calling a C function pointer", () => {
  it("gives the program's function at that address", () => {
    const { sel4 } = fakeLibsel4("master");
    expect(sel4.functionAt(0x401000)()).toBe(1);
  });

  it("at an address with no function, the call (not the lookup) jumps there, which is the kernel's to fault", () => {
    const { sel4 } = fakeLibsel4("master");
    const f = sel4.functionAt(0x2);
    expect(() => f(42)).toThrow("jumped to 0x2");
  });
});
