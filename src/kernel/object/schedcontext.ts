// MCS scheduling contexts and SchedControl (src/object/schedcontext.c, src/object/schedcontrol.c).
import { seL4_CoreSchedContextBytes, seL4_RefillSizeBytes } from "../../abi/constants.js";
import { syscallError } from "../api/failures.js";
import { wordFromMessageInfo, type Word } from "../api/types.js";
import { badgeRegister, msgInfoRegister } from "../../abi/registers.js";
import type { KernelState } from "../model/state.js";
import { isBlocked, isRunnable, isSchedulable, possibleSwitchTo, rescheduleRequired, setThreadState, tcbSchedDequeue,
  tcbSchedEnqueue } from "../kernel/scheduler.js";
import { MIN_BUDGET_US, refillNew, refillReady, refillUpdate, releaseRemove, scActive, schedContextResume,
  seL4_SchedContext_Sporadic, sporadicUnblockCheck } from "../kernel/mcstime.js";
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

function replyWords(ks: KernelState, cur: TCB, words: Word[]): void {
  const buf = lookupIPCBuffer(ks, true, cur);
  const len = setMRs(ks, cur, buf, 0, words);
  cur.regs[badgeRegister] = 0n;
  cur.regs[msgInfoRegister] = wordFromMessageInfo({ label: 0n, capsUnwrapped: 0, extraCaps: 0, length: len });
  setThreadState(ks, cur, ThreadState.Running);
}

export function decodeSchedContextInvocation(ks: KernelState, cur: TCB, inv: Invocation, sc: SchedContextObj): () => void {
  const { label, extraCaps } = inv;
  switch (label) {
    case "SchedContextBind": {
      if (extraCaps.length < 1) syscallError({ type: "TruncatedMessage" }, "SchedContext Bind: Truncated message.");
      const cap: Cap = extraCaps[0]!.cap;
      if (cap.type === "Thread") {
        if (sc.tcb !== null) syscallError({ type: "IllegalOperation" }, "SchedContext_Bind: sched context already bound.");
        if (cap.obj.sc !== null) syscallError({ type: "IllegalOperation" }, "SchedContext_Bind: tcb already bound.");
        if (isBlocked(cap.obj) && !scReleased(ks, sc)) {
          syscallError({ type: "IllegalOperation" }, "SchedContext_Bind: tcb blocked and scheduling context not schedulable.");
        }
        const tcb = cap.obj;
        return () => schedContextBindTCB(ks, sc, tcb);
      }
      if (cap.type === "Notification") {
        if (sc.notification !== null || cap.obj.sc !== null) syscallError({ type: "IllegalOperation" }, "SchedContext Bind: already bound.");
        const ntfn = cap.obj;
        return () => { sc.notification = ntfn; ntfn.sc = sc; };
      }
      return syscallError({ type: "InvalidCapability", capNumber: 1 }, "SchedContext Bind: invalid cap.");
    }
    case "SchedContextUnbind":
      if (sc.tcb !== null && sc.tcb === cur) syscallError({ type: "IllegalOperation" }, "SchedContext Unbind: cannot unbind the caller's own SC.");
      return () => schedContextUnbindAll(ks, sc);
    case "SchedContextUnbindObject": {
      if (extraCaps.length < 1) syscallError({ type: "TruncatedMessage" }, "SchedContext UnbindObject: Truncated message.");
      const cap = extraCaps[0]!.cap;
      if (cap.type === "Thread") {
        if (sc.tcb !== cap.obj) syscallError({ type: "IllegalOperation" }, "SchedContext UnbindObject: TCB not bound.");
        if (cap.obj === cur) syscallError({ type: "IllegalOperation" }, "SchedContext UnbindObject: cannot unbind the caller.");
        return () => schedContextUnbindTCB(ks, sc);
      }
      if (cap.type === "Notification") {
        if (sc.notification !== cap.obj) syscallError({ type: "IllegalOperation" }, "SchedContext UnbindObject: notification not bound.");
        return () => { sc.notification = null; cap.obj.sc = null; };
      }
      return syscallError({ type: "InvalidCapability", capNumber: 1 }, "SchedContext UnbindObject: invalid cap.");
    }
    case "SchedContextConsumed":
      return () => {
        const us = BigInt(Math.floor(sc.consumed / 1000));
        sc.consumed = 0;
        replyWords(ks, cur, [us]);
      };
    case "SchedContextYieldTo": {
      const tcb = sc.tcb;
      if (tcb === null) syscallError({ type: "IllegalOperation" }, "SchedContext_YieldTo: cannot yield to an inactive sched context");
      if (tcb === cur) syscallError({ type: "IllegalOperation" }, "SchedContext_YieldTo: cannot seL4_SchedContext_YieldTo on self");
      if (tcb.priority > cur.mcp) {
        syscallError({ type: "IllegalOperation" },
          `SchedContext_YieldTo: insufficient mcp (${cur.mcp}) to yield to a thread with prio (${tcb.priority})`);
      }
      return () => {
        schedContextResume(ks, sc);
        if (isSchedulable(ks, tcb)) {
          tcbSchedDequeue(ks, tcb);
          if (tcb.priority < cur.priority) {
            tcbSchedEnqueue(ks, tcb); // it runs when the caller no longer does
          } else {
            // The caller yields: the target goes in front of it in the ready queue.
            tcbSchedEnqueue(ks, cur);
            tcbSchedEnqueue(ks, tcb);
            rescheduleRequired(ks);
          }
        }
        // seL4 writes the consumed time when the caller runs again (docs/fidelity.md).
        const us = BigInt(Math.floor(sc.consumed / 1000));
        sc.consumed = 0;
        replyWords(ks, cur, [us]);
      };
    }
    default:
      return syscallError({ type: "IllegalOperation" }, "SchedContext: Illegal operation.");
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
  if (label !== "SchedControlConfigureFlags") syscallError({ type: "IllegalOperation" }, "SchedControl invocation: Illegal operation attempted.");
  if (extraCaps.length < 1) syscallError({ type: "TruncatedMessage" }, "SchedControl_ConfigureFlags: Truncated message.");
  if (args.length < 5) syscallError({ type: "TruncatedMessage" }, "SchedControl_configureFlags: truncated message.");
  const [budgetUs, periodUs, extraRefills, badge, flags] = [args[0]!, args[1]!, args[2]!, args[3]!, args[4]!];
  if (budgetUs > MAX_PERIOD_US) rangeError(MAX_PERIOD_US, "budget out of range.");
  if (periodUs > MAX_PERIOD_US) rangeError(MAX_PERIOD_US, "period out of range.");
  if (tooShort(budgetUs)) rangeError(MAX_PERIOD_US, "budget out of range.");
  if (tooShort(periodUs)) rangeError(MAX_PERIOD_US, "period out of range.");
  if (budgetUs > periodUs) rangeError(periodUs, "budget must be <= period");
  const scCap = extraCaps[0]!.cap;
  if (scCap.type !== "SchedContext") {
    syscallError({ type: "InvalidCapability", capNumber: 1 }, "SchedControl_ConfigureFlags: target cap not a scheduling context cap");
  }
  const maxExtra = maxExtraRefills(scCap.obj.sizeBits);
  if (extraRefills > BigInt(maxExtra)) {
    syscallError({ type: "RangeError", min: 0, max: maxExtra }, `Max refills invalid, got ${extraRefills}, max ${maxExtra}`);
  }
  const sc = scCap.obj;
  return () => invokeSchedControlConfigureFlags(ks, sc, Number(budgetUs) * 1000, Number(periodUs) * 1000,
    MIN_REFILLS + Number(extraRefills), badge, flags);
}

function invokeSchedControlConfigureFlags(ks: KernelState, sc: SchedContextObj, budget: number, period: number,
  maxRefills: number, badge: Word, flags: Word): void {
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
