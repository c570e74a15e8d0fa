// Endpoint IPC (src/object/endpoint.c): sendIPC, receiveIPC and the cancellations.
// master queues are FIFO; MCS queues are ordered by priority (FIFO among equals).
import type { Word } from "../api/types.js";
import { badgeRegister } from "../../abi/registers.js";
import type { KernelState } from "../model/state.js";
import { possibleSwitchTo, rescheduleRequired, setThreadState, tcbSchedEnqueue } from "../kernel/scheduler.js";
import { doIPCTransfer, setupCallerCap } from "../kernel/transfer.js";
import { cancelSignal } from "./notification.js";
import { maybeReturnSchedContext, replyPush, replyRemoveTCB, replyUnlink, schedContextDonate } from "./reply.js";
import { completeSignal } from "./notification.js";
import { sporadicUnblockCheck } from "../kernel/mcstime.js";
import {
  ThreadState,
  type EndpointObj,
  type NotificationObj,
  type ReplyObj,
  type TCB,
  type ThreadQueue,
  TCB_REPLY_MASTER,
} from "./structures.js";
import { cteDelete } from "./cdt.js";
import { userError } from "../kernel/debug.js";

export function queueAppend(ks: KernelState, q: ThreadQueue, t: TCB): void {
  // tcbEPAppend on MCS: insert before the first thread of lower priority. The queue is ordered
  // by priority, so a thread whose priority the tail's reaches goes last without a scan (the
  // common case: a queue of equals stays O(1) however long it is).
  if (ks.mcs && q.tail !== null && q.tail.priority < t.priority) {
    let before = q.head;
    while (before !== null && before.priority >= t.priority) before = before.epNext;
    if (before !== null) {
      t.epNext = before;
      t.epPrev = before.epPrev;
      if (before.epPrev) before.epPrev.epNext = t;
      else q.head = t;
      before.epPrev = t;
      return;
    }
  }
  t.epNext = null;
  t.epPrev = q.tail;
  if (q.tail) q.tail.epNext = t;
  else q.head = t;
  q.tail = t;
}

export function queueRemove(q: ThreadQueue, t: TCB): void {
  if (t.epPrev) t.epPrev.epNext = t.epNext;
  else q.head = t.epNext;
  if (t.epNext) t.epNext.epPrev = t.epPrev;
  else q.tail = t.epPrev;
  t.epPrev = t.epNext = null;
}

/** Re-sort a queued thread after a priority change (reorderEP / reorderNTFN on MCS). */
export function reorderQueued(ks: KernelState, t: TCB): void {
  const obj = t.blockingObject;
  if (!ks.mcs || obj === null) return;
  queueRemove(obj.queue, t);
  queueAppend(ks, obj.queue, t);
}

export interface SendArgs {
  blocking: boolean;
  doCall: boolean;
  badge: Word;
  canGrant: boolean;
  canGrantReply: boolean;
  canDonate: boolean;
}

export function sendIPC(ks: KernelState, a: SendArgs, thread: TCB, ep: EndpointObj): void {
  if (ep.state !== "Recv") {
    if (!a.blocking) return; // NBSend with nobody waiting: dropped without notice
    thread.blockingObject = ep;
    thread.blockingBadge = a.badge;
    thread.blockingCanGrant = a.canGrant;
    thread.blockingCanGrantReply = a.canGrantReply;
    thread.blockingIsCall = a.doCall;
    setThreadState(ks, thread, ThreadState.BlockedOnSend);
    queueAppend(ks, ep.queue, thread);
    ep.state = "Send";
    return;
  }
  const dest = ep.queue.head!;
  queueRemove(ep.queue, dest);
  if (ep.queue.head === null) ep.state = "Idle";
  doIPCTransfer(ks, thread, ep, a.badge, a.canGrant, dest);
  dest.blockingObject = null;
  if (ks.mcs) {
    const reply = dest.replyObject;
    if (reply !== null) replyUnlink(reply, dest);
    if (a.doCall || thread.fault !== null) {
      if (reply !== null && (a.canGrant || a.canGrantReply)) replyPush(ks, thread, dest, reply, a.canDonate);
      else setThreadState(ks, thread, ThreadState.Inactive);
    } else if (a.canDonate && dest.sc === null && thread.sc !== null) {
      schedContextDonate(ks, thread.sc, dest);
    }
    setThreadState(ks, dest, ThreadState.Running);
    sporadicUnblockCheck(ks, dest.sc);
    possibleSwitchTo(ks, dest);
    return;
  }
  // master: the receiver's Grant bit (recorded when it blocked) becomes the reply cap's Grant.
  const replyCanGrant = dest.blockingCanGrant;
  setThreadState(ks, dest, ThreadState.Running);
  possibleSwitchTo(ks, dest);
  if (a.doCall) {
    if (a.canGrant || a.canGrantReply) setupCallerCap(ks, thread, dest, replyCanGrant);
    else setThreadState(ks, thread, ThreadState.Inactive);
  }
}

export function receiveIPC(
  ks: KernelState,
  thread: TCB,
  ep: EndpointObj,
  receiverCanGrant: boolean,
  isBlocking: boolean,
  reply: ReplyObj | null,
): void {
  if (ks.mcs && reply !== null && reply.replyTCB !== null && reply.replyTCB !== thread) {
    userError(ks, "receiveIPC", "Reply object already has unexecuted reply!");
    cancelIPC(ks, reply.replyTCB);
  }
  const ntfn = thread.boundNotification;
  if (ntfn !== null && ntfn.state === "Active") {
    completeSignal(ks, ntfn, thread);
    return;
  }
  // MCS: a passive server running on its notification's SC gives it back before it waits here.
  if (ks.mcs && ntfn !== null && isBlocking) maybeReturnSchedContext(ks, ntfn, thread);
  if (ep.state !== "Send") {
    if (!isBlocking) {
      thread.regs[badgeRegister] = 0n; // doNBRecvFailedTransfer: the info register is left stale
      return;
    }
    thread.blockingObject = ep;
    if (ks.mcs) thread.replyObject = reply;
    else thread.blockingCanGrant = receiverCanGrant;
    setThreadState(ks, thread, ThreadState.BlockedOnReceive);
    if (ks.mcs && reply !== null) reply.replyTCB = thread;
    queueAppend(ks, ep.queue, thread);
    ep.state = "Recv";
    return;
  }
  const sender = ep.queue.head!;
  queueRemove(ep.queue, sender);
  if (ep.queue.head === null) ep.state = "Idle";
  const canGrant = sender.blockingCanGrant;
  const canGrantReply = sender.blockingCanGrantReply;
  doIPCTransfer(ks, sender, ep, sender.blockingBadge, canGrant, thread);
  const doCall = sender.blockingIsCall;
  sender.blockingObject = null;
  if (ks.mcs) {
    sporadicUnblockCheck(ks, sender.sc);
    if (doCall || sender.fault !== null) {
      if ((canGrant || canGrantReply) && reply !== null) {
        // A timeout fault never donates the faulting thread's SC to its handler.
        const canDonate = sender.sc !== null && sender.fault?.type !== "Timeout";
        replyPush(ks, sender, thread, reply, canDonate);
      } else {
        setThreadState(ks, sender, ThreadState.Inactive);
      }
    } else {
      setThreadState(ks, sender, ThreadState.Running);
      possibleSwitchTo(ks, sender);
    }
    return;
  }
  if (doCall) {
    if (canGrant || canGrantReply) setupCallerCap(ks, sender, thread, receiverCanGrant);
    else setThreadState(ks, sender, ThreadState.Inactive);
  } else {
    setThreadState(ks, sender, ThreadState.Running);
    possibleSwitchTo(ks, sender);
  }
}

/** cancelIPC: take a blocked thread out of whatever IPC it waits in (it becomes Inactive). */
export function cancelIPC(ks: KernelState, t: TCB): void {
  if (ks.mcs) t.fault = null;
  switch (t.state) {
    case ThreadState.BlockedOnSend:
    case ThreadState.BlockedOnReceive: {
      const ep = t.blockingObject as EndpointObj;
      queueRemove(ep.queue, t);
      if (ep.queue.head === null) ep.state = "Idle";
      if (ks.mcs && t.replyObject !== null && t.state === ThreadState.BlockedOnReceive) replyUnlink(t.replyObject, t);
      t.blockingObject = null;
      setThreadState(ks, t, ThreadState.Inactive);
      return;
    }
    case ThreadState.BlockedOnNotification:
      cancelSignal(ks, t, t.blockingObject as NotificationObj);
      return;
    case ThreadState.BlockedOnReply:
      if (ks.mcs) {
        replyRemoveTCB(ks, t);
      } else {
        t.fault = null;
        // The reply cap in some receiver's Caller slot is the only child of our reply master.
        const master = t.slots[TCB_REPLY_MASTER]!;
        for (const child of [...master.children]) cteDelete(ks, child);
      }
      setThreadState(ks, t, ThreadState.Inactive);
      return;
    default:
      return;
  }
}

/** Restart a thread whose IPC was cancelled wholesale (MCS: only when it carries no fault). */
function restartCancelled(ks: KernelState, t: TCB): void {
  t.blockingObject = null;
  if (!ks.mcs) {
    setThreadState(ks, t, ThreadState.Restart);
    tcbSchedEnqueue(ks, t);
  } else if (t.fault === null) {
    setThreadState(ks, t, ThreadState.Restart);
    sporadicUnblockCheck(ks, t.sc);
    possibleSwitchTo(ks, t);
  } else {
    setThreadState(ks, t, ThreadState.Inactive);
  }
}

/** cancelAllIPC: the endpoint is going away; every waiter re-executes its syscall. */
export function cancelAllIPC(ks: KernelState, ep: EndpointObj): void {
  if (ep.state === "Idle") return;
  let t = ep.queue.head;
  ep.queue.head = ep.queue.tail = null;
  ep.state = "Idle";
  while (t !== null) {
    const next = t.epNext;
    t.epPrev = t.epNext = null;
    if (ks.mcs && t.replyObject !== null && t.state === ThreadState.BlockedOnReceive) replyUnlink(t.replyObject, t);
    restartCancelled(ks, t);
    t = next;
  }
  rescheduleRequired(ks);
}

/** cancelBadgedSends: senders queued with exactly this badge re-execute their send. */
export function cancelBadgedSends(ks: KernelState, ep: EndpointObj, badge: Word): void {
  if (ep.state !== "Send") return;
  let t = ep.queue.head;
  while (t !== null) {
    const next = t.epNext;
    if (t.blockingBadge === badge) {
      queueRemove(ep.queue, t);
      restartCancelled(ks, t);
    }
    t = next;
  }
  if (ep.queue.head === null) ep.state = "Idle";
  rescheduleRequired(ks);
}
