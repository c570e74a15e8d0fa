// System-call entry (src/api/syscall.c): handleSyscall, handleInvocation, handleRecv,
// handleReply, handleYield. Lookup failures here become faults; decode failures become error
// replies for Call and are dropped for Send/NBSend.
import { syscallName } from "./constants.js";
import { LookupFailureError, SyscallErrorThrow, type Fault } from "./failures.js";
import { messageInfoFromWord, type Word } from "./types.js";
import { capRegister, msgInfoRegister, nbsendRecvDest, replyRegister, syscallNumberRegister } from "../arch/registers.js";
import type { KernelState } from "../model/state.js";
import { lookupCap, lookupSlot } from "../kernel/cspace.js";
import { dumpScheduler, userError } from "../kernel/debug.js";
import { handleFault } from "../kernel/faulthandler.js";
import { getSyscallArg, lookupIPCBuffer } from "../kernel/message.js";
import { mcsYield } from "../kernel/mcstime.js";
import { rescheduleRequired, setThreadState, tcbSchedAppend, tcbSchedDequeue } from "../kernel/scheduler.js";
import { deleteCallerCap, doReplyTransfer, lookupExtraCaps, replyFromKernelError, replyFromKernelSuccessEmpty } from "../kernel/transfer.js";
import { receiveIPC } from "../object/endpoint.js";
import { decodeAndPerform } from "../object/invoke.js";
import { receiveSignal } from "../object/notification.js";
import { canGrant, canReceive } from "../object/objecttype.js";
import { ThreadState, TCB_CALLER, type ReplyObj, type TCB } from "../object/structures.js";
import { seL4_FastMessageRegisters, IPCBUF_MSG } from "./constants.js";

function capFault(address: Word, inReceivePhase: boolean, e: LookupFailureError): Fault {
  return { type: "CapFault", address, inReceivePhase, lookupFailure: e.failure };
}

const missingCap = (address: Word): Fault =>
  ({ type: "CapFault", address, inReceivePhase: true, lookupFailure: { type: "MissingCapability", bitsLeft: 0 } });

/** handleInvocation: look up the invoked cap and extra caps, decode, perform, reply. */
export function handleInvocation(ks: KernelState, isCall: boolean, isBlocking: boolean, canDonate: boolean,
  firstPhase: boolean, cptr: Word): void {
  const thread = ks.curThread!;
  const info = messageInfoFromWord(thread.regs[msgInfoRegister]!);
  let slot;
  try {
    slot = lookupSlot(thread, cptr);
  } catch (e) {
    if (!(e instanceof LookupFailureError)) throw e;
    userError(ks, "handleInvocation", `Invocation of invalid cap #${cptr}.`);
    if (isBlocking) handleFault(ks, thread, capFault(cptr, false, e));
    return;
  }
  const buf = lookupIPCBuffer(ks, false, thread);
  const extra = lookupExtraCaps(ks, thread, buf, info.extraCaps);
  if ("fault" in extra) {
    userError(ks, "handleInvocation", "Lookup of extra caps failed.");
    if (isBlocking) handleFault(ks, thread, extra.fault);
    return;
  }
  let length = info.length;
  if (length > seL4_FastMessageRegisters && buf === null) length = seL4_FastMessageRegisters;
  const args: Word[] = [];
  for (let i = 0; i < length; i++) args.push(getSyscallArg(ks, thread, buf, i));
  try {
    decodeAndPerform(ks, thread, info.label, args, extra.slots, { cptr, slot, isBlocking, isCall, canDonate, firstPhase });
  } catch (e) {
    if (!(e instanceof SyscallErrorThrow)) throw e;
    if (e.message) userError(ks, "decodeInvocation", e.message);
    if (isCall) replyFromKernelError(ks, thread, e.error);
    return;
  }
  if (thread.state === ThreadState.Restart) {
    if (isCall) replyFromKernelSuccessEmpty(thread);
    setThreadState(ks, thread, ThreadState.Running);
  }
}

/** handleRecv: receive on an endpoint (with the MCS reply object) or wait on a notification. */
export function handleRecv(ks: KernelState, isBlocking: boolean, canReply: boolean): void {
  const thread = ks.curThread!;
  const epCPtr = thread.regs[capRegister]!;
  let cap;
  try {
    cap = lookupCap(thread, epCPtr);
  } catch (e) {
    if (!(e instanceof LookupFailureError)) throw e;
    handleFault(ks, thread, capFault(epCPtr, true, e));
    return;
  }
  if (cap.type === "Endpoint") {
    if (!canReceive(cap)) {
      handleFault(ks, thread, missingCap(epCPtr));
      return;
    }
    let reply: ReplyObj | null = null;
    if (ks.mcs) {
      if (canReply) {
        const replyCPtr = thread.regs[replyRegister]!;
        let replyCap;
        try {
          replyCap = lookupCap(thread, replyCPtr);
        } catch (e) {
          if (!(e instanceof LookupFailureError)) throw e;
          replyCap = null;
        }
        if (replyCap === null || replyCap.type !== "ReplyObject") {
          handleFault(ks, thread, missingCap(replyCPtr));
          return;
        }
        reply = replyCap.obj;
      }
    } else {
      deleteCallerCap(ks, thread);
    }
    receiveIPC(ks, thread, cap.obj, canGrant(cap), isBlocking, reply);
    return;
  }
  if (cap.type === "Notification") {
    const bound = cap.obj.boundTCB;
    if (!canReceive(cap) || (bound !== null && bound !== thread)) {
      handleFault(ks, thread, missingCap(epCPtr));
      return;
    }
    receiveSignal(ks, thread, cap.obj, isBlocking);
    return;
  }
  handleFault(ks, thread, missingCap(epCPtr));
}

/** master seL4_Reply: the one-shot reply cap in the caller's Caller slot, if any. */
export function handleReply(ks: KernelState): void {
  const thread = ks.curThread!;
  const callerSlot = thread.slots[TCB_CALLER]!;
  const cap = callerSlot.cap;
  if (cap.type === "Reply" && !cap.master) doReplyTransfer(ks, thread, cap.tcb, { slot: callerSlot }, cap.canGrant);
}

export function handleYield(ks: KernelState): void {
  if (ks.mcs) {
    mcsYield(ks);
    return;
  }
  const cur = ks.curThread!;
  tcbSchedDequeue(ks, cur);
  tcbSchedAppend(ks, cur);
  rescheduleRequired(ks);
}

/** A NUL-terminated string from the thread's IPC buffer message area (seL4_DebugNameThread). */
function readBufferString(ks: KernelState, t: TCB): string {
  const buf = lookupIPCBuffer(ks, false, t);
  if (buf === null) return "";
  const bytes = new Uint8Array(ks.memory, (buf + IPCBUF_MSG) * 8, 119 * 8);
  const end = bytes.indexOf(0);
  return Buffer.from(bytes.subarray(0, end < 0 ? bytes.length : end)).toString("utf8");
}

/** handleSyscall: dispatch on the syscall number in RDX. Unknown numbers are UnknownSyscall faults. */
export function handleSyscall(ks: KernelState): void {
  const thread = ks.curThread!;
  const number = thread.regs[syscallNumberRegister]!;
  const signed = number >= 1n << 63n ? number - (1n << 64n) : number;
  const name = syscallName(ks.config, Number(signed));
  const dest = thread.regs[capRegister]!;
  switch (name) {
    case "Send": return handleInvocation(ks, false, true, false, false, dest);
    case "NBSend": return handleInvocation(ks, false, false, false, false, dest);
    case "Call": return handleInvocation(ks, true, true, true, false, dest);
    case "Recv": return handleRecv(ks, true, true);
    case "NBRecv": return handleRecv(ks, false, true);
    case "Reply": return handleReply(ks);
    case "ReplyRecv":
      if (ks.mcs) {
        handleInvocation(ks, false, false, true, true, thread.regs[replyRegister]!);
      } else {
        handleReply(ks);
      }
      return handleRecv(ks, true, true);
    case "NBSendRecv":
      handleInvocation(ks, false, false, true, true, thread.regs[nbsendRecvDest]!);
      return handleRecv(ks, true, true);
    case "NBSendWait":
      handleInvocation(ks, false, false, true, true, thread.regs[replyRegister]!);
      return handleRecv(ks, true, false);
    case "Wait": return handleRecv(ks, true, false);
    case "NBWait": return handleRecv(ks, false, false);
    case "Yield": return handleYield(ks);
    case "DebugPutChar":
      ks.print(String.fromCharCode(Number(dest & 0xffn)));
      return;
    case "DebugDumpScheduler":
      ks.print(dumpScheduler(ks));
      return;
    case "DebugHalt":
      ks.print("halting...\n");
      ks.halted = true;
      return;
    case "DebugNameThread": {
      let cap;
      try {
        cap = lookupCap(thread, dest);
      } catch {
        cap = null;
      }
      if (cap === null || cap.type !== "Thread") {
        userError(ks, "handleSyscall", "SysDebugNameThread: cap is not a TCB, halting");
        ks.halted = true;
        return;
      }
      cap.obj.name = readBufferString(ks, thread);
      return;
    }
    case "DebugCapIdentify": {
      let type = 0n;
      try {
        type = BigInt(capTypeNumber(lookupCap(thread, dest).type));
      } catch {
        type = 0n;
      }
      thread.regs[capRegister] = type;
      return;
    }
    case "DebugSnapshot":
      return;
    default:
      handleFault(ks, thread, { type: "UnknownSyscall", syscallNumber: number });
  }
}

/** seL4_DebugCapIdentify's cap type numbers (cap_tag_t, even numbers on 64-bit). */
function capTypeNumber(type: string): number {
  const tags: Record<string, number> = {
    Null: 0, Untyped: 2, Endpoint: 4, Notification: 6, Reply: 8, CNode: 10, Thread: 12, IRQControl: 14,
    Domain: 20, SchedContext: 22, SchedControl: 24, ReplyObject: 8, Frame: 1, PageTable: 3, PageDirectory: 5,
    PDPT: 7, PML4: 9, ASIDPool: 13,
  };
  return tags[type] ?? 0;
}
