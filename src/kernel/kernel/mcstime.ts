// MCS time: scheduling-context refills, budget charging, the release queue and timeslice ends
// (src/kernel/sporadic.c, include/kernel/sporadic.h; src/kernel/thread.c chargeBudget,
// endTimeslice, postpone, awaken; include/kernel/thread.h checkBudget, commitTime).
//
// Time is the kernel's virtual clock in ns (seL4 counts timer ticks; the model's tick is 1 ns).
// The machine layer reports the time a thread ran through Kernel.advanceTime; every kernel entry
// then charges it to the current SC (seL4 keeps it in ksConsumed and commits it later; charging
// at each entry gives the same refills because schedule_used merges adjacent charges).
//
// Refill lists are kept as arrays, head first, at most `maxRefills` long (seL4's circular buffer).
// A periodic SC's refills always add up to its budget. A round-robin SC (budget == period, stored
// with period 0) has a single refill here: seL4's second "consumed" refill only ever holds
// budget minus the head, so it is implied.
import type { KernelState } from "../model/state.js";
import type { Refill, SchedContextObj, TCB } from "../object/structures.js";
import {
  isRunnable,
  isSchedulable,
  possibleSwitchTo,
  rescheduleRequired,
  setThreadState,
  tcbSchedAppend,
  tcbSchedDequeue,
} from "./scheduler.js";
import { ThreadState } from "../object/structures.js";
import { handleTimeout, validTimeoutHandler } from "./faulthandler.js";
import { emit, tracing } from "../api/trace.js";

/** getKernelWcetUs() on x86 (10 µs), times 2, times KernelWcetScale (1): the smallest usable refill. */
export const MIN_BUDGET_US = 20;
export const MIN_BUDGET_NS = MIN_BUDGET_US * 1000;
/** seL4_SchedContext_Sporadic in SchedControl_ConfigureFlags' flags word. */
export const seL4_SchedContext_Sporadic = 1n;

function isRoundRobin(sc: SchedContextObj): boolean {
  return sc.period === 0;
}

/** sc_active: the SC has been configured (refill_new ran) and can carry a thread. */
export function scActive(sc: SchedContextObj): boolean {
  return sc.maxRefills > 0 && sc.refills.length > 0;
}

/** refill_ready: the head refill may be used now. */
export function refillReady(ks: KernelState, sc: SchedContextObj): boolean {
  const head = sc.refills[0];
  return head !== undefined && head.time <= ks.now;
}

/** refill_sufficient: after charging `usage`, the head still covers a kernel entry and exit. */
export function refillSufficient(sc: SchedContextObj, usage: number): boolean {
  const head = sc.refills[0];
  if (head === undefined || usage > head.amount) return false;
  return head.amount - usage >= MIN_BUDGET_NS;
}

/** refill_new: the full budget, available from now. */
export function refillNew(
  ks: KernelState,
  sc: SchedContextObj,
  maxRefills: number,
  budget: number,
  period: number,
): void {
  sc.budget = budget;
  sc.period = period;
  sc.maxRefills = maxRefills;
  sc.refills = [{ time: ks.now, amount: budget }];
}

/**
 * refill_update: new parameters for an SC that is in use. Only the head refill survives (trimmed
 * to the new budget); whatever the new budget adds arrives one new period after the head.
 */
export function refillUpdate(
  ks: KernelState,
  sc: SchedContextObj,
  period: number,
  budget: number,
  maxRefills: number,
): void {
  const head = sc.refills[0]!;
  sc.maxRefills = maxRefills;
  sc.period = period;
  sc.budget = budget;
  if (head.time <= ks.now) head.time = ks.now;
  if (head.amount >= budget) {
    head.amount = budget;
    sc.refills = [head];
  } else {
    sc.refills = [head, { time: head.time + period, amount: budget - head.amount }];
  }
}

/** schedule_used: add a used amount back one period later, merging with an overlapping tail. */
function scheduleUsed(sc: SchedContextObj, used: Refill): void {
  const tail = sc.refills[sc.refills.length - 1]!;
  if (tail.time + tail.amount >= used.time) {
    tail.amount += used.amount;
  } else if (sc.refills.length < sc.maxRefills) {
    sc.refills.push(used);
  } else {
    // Full: delay the tail so that it ends where the new refill would have ended.
    tail.time = used.time - tail.amount;
    tail.amount += used.amount;
  }
}

/** refill_budget_check: charge `usage` to a periodic SC's head refills. */
function refillBudgetCheck(sc: SchedContextObj, usage: number): void {
  // handle_overrun: whole head refills used up come back one period after they started.
  while (usage > 0 && sc.refills[0]!.amount <= usage) {
    const head = sc.refills[0]!;
    usage -= head.amount;
    if (sc.refills.length === 1) {
      head.time += sc.period;
    } else {
      sc.refills.shift();
      scheduleUsed(sc, { time: head.time + sc.period, amount: head.amount });
    }
  }
  if (usage > 0) {
    const head = sc.refills[0]!;
    const used = { time: head.time + sc.period, amount: usage };
    head.amount -= usage;
    head.time += usage;
    scheduleUsed(sc, used);
  }
  // A head too small to run on is merged into the next refill, which starts that much earlier.
  while (sc.refills[0]!.amount < MIN_BUDGET_NS) {
    const head = sc.refills.shift()!;
    const next = sc.refills[0]!;
    next.amount += head.amount;
    next.time -= head.amount;
  }
}

/**
 * refill_unblock_check: a periodic SC that was idle may start its head refill now, merging every
 * refill that has become available; it cannot bank time while blocked.
 */
function refillUnblockCheck(ks: KernelState, sc: SchedContextObj): void {
  if (isRoundRobin(sc) || !refillReady(ks, sc)) return;
  const head = sc.refills[0]!;
  head.time = ks.now;
  ks.reprogram = true;
  while (sc.refills.length > 1 && sc.refills[1]!.time <= head.time + head.amount) {
    const next = sc.refills.splice(1, 1)[0]!;
    head.amount += next.amount;
  }
}

/** The unblock check seL4 runs when a thread on a sporadic SC (other than the current one) wakes. */
export function sporadicUnblockCheck(ks: KernelState, sc: SchedContextObj | null): void {
  if (sc !== null && sc.sporadic && sc !== ks.curSC) refillUnblockCheck(ks, sc);
}

/** commitTime: charge time the current thread used while its head refill still covers it. */
function commitTime(sc: SchedContextObj, consumed: number): void {
  if (consumed <= 0) return;
  if (isRoundRobin(sc)) sc.refills[0]!.amount -= consumed;
  else refillBudgetCheck(sc, consumed);
  sc.consumed += consumed;
}

/** chargeBudget: the head refill ran out (or Yield gave it up); the timeslice ends. */
function chargeBudget(ks: KernelState, consumed: number, canTimeoutFault: boolean): void {
  const sc = ks.curSC;
  if (sc !== null && tracing(ks)) emit(ks, { kind: "budget", sc: sc.name, event: "exhausted" });
  if (sc !== null) {
    // A round-robin SC is simply refilled; a periodic one schedules what was used.
    if (isRoundRobin(sc)) sc.refills[0]!.amount = sc.budget;
    else refillBudgetCheck(sc, consumed);
    sc.consumed += consumed;
  }
  const cur = ks.curThread;
  if (cur !== null && isSchedulable(ks, cur)) {
    endTimeslice(ks, cur, canTimeoutFault);
    rescheduleRequired(ks);
    ks.reprogram = true;
  }
}

/** endTimeslice: timeout fault, back of the queue with a new budget, or wait for the next refill. */
function endTimeslice(ks: KernelState, cur: TCB, canTimeoutFault: boolean): void {
  const sc = cur.sc!;
  if (canTimeoutFault && !isRoundRobin(sc) && validTimeoutHandler(cur)) {
    handleTimeout(ks, cur);
  } else if (refillReady(ks, sc) && refillSufficient(sc, 0)) {
    tcbSchedAppend(ks, cur);
  } else {
    postpone(ks, sc);
  }
}

/** postpone: the SC's thread waits in the release queue until its next refill. */
export function postpone(ks: KernelState, sc: SchedContextObj): void {
  const t = sc.tcb;
  if (t === null) return;
  tcbSchedDequeue(ks, t);
  releaseAdd(ks, t);
  if (tracing(ks)) emit(ks, { kind: "budget", sc: sc.name, event: "postponed", at: releaseTime(t) }, t);
  ks.reprogram = true;
}

/** schedContext_resume: a thread that may run again, but whose SC has no usable refill, waits. */
export function schedContextResume(ks: KernelState, sc: SchedContextObj | null): void {
  if (sc === null || sc.tcb === null || !isSchedulable(ks, sc.tcb)) return;
  if (!(refillReady(ks, sc) && refillSufficient(sc, 0))) postpone(ks, sc);
}

function releaseTime(t: TCB): number {
  return t.sc?.refills[0]?.time ?? Infinity;
}

/** tcbReleaseEnqueue: ordered by the head refill's time, after threads released at the same time. */
function releaseAdd(ks: KernelState, t: TCB): void {
  if (t.inReleaseQueue) return;
  const q = ks.releaseQueue;
  const time = releaseTime(t);
  let i = q.length;
  while (i > 0 && releaseTime(q[i - 1]!) > time) i--;
  q.splice(i, 0, t);
  t.inReleaseQueue = true;
}

export function releaseRemove(ks: KernelState, t: TCB): void {
  if (!t.inReleaseQueue) return;
  const i = ks.releaseQueue.indexOf(t);
  if (i >= 0) ks.releaseQueue.splice(i, 1);
  t.inReleaseQueue = false;
}

/** awaken: threads whose head refill has become ready leave the release queue. */
export function awaken(ks: KernelState): void {
  const q = ks.releaseQueue;
  while (q.length > 0 && releaseTime(q[0]!) <= ks.now) {
    const t = q.shift()!;
    t.inReleaseQueue = false;
    if (tracing(ks)) emit(ks, { kind: "budget", sc: t.sc?.name ?? "", event: "released" }, t);
    possibleSwitchTo(ks, t);
  }
}

/**
 * switchSchedContext (end of schedule): when another SC takes over, a constant-bandwidth SC gets
 * its unblock check (a sporadic one had it when its thread woke).
 */
export function switchSchedContext(ks: KernelState): void {
  const sc = ks.curThread?.sc ?? null;
  if (sc !== ks.curSC) {
    ks.reprogram = true;
    if (sc !== null && !sc.sporadic) refillUnblockCheck(ks, sc);
  }
  ks.curSC = sc;
  ks.reprogram = false;
}

/** The next time the MCS timer must fire: budget expiry of the running SC or the next release. */
export function nextMCSTimerEvent(ks: KernelState): number | null {
  let next = Infinity;
  const cur = ks.curThread;
  if (cur !== null && cur.sc !== null && cur.sc === ks.curSC) {
    const head = cur.sc.refills[0];
    if (head !== undefined) next = ks.now + Math.max(0, head.amount - ks.mcsConsumed);
  }
  const q = ks.releaseQueue;
  if (q.length > 0) {
    const release = releaseTime(q[0]!);
    if (release < next) next = release;
  }
  return next === Infinity ? null : next;
}

/**
 * Kernel entry on MCS (updateTimestamp + checkBudget): the time the current thread used is
 * charged. Returns false when its budget ran out, in which case the trap is not handled; a trap
 * (not a timer interrupt) is then re-executed once the thread has budget again (checkBudgetRestart).
 */
export function checkBudgetAtEntry(ks: KernelState, isTrap = true): boolean {
  const consumed = ks.mcsConsumed;
  ks.mcsConsumed = 0;
  const sc = ks.curSC;
  const cur = ks.curThread;
  if (sc === null || cur === null) return true;
  if (refillSufficient(sc, consumed)) {
    commitTime(sc, consumed);
    return true;
  }
  chargeBudget(ks, consumed, true);
  if (isTrap && isRunnable(cur)) setThreadState(ks, cur, ThreadState.Restart);
  return false;
}

/** MCS seL4_Yield: the whole remaining head refill is given up; only time really used counts as consumed. */
export function mcsYield(ks: KernelState): void {
  const sc = ks.curSC;
  if (sc === null) return;
  const consumed = sc.consumed;
  chargeBudget(ks, sc.refills[0]!.amount, false);
  sc.consumed = consumed;
}
