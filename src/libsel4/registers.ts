// TCB register invocations (seL4_TCB_ReadRegisters, _WriteRegisters, _CopyRegisters in libsel4
// include/interfaces/object-api.xml; decoded by decodeReadRegisters and friends, src/object/tcb.c): their flag arguments are packed into MR0 and the
// register set travels as seL4_UserContext words, so they do not fit the generic stub table.
import { invocationLabelNumber } from "../abi/invocation.js";
import { seL4_MsgMaxLength } from "../abi/constants.js";
import { seL4_UserContextWords } from "../abi/registers.js";
import type { Gate } from "./gate.js";
import type { Invoker } from "./invocations.js";
import { argIndex, argWord, badArg, describe } from "./words.js";

/** seL4_UserContext field names in the kernel's order (x86_64). */
const USER_CONTEXT_FIELDS = [
  "rip",
  "rsp",
  "rflags",
  "rax",
  "rbx",
  "rcx",
  "rdx",
  "rsi",
  "rdi",
  "rbp",
  "r8",
  "r9",
  "r10",
  "r11",
  "r12",
  "r13",
  "r14",
  "r15",
  "fs_base",
  "gs_base",
] as const;

export type UserContext = Record<(typeof USER_CONTEXT_FIELDS)[number], number>;

function emptyContext(): UserContext {
  return Object.fromEntries(USER_CONTEXT_FIELDS.map((f) => [f, 0])) as UserContext;
}

export function registerFunctions(gate: Gate, invoker: Invoker) {
  const label = (l: "TCBReadRegisters" | "TCBWriteRegisters" | "TCBCopyRegisters") =>
    invocationLabelNumber(gate.config, l)!;
  const flag = (fn: string, name: string, x: unknown) => argWord(fn, name, x) & 1n;
  const archFlags = (fn: string, x: unknown) => (argWord(fn, "arch_flags", x) & 0xffn) << 8n;
  return {
    seL4_TCB_ReadRegisters: (service: unknown, suspend_source: unknown, arch_flags: unknown, count: unknown) => {
      const fn = "seL4_TCB_ReadRegisters";
      const n = argWord(fn, "count", count);
      const mr0 = flag(fn, "suspend_source", suspend_source) | archFlags(fn, arch_flags);
      const { error, reply } = invoker.call(label("TCBReadRegisters"), argWord(fn, "service", service), [mr0, n], []);
      const regs = emptyContext();
      if (error === 0) {
        const shown = Math.min(Number(n), seL4_UserContextWords);
        for (let i = 0; i < shown; i++) regs[USER_CONTEXT_FIELDS[i]!] = invoker.replyWord(reply, i);
      }
      return { error, regs };
    },
    seL4_TCB_WriteRegisters: (
      service: unknown,
      resume_target: unknown,
      arch_flags: unknown,
      count: unknown,
      regs: unknown,
    ) => {
      const fn = "seL4_TCB_WriteRegisters";
      const n = argIndex(fn, "count", count, 0, seL4_MsgMaxLength - 2);
      if (typeof regs !== "object" || regs === null)
        throw badArg(fn, "regs", `must be a seL4_UserContext object, got ${describe(regs)}`);
      const values = regs as Record<string, unknown>;
      const words = USER_CONTEXT_FIELDS.slice(0, n).map((f) => argWord(fn, `regs.${f}`, values[f] ?? 0));
      const mr0 = flag(fn, "resume_target", resume_target) | archFlags(fn, arch_flags);
      return invoker.call(label("TCBWriteRegisters"), argWord(fn, "service", service), [mr0, BigInt(n), ...words], [])
        .error;
    },
    seL4_TCB_CopyRegisters: (
      service: unknown,
      source: unknown,
      suspend_source: unknown,
      resume_target: unknown,
      transfer_frame: unknown,
      transfer_integer: unknown,
      arch_flags: unknown,
    ) => {
      const fn = "seL4_TCB_CopyRegisters";
      const mr0 =
        flag(fn, "suspend_source", suspend_source) |
        (flag(fn, "resume_target", resume_target) << 1n) |
        (flag(fn, "transfer_frame", transfer_frame) << 2n) |
        (flag(fn, "transfer_integer", transfer_integer) << 3n) |
        archFlags(fn, arch_flags);
      return invoker.call(
        label("TCBCopyRegisters"),
        argWord(fn, "service", service),
        [mr0],
        [argWord(fn, "source", source)],
      ).error;
    },
  };
}
