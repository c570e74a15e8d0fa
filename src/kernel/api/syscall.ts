// System-call entry (src/api/syscall.c): handleSyscall, handleInvocation, handleRecv,
// handleReply, handleYield. Lookup failures here become faults; decode failures become error
// replies for Call and are dropped for Send/NBSend.
import { syscallName } from "../../abi/syscall.js";
import { LookupFailureError, SyscallErrorThrow, type Fault } from "./failures.js";
import type { Word } from "./types.js";
import { emit, errorDetail, errorName, hexWord, tracing } from "./trace.js";
import {
  capRegister,
  msgInfoRegister,
  nbsendRecvDest,
  replyRegister,
  syscallNumberRegister,
} from "../../abi/registers.js";
import { syscallNumberOf } from "../arch/registerset.js";
import type { KernelState } from "../model/state.js";
import { lookupCap, lookupSlotMemo } from "../kernel/cspace.js";
import { dumpScheduler, userError } from "../kernel/debug.js";
import { handleFault } from "../kernel/faulthandler.js";
import { decodeMessageInfo, getSyscallArg, lookupIPCBuffer } from "../kernel/message.js";
import { mcsYield } from "../kernel/mcstime.js";
import { rescheduleRequired, setThreadState, tcbSchedAppend, tcbSchedDequeue } from "../kernel/scheduler.js";
import {
  deleteCallerCap,
  doReplyTransfer,
  lookupExtraCaps,
  replyFromKernelError,
  replyFromKernelSuccessEmpty,
} from "../kernel/transfer.js";
import { tcbDebugName } from "../object/create.js";
import { receiveIPC } from "../object/endpoint.js";
import { decodeAndPerform } from "../object/invoke.js";
import { receiveSignal } from "../object/notification.js";
import { canGrant, canReceive } from "../object/objecttype.js";
import { ThreadState, TCB_CALLER, type Cap, type ReplyObj, type TCB } from "../object/structures.js";
import { seL4_FastMessageRegisters, IPCBUF_MSG } from "../../abi/constants.js";

function capFault(address: Word, inReceivePhase: boolean, e: LookupFailureError): Fault {
  return { type: "CapFault", address, inReceivePhase, lookupFailure: e.failure };
}

const missingCap = (address: Word): Fault => ({
  type: "CapFault",
  address,
  inReceivePhase: true,
  lookupFailure: { type: "MissingCapability", bitsLeft: 0 },
});

const NO_WORDS: readonly Word[] = Object.freeze([]);

/** The invocation arguments (MR0..length-1). IPC caps never read them, so they are not gathered for those. */
function invocationArgs(ks: KernelState, thread: TCB, cap: Cap, buf: number | null, length: number): Word[] {
  switch (cap.type) {
    case "Endpoint":
    case "Notification":
    case "Reply":
    case "ReplyObject":
    case "Null":
      return NO_WORDS as Word[];
    default: {
      const args: Word[] = new Array(length);
      for (let i = 0; i < length; i++) args[i] = getSyscallArg(ks, thread, buf, i);
      return args;
    }
  }
}

/** handleInvocation: look up the invoked cap and extra caps, decode, perform, reply. */
function handleInvocation(
  ks: KernelState,
  isCall: boolean,
  isBlocking: boolean,
  canDonate: boolean,
  firstPhase: boolean,
  cptr: Word,
): void {
  const thread = ks.curThread!;
  const info = decodeMessageInfo(thread.regs[msgInfoRegister]!);
  let slot;
  try {
    slot = lookupSlotMemo(thread, cptr);
  } catch (e) {
    if (!(e instanceof LookupFailureError)) throw e;
    userError(ks, "handleInvocation", `Invocation of invalid cap #${cptr}.`);
    if (isBlocking) handleFault(ks, thread, capFault(cptr, false, e));
    return;
  }
  // The IPC buffer holds MR4 and up and the extra caps' CPtrs; a short message without caps needs none.
  const buf = info.length > seL4_FastMessageRegisters || info.extraCaps > 0 ? lookupIPCBuffer(ks, false, thread) : null;
  const extra = lookupExtraCaps(ks, thread, buf, info.extraCaps);
  if ("fault" in extra) {
    userError(ks, "handleInvocation", "Lookup of extra caps failed.");
    if (isBlocking) handleFault(ks, thread, extra.fault);
    return;
  }
  let length = info.length;
  if (length > seL4_FastMessageRegisters && buf === null) {
    // Not every transfer point may fail, so the kernel truncates rather than returning an error.
    userError(
      ks,
      "handleInvocation",
      `Warning: No IPC buffer for thread. Truncating message length to: ${seL4_FastMessageRegisters}.`,
    );
    length = seL4_FastMessageRegisters;
  }
  const args = invocationArgs(ks, thread, slot.cap, buf, length);
  try {
    decodeAndPerform(ks, thread, info.label, args, extra.slots, {
      cptr,
      slot,
      isBlocking,
      isCall,
      canDonate,
      firstPhase,
    });
  } catch (e) {
    if (!(e instanceof SyscallErrorThrow)) throw e;
    if (e.message) userError(ks, e.fn ?? "decodeInvocation", e.message);
    if (tracing(ks)) {
      emit(ks, {
        kind: "error",
        error: errorName(e.error),
        detail: errorDetail(e.error),
        message: e.message,
        function: e.fn ?? "decodeInvocation",
      });
    }
    if (isCall) replyFromKernelError(ks, thread, e.error);
    return;
  }
  if (thread.state === ThreadState.Restart) {
    if (isCall) replyFromKernelSuccessEmpty(thread);
    setThreadState(ks, thread, ThreadState.Running);
  }
}

/**
 * A receive-phase implicit lookup: a CPtr that does not resolve raises a cap fault with its
 * lookup failure (after the userError line seL4 prints there, if any) and gives null.
 */
function lookupCapForRecv(ks: KernelState, thread: TCB, cptr: Word, errorFn?: string, errorText?: string): Cap | null {
  try {
    return lookupSlotMemo(thread, cptr).cap;
  } catch (e) {
    if (!(e instanceof LookupFailureError)) throw e;
    if (errorFn !== undefined) userError(ks, errorFn, errorText ?? "");
    handleFault(ks, thread, capFault(cptr, true, e));
    return null;
  }
}

/** handleRecv: receive on an endpoint (with the MCS reply object) or wait on a notification. */
function handleRecv(ks: KernelState, isBlocking: boolean, canReply: boolean): void {
  const thread = ks.curThread!;
  const epCPtr = thread.regs[capRegister]!;
  const cap = lookupCapForRecv(ks, thread, epCPtr);
  if (cap === null) return;
  if (cap.type === "Endpoint") {
    if (!canReceive(cap)) {
      handleFault(ks, thread, missingCap(epCPtr));
      return;
    }
    let reply: ReplyObj | null = null;
    if (ks.mcs) {
      if (canReply) {
        // lookupReply: a CPtr that does not resolve faults with its lookup failure; a cap that is
        // not a reply cap faults with MissingCapability.
        const replyCPtr = thread.regs[replyRegister]!;
        const replyCap = lookupCapForRecv(ks, thread, replyCPtr, "lookupReply", "Reply cap lookup failed");
        if (replyCap === null) return;
        if (replyCap.type !== "ReplyObject") {
          userError(ks, "lookupReply", "Cap in reply slot is not a reply cap");
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
function handleReply(ks: KernelState): void {
  const thread = ks.curThread!;
  const callerSlot = thread.slots[TCB_CALLER]!;
  const cap = callerSlot.cap;
  if (cap.type === "Reply" && !cap.master) doReplyTransfer(ks, thread, cap.tcb, { slot: callerSlot }, cap.canGrant);
}

function handleYield(ks: KernelState): void {
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

/** The syscall event: the entry as the thread made it (its seL4 name, cap register and message info). */
export function traceSyscall(ks: KernelState, thread: TCB): void {
  const name = syscallName(ks.config, syscallNumberOf(ks, thread));
  const info = decodeMessageInfo(thread.regs[msgInfoRegister]!);
  emit(ks, {
    kind: "syscall",
    syscall: name === undefined ? `unknown syscall ${syscallNumberOf(ks, thread)}` : `seL4_${name}`,
    cptr: hexWord(thread.regs[capRegister]!),
    label: hexWord(info.label),
    length: info.length,
    extraCaps: info.extraCaps,
  });
}

/** handleSyscall: dispatch on the syscall number in RDX. Unknown numbers are UnknownSyscall faults. */
export function handleSyscall(ks: KernelState): void {
  const thread = ks.curThread!;
  const name = syscallName(ks.config, syscallNumberOf(ks, thread));
  const dest = thread.regs[capRegister]!;
  switch (name) {
    case "Send":
      return handleInvocation(ks, false, true, false, false, dest);
    case "NBSend":
      return handleInvocation(ks, false, false, false, false, dest);
    case "Call":
      return handleInvocation(ks, true, true, true, false, dest);
    case "Recv":
      return handleRecv(ks, true, true);
    case "NBRecv":
      return handleRecv(ks, false, true);
    case "Reply":
      return handleReply(ks);
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
    case "Wait":
      return handleRecv(ks, true, false);
    case "NBWait":
      return handleRecv(ks, false, false);
    case "Yield":
      return handleYield(ks);
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
      cap.obj.name = tcbDebugName(readBufferString(ks, thread));
      return;
    }
    case "DebugCapIdentify": {
      let type: bigint;
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
      handleFault(ks, thread, { type: "UnknownSyscall", syscallNumber: thread.regs[syscallNumberRegister]! });
  }
}

/** seL4_DebugCapIdentify's cap type numbers (cap_tag_t, even numbers on 64-bit). */
function capTypeNumber(type: string): number {
  const tags: Record<string, number> = {
    Null: 0,
    Untyped: 2,
    Endpoint: 4,
    Notification: 6,
    Reply: 8,
    CNode: 10,
    Thread: 12,
    IRQControl: 14,
    IRQHandler: 16,
    Domain: 20,
    SchedContext: 22,
    SchedControl: 24,
    ReplyObject: 8,
    Frame: 1,
    PageTable: 3,
    PageDirectory: 5,
    PDPT: 7,
    PML4: 9,
    ASIDControl: 11,
    ASIDPool: 13,
    IOPortControl: 31,
  };
  return tags[type] ?? 0;
}
