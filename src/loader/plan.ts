// The system plan: a system spec resolved for one kernel configuration, with every slot
// numbered. It is what the loader boots and what the cspace modules are generated from.
import type { ObjectTypeName } from "../kernel/api/constants.js";
import type { KernelConfig } from "../tutorial/format.js";

export interface PlanObject {
  name: string;
  type: ObjectTypeName;
  /** CNode radix, SchedContext size. */
  sizeBits?: number;
}

export interface PlanCap {
  slot: number;
  /** The name learner code uses; null for the thread's own TCB cap (capDL gives it none). */
  symbol: string | null;
  /** null = a slot reserved empty. */
  object: string | null;
  /** seL4_CapRights_t bits. */
  rights: number;
  badge: bigint;
}

export interface PlanMapping {
  frame: string;
  vaddr: bigint;
  rights: number;
}

export interface PlanThread {
  name: string;
  /** The thread's source file, relative to the exercise directory ("handler.ts"). */
  source: string;
  tcb: string;
  cnode: string;
  vspace: string;
  ipcBuffer: string;
  /** MCS: the thread's scheduling context; null on master and for passive threads. */
  sc: string | null;
  radix: number;
  priority: number;
  mcp: number;
  caps: PlanCap[];
  mappings: PlanMapping[];
  /** The cap (by symbol) the loader registers as fault endpoint, if the spec names one. */
  faultEndpoint: string | null;
}

export interface SystemPlan {
  config: KernelConfig;
  file: string;
  objects: PlanObject[];
  /** In resume order: by TCB name, as the capDL loader does. */
  threads: PlanThread[];
}

/** Where every thread's IPC buffer frame is mapped (each thread has its own VSpace). */
export const IPC_BUFFER_VADDR = 0x10000000n;
/** capDL default for TCBs: priority 254, maximum controlled priority 254. */
export const DEFAULT_PRIORITY = 254;
/** capDL default SC: budget = period = 10 ms. */
export const DEFAULT_SC_BUDGET_US = 10_000;
export const SC_SIZE_BITS = 8;
export const WORD_BITS = 64;

/** capdl_linker's CNode size: enough bits for the highest slot used. */
export function cnodeRadixFor(maxSlot: number): number {
  return Math.floor(Math.log2(Math.max(maxSlot, 2))) + 1;
}

export function rightsText(bits: number): string {
  return ["R", "W", "G"].filter((_, i) => bits & [2, 1, 4][i]!).join("") + (bits & 8 ? "+GR" : "");
}
