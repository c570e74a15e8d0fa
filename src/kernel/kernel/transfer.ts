// Moving messages between threads (src/kernel/thread.c doIPCTransfer, doNormalTransfer,
// doFaultTransfer, doReplyTransfer; src/object/tcb.c lookupExtraCaps, setupCallerCap).
import { LookupFailureError, type Fault } from "../api/failures.js";
import { wordFromMessageInfo, type Word } from "../api/types.js";
import { seL4_FastMessageRegisters, seL4_MsgMaxLength } from "../../abi/constants.js";
import { badgeRegister, FaultIP, msgInfoRegister } from "../../abi/registers.js";
import type { KernelState } from "../model/state.js";
import { cteDelete, cteInsert } from "../object/cdt.js";
import { deriveCap } from "../object/objecttype.js";
import { replyRemove } from "../object/reply.js";
import {
  ThreadState,
  TCB_CALLER,
  TCB_REPLY_MASTER,
  type CTE,
  type EndpointObj,
  type ReplyObj,
  type TCB,
} from "../object/structures.js";
import { lookupCap, lookupSlot, lookupTargetSlot } from "./cspace.js";
import {
  decodeMessageInfo,
  getExtraCPtr,
  loadCapTransfer,
  lookupIPCBuffer,
  copyMRs,
  setExtraBadge,
  setMRs,
} from "./message.js";
import { possibleSwitchTo, setThreadState, isRunnable } from "./scheduler.js";
import { faultMessage, handleFaultReply } from "../api/faults.js";
import { msgFromSyscallError, errorNumber, SyscallErrorThrow, type SyscallError } from "../api/failures.js";
import { refillReady, refillSufficient, postpone, sporadicUnblockCheck } from "./mcstime.js";
import { handleTimeout, validTimeoutHandler } from "./faulthandler.js";
import { emit, faultName, hexWord, traceCap, traceSlot, tracing, type TraceEventBody } from "../api/trace.js";
import { getMR } from "./message.js";

const NO_EXTRA_CAPS: { slots: CTE[] } = Object.freeze({ slots: Object.freeze([]) as unknown as CTE[] });

/**
 * lookupExtraCaps: resolve the caps named in the sender's IPC buffer. A failure is returned as
 * the cap fault it would raise (Send/Call fault on it; a transfer silently drops the caps).
 */
export function lookupExtraCaps(
  ks: KernelState,
  thread: TCB,
  buf: number | null,
  extraCaps: number,
): { slots: CTE[] } | { fault: Fault } {
  if (buf === null || extraCaps === 0) return NO_EXTRA_CAPS;
  const slots: CTE[] = [];
  for (let i = 0; i < extraCaps; i++) {
    const cptr = getExtraCPtr(ks, buf, i);
    try {
      slots.push(lookupSlot(thread, cptr));
    } catch (e) {
      if (e instanceof LookupFailureError) {
        return { fault: { type: "CapFault", address: cptr, inReceivePhase: false, lookupFailure: e.failure } };
      }
      throw e;
    }
  }
  return { slots };
}

export function doIPCTransfer(
  ks: KernelState,
  sender: TCB,
  ep: EndpointObj | null,
  badge: Word,
  grant: boolean,
  receiver: TCB,
): void {
  if (sender.fault === null) {
    doNormalTransfer(ks, sender, ep, badge, grant, receiver);
  } else {
    doFaultTransfer(ks, badge, sender, receiver, lookupIPCBuffer(ks, true, receiver));
  }
  if (tracing(ks)) traceTransfer(ks, sender, receiver, ep);
}

type TransferredCaps = Extract<TraceEventBody, { kind: "transfer" }>["caps"];

/** Caps the transfer being made moved (filled only while tracing, emptied by its event). */
let transferredCaps: TransferredCaps = [];

/** The transfer event: what the receiver now holds (its message info, badge and MRs). */
function traceTransfer(ks: KernelState, sender: TCB, receiver: TCB, ep: EndpointObj | null): void {
  const info = decodeMessageInfo(receiver.regs[msgInfoRegister]!);
  const recvBuf = info.length > seL4_FastMessageRegisters ? lookupIPCBuffer(ks, true, receiver) : null;
  const mrs: string[] = [];
  for (let i = 0; i < info.length; i++) mrs.push(hexWord(getMR(ks, receiver, recvBuf, i)));
  const caps = transferredCaps;
  transferredCaps = [];
  emit(
    ks,
    {
      kind: "transfer",
      to: receiver.name,
      peerIp: Number(receiver.regs[FaultIP]!),
      endpoint: ep === null ? null : ep.name,
      badge: hexWord(receiver.regs[badgeRegister]!),
      label: hexWord(info.label),
      length: info.length,
      mrs,
      caps,
      ...(sender.fault !== null ? { fault: faultName(sender.fault) } : {}),
      ...(ks.mcs && ep !== null && receiver.replyObject !== null ? { replyObject: receiver.replyObject.name } : {}),
    },
    sender,
  );
}

function doNormalTransfer(
  ks: KernelState,
  sender: TCB,
  ep: EndpointObj | null,
  badge: Word,
  canGrant: boolean,
  receiver: TCB,
): void {
  const infoWord = sender.regs[msgInfoRegister]!;
  const tag = decodeMessageInfo(infoWord);
  const withCaps = tag.extraCaps > 0 && canGrant;
  // The IPC buffers matter only for MR4 and up, and for caps.
  const buffers = tag.length > seL4_FastMessageRegisters || withCaps;
  const sendBuf = buffers ? lookupIPCBuffer(ks, false, sender) : null;
  const recvBuf = buffers ? lookupIPCBuffer(ks, true, receiver) : null;
  const transferred = copyMRs(ks, sender, sendBuf, receiver, recvBuf, tag.length);
  if (!withCaps) {
    // No caps travel: the delivered info is the sender's label and the length actually copied,
    // which is the sender's own word when that has no cap fields and an unclamped, fully copied length.
    const unchanged =
      tag.extraCaps === 0 && tag.capsUnwrapped === 0 && transferred === tag.length && transferred < seL4_MsgMaxLength;
    receiver.regs[msgInfoRegister] = unchanged
      ? infoWord
      : wordFromMessageInfo({ label: tag.label, capsUnwrapped: 0, extraCaps: 0, length: transferred });
  } else {
    const found = lookupExtraCaps(ks, sender, sendBuf, tag.extraCaps);
    const out = transferCaps(ks, "slots" in found ? found.slots : [], ep, receiver, recvBuf);
    receiver.regs[msgInfoRegister] = wordFromMessageInfo({
      label: tag.label,
      capsUnwrapped: out.capsUnwrapped,
      extraCaps: out.extraCaps,
      length: transferred,
    });
  }
  receiver.regs[badgeRegister] = badge;
}

/** transferCaps: unwrap caps to the same endpoint; transfer at most one other into the receive slot. */
function transferCaps(
  ks: KernelState,
  caps: CTE[],
  ep: EndpointObj | null,
  receiver: TCB,
  recvBuf: number | null,
): { extraCaps: number; capsUnwrapped: number } {
  let capsUnwrapped = 0;
  if (caps.length === 0 || recvBuf === null) return { extraCaps: 0, capsUnwrapped: 0 };
  let destSlot = getReceiveSlot(ks, receiver, recvBuf);
  const traced = tracing(ks);
  let i = 0;
  for (; i < caps.length; i++) {
    const slot = caps[i]!;
    const cap = slot.cap;
    if (cap.type === "Endpoint" && ep !== null && cap.obj === ep) {
      setExtraBadge(ks, recvBuf, cap.badge, i);
      capsUnwrapped |= 1 << i;
      if (traced) transferredCaps.push({ cap: traceCap(cap), slot: null, unwrapped: true });
      continue;
    }
    if (destSlot === null) break;
    let derived;
    try {
      derived = deriveCap(slot, cap);
    } catch (e) {
      if (e instanceof SyscallErrorThrow) break;
      throw e;
    }
    if (derived.type === "Null") break;
    cteInsert(derived, slot, destSlot);
    if (traced) transferredCaps.push({ cap: traceCap(derived), slot: traceSlot(destSlot), unwrapped: false });
    destSlot = null;
  }
  return { extraCaps: i, capsUnwrapped };
}

function getReceiveSlot(ks: KernelState, receiver: TCB, recvBuf: number): CTE | null {
  const ct = loadCapTransfer(ks, recvBuf);
  try {
    const cnode = lookupCap(receiver, ct.cnode);
    const slot = lookupTargetSlot(cnode, ct.index, ct.depth);
    return slot.cap.type === "Null" ? slot : null;
  } catch (e) {
    if (e instanceof LookupFailureError || e instanceof SyscallErrorThrow) return null;
    throw e;
  }
}

function doFaultTransfer(ks: KernelState, badge: Word, sender: TCB, receiver: TCB, recvBuf: number | null): void {
  const { label, words } = faultMessage(ks, sender, sender.fault!);
  const length = setMRs(ks, receiver, recvBuf, 0, words);
  receiver.regs[msgInfoRegister] = wordFromMessageInfo({
    label: BigInt(label),
    capsUnwrapped: 0,
    extraCaps: 0,
    length,
  });
  receiver.regs[badgeRegister] = badge;
}

/** master: the caller blocks on reply and the receiver gets a one-shot reply cap in its Caller slot. */
export function setupCallerCap(ks: KernelState, sender: TCB, receiver: TCB, canGrant: boolean): void {
  setThreadState(ks, sender, ThreadState.BlockedOnReply);
  insertCallerCap(sender, receiver, canGrant);
}

/** The one-shot reply cap to `sender`, derived from its reply master, into the receiver's Caller slot. */
export function insertCallerCap(sender: TCB, receiver: TCB, canGrant: boolean): void {
  const replySlot = sender.slots[TCB_REPLY_MASTER]!;
  const callerSlot = receiver.slots[TCB_CALLER]!;
  cteInsert({ type: "Reply", tcb: sender, master: false, canGrant }, replySlot, callerSlot);
}

export function deleteCallerCap(ks: KernelState, receiver: TCB): void {
  cteDelete(ks, receiver.slots[TCB_CALLER]!);
}

/**
 * doReplyTransfer: a normal reply copies the message and wakes the caller; a fault reply lets
 * handleFaultReply decide between restarting the faulted thread and leaving it Inactive.
 * master passes the slot of the reply cap (deleted here); MCS passes the reply object, and the
 * caller gets back the SC it lent (or, without budget now, waits for its next refill).
 */
export function doReplyTransfer(
  ks: KernelState,
  sender: TCB,
  receiver: TCB,
  via: { slot: CTE } | { reply: ReplyObj },
  grant: boolean,
): void {
  if (receiver.state !== ThreadState.BlockedOnReply) return;
  if (tracing(ks)) traceReply(ks, sender, receiver, via);
  if ("reply" in via) {
    replyRemove(ks, via.reply, receiver);
    sporadicUnblockCheck(ks, receiver.sc);
  }
  const fault = receiver.fault;
  if (fault === null) {
    doIPCTransfer(ks, sender, null, 0n, grant, receiver);
    if ("slot" in via) cteDelete(ks, via.slot);
    setThreadState(ks, receiver, ThreadState.Running);
    if (!ks.mcs) possibleSwitchTo(ks, receiver);
  } else {
    if ("slot" in via) cteDelete(ks, via.slot);
    const restart = handleFaultReply(ks, receiver, sender, fault);
    receiver.fault = null;
    if (restart) {
      setThreadState(ks, receiver, ThreadState.Restart);
      if (!ks.mcs) possibleSwitchTo(ks, receiver);
    } else {
      setThreadState(ks, receiver, ThreadState.Inactive);
    }
  }
  const sc = receiver.sc;
  if (!ks.mcs || sc === null || !isRunnable(receiver)) return;
  if (refillReady(ks, sc) && refillSufficient(sc, 0)) {
    possibleSwitchTo(ks, receiver);
  } else if (validTimeoutHandler(receiver) && fault?.type !== "Timeout") {
    handleTimeout(ks, receiver);
  } else {
    postpone(ks, sc);
  }
}

/** The reply event, before the reply's message moves (its transfer event follows). */
function traceReply(ks: KernelState, sender: TCB, receiver: TCB, via: { slot: CTE } | { reply: ReplyObj }): void {
  const fault = receiver.fault;
  emit(
    ks,
    {
      kind: "reply",
      to: receiver.name,
      peerIp: Number(receiver.regs[FaultIP]!),
      ...(fault !== null ? { fault: faultName(fault) } : {}),
      ...("reply" in via ? { replyObject: via.reply.name } : {}),
    },
    sender,
  );
}

/** replyFromKernel_error: an invocation's error reply (label = error number, detail words in MRs). */
export function replyFromKernelError(ks: KernelState, thread: TCB, error: SyscallError): void {
  const buf = lookupIPCBuffer(ks, true, thread);
  thread.regs[badgeRegister] = 0n;
  const len = setMRs(ks, thread, buf, 0, msgFromSyscallError(error));
  thread.regs[msgInfoRegister] = wordFromMessageInfo({
    label: BigInt(errorNumber(error)),
    capsUnwrapped: 0,
    extraCaps: 0,
    length: len,
  });
}

/** replyFromKernel_success_empty. */
export function replyFromKernelSuccessEmpty(thread: TCB): void {
  thread.regs[badgeRegister] = 0n;
  thread.regs[msgInfoRegister] = 0n;
}
