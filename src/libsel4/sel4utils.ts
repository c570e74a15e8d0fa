// The few sel4utils helpers the tutorials use to start a thread by hand: they fill in a
// seL4_UserContext for seL4_TCB_WriteRegisters. Where C passes a function pointer, learner code
// passes the function itself (a top-level function of its program) or its address.
import type { Sel4Channel } from "./channel.js";
import type { UserContext } from "./registers.js";
import { argWord, badArg, describe, wordToNumber } from "./words.js";

export function sel4utilsFunctions(ch: Sel4Channel) {
  /** A word, or the address of a function (what a C function pointer converts to). */
  const pointer = (fn: string, arg: string, x: unknown): number => {
    if (typeof x !== "function") return wordToNumber(argWord(fn, arg, x));
    const address = ch.functionAddress(x);
    if (address === undefined) {
      throw badArg(fn, arg, `must be a function declared at the top level of one of your files (function ${x.name || "f"}(...) { ... }), got ${describe(x)}`);
    }
    return address;
  };
  const context = (fn: string, x: unknown): UserContext => {
    if (typeof x !== "object" || x === null) throw badArg(fn, "context", `must be a seL4_UserContext object, got ${describe(x)}`);
    return x as UserContext;
  };
  return {
    /** A C function pointer called: the top-level function at `address` (see pointer above). */
    functionAt: (address: unknown) => {
      const f = ch.functionAt(wordToNumber(argWord("functionAt", "address", address)));
      if (!f) throw badArg("functionAt", "address", `must be the address of a top-level function of your program, got ${describe(address)}`);
      return f;
    },
    sel4utils_set_instruction_pointer: (regs: unknown, value: unknown) => {
      context("sel4utils_set_instruction_pointer", regs).rip = pointer("sel4utils_set_instruction_pointer", "value", value);
    },
    sel4utils_set_stack_pointer: (regs: unknown, value: unknown) => {
      context("sel4utils_set_stack_pointer", regs).rsp = pointer("sel4utils_set_stack_pointer", "value", value);
    },
    /** x86_64: rip = entry, rsp = stack_top, rdi/rsi/rdx = arg0..arg2. */
    sel4utils_arch_init_local_context: (
      entry_point: unknown, arg0: unknown, arg1: unknown, arg2: unknown, stack_top: unknown, ctx: unknown,
    ) => {
      const fn = "sel4utils_arch_init_local_context";
      const regs = context(fn, ctx);
      regs.rip = pointer(fn, "entry_point", entry_point);
      regs.rdi = pointer(fn, "arg0", arg0);
      regs.rsi = pointer(fn, "arg1", arg1);
      regs.rdx = pointer(fn, "arg2", arg2);
      regs.rsp = pointer(fn, "stack_top", stack_top);
    },
  };
}
