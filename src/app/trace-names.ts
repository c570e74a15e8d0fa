// The names an exercise gives its caps, put on the kernel's events: a slot of a CNode is the
// symbol the thread's cspace module exports for it, a CPtr a thread uses is the symbol it names in
// that thread's CSpace, and a TCB's own slots are the fields seL4 gives them (tcbCTable, ...).
import type { KernelConfig } from "../abi/constants.js";
import { cptrOf, type SystemPlan } from "../loader/plan.js";
import type { TraceRecord } from "../machine/trace-lines.js";

/** A TCB's slots (include/object/structures.h tcb_cnode_index). */
const TCB_SLOT_NAMES: Record<KernelConfig, readonly string[]> = {
  master: ["tcbCTable", "tcbVTable", "tcbReply", "tcbCaller", "tcbBuffer"],
  mcs: ["tcbCTable", "tcbVTable", "tcbBuffer", "tcbFaultHandler", "tcbTimeoutHandler"],
};

/** Adds names to an event in place (and returns it). */
export function slotNamer(plan: SystemPlan): (e: TraceRecord) => TraceRecord {
  const bySlot = new Map<string, string>();
  for (const cnode of plan.cnodes)
    for (const cap of cnode.caps) if (cap.symbol) bySlot.set(`${cnode.name}[${cap.slot}]`, cap.symbol);
  const byCPtr = new Map<string, string>();
  const tcbs = new Set<string>();
  for (const t of plan.threads) {
    tcbs.add(t.tcb);
    for (const cap of t.caps) {
      if (cap.symbol) byCPtr.set(`${t.tcb} 0x${cptrOf(t, cap.slot).toString(16)}`, cap.symbol);
    }
  }
  const tcbSlots = TCB_SLOT_NAMES[plan.config];
  const nameSlot = (slot: { owner: string; index: number; name?: string }) => {
    const name = tcbs.has(slot.owner) ? tcbSlots[slot.index] : bySlot.get(`${slot.owner}[${slot.index}]`);
    if (name !== undefined) slot.name = name;
  };
  return (e) => {
    switch (e.kind) {
      case "syscall": {
        const name = byCPtr.get(`${e.thread} ${e.cptr}`);
        if (name !== undefined) e.capName = name;
        break;
      }
      case "cap":
        nameSlot(e.slot);
        break;
      case "transfer":
        for (const c of e.caps) if (c.slot) nameSlot(c.slot);
        break;
      case "fault":
        if (e.handler.resolved === "at-fault") {
          const name = byCPtr.get(`${e.thread} ${e.handler.cptr}`);
          if (name !== undefined) e.handler.cptrName = name;
        }
        break;
      default:
        break;
    }
    return e;
  };
}
