// Small systems for the kernel's and machine's tests and benchmarks, booted by the capDL loader's
// own code (src/loader/boot.ts) from a system plan written here instead of read from a spec file.
// Each thread gets a single-level CSpace (guard = 64 - radix, so CPtr k names slot k at depth
// seL4_WordBits), a VSpace with an IPC buffer, a stack page and the data segment, and on MCS an SC.
import type { CNodeObj, Kernel, PagingObj, SchedContextObj, TCB } from "../../src/kernel/index.js";
import type { ObjectTypeName } from "../../src/abi/constants.js";
import { loadSystem } from "../../src/loader/boot.js";
import {
  DEFAULT_PRIORITY,
  DEFAULT_SC_BUDGET_US,
  IPC_BUFFER_VADDR,
  SC_SIZE_BITS,
  STACK_PAGE_VADDR,
  WORD_BITS,
  type PlanCap,
  type PlanCNode,
  type PlanObject,
  type PlanThread,
  type SystemPlan,
} from "../../src/loader/plan.js";

export { IPC_BUFFER_VADDR };
export const STACK_TOP = STACK_PAGE_VADDR + 0x1000n;
/** The SC a thread gets unless it asks otherwise: capDL's default, round robin (budget = period). */
export const DEFAULT_SC = { budgetUs: DEFAULT_SC_BUDGET_US, periodUs: DEFAULT_SC_BUDGET_US } as const;

const DEFAULT_RADIX = 4;
const ALL_RIGHTS = 0xf;

export interface CapSpec {
  slot: number;
  /** An object of the system, or `cnode_<thread>`, `tcb_<thread>`, `vspace_<thread>`, `ipc_<thread>`. */
  object: string;
  rights?: number;
  badge?: number;
}

export interface ThreadSpec {
  name: string;
  radix?: number;
  priority?: number;
  /** Default: capDL's 254. */
  mcp?: number;
  /** MCS: give the thread an SC (default: round-robin 10 ms). `false` makes it passive. */
  sc?: { budgetUs: number; periodUs: number; badge?: number; extraRefills?: number } | false;
  /** Leave the thread without an IPC buffer (only the 4 register MRs travel). */
  noIPCBuffer?: boolean;
  caps?: CapSpec[];
  /** master: the fault-handler CPtr; MCS: the slot of `caps` whose cap is copied in as the fault EP. */
  faultEP?: number;
}

export interface BuiltThread {
  tcb: TCB;
  cnode: CNodeObj;
  vspace: PagingObj;
  sc: SchedContextObj | undefined;
}

/** Loads one thread into a running test kernel without resuming it; the test gives it caps and resumes it. */
export function buildThread(kernel: Kernel, spec: ThreadSpec): BuiltThread {
  const { objects } = loadSystem(kernel.boot, planOf(kernel, {}, [spec]));
  const named = <T>(prefix: string) => objects.get(`${prefix}_${spec.name}`) as T;
  return {
    tcb: named("tcb"),
    cnode: named("cnode"),
    vspace: named("vspace"),
    sc: named<SchedContextObj | undefined>("sc"),
  };
}

/** Creates the objects and threads and resumes the threads in order; returns the TCBs by name. */
export function bootTestbed(
  kernel: Kernel,
  objects: Record<string, ObjectTypeName>,
  threads: ThreadSpec[],
): Map<string, TCB> {
  const loaded = loadSystem(kernel.boot, planOf(kernel, objects, threads));
  for (const t of loaded.threads) kernel.boot.resume(t.tcb);
  return new Map(loaded.threads.map((t) => [t.plan.name, t.tcb]));
}

function planOf(kernel: Kernel, declared: Record<string, ObjectTypeName>, specs: ThreadSpec[]): SystemPlan {
  const mcs = kernel.config === "mcs";
  const objects: PlanObject[] = Object.entries(declared).map(([name, type]) => ({ name, type }));
  const cnodes: PlanCNode[] = [];
  const threads: PlanThread[] = [];
  const radixOf = new Map<string, number>();
  for (const [name, type] of Object.entries(declared)) if (type === "CNode") radixOf.set(name, DEFAULT_RADIX);
  for (const t of specs) radixOf.set(`cnode_${t.name}`, t.radix ?? DEFAULT_RADIX);

  const capOf = (c: CapSpec): PlanCap => {
    const radix = radixOf.get(c.object);
    return {
      slot: c.slot,
      symbol: null,
      object: c.object,
      rights: c.rights ?? ALL_RIGHTS,
      badge: BigInt(c.badge ?? 0),
      ...(radix !== undefined ? { guard: 0n, guardSize: WORD_BITS - radix } : {}),
    };
  };

  for (const t of specs) {
    const radix = t.radix ?? DEFAULT_RADIX;
    const priority = t.priority ?? DEFAULT_PRIORITY;
    const hasSC = mcs && t.sc !== false;
    const sc = { extraRefills: 0, badge: 0, ...(t.sc || DEFAULT_SC) };
    objects.push(
      { name: `cnode_${t.name}`, type: "CNode", sizeBits: radix },
      { name: `tcb_${t.name}`, type: "TCB" },
      { name: `vspace_${t.name}`, type: "PML4" },
      ...(t.noIPCBuffer ? [] : [{ name: `ipc_${t.name}`, type: "Frame4K" } as const]),
      ...(hasSC
        ? [
            {
              name: `sc_${t.name}`,
              type: "SchedContext",
              sizeBits: SC_SIZE_BITS,
              sc: { ...sc, badge: BigInt(sc.badge) },
            } as const,
          ]
        : []),
    );
    const caps = (t.caps ?? []).map(capOf);
    cnodes.push({ name: `cnode_${t.name}`, radix, caps, threads: [t.name] });
    const faultCap = caps.find((c) => c.slot === t.faultEP);
    threads.push({
      name: t.name,
      source: `${t.name}.ts`,
      tcb: `tcb_${t.name}`,
      cnode: `cnode_${t.name}`,
      cspaceGuard: 0n,
      cspaceGuardSize: WORD_BITS - radix,
      vspace: `vspace_${t.name}`,
      ipcBuffer: t.noIPCBuffer ? null : `ipc_${t.name}`,
      ipcBufferVaddr: t.noIPCBuffer ? null : IPC_BUFFER_VADDR,
      stackVaddr: STACK_PAGE_VADDR,
      sc: hasSC ? `sc_${t.name}` : null,
      radix,
      priority,
      mcp: t.mcp ?? DEFAULT_PRIORITY,
      caps,
      mappings: [],
      faultEndpoint: t.faultEP === undefined ? null : { cptr: BigInt(t.faultEP), cap: faultCap ?? null },
      timeoutEndpoint: null,
    });
  }
  return { config: kernel.config, file: "(test system)", objects, cnodes, threads };
}
