// The system plan: a system spec resolved for one kernel configuration, with every slot
// numbered, every guard and every scheduling parameter decided. It is what the loader boots and
// what the cspace modules are generated from.
import type { KernelConfig, ObjectTypeName } from "../abi/constants.js";

/** Objects the kernel has one of (capDL's sched_control, irq_control, the ASID pool); a spec may cap them. */
export const SINGLETON_TYPES = ["SchedControl", "ASIDPool", "IRQControl"] as const;
type SingletonType = (typeof SINGLETON_TYPES)[number];
export type PlanObjectType = ObjectTypeName | SingletonType;

/** Where an entry was written in the spec file, so that a boot-time refusal names it. */
export interface SpecRef {
  line: number;
  column: number;
  /** The entry's JSON path ("threads.handler.caps[2]"). */
  path: string;
}

/** seL4_SchedControl_Configure's arguments, as the capDL loader passes them. */
export interface ScParams {
  budgetUs: number;
  periodUs: number;
  extraRefills: number;
  badge: bigint;
}

export interface PlanObject {
  name: string;
  type: PlanObjectType;
  /** CNode radix, SchedContext size, Untyped size. */
  sizeBits?: number;
  /** SchedContext: how the loader configures it. */
  sc?: ScParams;
  /** Untyped and frames: device memory at this physical address (capDL's paddr), outside the simulated RAM. */
  paddr?: bigint;
  at?: SpecRef;
}

export interface PlanCap {
  slot: number;
  /** The name learner code uses; null for a cap without one (the thread's own TCB cap in capDL). */
  symbol: string | null;
  /** null = a slot reserved empty. */
  object: string | null;
  /** seL4_CapRights_t bits: W=1 R=2 G=4 GrantReply=8. */
  rights: number;
  badge: bigint;
  /** CNode caps: the guard (cap data) the cap carries. */
  guard?: bigint;
  guardSize?: number;
  /** Set on the cap to a thread's own TCB that capDL adds after the declared slots. */
  ownTcbOf?: string;
  at?: SpecRef;
}

/** One CNode's contents: declared caps (the object's own list, then those of the threads using it as CSpace root). */
export interface PlanCNode {
  name: string;
  radix: number;
  /** In slot-assignment order. */
  caps: PlanCap[];
  /** The threads whose CSpace root this is, in file order. */
  threads: string[];
}

export interface PlanMapping {
  frame: string;
  vaddr: bigint;
  rights: number;
  /** Bytes the frame covers. */
  size: bigint;
  /** The name the thread's cspace module gives the address (capDL's region symbol), or null. */
  symbol: string | null;
  /** The name it gives the address just after the frame (a stack's top), or null. */
  endSymbol: string | null;
  /** The cap in the thread's CSpace root that holds the mapping (a mapped frame cap), or null: the loader keeps it. */
  cap: PlanCap | null;
  at?: SpecRef;
}

/** A fault or timeout endpoint: the CPtr master keeps, and the cap MCS installs (null: no cap there). */
export interface PlanEndpoint {
  cptr: bigint;
  cap: PlanCap | null;
}

export interface PlanThread {
  name: string;
  /** The thread's source file, relative to the exercise directory ("handler.ts"). */
  source: string;
  tcb: string;
  /** The CSpace root CNode (cnode_<thread> unless the spec names another). */
  cnode: string;
  /** The guard on the thread's CSpace root cap. */
  cspaceGuard: bigint;
  cspaceGuardSize: number;
  /** The VSpace root (vspace_<thread> unless the spec names another, which threads then share). */
  vspace: string;
  /** The IPC buffer frame and the address of the buffer in it; both null for a thread without one. */
  ipcBuffer: string | null;
  ipcBufferVaddr: bigint | null;
  /** The page the loader maps as the thread's stack. */
  stackVaddr: bigint;
  /** MCS: the thread's scheduling context; null on master and for passive threads. */
  sc: string | null;
  /** Radix of the root CNode. */
  radix: number;
  priority: number;
  mcp: number;
  /** The caps in the root CNode (all of them when the CSpace is shared). */
  caps: PlanCap[];
  mappings: PlanMapping[];
  faultEndpoint: PlanEndpoint | null;
  /** MCS only. */
  timeoutEndpoint: PlanEndpoint | null;
  at?: SpecRef;
}

export interface SystemPlan {
  config: KernelConfig;
  file: string;
  /** In creation order: declared objects, then each thread's own (file order). */
  objects: PlanObject[];
  cnodes: PlanCNode[];
  /** In resume order: by TCB name, as the capDL loader does. */
  threads: PlanThread[];
  /** The one thread is the root task, booted by the kernel itself with its boot info (no capDL). */
  rootTask?: boolean;
}

/** Where a thread's IPC buffer frame is mapped (the next pages for more threads in one VSpace). */
export const IPC_BUFFER_VADDR = 0x10000000n;
/** A thread's stack page: the last page below the top of the x86_64 user address space (lower ones for more threads in one VSpace). */
export const STACK_PAGE_VADDR = 0x7fffffffe000n;
/** capDL default for TCBs: priority 254, maximum controlled priority 254. */
export const DEFAULT_PRIORITY = 254;
/** capDL default SC: budget = period = 10 ms. */
export const DEFAULT_SC_BUDGET_US = 10_000;
export const SC_SIZE_BITS = 8;
export const WORD_BITS = 64;
/** The simulated physical memory of a kernel the CLI boots (the Kernel's default). */
export const PHYSICAL_MEMORY_BYTES = 64 * 1024 * 1024;

/** capdl_linker's CNode size: enough bits for the highest slot used. */
export function cnodeRadixFor(maxSlot: number): number {
  return Math.floor(Math.log2(Math.max(maxSlot, 2))) + 1;
}

/**
 * The CPtr that names `slot` of a thread's root CNode when looked up at depth seL4_WordBits: the
 * root guard, then the slot index, then zero bits for whatever the root leaves over (seL4 stops a
 * lookup at a slot that holds no CNode cap, whatever bits remain).
 */
export function cptrOf(root: { radix: number; cspaceGuard: bigint; cspaceGuardSize: number }, slot: number): bigint {
  const rest = BigInt(WORD_BITS - root.cspaceGuardSize - root.radix);
  return ((root.cspaceGuard << BigInt(root.radix)) | BigInt(slot)) << rest;
}

export function rightsText(bits: number): string {
  return ["R", "W", "G"].filter((_, i) => bits & [2, 1, 4][i]!).join("") + (bits & 8 ? "+GR" : "");
}
