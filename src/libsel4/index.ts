// The learner-facing "sel4" module: one instance per user thread, bound to that thread's channel.
import type { Sel4Channel } from "./channel.js";
import { bootInfoFunctions } from "./bootinfo.js";
import { debugFunctions, machineFunctions } from "./debug.js";
import { faultFunctions } from "./faults.js";
import { Gate } from "./gate.js";
import { Invoker, invocationFunctions } from "./invocations.js";
import { ipcBufferFunctions } from "./ipc-buffer.js";
import { messageInfoAccessors, seL4_MessageInfo_new } from "./message-info.js";
import { memoryFunctions } from "./memory.js";
import { formatC } from "./printf.js";
import { registerFunctions } from "./registers.js";
import { constants, constructorFunctions } from "./sel4-constants.js";
import { sel4utilsFunctions } from "./sel4utils.js";
import { syscallFunctions } from "./syscalls.js";
import { logFunctions } from "./zf-log.js";

export type { Sel4Channel } from "./channel.js";

/**
 * libsel4's sel4_arch/mapping.h (x86_64): the MR of a FailedLookup reply that holds the bits left
 * where the kernel's page-table walk stopped, and the value for each missing structure.
 */
const MAPPING_LOOKUP_LEVEL = 2;
const MAPPING_LOOKUP_NO = {
  SEL4_MAPPING_LOOKUP_NO_PT: 21,
  SEL4_MAPPING_LOOKUP_NO_PD: 30,
  SEL4_MAPPING_LOOKUP_NO_PDPT: 39,
};

export function createLibsel4(ch: Sel4Channel): Readonly<Record<string, unknown>> {
  const gate = new Gate(ch);
  const invoker = new Invoker(gate);
  const ipcBuffer = ipcBufferFunctions(ch);
  const module: Record<string, unknown> = {
    ...constants(ch.config),
    ...constructorFunctions(ch.config),
    seL4_MessageInfo_new,
    ...messageInfoAccessors(),
    ...ipcBuffer,
    seL4_MappingFailedLookupLevel: () => ipcBuffer.seL4_GetMR(MAPPING_LOOKUP_LEVEL),
    ...MAPPING_LOOKUP_NO,
    ...syscallFunctions(gate),
    ...invocationFunctions(gate, invoker),
    ...registerFunctions(gate, invoker),
    ...sel4utilsFunctions(ch),
    ...faultFunctions(ch),
    ...debugFunctions(gate),
    ...machineFunctions(gate),
    ...memoryFunctions(ch),
    ...logFunctions(ch),
    printf: (fmt: unknown, ...args: unknown[]) => {
      if (typeof fmt !== "string") throw new TypeError("printf: argument 'format' must be a string");
      const text = formatC(fmt, args);
      ch.print(text);
      return text.length;
    },
  };
  const { ZF_LOGF_IF } = module as { ZF_LOGF_IF: Parameters<typeof bootInfoFunctions>[3] };
  Object.assign(
    module,
    bootInfoFunctions(ch, ch.config, module.seL4_Untyped_Retype as (...a: unknown[]) => unknown, ZF_LOGF_IF),
  );
  // CommonJS interop: `import { x } from "sel4"` compiles to property reads on this object.
  Object.defineProperty(module, "__esModule", { value: true });
  return Object.freeze(module);
}
