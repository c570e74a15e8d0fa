// Notifications (src/object/notification.c): signal, wait, poll, binding.
// A signal on an idle notification makes it pending even with badge 0; signals OR together.
import type { Word } from "../api/types.js";
import { badgeRegister } from "../../abi/registers.js";
import type { KernelState } from "../model/state.js";
import {
  isSchedulable,
  possibleSwitchTo,
  rescheduleRequired,
  setThreadState,
  tcbSchedEnqueue,
} from "../kernel/scheduler.js";
import { sporadicUnblockCheck } from "../kernel/mcstime.js";
import { cancelIPC, queueAppend, queueRemove } from "./endpoint.js";
import { maybeDonateSchedContext, maybeReturnSchedContext } from "./reply.js";
import { ThreadState, type NotificationObj, type TCB } from "./structures.js";

export function sendSignal(ks: KernelState, ntfn: NotificationObj, badge: Word): void {
  switch (ntfn.state) {
    case "Idle": {
      const tcb = ntfn.boundTCB;
      if (tcb !== null && tcb.state === ThreadState.BlockedOnReceive) {
        // The bound thread waits on an endpoint: the signal takes it out of that wait.
        cancelIPC(ks, tcb);
        wakeWithBadge(ks, tcb, ntfn, badge);
      } else {
        // No bound thread, or it is busy (e.g. BlockedOnReply inside a Call): pending, even with badge 0.
        ntfn.state = "Active";
        ntfn.word = badge;
      }
      return;
    }
    case "Waiting": {
      const dest = ntfn.queue.head!;
      queueRemove(ntfn.queue, dest);
      if (ntfn.queue.head === null) ntfn.state = "Idle";
      dest.blockingObject = null;
      wakeWithBadge(ks, dest, ntfn, badge);
      return;
    }
    case "Active":
      ntfn.word |= badge;
      return;
  }
}

/** A woken waiter gets only the badge register; its MRs and message info are left as they were. */
function wakeWithBadge(ks: KernelState, tcb: TCB, ntfn: NotificationObj, badge: Word): void {
  setThreadState(ks, tcb, ThreadState.Running);
  tcb.regs[badgeRegister] = badge;
  if (ks.mcs) {
    // MCS_DO_IF_SC: a passive waiter borrows the notification's SC; only a schedulable one may run.
    maybeDonateSchedContext(ks, tcb, ntfn);
    if (isSchedulable(ks, tcb)) possibleSwitchTo(ks, tcb);
    sporadicUnblockCheck(ks, tcb.sc);
  } else {
    possibleSwitchTo(ks, tcb);
  }
}

export function receiveSignal(ks: KernelState, thread: TCB, ntfn: NotificationObj, isBlocking: boolean): void {
  if (ntfn.state === "Active") {
    completeSignal(ks, ntfn, thread);
    return;
  }
  if (!isBlocking) {
    thread.regs[badgeRegister] = 0n; // doNBRecvFailedTransfer: the info register is left stale
    return;
  }
  thread.blockingObject = ntfn;
  setThreadState(ks, thread, ThreadState.BlockedOnNotification);
  queueAppend(ks, ntfn.queue, thread);
  ntfn.state = "Waiting";
  if (ks.mcs) maybeReturnSchedContext(ks, ntfn, thread);
}

/** completeSignal: the pending word is delivered as the badge and the notification goes idle. */
export function completeSignal(ks: KernelState, ntfn: NotificationObj, tcb: TCB): void {
  tcb.regs[badgeRegister] = ntfn.word;
  ntfn.state = "Idle";
  ntfn.word = 0n;
  if (ks.mcs) {
    maybeDonateSchedContext(ks, tcb, ntfn);
    if (tcb.sc !== null && tcb.sc === ntfn.sc) sporadicUnblockCheck(ks, tcb.sc);
  }
}

export function cancelSignal(ks: KernelState, t: TCB, ntfn: NotificationObj): void {
  queueRemove(ntfn.queue, t);
  if (ntfn.queue.head === null) ntfn.state = "Idle";
  t.blockingObject = null;
  setThreadState(ks, t, ThreadState.Inactive);
}

export function cancelAllSignals(ks: KernelState, ntfn: NotificationObj): void {
  if (ntfn.state !== "Waiting") return;
  let t = ntfn.queue.head;
  ntfn.queue.head = ntfn.queue.tail = null;
  ntfn.state = "Idle";
  while (t !== null) {
    const next = t.epNext;
    t.epPrev = t.epNext = null;
    t.blockingObject = null;
    setThreadState(ks, t, ThreadState.Restart);
    if (ks.mcs) {
      sporadicUnblockCheck(ks, t.sc);
      possibleSwitchTo(ks, t);
    } else {
      tcbSchedEnqueue(ks, t);
    }
    t = next;
  }
  rescheduleRequired(ks);
}

export function bindNotification(tcb: TCB, ntfn: NotificationObj): void {
  ntfn.boundTCB = tcb;
  tcb.boundNotification = ntfn;
}

export function unbindNotification(tcb: TCB): void {
  const ntfn = tcb.boundNotification;
  if (ntfn !== null) {
    ntfn.boundTCB = null;
    tcb.boundNotification = null;
  }
}

export function unbindMaybeNotification(ntfn: NotificationObj): void {
  if (ntfn.boundTCB !== null) unbindNotification(ntfn.boundTCB);
}
