// Building threads the way the capDL loader would, for in-process systems (tests, benchmarks):
// each thread gets its own single-level CSpace (guard = 64 - radix, so CPtr k names slot k at
// depth seL4_WordBits), a VSpace with an IPC buffer and a stack page, and on MCS an SC.
import type { CNodeObj, FrameObj, Kernel, PagingObj, SchedContextObj, TCB } from "../../src/kernel/index.js";
import { DEFAULT_SC_BUDGET_US, IPC_BUFFER_VADDR, STACK_PAGE_VADDR } from "../../src/loader/plan.js";

export interface ThreadSpec {
  name: string;
  radix?: number;
  priority?: number;
  mcp?: number;
  /** MCS: give the thread an SC (default: round-robin 10 ms). `false` makes it passive. */
  sc?: { budgetUs: number; periodUs: number; badge?: number; extraRefills?: number } | false;
  /** Leave the thread without an IPC buffer (only the 4 register MRs travel). */
  noIPCBuffer?: boolean;
}

export interface BuiltThread {
  tcb: TCB;
  cnode: CNodeObj;
  vspace: PagingObj;
  sc: SchedContextObj | undefined;
}

/** Where the capDL-like loader puts a thread's IPC buffer and stack; the tests' threads have them there too. */
export { IPC_BUFFER_VADDR };
export const STACK_TOP = STACK_PAGE_VADDR + 0x1000n;
/** The SC a thread gets unless it asks otherwise: capDL's default, round robin (budget = period). */
export const DEFAULT_SC = { budgetUs: DEFAULT_SC_BUDGET_US, periodUs: DEFAULT_SC_BUDGET_US } as const;

export function buildThread(kernel: Kernel, t: ThreadSpec): BuiltThread {
  const b = kernel.boot;
  const radix = t.radix ?? 4;
  const cnode = b.createObject("CNode", { name: `cnode_${t.name}`, sizeBits: radix }) as CNodeObj;
  const tcb = b.createObject("TCB", { name: `tcb_${t.name}` }) as TCB;
  const vspace = b.createObject("PML4", { name: `vspace_${t.name}` }) as PagingObj;
  const stack = b.createObject("Frame4K", { name: `stack_${t.name}` }) as FrameObj;
  let ipcBuffer: { frame: FrameObj; vaddr: bigint } | undefined;
  if (!t.noIPCBuffer) {
    const ipc = b.createObject("Frame4K", { name: `ipc_${t.name}` }) as FrameObj;
    b.mapFrame(vspace, ipc, IPC_BUFFER_VADDR, 3);
    ipcBuffer = { frame: ipc, vaddr: IPC_BUFFER_VADDR };
  }
  b.mapFrame(vspace, stack, STACK_TOP - 0x1000n, 3);
  let sc: SchedContextObj | undefined;
  if (kernel.config === "mcs" && t.sc !== false) {
    sc = b.createObject("SchedContext", { name: `sc_${t.name}`, sizeBits: 8 }) as SchedContextObj;
    b.configureSchedContext(sc, t.sc ?? DEFAULT_SC);
  }
  b.configureThread(tcb, {
    cspace: b.cap(cnode, { guardSize: 64 - radix }),
    vspace: b.cap(vspace),
    ipcBuffer,
    priority: t.priority ?? 254,
    mcp: t.mcp ?? 254,
    sc,
    stackPointer: STACK_TOP - 0x100n,
  });
  return { tcb, cnode, vspace, sc };
}
