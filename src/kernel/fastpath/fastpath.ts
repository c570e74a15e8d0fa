// The IPC fastpath (src/fastpath/fastpath.c): fastpath_call and fastpath_reply_recv. An RPC's two
// kernel entries, seL4_Call to a server already waiting and seL4_ReplyRecv back to the caller, are
// done directly when nothing unusual is involved: a short message without caps, no fault, a
// partner that may run at once. Every check is made before anything changes, and a failed check
// returns false so that the slowpath (handleSyscall) handles the syscall as if the fastpath had
// not looked. A completed fastpath leaves exactly the state the slowpath would have left;
// test/kernel/fastpath.test.ts runs random systems both ways and compares their whole state after
// every Call and ReplyRecv.
//
// seL4's checks of hardware state (a valid VSpace root, ASIDs, domains, SMP affinity, single-step
// debugging) have nothing to check in the model. Unlike seL4, which defers the charge, the model
// charges MCS time at every entry before the fastpath runs (see mcstime.ts), so budget accounting
// is the same on both paths.
import { seL4_FastMessageRegisters } from "../../abi/constants.js";
import { syscallNumber } from "../../abi/syscall.js";
import { LookupFailureError } from "../api/failures.js";
import { wordFromMessageInfo, type MessageInfo, type Word } from "../api/types.js";
import { badgeRegister, capRegister, msgInfoRegister, replyRegister } from "../../abi/registers.js";
import { syscallNumberOf } from "../arch/registerset.js";
import { lookupSlotMemo } from "../kernel/cspace.js";
import { refillReady, refillSufficient } from "../kernel/mcstime.js";
import { copyMRs, decodeMessageInfo } from "../kernel/message.js";
import { isHighestPrio } from "../kernel/scheduler.js";
import { insertCallerCap } from "../kernel/transfer.js";
import type { KernelState } from "../model/state.js";
import { cteDelete } from "../object/cdt.js";
import { queueAppend, queueRemove } from "../object/endpoint.js";
import { canGrant, canGrantReply, canReceive, canSend } from "../object/objecttype.js";
import { callStackPop, callStackPush, replyLink, replyUnlink } from "../object/reply.js";
import {
  ThreadState,
  TCB_CALLER,
  type Cap,
  type CTE,
  type ReplyObj,
  type SchedContextObj,
  type TCB,
} from "../object/structures.js";

/** fastpath_mi_check passed: no extra caps and a message that fits in the message registers. */
function messageFits(tag: Readonly<MessageInfo>): boolean {
  return tag.extraCaps === 0 && tag.length <= seL4_FastMessageRegisters;
}

/** lookup_fp: the cap a CPtr names, or null where the slowpath would raise a lookup fault. */
function lookupFp(thread: TCB, cptr: Word): Cap | null {
  try {
    return lookupSlotMemo(thread, cptr).cap;
  } catch (e) {
    if (e instanceof LookupFailureError) return null;
    throw e;
  }
}

type EndpointCap = Extract<Cap, { type: "Endpoint" }>;

/**
 * The checks both fastpaths begin with: fastpath_mi_check, no fault pending on the caller, and the
 * cap in the syscall's cap register an endpoint cap with the right the syscall uses (send or
 * receive). Null sends the syscall to the slowpath.
 */
function endpointCapFp(cur: TCB, tag: Readonly<MessageInfo>, hasRight: (cap: Cap) => boolean): EndpointCap | null {
  if (!messageFits(tag) || cur.fault !== null) return null;
  const cap = lookupFp(cur, cur.regs[capRegister]!);
  return cap !== null && cap.type === "Endpoint" && hasRight(cap) ? cap : null;
}

/** fastpath_copy_mrs and fastpath_restore: the message, badge and info word the receiver wakes with. */
function deliverMessage(
  ks: KernelState,
  sender: TCB,
  receiver: TCB,
  infoWord: Word,
  tag: Readonly<MessageInfo>,
  badge: Word,
): void {
  copyMRs(ks, sender, null, receiver, null, tag.length);
  receiver.regs[msgInfoRegister] =
    tag.capsUnwrapped === 0 ? infoWord : wordFromMessageInfo({ ...tag, capsUnwrapped: 0 });
  receiver.regs[badgeRegister] = badge;
}

/**
 * The SC moves from the running thread to its partner, and nothing else: neither thread is in a
 * ready or release queue, and the scheduler action stays ResumeCurrentThread (schedContextDonate's
 * other steps have nothing to do here).
 */
function lendSchedContext(sc: SchedContextObj, from: TCB, to: TCB): void {
  from.sc = null;
  sc.tcb = to;
  to.sc = sc;
}

/** switchToThread_fp: the partner runs next. It was never in a ready queue, and the action stays ResumeCurrentThread. */
function switchToThreadFp(ks: KernelState, t: TCB): void {
  t.state = ThreadState.Running;
  ks.curThread = t;
  ks.fastpathEntries++;
}

/** fastpath_call: seL4_Call on an endpoint where a receiver waits. Returns false to take the slowpath. */
function fastpathCall(ks: KernelState): boolean {
  const cur = ks.curThread!;
  const infoWord = cur.regs[msgInfoRegister]!;
  const tag = decodeMessageInfo(infoWord);
  const epCap = endpointCapFp(cur, tag, canSend);
  if (epCap === null) return false;
  const ep = epCap.obj;
  if (ep.state !== "Recv") return false;
  const dest = ep.queue.head!;
  // Only the idle thread or lower priorities may be left in the ready queues.
  if (dest.priority < cur.priority && !isHighestPrio(ks, dest.priority)) return false;
  // The reply cap (master) or reply object link (MCS) needs Grant or GrantReply.
  if (!canGrant(epCap) && !canGrantReply(epCap)) return false;
  let reply: ReplyObj | null = null;
  if (ks.mcs) {
    // MCS: only a passive server waiting with a reply object; the caller's SC is lent to it.
    reply = dest.replyObject;
    if (dest.sc !== null || reply === null || cur.sc === null) return false;
  }

  // Point of no return: the IPC happens.
  queueRemove(ep.queue, dest);
  if (ep.queue.head === null) ep.state = "Idle";
  dest.blockingObject = null;
  cur.state = ThreadState.BlockedOnReply;
  if (reply !== null) {
    const sc = cur.sc!;
    replyUnlink(reply, dest);
    replyLink(reply, cur);
    callStackPush(reply, sc);
    lendSchedContext(sc, cur, dest);
  } else {
    insertCallerCap(cur, dest, dest.blockingCanGrant);
  }
  deliverMessage(ks, cur, dest, infoWord, tag, epCap.badge);
  switchToThreadFp(ks, dest);
  return true;
}

/**
 * fastpath_reply_recv: seL4_ReplyRecv answering a caller blocked on its reply (master: through
 * the reply cap in the Caller slot; MCS: through the reply object at the head of the current SC's
 * call stack), then waiting on an endpoint nobody is sending to. Returns false to take the slowpath.
 */
function fastpathReplyRecv(ks: KernelState): boolean {
  const cur = ks.curThread!;
  const infoWord = cur.regs[msgInfoRegister]!;
  const tag = decodeMessageInfo(infoWord);
  const epCap = endpointCapFp(cur, tag, canReceive);
  if (epCap === null) return false;
  let reply: ReplyObj | null = null;
  if (ks.mcs) {
    const replyCap = lookupFp(cur, cur.regs[replyRegister]!);
    if (replyCap === null || replyCap.type !== "ReplyObject") return false;
    reply = replyCap.obj;
  }
  // A pending signal on the bound notification would be received instead.
  const ntfn = cur.boundNotification;
  if (ntfn !== null && ntfn.state === "Active") return false;
  const ep = epCap.obj;
  if (ep.state === "Send") return false;

  let caller: TCB;
  let callerSlot: CTE | null = null;
  if (reply !== null) {
    // The reply must be the head of the call stack of the SC this thread runs on, so the SC goes back.
    const replyTCB = reply.replyTCB;
    if (replyTCB === null || cur.sc === null || reply.next !== cur.sc) return false;
    caller = replyTCB;
  } else {
    callerSlot = cur.slots[TCB_CALLER]!;
    const callerCap = callerSlot.cap;
    if (callerCap.type !== "Reply" || callerCap.master) return false;
    caller = callerCap.tcb;
  }
  // A faulted caller gets a fault reply (restart or not), which is the slowpath's business.
  if (caller.state !== ThreadState.BlockedOnReply || caller.fault !== null) return false;
  if (!isHighestPrio(ks, caller.priority)) return false;
  if (ks.mcs) {
    // The caller must be waiting for this SC back, and the SC must be able to run it now.
    const sc = cur.sc!;
    if (caller.sc !== null || !refillReady(ks, sc) || !refillSufficient(sc, 0)) return false;
  }

  // Point of no return: the reply, then the receive.
  if (reply !== null) {
    const sc = cur.sc!;
    callStackPop(reply, sc);
    replyUnlink(reply, caller);
    lendSchedContext(sc, cur, caller);
  } else {
    cteDelete(ks, callerSlot!);
  }
  deliverMessage(ks, cur, caller, infoWord, tag, 0n);

  cur.blockingObject = ep;
  if (reply !== null) {
    replyLink(reply, cur);
  } else {
    cur.blockingCanGrant = canGrant(epCap);
  }
  cur.state = ThreadState.BlockedOnReceive;
  queueAppend(ks, ep.queue, cur);
  ep.state = "Recv";
  switchToThreadFp(ks, caller);
  return true;
}

/** seL4_Call and seL4_ReplyRecv are numbers -1 and -2 in both configurations. */
const SYS_CALL = syscallNumber("master", "Call")!;
const SYS_REPLY_RECV = syscallNumber("master", "ReplyRecv")!;

/**
 * c_handle_syscall's choice: with the fastpath configured, Call and ReplyRecv try it first.
 * Returns true when the syscall was completed there; false sends it to handleSyscall.
 */
export function fastpath(ks: KernelState): boolean {
  if (!ks.fastpath) return false;
  const number = syscallNumberOf(ks, ks.curThread!);
  if (number === SYS_CALL) return fastpathCall(ks);
  if (number === SYS_REPLY_RECV) return fastpathReplyRecv(ks);
  return false;
}
