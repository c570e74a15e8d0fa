// finaliseCap: what happens to an object when its last capability is deleted
// (src/object/objecttype.c finaliseCap, src/object/tcb.c, src/object/schedcontext.c).
import type { KernelState } from "../model/state.js";
import { cancelAllIPC } from "./endpoint.js";
import { cancelAllSignals, unbindMaybeNotification, unbindNotification } from "./notification.js";
import { suspend } from "./tcbops.js";
import { cteDelete } from "./cdt.js";
import { schedContextUnbindAll } from "./schedcontext.js";
import { unmapFrameCap, unmapPagingObject } from "../arch/vspace.js";
import { releaseRemove } from "../kernel/mcstime.js";
import type { Cap, KObject } from "./structures.js";
import { replyRemoveTCB } from "./reply.js";
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
      suspend(ks, obj);
      if (ks.mcs) {
        releaseRemove(ks, obj);
        if (obj.sc !== null) {
          obj.sc.tcb = null;
          obj.sc = null;
        }
      }
      for (const slot of obj.slots) cteDelete(ks, slot);
      if (ks.curThread === obj) setThreadState(ks, obj, ThreadState.Inactive);
      return;
    case "CNode":
      for (const slot of obj.slots) cteDelete(ks, slot);
      return;
    case "Reply":
      if (obj.replyTCB !== null) {
        const t = obj.replyTCB;
        if (t.state === ThreadState.BlockedOnReply) {
          replyRemoveTCB(ks, t);
          setThreadState(ks, t, ThreadState.Inactive);
        } else {
          obj.replyTCB = null;
          t.replyObject = null;
        }
      }
      return;
    case "SchedContext":
      schedContextUnbindAll(ks, obj);
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
    default:
      return;
  }
}
