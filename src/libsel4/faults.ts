// Decoding fault messages (libsel4 faults.h): seL4_getFault reads the message a fault handler
// received into a seL4_Fault_t, and the generated accessors read its fields by name.
import { IPCBUF_MSG, faultLabel, type KernelConfig, type FaultType } from "../abi/constants.js";
import { unknownSyscallRegisters } from "../abi/registers.js";
import type { Sel4Channel } from "./channel.js";
import { infoArg } from "./message-info.js";
import { wordToNumber } from "./words.js";

class Fault {
  constructor(
    readonly type: number,
    readonly words: readonly bigint[],
  ) {
    Object.freeze(this);
  }
}

const UNKNOWN_SYSCALL_FIELDS = [
  "RAX",
  "RBX",
  "RCX",
  "RDX",
  "RSI",
  "RDI",
  "RBP",
  "R8",
  "R9",
  "R10",
  "R11",
  "R12",
  "R13",
  "R14",
  "R15",
  "FaultIP",
  "RSP",
  "FLAGS",
  "Syscall",
];

/** Message fields of each fault, in MR order (x86_64: setMRs_fault, src/api/faults.c, and Arch_setMRs_fault,
 * src/arch/x86/api/faults.c; the indices in libsel4 sel4_arch/constants.h). */
const FAULT_FIELDS: Record<Exclude<FaultType, "NullFault">, readonly string[]> = {
  CapFault: ["IP", "Addr", "InRecvPhase", "LookupFailureType", "MR4", "MR5", "MR6"],
  UnknownSyscall: UNKNOWN_SYSCALL_FIELDS,
  UserException: ["FaultIP", "Stack", "FLAGS", "Number", "Code"],
  VMFault: ["IP", "Addr", "PrefetchFault", "FSR"],
  Timeout: ["data", "consumed"],
};

if (UNKNOWN_SYSCALL_FIELDS.length !== unknownSyscallRegisters.length + 1) {
  throw new Error("internal: UnknownSyscall field list out of step with registers.ts");
}

function faultTypes(config: KernelConfig): FaultType[] {
  const all: FaultType[] = ["NullFault", "CapFault", "UnknownSyscall", "UserException", "VMFault"];
  return config === "mcs" ? [...all, "Timeout"] : all;
}

/** seL4_Fault_<Type> label constants of this configuration. */
export function faultConstants(config: KernelConfig): Record<string, number> {
  return Object.fromEntries(faultTypes(config).map((t) => [`seL4_Fault_${t}`, faultLabel(config, t)]));
}

export function faultFunctions(ch: Sel4Channel): Record<string, (...args: unknown[]) => unknown> {
  const faultArg = (fn: string, f: unknown): Fault => {
    if (f instanceof Fault) return f;
    throw new TypeError(`${fn}: argument 'fault' must be a seL4_Fault_t (from seL4_getFault)`);
  };
  const seL4_getFault = (tag: unknown): Fault => {
    const info = infoArg("seL4_getFault", "tag", tag).word;
    const label = Number(info >> 12n);
    const length = Number(info & 0x7fn);
    const buf = ch.ipcBuffer();
    return new Fault(
      label,
      Array.from({ length }, (_, i) => buf[IPCBUF_MSG + i]!),
    );
  };
  const out: Record<string, (...args: unknown[]) => unknown> = {
    seL4_getFault,
    seL4_getArchFault: seL4_getFault,
    seL4_Fault_get_seL4_FaultType: (f: unknown) => faultArg("seL4_Fault_get_seL4_FaultType", f).type,
  };
  for (const type of faultTypes(ch.config)) {
    if (type === "NullFault") continue;
    const label = faultLabel(ch.config, type);
    FAULT_FIELDS[type].forEach((field, i) => {
      const fn = `seL4_Fault_${type}_get_${field}`;
      out[fn] = (f: unknown) => {
        const fault = faultArg(fn, f);
        if (fault.type !== label) throw new TypeError(`${fn}: the fault is not a ${type} (its type is ${fault.type})`);
        return wordToNumber(fault.words[i] ?? 0n);
      };
    });
  }
  return out;
}

/** seL4_UnknownSyscall_RAX .. seL4_UnknownSyscall_Syscall message-register indices. */
export function unknownSyscallConstants(): Record<string, number> {
  return Object.fromEntries(UNKNOWN_SYSCALL_FIELDS.map((f, i) => [`seL4_UnknownSyscall_${f}`, i]));
}
