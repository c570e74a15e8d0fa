// Thread life-cycle operations shared by TCB invocations, finalisation and boot
// (src/kernel/thread.c restart/suspend, src/object/tcb.c setPriority, setupReplyMaster).
import { FaultIP, NextIP } from "../../abi/registers.js";
import type { KernelState } from "../model/state.js";
import {
  isSchedulable,
  isStopped,
  possibleSwitchTo,
  rescheduleRequired,
  setThreadState,
  tcbSchedDequeue,
  tcbSchedEnqueue,
} from "../kernel/scheduler.js";
import { releaseRemove, schedContextResume, sporadicUnblockCheck } from "../kernel/mcstime.js";
import { schedContextCancelYieldTo } from "./schedcontext.js";
import { cancelIPC, reorderQueued } from "./endpoint.js";
import { ThreadState, TCB_REPLY_MASTER, type TCB } from "./structures.js";
import { insertOriginal } from "./cdt.js";

/** master: every TCB holds a reply master cap in its slot 2; reply caps are its children. */
export function setupReplyMaster(ks: KernelState, t: TCB): void {
  if (ks.mcs) return;
  const slot = t.slots[TCB_REPLY_MASTER]!;
  if (slot.cap.type === "Null") insertOriginal({ type: "Reply", tcb: t, master: true, canGrant: true }, slot);
}

/** restart: a stopped thread re-executes the syscall it was blocked in (or starts). */
export function restart(ks: KernelState, t: TCB): void {
  if (!isStopped(t)) return;
  cancelIPC(ks, t);
  if (ks.mcs) {
    // schedContext_resume: a thread whose head refill is not ready waits in the release queue.
    setThreadState(ks, t, ThreadState.Restart);
    sporadicUnblockCheck(ks, t.sc);
    schedContextResume(ks, t.sc);
    if (isSchedulable(ks, t)) possibleSwitchTo(ks, t);
  } else {
    setupReplyMaster(ks, t);
    setThreadState(ks, t, ThreadState.Restart);
    tcbSchedEnqueue(ks, t);
    possibleSwitchTo(ks, t);
  }
}

/**
 * suspend: cancel any IPC and stop. A running thread other than the caller continues after the
 * point it was stopped at when resumed; a self-suspend re-executes its TCB_Suspend (seL4 #870).
 */
export function suspend(ks: KernelState, t: TCB): void {
  cancelIPC(ks, t);
  if (t.state === ThreadState.Running && t !== ks.curThread) t.regs[FaultIP] = t.regs[NextIP]!;
  tcbSchedDequeue(ks, t);
  if (ks.mcs) {
    releaseRemove(ks, t);
    schedContextCancelYieldTo(t);
  }
  setThreadState(ks, t, ThreadState.Inactive);
}

/**
 * setPriority (src/kernel/thread.c). master: re-queue the thread and let the scheduler reconsider.
 * MCS: a runnable thread that is queued or current is re-queued at its new priority and a new
 * choice is made; a blocked one is re-sorted in its endpoint or notification queue.
 */
export function setPriority(ks: KernelState, t: TCB, prio: number): void {
  if (!ks.mcs) {
    tcbSchedDequeue(ks, t);
    t.priority = prio;
    if (isSchedulable(ks, t)) {
      if (t === ks.curThread) rescheduleRequired(ks);
      else possibleSwitchTo(ks, t);
    }
    return;
  }
  switch (t.state) {
    case ThreadState.Running:
    case ThreadState.Restart:
      if (t.inReadyQueue || t === ks.curThread) {
        tcbSchedDequeue(ks, t);
        t.priority = prio;
        if (isSchedulable(ks, t)) tcbSchedEnqueue(ks, t);
        rescheduleRequired(ks);
      } else {
        t.priority = prio;
      }
      return;
    case ThreadState.BlockedOnReceive:
    case ThreadState.BlockedOnSend:
    case ThreadState.BlockedOnNotification:
      t.priority = prio;
      reorderQueued(ks, t);
      return;
    default:
      t.priority = prio;
  }
}
