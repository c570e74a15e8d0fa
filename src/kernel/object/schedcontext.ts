// MCS scheduling contexts and SchedControl (src/object/schedcontext.c, src/object/schedcontrol.c).
import { seL4_CoreSchedContextBytes, seL4_RefillSizeBytes } from "../../abi/constants.js";
import { SyscallErrorThrow, syscallError, type SyscallError } from "../api/failures.js";
import { wordFromMessageInfo, type Word } from "../api/types.js";
import { badgeRegister, msgInfoRegister } from "../../abi/registers.js";
import type { KernelState } from "../model/state.js";
import {
  isBlocked,
  isRunnable,
  isSchedulable,
  possibleSwitchTo,
  rescheduleRequired,
  setThreadState,
  tcbSchedDequeue,
  tcbSchedEnqueue,
} from "../kernel/scheduler.js";
import {
  MIN_BUDGET_US,
  refillNew,
  refillReady,
  refillUpdate,
  releaseRemove,
  scActive,
  schedContextResume,
  seL4_SchedContext_Sporadic,
  sporadicUnblockCheck,
} from "../kernel/mcstime.js";
import { setMRs, lookupIPCBuffer } from "../kernel/message.js";
import type { Invocation } from "./cnode.js";
import { ThreadState, type Cap, type SchedContextObj, type TCB } from "./structures.js";

/**
 * Largest budget/period accepted. seL4's MAX_PERIOD_US is getMaxUsToTicks() / 8, which depends on
 * the TSC frequency (years on real hardware); the model caps it at one hour so that virtual time
 * stays exact in a double (docs/fidelity.md, "MCS time").
 */
export const MAX_PERIOD_US = 60n * 60n * 1_000_000n;
/** MIN_REFILLS: a round-robin SC uses exactly two refills; extra_refills come on top of these. */
const MIN_REFILLS = 2;

/**
 * The most extra refills an SC of 2^sizeBits bytes takes. seL4 checks refill_absolute_max(cap) -
 * MIN_REFILLS, where refill_absolute_max divides what sizeof(sched_context_t) (12 words on x86_64,
 * 96 bytes) leaves by 16; libsel4's seL4_MaxExtraRefills divides what seL4_CoreSchedContextBytes
 * (128 = 96 + the 2 minimum refills) leaves. Both give the same number for every size.
 */
export function maxExtraRefills(sizeBits: number): number {
  return Math.floor((2 ** sizeBits - seL4_CoreSchedContextBytes) / seL4_RefillSizeBytes);
}

/** schedContext_bindTCB: the thread runs on `sc` from now on (if the SC has budget now). */
export function schedContextBindTCB(ks: KernelState, sc: SchedContextObj, tcb: TCB): void {
  tcb.sc = sc;
  sc.tcb = tcb;
  if (scActive(sc)) sporadicUnblockCheck(ks, sc);
  schedContextResume(ks, sc);
  if (isSchedulable(ks, tcb)) {
    tcbSchedEnqueue(ks, tcb);
    rescheduleRequired(ks);
  }
}

export function schedContextUnbindTCB(ks: KernelState, sc: SchedContextObj): void {
  const tcb = sc.tcb;
  if (tcb === null) return;
  tcbSchedDequeue(ks, tcb);
  releaseRemove(ks, tcb);
  tcb.sc = null;
  sc.tcb = null;
  if (tcb === ks.curThread) rescheduleRequired(ks);
}

export function schedContextUnbindAll(ks: KernelState, sc: SchedContextObj): void {
  schedContextUnbindTCB(ks, sc);
  if (sc.notification !== null) {
    sc.notification.sc = null;
    sc.notification = null;
  }
  if (sc.reply !== null) {
    sc.reply.next = null;
    sc.reply = null;
  }
}

/** sc_released: configured, and its head refill may be used now. */
function scReleased(ks: KernelState, sc: SchedContextObj): boolean {
  return scActive(sc) && refillReady(ks, sc);
}

/** replyFromKernel_consumed: the reply message of Consumed and YieldTo, the time in µs in MR0. */
function replyFromKernelConsumed(ks: KernelState, thread: TCB, consumedUs: Word): void {
  const buf = lookupIPCBuffer(ks, true, thread);
  thread.regs[badgeRegister] = 0n;
  const length = setMRs(ks, thread, buf, 0, [consumedUs]);
  thread.regs[msgInfoRegister] = wordFromMessageInfo({ label: 0n, capsUnwrapped: 0, extraCaps: 0, length });
}

/** schedContext_updateConsumed: the SC's consumed time in whole µs, which starts again from 0. */
function schedContextUpdateConsumed(sc: SchedContextObj): Word {
  const us = BigInt(Math.floor(sc.consumed / 1000));
  sc.consumed = 0;
  return us;
}

/** setConsumed: read (and reset) the SC's consumed time, and reply with it when the invocation was a Call. */
function setConsumed(ks: KernelState, sc: SchedContextObj, thread: TCB, writeMsg: boolean): void {
  const consumed = schedContextUpdateConsumed(sc);
  if (writeMsg) replyFromKernelConsumed(ks, thread, consumed);
}

/** schedContext_cancelYieldTo: the thread no longer waits to hear how long the SC it yielded to ran. */
export function schedContextCancelYieldTo(tcb: TCB | null): void {
  if (tcb === null || tcb.yieldTo === null) return;
  tcb.yieldTo.yieldFrom = null;
  tcb.yieldTo = null;
}

/**
 * schedContext_completeYieldTo: a thread that yielded to an SC gets that SC's consumed time as the
 * reply to its YieldTo (when it runs again, or when the SC or its thread goes away first).
 */
export function schedContextCompleteYieldTo(ks: KernelState, yielder: TCB | null): void {
  if (yielder === null || yielder.yieldTo === null) return;
  setConsumed(ks, yielder.yieldTo, yielder, true); // seL4 writes it whether or not the YieldTo was a Call
  schedContextCancelYieldTo(yielder);
}

/** invokeSchedContext_YieldTo: the caller steps aside for the SC's thread, or hears at once. */
function invokeSchedContextYieldTo(ks: KernelState, cur: TCB, sc: SchedContextObj, isCall: boolean): void {
  if (sc.yieldFrom !== null) schedContextCompleteYieldTo(ks, sc.yieldFrom);
  schedContextResume(ks, sc);
  const tcb = sc.tcb!;
  let returnNow = true;
  if (isSchedulable(ks, tcb)) {
    if (tcb.priority < cur.priority) {
      tcbSchedDequeue(ks, tcb);
      tcbSchedEnqueue(ks, tcb); // it runs when the caller no longer does
    } else {
      // The caller yields: the target goes in front of it, and the caller hears when it runs again.
      cur.yieldTo = sc;
      sc.yieldFrom = cur;
      tcbSchedDequeue(ks, tcb);
      tcbSchedEnqueue(ks, cur);
      tcbSchedEnqueue(ks, tcb);
      rescheduleRequired(ks);
      returnNow = false;
    }
  }
  if (returnNow) {
    setConsumed(ks, sc, cur, isCall);
    setThreadState(ks, cur, ThreadState.Running);
  }
}

/** A decode error reported, as seL4 prints it, under the decoder function that found it. */
function refuse(fn: string, error: SyscallError, message: string): never {
  throw new SyscallErrorThrow(error, message, fn);
}
const illegal: SyscallError = { type: "IllegalOperation" };
const truncated: SyscallError = { type: "TruncatedMessage" };
const invalidCap: SyscallError = { type: "InvalidCapability", capNumber: 1 };

/** decodeSchedContext_Bind: a TCB or a notification, neither bound already. */
function decodeSchedContextBind(ks: KernelState, inv: Invocation, sc: SchedContextObj): () => void {
  const fn = "decodeSchedContext_Bind";
  if (inv.extraCaps.length < 1) refuse(fn, truncated, "SchedContext_Bind: Truncated Message.");
  const cap: Cap = inv.extraCaps[0]!.cap;
  if (cap.type === "Thread") {
    const tcb = cap.obj;
    if (sc.tcb !== null) refuse(fn, illegal, "SchedContext_Bind: sched context already bound.");
    if (tcb.sc !== null) refuse(fn, illegal, "SchedContext_Bind: tcb already bound.");
    if (isBlocked(tcb) && !scReleased(ks, sc))
      refuse(fn, illegal, "SchedContext_Bind: tcb blocked and scheduling context not schedulable.");
    return () => schedContextBindTCB(ks, sc, tcb);
  }
  if (cap.type === "Notification") {
    const ntfn = cap.obj;
    if (sc.notification !== null) refuse(fn, illegal, "SchedContext_Bind: sched context already bound.");
    if (ntfn.sc !== null) refuse(fn, illegal, "SchedContext_Bind: notification already bound");
    return () => {
      sc.notification = ntfn;
      ntfn.sc = sc;
    };
  }
  return refuse(fn, invalidCap, "SchedContext_Bind: invalid cap.");
}

/** decodeSchedContext_UnbindObject: the TCB (not the caller) or notification bound to this SC. */
function decodeSchedContextUnbindObject(ks: KernelState, cur: TCB, inv: Invocation, sc: SchedContextObj): () => void {
  const fn = "decodeSchedContext_UnbindObject";
  if (inv.extraCaps.length < 1) refuse(fn, truncated, "SchedContext_Unbind: Truncated message.");
  const cap = inv.extraCaps[0]!.cap;
  if (cap.type === "Thread") {
    if (sc.tcb !== cap.obj) refuse(fn, illegal, "SchedContext UnbindObject: object not bound");
    if (sc.tcb === cur) refuse(fn, illegal, "SchedContext UnbindObject: cannot unbind sc of current thread");
    return () => schedContextUnbindTCB(ks, sc);
  }
  if (cap.type === "Notification") {
    if (sc.notification !== cap.obj) refuse(fn, illegal, "SchedContext UnbindObject: object not bound");
    return () => {
      sc.notification = null;
      cap.obj.sc = null;
    };
  }
  return refuse(fn, invalidCap, "SchedContext_Unbind: invalid cap");
}

/** decodeSchedContext_YieldTo: the SC's thread, not the caller, at a priority within the caller's MCP. */
function decodeSchedContextYieldTo(ks: KernelState, cur: TCB, inv: Invocation, sc: SchedContextObj): () => void {
  const fn = "decodeSchedContext_YieldTo";
  const tcb = sc.tcb;
  if (tcb === null) return refuse(fn, illegal, "SchedContext_YieldTo: cannot yield to an inactive sched context");
  if (tcb === cur) refuse(fn, illegal, "SchedContext_YieldTo: cannot seL4_SchedContext_YieldTo on self");
  if (tcb.priority > cur.mcp) {
    refuse(
      fn,
      illegal,
      `SchedContext_YieldTo: insufficient mcp (${cur.mcp}) to yield to a thread with prio (${tcb.priority})`,
    );
  }
  // seL4 also refuses a caller that is already yielding, which cannot happen: it would not be running.
  return () => invokeSchedContextYieldTo(ks, cur, sc, inv.isCall);
}

export function decodeSchedContextInvocation(
  ks: KernelState,
  cur: TCB,
  inv: Invocation,
  sc: SchedContextObj,
): () => void {
  switch (inv.label) {
    case "SchedContextConsumed":
      return () => {
        setConsumed(ks, sc, cur, inv.isCall);
        setThreadState(ks, cur, ThreadState.Running);
      };
    case "SchedContextBind":
      return decodeSchedContextBind(ks, inv, sc);
    case "SchedContextUnbindObject":
      return decodeSchedContextUnbindObject(ks, cur, inv, sc);
    case "SchedContextUnbind":
      if (sc.tcb === cur) syscallError(illegal, "SchedContext UnbindObject: cannot unbind sc of current thread");
      return () => schedContextUnbindAll(ks, sc);
    case "SchedContextYieldTo":
      return decodeSchedContextYieldTo(ks, cur, inv, sc);
    default:
      return syscallError(illegal, "SchedContext invocation: Illegal operation attempted.");
  }
}

const rangeError = (max: Word | number, message: string): never =>
  syscallError({ type: "RangeError", min: MIN_BUDGET_US, max }, `SchedControl_ConfigureFlags: ${message}`);
const tooShort = (us: Word) => us < BigInt(MIN_BUDGET_US);

/**
 * seL4_SchedControl_ConfigureFlags(sched_control, sc, budget_us, period_us, extra_refills, badge, flags),
 * decoded in seL4's order: the times are range-checked before the target cap's type.
 */
export function decodeSchedControlInvocation(ks: KernelState, inv: Invocation): () => void {
  const { label, args, extraCaps } = inv;
  if (label !== "SchedControlConfigureFlags")
    syscallError({ type: "IllegalOperation" }, "SchedControl invocation: Illegal operation attempted.");
  if (extraCaps.length < 1)
    syscallError({ type: "TruncatedMessage" }, "SchedControl_ConfigureFlags: Truncated message.");
  if (args.length < 5) syscallError({ type: "TruncatedMessage" }, "SchedControl_configureFlags: truncated message.");
  const [budgetUs, periodUs, extraRefills, badge, flags] = [args[0]!, args[1]!, args[2]!, args[3]!, args[4]!];
  if (budgetUs > MAX_PERIOD_US) rangeError(MAX_PERIOD_US, "budget out of range.");
  if (periodUs > MAX_PERIOD_US) rangeError(MAX_PERIOD_US, "period out of range.");
  if (tooShort(budgetUs)) rangeError(MAX_PERIOD_US, "budget out of range.");
  if (tooShort(periodUs)) rangeError(MAX_PERIOD_US, "period out of range.");
  if (budgetUs > periodUs) rangeError(periodUs, "budget must be <= period");
  const scCap = extraCaps[0]!.cap;
  if (scCap.type !== "SchedContext") {
    syscallError(
      { type: "InvalidCapability", capNumber: 1 },
      "SchedControl_ConfigureFlags: target cap not a scheduling context cap",
    );
  }
  const maxExtra = maxExtraRefills(scCap.obj.sizeBits);
  if (extraRefills > BigInt(maxExtra)) {
    syscallError(
      { type: "RangeError", min: 0, max: maxExtra },
      `Max refills invalid, got ${extraRefills}, max ${maxExtra}`,
    );
  }
  const sc = scCap.obj;
  return () =>
    invokeSchedControlConfigureFlags(
      ks,
      sc,
      Number(budgetUs) * 1000,
      Number(periodUs) * 1000,
      MIN_REFILLS + Number(extraRefills),
      badge,
      flags,
    );
}

function invokeSchedControlConfigureFlags(
  ks: KernelState,
  sc: SchedContextObj,
  budget: number,
  period: number,
  maxRefills: number,
  badge: Word,
  flags: Word,
): void {
  const thread = sc.tcb;
  if (thread !== null) {
    // Not in a sorted queue while its parameters change.
    releaseRemove(ks, thread);
    tcbSchedDequeue(ks, thread);
  }
  if (budget === period) {
    refillNew(ks, sc, MIN_REFILLS, budget, 0); // round robin: period 0, always ready to be refilled
  } else if (scActive(sc) && thread !== null && isRunnable(thread)) {
    refillUpdate(ks, sc, period, budget, maxRefills); // in use: keep the bandwidth promise
  } else {
    refillNew(ks, sc, maxRefills, budget, period);
  }
  if (thread !== null) {
    schedContextResume(ks, sc);
    if (isRunnable(thread) && thread !== ks.curThread) possibleSwitchTo(ks, thread);
    if (thread === ks.curThread) rescheduleRequired(ks);
  }
  sc.badge = badge;
  sc.sporadic = (flags & seL4_SchedContext_Sporadic) !== 0n;
}
