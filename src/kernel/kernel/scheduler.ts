// Ready queues and the scheduler (src/kernel/thread.c: schedule, chooseThread,
// possibleSwitchTo, rescheduleRequired; src/object/tcb.c: tcbSchedEnqueue/Append/Dequeue).
// Within a priority the queue is FIFO: a preempted thread goes back to the head, a thread whose
// timeslice ran out or that yielded goes to the tail.
import type { KernelState } from "../model/state.js";
import { ThreadState, type SchedulerAction, type TCB } from "../object/structures.js";
import { awaken, switchSchedContext } from "./mcstime.js";
import { emit, stateName, tracing } from "../api/trace.js";

const RESUME_CURRENT_THREAD: SchedulerAction = Object.freeze({ kind: "ResumeCurrentThread" });
const CHOOSE_NEW_THREAD: SchedulerAction = Object.freeze({ kind: "ChooseNewThread" });

export function isRunnable(t: TCB): boolean {
  return t.state === ThreadState.Running || t.state === ThreadState.Restart;
}

/** isBlocked: waiting in an endpoint or notification queue, or for a reply. */
export function isBlocked(t: TCB): boolean {
  switch (t.state) {
    case ThreadState.BlockedOnReceive:
    case ThreadState.BlockedOnSend:
    case ThreadState.BlockedOnNotification:
    case ThreadState.BlockedOnReply:
      return true;
    default:
      return false;
  }
}

/** isStopped: blocked, or Inactive. */
export function isStopped(t: TCB): boolean {
  return t.state === ThreadState.Inactive || isBlocked(t);
}

/** MCS adds: the thread must hold an active SC that is not waiting in the release queue. */
export function isSchedulable(ks: KernelState, t: TCB): boolean {
  if (!isRunnable(t)) return false;
  if (!ks.mcs) return true;
  return t.sc !== null && t.sc.refills.length > 0 && !t.inReleaseQueue;
}

export function setThreadState(ks: KernelState, t: TCB, state: ThreadState): void {
  // Running and Restart are both "may run": the trace shows only stopping and waking.
  if (tracing(ks) && isRunnable(t) !== (state === ThreadState.Running || state === ThreadState.Restart)) {
    const on = state === ThreadState.BlockedOnReply ? null : t.blockingObject;
    emit(ks, { kind: "state", state: stateName(state), on: on === null ? null : on.name }, t);
  }
  t.state = state;
  scheduleTCB(ks, t);
}

/** If the running thread just stopped being schedulable, a new one must be chosen. */
function scheduleTCB(ks: KernelState, t: TCB): void {
  if (t === ks.curThread && ks.schedulerAction.kind === "ResumeCurrentThread" && !isSchedulable(ks, t)) {
    ks.schedulerAction = CHOOSE_NEW_THREAD; // rescheduleRequired, knowing the action
  }
}

function addToBitmap(ks: KernelState, prio: number): void {
  ks.readyBitmap[prio >> 5]! |= 1 << (prio & 31);
}
function removeFromBitmap(ks: KernelState, prio: number): void {
  ks.readyBitmap[prio >> 5]! &= ~(1 << (prio & 31));
}

/** Highest priority with a non-empty ready queue, or -1. */
function highestReadyPriority(ks: KernelState): number {
  const bm = ks.readyBitmap;
  for (let w = bm.length - 1; w >= 0; w--) {
    const bits = bm[w]!;
    if (bits !== 0) return w * 32 + 31 - Math.clz32(bits);
  }
  return -1;
}

/** tcbSchedEnqueue: to the head of its priority's queue (no-op when already queued). */
export function tcbSchedEnqueue(ks: KernelState, t: TCB): void {
  if (t.inReadyQueue) return;
  const q = ks.readyQueues[t.priority]!;
  if (q.head === null) {
    q.tail = t;
    addToBitmap(ks, t.priority);
  } else {
    q.head.schedPrev = t;
  }
  t.schedPrev = null;
  t.schedNext = q.head;
  q.head = t;
  t.inReadyQueue = true;
}

/** tcbSchedAppend: to the tail of its priority's queue (no-op when already queued). */
export function tcbSchedAppend(ks: KernelState, t: TCB): void {
  if (t.inReadyQueue) return;
  const q = ks.readyQueues[t.priority]!;
  if (q.tail === null) {
    q.head = t;
    addToBitmap(ks, t.priority);
  } else {
    q.tail.schedNext = t;
  }
  t.schedNext = null;
  t.schedPrev = q.tail;
  q.tail = t;
  t.inReadyQueue = true;
}

export function tcbSchedDequeue(ks: KernelState, t: TCB): void {
  if (!t.inReadyQueue) return;
  const q = ks.readyQueues[t.priority]!;
  if (t.schedPrev) t.schedPrev.schedNext = t.schedNext;
  else q.head = t.schedNext;
  if (t.schedNext) t.schedNext.schedPrev = t.schedPrev;
  else q.tail = t.schedPrev;
  if (q.head === null) removeFromBitmap(ks, t.priority);
  t.schedPrev = t.schedNext = null;
  t.inReadyQueue = false;
}

export function rescheduleRequired(ks: KernelState): void {
  const action = ks.schedulerAction;
  if (action.kind === "SwitchToThread" && isSchedulable(ks, action.target)) {
    tcbSchedEnqueue(ks, action.target);
  }
  ks.schedulerAction = CHOOSE_NEW_THREAD;
}

/** possibleSwitchTo: a woken thread either becomes the switch candidate or is queued. */
export function possibleSwitchTo(ks: KernelState, target: TCB): void {
  if (ks.mcs && (target.sc === null || target.inReleaseQueue)) return;
  if (ks.schedulerAction.kind !== "ResumeCurrentThread") {
    rescheduleRequired(ks);
    tcbSchedEnqueue(ks, target);
  } else {
    ks.schedulerAction = { kind: "SwitchToThread", target };
  }
}

/** isHighestPrio: no ready thread has a higher priority than `prio`. */
export function isHighestPrio(ks: KernelState, prio: number): boolean {
  const top = highestReadyPriority(ks);
  return top < 0 || prio >= top;
}

function switchToThread(ks: KernelState, t: TCB): void {
  tcbSchedDequeue(ks, t);
  ks.curThread = t;
}

function chooseThread(ks: KernelState): void {
  const prio = highestReadyPriority(ks);
  if (prio < 0) {
    ks.curThread = null; // the idle thread
    return;
  }
  switchToThread(ks, ks.readyQueues[prio]!.head!);
}

/** schedule(): act on ksSchedulerAction, exactly in seL4's order (MCS: awaken first, switch SC last). */
export function schedule(ks: KernelState): void {
  if (ks.mcs) awaken(ks);
  const action = ks.schedulerAction;
  const before = ks.curThread;
  if (action.kind !== "ResumeCurrentThread") {
    const cur = ks.curThread;
    const wasRunnable = cur !== null && isSchedulable(ks, cur);
    if (wasRunnable) tcbSchedEnqueue(ks, cur!);
    if (action.kind === "ChooseNewThread") {
      chooseThread(ks);
    } else {
      const candidate = action.target;
      const fastfail = cur === null || candidate.priority < cur.priority;
      if (fastfail && !isHighestPrio(ks, candidate.priority)) {
        tcbSchedEnqueue(ks, candidate);
        chooseThread(ks);
      } else if (wasRunnable && candidate.priority === cur!.priority) {
        tcbSchedAppend(ks, candidate);
        chooseThread(ks);
      } else {
        switchToThread(ks, candidate);
      }
    }
  }
  ks.schedulerAction = RESUME_CURRENT_THREAD;
  if (ks.mcs) switchSchedContext(ks);
  if (ks.curThread !== before && tracing(ks)) emit(ks, { kind: "switch", to: ks.curThread?.name ?? null }, before);
}
