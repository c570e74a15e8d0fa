// The capDL loader's job: create every object of a system plan in a fresh kernel, fill the
// CSpaces, configure and map each thread, and resume the threads in name order.
import type { ObjectTypeName } from "../kernel/api/constants.js";
import { DEFAULT_SC_BUDGET_US, IPC_BUFFER_VADDR, WORD_BITS, type PlanThread, type SystemPlan } from "./plan.js";

/** The slice of `kernel.boot` (docs/architecture.md) that the loader uses. */
export interface BootApi<O, C> {
  createObject(type: ObjectTypeName, opts: { name: string; sizeBits?: number }): O;
  cap(obj: O, opts: { rights?: number; badge?: bigint; guard?: bigint; guardSize?: number }): C;
  insertCap(cnode: O, slot: number, cap: C): void;
  configureThread(tcb: O, opts: {
    cspace: C; vspace?: C; ipcBuffer?: { frame: O; vaddr: bigint };
    priority: number; mcp: number; faultEP?: bigint | C; sc?: O;
  }): void;
  configureSchedContext(sc: O, opts: { budgetUs: number; periodUs: number; badge?: bigint; extraRefills?: number }): void;
  mapFrame(vspace: O, frame: O, vaddr: bigint, rights: number): void;
  resume(tcb: O): void;
}

export interface BootedThread<O> {
  plan: PlanThread;
  tcb: O;
}

const READ_WRITE = 3;

export function bootSystem<O, C>(boot: BootApi<O, C>, plan: SystemPlan): BootedThread<O>[] {
  const objects = new Map<string, O>();
  const radix = new Map(plan.threads.map((t) => [t.cnode, t.radix]));
  for (const o of plan.objects) {
    objects.set(o.name, boot.createObject(o.type, { name: o.name, ...(o.sizeBits !== undefined ? { sizeBits: o.sizeBits } : {}) }));
  }
  const get = (name: string): O => {
    const o = objects.get(name);
    if (o === undefined) throw new Error(`loader: no object "${name}" in the plan`);
    return o;
  };
  const typeOf = new Map(plan.objects.map((o) => [o.name, o.type]));
  // A CNode cap's guard makes guard + radix = 64, so every CPtr resolves at depth seL4_WordBits.
  const capTo = (name: string, rights: number, badge: bigint): C => {
    const cnodeRadix = typeOf.get(name) === "CNode" ? radix.get(name) : undefined;
    return boot.cap(get(name), {
      rights,
      ...(badge !== 0n ? { badge } : {}),
      ...(cnodeRadix !== undefined ? { guard: 0n, guardSize: WORD_BITS - cnodeRadix } : {}),
    });
  };

  const booted: BootedThread<O>[] = [];
  for (const t of plan.threads) {
    const cnode = get(t.cnode);
    const fault: { cap?: C; slot?: number } = {};
    for (const c of t.caps) {
      if (c.object === null) continue;
      const cap = capTo(c.object, c.rights, c.badge);
      boot.insertCap(cnode, c.slot, cap);
      if (c.symbol !== null && c.symbol === t.faultEndpoint) {
        fault.cap = capTo(c.object, c.rights, c.badge);
        fault.slot = c.slot;
      }
    }
    const vspace = get(t.vspace);
    boot.mapFrame(vspace, get(t.ipcBuffer), IPC_BUFFER_VADDR, READ_WRITE);
    for (const m of t.mappings) boot.mapFrame(vspace, get(m.frame), m.vaddr, m.rights);
    const sc = t.sc === null ? undefined : get(t.sc);
    if (sc !== undefined) {
      boot.configureSchedContext(sc, { budgetUs: DEFAULT_SC_BUDGET_US, periodUs: DEFAULT_SC_BUDGET_US });
    }
    // Master keeps a CPtr into the thread's own CSpace; MCS keeps the cap itself.
    const faultEP = plan.config === "mcs" ? fault.cap : fault.slot !== undefined ? BigInt(fault.slot) : undefined;
    boot.configureThread(get(t.tcb), {
      cspace: capTo(t.cnode, 0, 0n),
      vspace: capTo(t.vspace, 0, 0n),
      ipcBuffer: { frame: get(t.ipcBuffer), vaddr: IPC_BUFFER_VADDR },
      priority: t.priority,
      mcp: t.mcp,
      ...(faultEP !== undefined ? { faultEP } : {}),
      ...(sc !== undefined ? { sc } : {}),
    });
    booted.push({ plan: t, tcb: get(t.tcb) });
  }
  for (const b of booted) boot.resume(b.tcb);
  return booted;
}
