// MCS reply objects and scheduling-context donation (src/object/reply.c,
// src/object/schedcontext.c schedContext_donate, notification SC lending).
import type { KernelState } from "../model/state.js";
import { rescheduleRequired, setThreadState, tcbSchedDequeue } from "../kernel/scheduler.js";
import { releaseRemove, schedContextResume } from "../kernel/mcstime.js";
import { ThreadState, type NotificationObj, type ReplyObj, type SchedContextObj, type TCB } from "./structures.js";

/** Move `sc` to `to`; the thread that held it loses it (and stops being schedulable). */
export function schedContextDonate(ks: KernelState, sc: SchedContextObj, to: TCB): void {
  const from = sc.tcb;
  if (from !== null) {
    tcbSchedDequeue(ks, from);
    releaseRemove(ks, from);
    from.sc = null;
    const action = ks.schedulerAction;
    if (from === ks.curThread || (action.kind === "SwitchToThread" && action.target === from)) rescheduleRequired(ks);
  }
  sc.tcb = to;
  to.sc = sc;
}

/** reply_push: the caller blocks on `reply`; its SC follows the call to a passive callee. */
export function replyPush(ks: KernelState, caller: TCB, callee: TCB, reply: ReplyObj, canDonate: boolean): void {
  const scDonated = caller.sc;
  replyLink(reply, caller);
  setThreadState(ks, caller, ThreadState.BlockedOnReply);
  if (scDonated !== null && callee.sc === null && canDonate) {
    callStackPush(reply, scDonated);
    schedContextDonate(ks, scDonated, callee);
  }
}

/** The reply becomes the head of the SC's call stack (the SC is about to be lent through it). */
export function callStackPush(reply: ReplyObj, sc: SchedContextObj): void {
  const oldCaller = sc.reply;
  reply.prev = oldCaller;
  if (oldCaller !== null) (oldCaller as ReplyObj).next = reply;
  reply.next = sc;
  sc.reply = reply;
}

/** The head reply leaves the SC's call stack; the reply below it (if any) becomes the head. */
export function callStackPop(reply: ReplyObj, sc: SchedContextObj): void {
  const prev = reply.prev as ReplyObj | null;
  sc.reply = prev;
  if (prev !== null) prev.next = sc;
  reply.prev = reply.next = null;
}

/** reply_pop: the head of an SC's call stack is replied to; the SC returns to the caller. */
function replyPop(ks: KernelState, reply: ReplyObj, tcb: TCB): void {
  const sc = reply.next as SchedContextObj;
  callStackPop(reply, sc);
  // Only a caller without an SC gets it back: one bound to another SC meanwhile keeps that one.
  if (tcb.sc === null) schedContextDonate(ks, sc, tcb);
  replyUnlink(reply, tcb);
}

/** reply_remove: reply to `tcb` through `reply` (doReplyTransfer on MCS). */
export function replyRemove(ks: KernelState, reply: ReplyObj, tcb: TCB): void {
  const next = reply.next,
    prev = reply.prev;
  if (next !== null && next.kind === "SchedContext") {
    replyPop(ks, reply, tcb);
    return;
  }
  // Not the head of a donation stack: the chain is broken on both sides.
  if (next !== null) next.prev = null;
  if (prev !== null && prev.kind === "Reply") prev.next = null;
  reply.prev = reply.next = null;
  replyUnlink(reply, tcb);
}

/** reply_remove_tcb: a caller blocked on reply is cancelled; the SC stays where it is. */
export function replyRemoveTCB(ks: KernelState, tcb: TCB): void {
  void ks;
  const reply = tcb.replyObject;
  if (reply === null) return;
  const prev = reply.prev,
    next = reply.next;
  if (next !== null) {
    if (next.kind === "SchedContext") next.reply = null;
    else next.prev = null;
  }
  if (prev !== null && prev.kind === "Reply") prev.next = null;
  reply.prev = reply.next = null;
  replyUnlink(reply, tcb);
}

/** The thread waits with this reply object (to receive, or for the reply through it): linked both ways. */
export function replyLink(reply: ReplyObj, tcb: TCB): void {
  reply.replyTCB = tcb;
  tcb.replyObject = reply;
}

/** reply_unlink: a receiver stops waiting with this reply object. */
export function replyUnlink(reply: ReplyObj, tcb: TCB): void {
  reply.replyTCB = null;
  tcb.replyObject = null;
}

/** A passive thread woken through a notification borrows the notification's SC. */
export function maybeDonateSchedContext(ks: KernelState, tcb: TCB, ntfn: NotificationObj): void {
  if (tcb.sc === null && ntfn.sc !== null && ntfn.sc.tcb === null) {
    schedContextDonate(ks, ntfn.sc, tcb);
    schedContextResume(ks, ntfn.sc);
  }
}

/** ...and gives it back when it blocks on that notification again. */
export function maybeReturnSchedContext(ks: KernelState, ntfn: NotificationObj, tcb: TCB): void {
  const sc = tcb.sc;
  if (sc !== null && sc === ntfn.sc) {
    tcb.sc = null;
    sc.tcb = null;
    if (tcb === ks.curThread) rescheduleRequired(ks);
  }
}
