// The capDL loader's job: create every object of a system plan in a fresh kernel, fill the
// CSpaces, configure and map each thread, and resume the threads in name order.
import type {
  BootInterface, Cap, CNodeObj, FrameObj, KObject, PagingObj, SchedContextObj, TCB,
} from "../kernel/index.js";
import { DEFAULT_SC_BUDGET_US, IPC_BUFFER_VADDR, WORD_BITS, type PlanThread, type SystemPlan } from "./plan.js";

export interface BootedThread {
  plan: PlanThread;
  tcb: TCB;
}

const READ_WRITE = 3;

type KindOf<K extends KObject["kind"]> = Extract<KObject, { kind: K }>;

export function bootSystem(boot: BootInterface, plan: SystemPlan): BootedThread[] {
  const objects = new Map<string, KObject>();
  for (const o of plan.objects) {
    objects.set(o.name, boot.createObject(o.type, { name: o.name, ...(o.sizeBits !== undefined ? { sizeBits: o.sizeBits } : {}) }));
  }
  function get<K extends KObject["kind"]>(name: string, ...kinds: K[]): KindOf<K> {
    const o = objects.get(name);
    if (o === undefined || !(kinds as string[]).includes(o.kind)) {
      throw new Error(`loader: "${name}" is ${o ? `a ${o.kind}` : "missing"}, expected ${kinds.join(" or ")}`);
    }
    return o as KindOf<K>;
  }
  const radix = new Map(plan.threads.map((t) => [t.cnode, t.radix]));
  // A CNode cap's guard makes guard + radix = 64, so every CPtr resolves at depth seL4_WordBits.
  const capTo = (name: string, rights: number, badge: bigint): Cap => {
    const r = radix.get(name);
    return boot.cap(get(name, ...ANY_KIND), {
      rights,
      ...(badge !== 0n ? { badge } : {}),
      ...(r !== undefined ? { guard: 0n, guardSize: WORD_BITS - r } : {}),
    });
  };

  const booted: BootedThread[] = [];
  for (const t of plan.threads) {
    const cnode: CNodeObj = get(t.cnode, "CNode");
    let faultCap: Cap | undefined;
    let faultSlot: number | undefined;
    for (const c of t.caps) {
      if (c.object === null) continue;
      boot.insertCap(cnode, c.slot, capTo(c.object, c.rights, c.badge));
      if (c.symbol !== null && c.symbol === t.faultEndpoint) {
        faultCap = capTo(c.object, c.rights, c.badge);
        faultSlot = c.slot;
      }
    }
    const vspace: PagingObj = get(t.vspace, "PML4");
    const ipcBuffer: FrameObj = get(t.ipcBuffer, "Frame4K");
    boot.mapFrame(vspace, ipcBuffer, IPC_BUFFER_VADDR, READ_WRITE);
    for (const m of t.mappings) boot.mapFrame(vspace, get(m.frame, "Frame4K", "LargePage", "HugePage"), m.vaddr, m.rights);
    const sc: SchedContextObj | undefined = t.sc === null ? undefined : get(t.sc, "SchedContext");
    if (sc) boot.configureSchedContext(sc, { budgetUs: DEFAULT_SC_BUDGET_US, periodUs: DEFAULT_SC_BUDGET_US });
    // Master keeps a CPtr into the thread's own CSpace; MCS keeps the cap itself.
    const faultEP = plan.config === "mcs" ? faultCap : faultSlot !== undefined ? BigInt(faultSlot) : undefined;
    const tcb: TCB = get(t.tcb, "TCB");
    boot.configureThread(tcb, {
      cspace: capTo(t.cnode, 0, 0n),
      vspace: capTo(t.vspace, 0, 0n),
      ipcBuffer: { frame: ipcBuffer, vaddr: IPC_BUFFER_VADDR },
      priority: t.priority,
      mcp: t.mcp,
      ...(faultEP !== undefined ? { faultEP } : {}),
      ...(sc ? { sc } : {}),
    });
    booted.push({ plan: t, tcb });
  }
  for (const b of booted) boot.resume(b.tcb);
  return booted;
}

const ANY_KIND: KObject["kind"][] = [
  "CNode", "Endpoint", "Notification", "Untyped", "Reply", "SchedContext", "Frame4K", "LargePage", "HugePage",
  "PML4", "PDPT", "PageDirectory", "PageTable", "SchedControl", "ASIDPool", "IRQControl", "Domain", "TCB",
];
