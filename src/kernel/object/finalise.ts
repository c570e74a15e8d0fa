// finaliseCap: what happens to an object when its last capability is deleted
// (src/object/objecttype.c finaliseCap, src/object/tcb.c, src/object/schedcontext.c).
import type { KernelState } from "../model/state.js";
import { cancelAllIPC, cancelIPC } from "./endpoint.js";
import { cancelAllSignals, unbindMaybeNotification, unbindNotification } from "./notification.js";
import { suspend } from "./tcbops.js";
import { cteDelete } from "./cdt.js";
import { schedContextCompleteYieldTo, schedContextUnbindAll, schedContextUnbindTCB } from "./schedcontext.js";
import { unmapFrameCap, unmapPagingObject } from "../arch/vspace.js";
import type { Cap, KObject } from "./structures.js";
import { replyRemove } from "./reply.js";
import { deletingIRQHandler } from "./interrupt.js";
import { ThreadState } from "./structures.js";
import { setThreadState } from "../kernel/scheduler.js";

/**
 * finaliseCap: what deleting `cap` does. On x86 every mapped frame cap removes its own mapping when
 * deleted, whether or not other caps to the frame remain; the rest happens only when `final` (the
 * last cap to the object went).
 */
export function finaliseCap(ks: KernelState, cap: Cap, obj: KObject, final: boolean): void {
  if (cap.type === "Frame") unmapFrameCap(ks, cap);
  if (final) finaliseObject(ks, obj, cap);
}

function finaliseObject(ks: KernelState, obj: KObject, lastCap: Cap): void {
  obj.live = false;
  switch (obj.kind) {
    case "Endpoint":
      cancelAllIPC(ks, obj);
      return;
    case "Notification":
      unbindMaybeNotification(obj);
      if (obj.sc !== null) {
        obj.sc.notification = null;
        obj.sc = null;
      }
      cancelAllSignals(ks, obj);
      return;
    case "TCB":
      unbindNotification(obj);
      if (ks.mcs && obj.sc !== null) {
        const sc = obj.sc;
        schedContextUnbindTCB(ks, sc);
        // A thread that yielded to this SC hears now how long it ran.
        if (sc.yieldFrom !== null) schedContextCompleteYieldTo(ks, sc.yieldFrom);
      }
      suspend(ks, obj);
      for (const slot of obj.slots) cteDelete(ks, slot);
      if (ks.curThread === obj) setThreadState(ks, obj, ThreadState.Inactive);
      return;
    case "CNode":
      for (const slot of obj.slots) cteDelete(ks, slot);
      return;
    case "Reply":
      if (obj.replyTCB !== null) {
        const t = obj.replyTCB;
        // A caller waiting for the reply stops (and gets back the SC it lent, if it lent it
        // through this reply); a receiver waiting with it stops receiving.
        if (t.state === ThreadState.BlockedOnReply) {
          replyRemove(ks, obj, t);
          setThreadState(ks, t, ThreadState.Inactive); // reply_unlink
        } else {
          cancelIPC(ks, t);
        }
      }
      return;
    case "SchedContext":
      schedContextUnbindAll(ks, obj);
      if (obj.yieldFrom !== null) schedContextCompleteYieldTo(ks, obj.yieldFrom);
      // No longer a valid SC (refill_max 0): nothing can be bound to it and run.
      obj.maxRefills = 0;
      obj.sporadic = false;
      return;
    case "Frame4K":
    case "LargePage":
    case "HugePage":
      if (lastCap.type === "Frame") unmapFrameCap(ks, lastCap);
      return;
    case "PML4":
    case "PDPT":
    case "PageDirectory":
    case "PageTable":
      unmapPagingObject(ks, obj);
      return;
    case "IRQ":
      // The last handler cap for the IRQ: its notification is unbound and the IRQ goes inactive (masked).
      deletingIRQHandler(ks, obj.irq);
      return;
    default:
      return;
  }
}
