// Debug system calls (debug kernel, as the tutorials build it) and the sel4tut machine
// primitives that C code would write as pointer accesses or inline assembly.
import { IPCBUF_MSG, seL4_MsgMaxLength } from "../abi/constants.js";
import { R10, R11, R12, R13, R14, R15, R8, R9, RAX, RBP, RBX, RCX, RDI, RDX, RSI } from "../abi/registers.js";
import type { Gate } from "./gate.js";
import { argString, argWord, badArg, describe, wordToNumber } from "./words.js";

/** x86 vector of the undefined-opcode exception raised by `ud2`. */
const UD2_VECTOR = 6;

export function debugFunctions(gate: Gate) {
  const { regs, ch } = gate;
  return {
    seL4_DebugPutChar: (c: unknown) => {
      const code =
        typeof c === "string" ? BigInt(c.charCodeAt(0) & 0xff) : argWord("seL4_DebugPutChar", "c", c) & 0xffn;
      regs[RDI] = code;
      gate.enter("DebugPutChar");
    },
    seL4_DebugHalt: () => gate.enter("DebugHalt"),
    seL4_DebugDumpScheduler: () => gate.enter("DebugDumpScheduler"),
    /** The name goes into the IPC buffer's message words as a NUL-terminated string. */
    seL4_DebugNameThread: (tcb: unknown, name: unknown) => {
      const fn = "seL4_DebugNameThread";
      const bytes = utf8(argString(fn, "name", name));
      const length = Math.min(bytes.length, seL4_MsgMaxLength * 8 - 1);
      const buf = ch.ipcBuffer();
      // Little-endian words, as a C string laid over the message registers; the NUL is the
      // first zero byte after the text (every byte past it in its word is zero too).
      for (let word = 0; word * 8 <= length; word++) {
        let value = 0n;
        for (let b = 7; b >= 0; b--) {
          const at = word * 8 + b;
          value = (value << 8n) | BigInt(at < length ? bytes[at]! : 0);
        }
        buf[IPCBUF_MSG + word] = value;
      }
      regs[RDI] = argWord(fn, "tcb", tcb);
      gate.enter("DebugNameThread");
    },
    seL4_DebugCapIdentify: (cap: unknown) => {
      regs[RDI] = argWord("seL4_DebugCapIdentify", "cap", cap);
      gate.enter("DebugCapIdentify");
      return wordToNumber(regs[RDI]!);
    },
  };
}

/** The registers rawSyscall's object may set: the general ones, except RDX (the number) and RSP. */
const RAW_REGISTERS: Record<string, number> = {
  rax: RAX,
  rbx: RBX,
  rcx: RCX,
  rsi: RSI,
  rdi: RDI,
  rbp: RBP,
  r8: R8,
  r9: R9,
  r10: R10,
  r11: R11,
  r12: R12,
  r13: R13,
  r14: R14,
  r15: R15,
};

function registerObject(fn: string, x: unknown): Record<string, unknown> {
  if (x === null || typeof x !== "object" || Array.isArray(x))
    throw badArg(fn, "registers", `must be an object such as { rdi: 1 }, got ${describe(x)}`);
  for (const name of Object.keys(x)) {
    if (!(name in RAW_REGISTERS))
      throw badArg(fn, "registers", `has "${name}"; the registers are ${Object.keys(RAW_REGISTERS).join(", ")}`);
  }
  return x as Record<string, unknown>;
}

export function machineFunctions(gate: Gate) {
  const { regs, ch } = gate;
  return {
    /** `*(seL4_Word *)vaddr`: a load through the thread's VSpace (may VM-fault). */
    readWord: (vaddr: unknown) => wordToNumber(ch.load(argWord("readWord", "vaddr", vaddr))),
    /** `*(seL4_Word *)vaddr = value`. */
    writeWord: (vaddr: unknown, value: unknown) =>
      ch.store(argWord("writeWord", "vaddr", vaddr), argWord("writeWord", "value", value)),
    /**
     * The `syscall` instruction with any number in RDX (an unknown one raises UnknownSyscall). An
     * optional object sets general registers before the trap and receives all of them after it.
     */
    rawSyscall: (number: unknown, registers?: unknown) => {
      const fn = "rawSyscall";
      const io = registers === undefined ? null : registerObject(fn, registers);
      if (io)
        for (const [name, value] of Object.entries(io))
          regs[RAW_REGISTERS[name]!] = argWord(fn, `registers.${name}`, value);
      regs[RDX] = argWord(fn, "number", number);
      ch.syscall();
      if (io) for (const [name, r] of Object.entries(RAW_REGISTERS)) io[name] = wordToNumber(regs[r]!);
      return wordToNumber(regs[RAX]!);
    },
    /** The `ud2` instruction: a UserException fault with vector 6. */
    ud2: () => ch.exception(UD2_VECTOR, 0),
  };
}

/** UTF-8 bytes of a string, without Node's Buffer (libsel4 imports nothing but the ABI). */
function utf8(text: string): number[] {
  const bytes: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) bytes.push(cp);
    else if (cp < 0x800) bytes.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
    else if (cp < 0x10000) bytes.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    else bytes.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  }
  return bytes;
}
