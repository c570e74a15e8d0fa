// MCS time: scheduling-context refills, budget charging, the release queue and timeslice ends
// (src/kernel/sporadic.c, src/kernel/thread.c chargeBudget/endTimeslice/awaken, src/model/statedata).
// Time is the kernel's virtual clock in ns; the machine layer advances it.
import type { KernelState } from "../model/state.js";
import type { SchedContextObj, TCB } from "../object/structures.js";
import { isSchedulable, possibleSwitchTo, rescheduleRequired, setThreadState, tcbSchedAppend, tcbSchedDequeue, isRunnable } from "./scheduler.js";
import { ThreadState } from "../object/structures.js";
import { handleTimeout, validTimeoutHandler } from "./faulthandler.js";

/** Smallest usable refill (seL4's MIN_BUDGET, twice the kernel's worst-case execution time). */
export const MIN_BUDGET_NS = 2_000;

export function isRoundRobin(sc: SchedContextObj): boolean {
  return sc.period === 0;
}

export function refillReady(ks: KernelState, sc: SchedContextObj): boolean {
  const head = sc.refills[0];
  return head !== undefined && head.time <= ks.now;
}

export function refillSufficient(sc: SchedContextObj, usage: number): boolean {
  const head = sc.refills[0];
  return head !== undefined && head.amount - usage >= MIN_BUDGET_NS;
}

/** refill_new: a fresh budget available now. */
export function refillNew(ks: KernelState, sc: SchedContextObj, maxRefills: number, budget: number, period: number): void {
  sc.budget = budget;
  sc.period = period;
  sc.maxRefills = maxRefills;
  sc.refills = [{ time: ks.now, amount: budget }];
}

/** Schedule `amount` to come back one period after `from`, merging when the refill list is full. */
function scheduleReplenishment(sc: SchedContextObj, from: number, amount: number): void {
  const time = from + sc.period;
  const tail = sc.refills[sc.refills.length - 1];
  if (sc.refills.length >= sc.maxRefills && tail !== undefined) {
    tail.amount += amount;
    if (tail.time < time) tail.time = time;
  } else {
    sc.refills.push({ time, amount });
  }
}

/** Charge `consumed` ns to the head refills of `sc`. */
function refillBudgetCheck(sc: SchedContextObj, consumed: number): void {
  let left = consumed;
  while (left > 0 && sc.refills.length > 0) {
    const head = sc.refills[0]!;
    const used = Math.min(left, head.amount);
    head.amount -= used;
    left -= used;
    scheduleReplenishment(sc, head.time, used);
    if (head.amount < MIN_BUDGET_NS) {
      sc.refills.shift();
      // A leftover too small to run on joins the next refill rather than being lost.
      if (head.amount > 0 && sc.refills.length > 0) sc.refills[0]!.amount += head.amount;
    }
  }
}

/** chargeBudget: account consumed time to the current SC; end the timeslice when it is spent. */
export function chargeBudget(ks: KernelState, consumed: number, canTimeoutFault: boolean): void {
  const sc = ks.curSC;
  if (sc === null) return;
  if (isRoundRobin(sc)) {
    const head = sc.refills[0]!;
    head.amount = Math.max(0, head.amount - consumed);
  } else {
    refillBudgetCheck(sc, consumed);
  }
  sc.consumed += consumed;
  const cur = ks.curThread;
  if (cur !== null && cur.sc === sc && isSchedulable(ks, cur) && !(refillReady(ks, sc) && refillSufficient(sc, 0))) {
    endTimeslice(ks, cur, canTimeoutFault);
    rescheduleRequired(ks);
  }
}

/** endTimeslice: timeout fault, back of the queue with a new budget, or wait for the next refill. */
function endTimeslice(ks: KernelState, cur: TCB, canTimeoutFault: boolean): void {
  const sc = cur.sc!;
  if (isRoundRobin(sc)) {
    sc.refills = [{ time: ks.now, amount: sc.budget }];
  }
  if (canTimeoutFault && !isRoundRobin(sc) && validTimeoutHandler(cur)) {
    handleTimeout(ks, cur);
  } else if (refillReady(ks, sc) && refillSufficient(sc, 0)) {
    tcbSchedDequeue(ks, cur);
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
  ks.reprogram = true;
}

function releaseTime(t: TCB): number {
  return t.sc?.refills[0]?.time ?? Infinity;
}

export function releaseAdd(ks: KernelState, t: TCB): void {
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

/** awaken: threads whose refill time has come leave the release queue. */
export function awaken(ks: KernelState): void {
  const q = ks.releaseQueue;
  while (q.length > 0 && releaseTime(q[0]!) <= ks.now) {
    const t = q.shift()!;
    t.inReleaseQueue = false;
    if (isRunnable(t)) possibleSwitchTo(ks, t);
  }
}

/** The next time the MCS timer must fire: budget expiry of the running SC or the next release. */
export function nextMCSTimerEvent(ks: KernelState): number | null {
  let next = Infinity;
  const cur = ks.curThread;
  if (cur !== null && cur.sc !== null && cur.sc === ks.curSC) {
    const head = cur.sc.refills[0];
    if (head !== undefined) next = ks.now + Math.max(0, head.amount - ks.mcsConsumed);
  }
  if (ks.releaseQueue.length > 0) next = Math.min(next, releaseTime(ks.releaseQueue[0]!));
  return next === Infinity ? null : next;
}

/** Kernel entry on MCS: charge what the current thread used; returns false when its budget ran out. */
export function checkBudgetAtEntry(ks: KernelState): boolean {
  const consumed = ks.mcsConsumed;
  ks.mcsConsumed = 0;
  const cur = ks.curThread;
  if (ks.curSC !== null && consumed > 0) chargeBudget(ks, consumed, true);
  awaken(ks);
  if (cur === null) return true;
  if (ks.schedulerAction.kind !== "ResumeCurrentThread" && cur.state === ThreadState.Running && !isSchedulable(ks, cur)) {
    // checkBudgetRestart: the interrupted syscall runs again once the thread has budget.
    setThreadState(ks, cur, ThreadState.Restart);
    return false;
  }
  return cur.sc !== null && isSchedulable(ks, cur);
}

/** MCS seL4_Yield: the whole remaining head budget is charged. */
export function mcsYield(ks: KernelState): void {
  const sc = ks.curSC;
  if (sc === null) return;
  const head = sc.refills[0];
  chargeBudget(ks, head?.amount ?? 0, false);
  const cur = ks.curThread;
  if (cur !== null && isSchedulable(ks, cur)) {
    // A round-robin SC was refilled in place: yield still moves the thread to the tail.
    tcbSchedDequeue(ks, cur);
    tcbSchedAppend(ks, cur);
    rescheduleRequired(ks);
  }
}
