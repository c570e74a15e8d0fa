// The shared-memory channel between the machine (main thread) and a user thread's worker.
//
// Per thread, the machine uses the free words 21..31 of the TCB's register file in physical
// memory (docs/architecture.md): a control word both sides wait on with Atomics, and the event
// the worker wants the kernel to handle. One extra small SharedArrayBuffer ("machine memory")
// holds the doorbell the main thread waits on and the console output of the running worker;
// only one user thread runs at a time, so one of each is enough.
import { CONTEXT_WORDS } from "../abi/registers.js";
import type { ThreadEnd } from "../libsel4/channel.js";

/** Word indices inside the register file. */
const W_CONTROL = 21; // Int32 in the low half: Control
export const W_EVENT = 22; // Trap kind (f64)
export const W_ARG0 = 23; // Load/Store/Jump vaddr (u64), exception vector or Exit's THREAD_ENDS index (f64)
export const W_ARG1 = 24; // Store value (u64) or exception code (f64)
export const W_CONSUMED = 25; // virtual ns the worker used since it was resumed (f64)
export const W_BUDGET = 26; // virtual ns it may use before it must trap (f64, may be Infinity)
export const W_IPCBUF = 27; // byte offset of its IPC buffer, or -1 (f64)
export const W_PRINT = 28; // bytes of console output waiting in the print area (f64)
export const W_NOW = 29; // the kernel's virtual time (ns) when the worker was resumed (f64)

if (W_NOW >= CONTEXT_WORDS) throw new Error("machine scratch words do not fit the register file");

/** Who owns the thread. Only the owner writes; the other side waits for the value to change. */
export const Control = {
  /** Worker started, or ran its trap; waiting for the machine. */
  Trapped: 0,
  /** The machine lets the worker run (the kernel's current thread). */
  Run: 1,
  /** The run is over: the worker exits. */
  Stop: 2,
} as const;

/** What the worker trapped for. */
export const Trap = {
  Syscall: 1,
  Load: 2,
  Store: 3,
  Exception: 4,
  Exit: 5,
  /** Its time budget ran out: the machine advances time and maybe delivers the timer. */
  Preempt: 6,
  /** Only console output to flush; the thread goes on. */
  Print: 7,
  /** It jumped to an address where the program has no code (W_ARG0): a root task's main returned. */
  Jump: 8,
} as const;
export type TrapKind = (typeof Trap)[keyof typeof Trap];
/** How an Exit trap ended the thread, by its index in W_ARG0. */
export const THREAD_ENDS: readonly ThreadEnd[] = ["returned", "aborted"];

/** Machine memory: doorbell (Int32 index 0) then the print area. */
export const DOORBELL_INDEX = 0;
export const PRINT_AREA_OFFSET = 64;
export const PRINT_AREA_BYTES = 64 * 1024;
export const MACHINE_MEMORY_BYTES = PRINT_AREA_OFFSET + PRINT_AREA_BYTES;

/** Views on one thread's register file. */
export interface ContextViews {
  words: BigUint64Array;
  f64: Float64Array;
  /** Int32 view whose element 0 is the control word. */
  control: Int32Array;
}

export function contextViews(memory: SharedArrayBuffer, contextAddr: number): ContextViews {
  if (contextAddr % 8 !== 0) throw new Error(`register file at ${contextAddr} is not 8-byte aligned`);
  return {
    words: new BigUint64Array(memory, contextAddr, CONTEXT_WORDS),
    f64: new Float64Array(memory, contextAddr, CONTEXT_WORDS),
    control: new Int32Array(memory, contextAddr + W_CONTROL * 8, 1),
  };
}

/** What a worker is given when it starts. */
export interface WorkerInit {
  memory: SharedArrayBuffer;
  machineMemory: SharedArrayBuffer;
  contextAddr: number;
  config: "master" | "mcs";
  entry: string;
  /** Source map of the entry file, when it is not `${entry}.map`. */
  sourceMapFile?: string;
  threadName: string;
  threadId: number;
  /** "main": call the entry file's main(); "registers": the thread was created at run time and
   *  starts at the function its instruction pointer names, with RDI/RSI/RDX as arguments. */
  startAt: "main" | "registers";
  /** Paths in exception reports are shown relative to this directory. */
  displayRoot: string;
  /**
   * Root task (and threads in its VSpace): the address of seL4_BootInfo. A root task's main()
   * returns into sel4runtime_exit, whose exit callback is NULL: it calls address 0.
   */
  bootInfo?: bigint;
}
