// MCS scheduling contexts and SchedControl (src/object/schedcontext.c, src/object/schedcontrol.c).
import { seL4_CoreSchedContextBytes, seL4_RefillSizeBytes } from "../api/constants.js";
import { syscallError } from "../api/failures.js";
import { wordFromMessageInfo, type Word } from "../api/types.js";
import { badgeRegister, msgInfoRegister } from "../arch/registers.js";
import type { KernelState } from "../model/state.js";
import { isRunnable, isSchedulable, possibleSwitchTo, rescheduleRequired, setThreadState, tcbSchedDequeue } from "../kernel/scheduler.js";
import { postpone, refillNew, refillReady, refillSufficient, releaseRemove } from "../kernel/mcstime.js";
import { setMRs, lookupIPCBuffer } from "../kernel/message.js";
import type { Invocation } from "./cnode.js";
import { ThreadState, type Cap, type SchedContextObj, type TCB } from "./structures.js";

/** Largest budget/period the kernel accepts (MAX_PERIOD_US; generous, like seL4's 2^56-ish bound). */
export const MAX_PERIOD_US = 60n * 60n * 1_000_000n;
export const MIN_BUDGET_US = 2n;

export function maxExtraRefills(sizeBits: number): number {
  return Math.floor((2 ** sizeBits - seL4_CoreSchedContextBytes) / seL4_RefillSizeBytes);
}

/** Bind an SC to a TCB and make it schedulable if it can run. */
export function schedContextBindTCB(ks: KernelState, sc: SchedContextObj, tcb: TCB): void {
  tcb.sc = sc;
  sc.tcb = tcb;
  if (sc.refills.length > 0 && isRunnable(tcb)) {
    if (refillReady(ks, sc) && refillSufficient(sc, 0)) possibleSwitchTo(ks, tcb);
    else postpone(ks, sc);
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
        if (sc.tcb !== null || cap.obj.sc !== null) syscallError({ type: "IllegalOperation" }, "SchedContext Bind: already bound.");
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
      if (tcb === null) syscallError({ type: "IllegalOperation" }, "SchedContext YieldTo: no TCB bound.");
      if (tcb.priority > cur.mcp) syscallError({ type: "IllegalOperation" }, "SchedContext YieldTo: priority too high.");
      return () => {
        const us = BigInt(Math.floor(sc.consumed / 1000));
        sc.consumed = 0;
        if (isSchedulable(ks, tcb) && tcb !== cur) {
          tcbSchedDequeue(ks, tcb);
          possibleSwitchTo(ks, tcb);
        }
        replyWords(ks, cur, [us]);
      };
    }
    default:
      return syscallError({ type: "IllegalOperation" }, "SchedContext: Illegal operation.");
  }
}

/** seL4_SchedControl_ConfigureFlags(sched_control, sc, budget_us, period_us, extra_refills, badge, flags). */
export function decodeSchedControlInvocation(ks: KernelState, inv: Invocation): () => void {
  const { label, args, extraCaps } = inv;
  if (label !== "SchedControlConfigureFlags") syscallError({ type: "IllegalOperation" }, "SchedControl: Illegal operation.");
  if (args.length < 5 || extraCaps.length < 1) syscallError({ type: "TruncatedMessage" }, "SchedControl Configure: Truncated message.");
  const scCap = extraCaps[0]!.cap;
  if (scCap.type !== "SchedContext") syscallError({ type: "InvalidCapability", capNumber: 1 }, "SchedControl Configure: target cap not a SC.");
  const [budgetUs, periodUs, extraRefills, badge, flags] = [args[0]!, args[1]!, args[2]!, args[3]!, args[4]!];
  if (budgetUs < MIN_BUDGET_US || budgetUs > MAX_PERIOD_US) {
    syscallError({ type: "RangeError", min: MIN_BUDGET_US, max: MAX_PERIOD_US }, "SchedControl Configure: budget out of range.");
  }
  if (periodUs < MIN_BUDGET_US || periodUs > MAX_PERIOD_US) {
    syscallError({ type: "RangeError", min: MIN_BUDGET_US, max: MAX_PERIOD_US }, "SchedControl Configure: period out of range.");
  }
  if (budgetUs > periodUs) syscallError({ type: "RangeError", min: MIN_BUDGET_US, max: periodUs }, "SchedControl Configure: budget exceeds period.");
  const maxExtra = maxExtraRefills(scCap.obj.sizeBits);
  if (extraRefills > BigInt(maxExtra)) {
    syscallError({ type: "RangeError", min: 0, max: maxExtra }, "SchedControl Configure: too many extra refills.");
  }
  const sc = scCap.obj;
  return () => {
    const budget = Number(budgetUs) * 1000;
    const period = budgetUs === periodUs ? 0 : Number(periodUs) * 1000;
    const tcb = sc.tcb;
    if (tcb !== null) {
      tcbSchedDequeue(ks, tcb);
      releaseRemove(ks, tcb);
    }
    refillNew(ks, sc, 2 + Number(extraRefills), budget, period);
    sc.badge = badge;
    sc.sporadic = (flags & 1n) !== 0n;
    if (tcb !== null && isRunnable(tcb)) {
      if (tcb === ks.curThread) rescheduleRequired(ks);
      else possibleSwitchTo(ks, tcb);
    }
  };
}
