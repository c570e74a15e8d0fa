// A small system booted straight through kernel.boot, for the machine's tests and benchmarks:
// each thread gets a single-level CSpace (guard = 64 - radix, so CPtr k is slot k at depth
// seL4_WordBits), a VSpace and an IPC buffer, as capDL would build them.
import type { CNodeObj, FrameObj, Kernel, KObject, PagingObj, SchedContextObj, TCB } from "../../src/kernel/index.js";
import type { ObjectTypeName } from "../../src/abi/constants.js";
import { DEFAULT_SC, IPC_BUFFER_VADDR } from "./system.js";

export { IPC_BUFFER_VADDR };

const RADIX = 4;

export interface CapSpec {
  slot: number;
  /** An object of the system, or `cnode_<thread>`, `tcb_<thread>`, `vspace_<thread>`, `ipc_<thread>`. */
  object: string;
  rights?: number;
  badge?: number;
}

export interface TestbedThread {
  name: string;
  priority?: number;
  caps?: CapSpec[];
  /** master: the fault-handler CPtr; MCS: the slot of `caps` whose cap is copied in as the fault EP. */
  faultEP?: number;
  /** MCS: budget/period in µs (default round robin 10 ms); `false` = passive (no SC). */
  sc?: { budgetUs: number; periodUs: number } | false;
}

/** Creates the objects and threads and resumes the threads in order; returns the TCBs by name. */
export function bootTestbed(
  kernel: Kernel,
  objects: Record<string, ObjectTypeName>,
  threads: TestbedThread[],
): Map<string, TCB> {
  const b = kernel.boot;
  const mcs = kernel.config === "mcs";
  const named = new Map<string, KObject>();
  for (const [name, type] of Object.entries(objects)) named.set(name, b.createObject(type, { name }));
  const capOf = (c: CapSpec) => {
    const obj = named.get(c.object);
    if (!obj) throw new Error(`unknown object ${c.object}`);
    return obj.kind === "CNode"
      ? b.cap(obj, { guardSize: 64 - RADIX })
      : b.cap(obj, { rights: c.rights ?? 0xf, badge: c.badge ?? 0 });
  };
  const tcbs = new Map<string, TCB>();
  for (const t of threads) {
    for (const [prefix, type] of [
      ["cnode", "CNode"],
      ["tcb", "TCB"],
      ["vspace", "PML4"],
      ["ipc", "Frame4K"],
    ] as const) {
      named.set(
        `${prefix}_${t.name}`,
        b.createObject(type, { name: `${prefix}_${t.name}`, ...(type === "CNode" ? { sizeBits: RADIX } : {}) }),
      );
    }
    tcbs.set(t.name, named.get(`tcb_${t.name}`) as TCB);
  }
  for (const t of threads) {
    const cnode = named.get(`cnode_${t.name}`) as CNodeObj;
    const vspace = named.get(`vspace_${t.name}`) as PagingObj;
    const ipc = named.get(`ipc_${t.name}`) as FrameObj;
    b.mapFrame(vspace, ipc, IPC_BUFFER_VADDR, 3);
    for (const c of t.caps ?? []) b.insertCap(cnode, c.slot, capOf(c));
    let sc: SchedContextObj | undefined;
    if (mcs && t.sc !== false) {
      sc = b.createObject("SchedContext", { name: `sc_${t.name}`, sizeBits: 8 }) as SchedContextObj;
      b.configureSchedContext(sc, t.sc ?? DEFAULT_SC);
    }
    const faultCap = t.caps?.find((c) => c.slot === t.faultEP);
    const faultEP = t.faultEP === undefined ? undefined : mcs ? capOf(faultCap!) : BigInt(t.faultEP);
    b.configureThread(tcbs.get(t.name)!, {
      cspace: b.cap(cnode, { guardSize: 64 - RADIX }),
      vspace: b.cap(vspace),
      ipcBuffer: { frame: ipc, vaddr: IPC_BUFFER_VADDR },
      priority: t.priority ?? 254,
      mcp: t.priority ?? 254,
      ...(faultEP !== undefined ? { faultEP } : {}),
      ...(sc ? { sc } : {}),
    });
  }
  for (const t of threads) b.resume(tcbs.get(t.name)!);
  return tcbs;
}
