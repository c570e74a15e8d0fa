// Notifications (src/object/notification.c): signal, wait, poll, binding.
// A signal on an idle notification makes it pending even with badge 0; signals OR together.
import type { Word } from "../api/types.js";
import { badgeRegister } from "../arch/registers.js";
import type { KernelState } from "../model/state.js";
import { isSchedulable, possibleSwitchTo, rescheduleRequired, setThreadState, tcbSchedEnqueue } from "../kernel/scheduler.js";
import { cancelIPC, queueAppend, queueRemove } from "./endpoint.js";
import { maybeDonateSchedContext, maybeReturnSchedContext } from "./reply.js";
import { ThreadState, type NotificationObj, type TCB } from "./structures.js";

export function sendSignal(ks: KernelState, ntfn: NotificationObj, badge: Word): void {
  switch (ntfn.state) {
    case "Idle": {
      const tcb = ntfn.boundTCB;
      if (tcb !== null && tcb.state === ThreadState.BlockedOnReceive) {
        cancelIPC(ks, tcb);
        setThreadState(ks, tcb, ThreadState.Running);
        tcb.regs[badgeRegister] = badge;
        if (ks.mcs) maybeDonateSchedContext(ks, tcb, ntfn);
        if (!ks.mcs || isSchedulable(ks, tcb)) possibleSwitchTo(ks, tcb);
      } else {
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
      setThreadState(ks, dest, ThreadState.Running);
      dest.regs[badgeRegister] = badge;
      if (ks.mcs) maybeDonateSchedContext(ks, dest, ntfn);
      possibleSwitchTo(ks, dest);
      return;
    }
    case "Active":
      ntfn.word |= badge;
      return;
  }
}

export function receiveSignal(ks: KernelState, thread: TCB, ntfn: NotificationObj, isBlocking: boolean): void {
  if (ntfn.state === "Active") {
    thread.regs[badgeRegister] = ntfn.word;
    ntfn.state = "Idle";
    ntfn.word = 0n;
    if (ks.mcs) maybeDonateSchedContext(ks, thread, ntfn);
    return;
  }
  if (!isBlocking) {
    thread.regs[badgeRegister] = 0n;
    return;
  }
  thread.blockingObject = ntfn;
  setThreadState(ks, thread, ThreadState.BlockedOnNotification);
  queueAppend(ks, ntfn.queue, thread);
  ntfn.state = "Waiting";
  if (ks.mcs) maybeReturnSchedContext(ks, ntfn, thread);
}

/** completeSignal: a bound thread's Recv consumes the pending signal instead of the endpoint. */
export function completeSignal(ks: KernelState, ntfn: NotificationObj, tcb: TCB): void {
  tcb.regs[badgeRegister] = ntfn.word;
  ntfn.state = "Idle";
  ntfn.word = 0n;
  if (ks.mcs) maybeDonateSchedContext(ks, tcb, ntfn);
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
    if (ks.mcs) possibleSwitchTo(ks, t);
    else tcbSchedEnqueue(ks, t);
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
