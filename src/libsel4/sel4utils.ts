// The few sel4utils helpers the tutorials use to start a thread by hand: they fill in a
// seL4_UserContext for seL4_TCB_WriteRegisters (libsel4utils sel4_arch/x86_64 util.h and arch.c).
// Where C passes a function pointer, learner code passes the function itself (a top-level
// function of its program) or its address.
import type { Sel4Channel } from "./channel.js";
import type { UserContext } from "./registers.js";
import { argWord, badArg, describe, wordToNumber } from "./words.js";

/** libutils' STACK_CALL_ALIGNMENT: the stack pointer's alignment at a call instruction. */
const STACK_CALL_ALIGNMENT = 16n;
/** What a call pushes: the return address, one word. */
const RETURN_ADDRESS_BYTES = 8n;
const WORD_MASK = (1n << 64n) - 1n;

export function sel4utilsFunctions(ch: Sel4Channel) {
  /** A word, or the address of a function (what a C function pointer converts to). */
  const pointer = (fn: string, arg: string, x: unknown): number => {
    if (typeof x !== "function") return wordToNumber(argWord(fn, arg, x));
    const address = ch.functionAddress(x);
    if (address === undefined) {
      throw badArg(
        fn,
        arg,
        `must be a function declared at the top level of one of your files (function ${x.name || "f"}(...) { ... }), got ${describe(x)}`,
      );
    }
    return address;
  };
  const context = (fn: string, x: unknown): UserContext => {
    if (typeof x !== "object" || x === null)
      throw badArg(fn, "context", `must be a seL4_UserContext object, got ${describe(x)}`);
    return x as UserContext;
  };
  return {
    /**
     * A C function pointer, ready to call: the top-level function at `address`. Anywhere else the
     * call is a jump to an address with no code of the program, which faults as the CPU's fetch
     * there would (a VM fault where nothing is mapped); the fault happens at the call, after its
     * arguments are evaluated, as in C.
     */
    functionAt: (address: unknown): ((...args: number[]) => unknown) => {
      const target = argWord("functionAt", "address", address);
      const f = ch.functionAt(wordToNumber(target));
      return f ?? (() => ch.jump(target));
    },
    sel4utils_set_instruction_pointer: (regs: unknown, value: unknown) => {
      context("sel4utils_set_instruction_pointer", regs).rip = pointer(
        "sel4utils_set_instruction_pointer",
        "value",
        value,
      );
    },
    sel4utils_set_stack_pointer: (regs: unknown, value: unknown) => {
      context("sel4utils_set_stack_pointer", regs).rsp = pointer("sel4utils_set_stack_pointer", "value", value);
    },
    /**
     * x86_64 sel4utils_arch_init_context_with_args: rdi/rsi/rdx = arg0..arg2, rip = entry, and rsp
     * 8 below stack_top, as if a call had pushed a return address. stack_top must be
     * STACK_CALL_ALIGNMENT (16) aligned; otherwise it logs an error, changes nothing and returns -1.
     */
    sel4utils_arch_init_local_context: (
      entry_point: unknown,
      arg0: unknown,
      arg1: unknown,
      arg2: unknown,
      stack_top: unknown,
      ctx: unknown,
    ): number => {
      const fn = "sel4utils_arch_init_local_context";
      const regs = context(fn, ctx);
      const top = argWord(fn, "stack_top", stack_top);
      const values = {
        rip: pointer(fn, "entry_point", entry_point),
        rdi: pointer(fn, "arg0", arg0),
        rsi: pointer(fn, "arg1", arg1),
        rdx: pointer(fn, "arg2", arg2),
      };
      if (top % STACK_CALL_ALIGNMENT !== 0n) {
        // ZF_LOGE's line: function@file:line (libsel4utils src/sel4_arch/x86_64/arch.c), then the message.
        ch.print(
          `sel4utils_arch_init_context_with_args@arch.c:32 Initial stack pointer must be ${STACK_CALL_ALIGNMENT} byte aligned\n`,
        );
        return -1;
      }
      Object.assign(regs, values);
      regs.rsp = wordToNumber((top - RETURN_ADDRESS_BYTES) & WORD_MASK);
      return 0;
    },
  };
}
