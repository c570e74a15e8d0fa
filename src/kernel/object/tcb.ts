// TCB invocations (src/object/tcb.c): decodeTCBInvocation hands each label to its decoder
// (decodeReadRegisters, decodeTCBConfigure, decodeSetSpace, ...), with the master and MCS signatures
// where they differ: master names the fault handler by a CPtr stored as-is and
// resolved in the faulting thread's CSpace later; MCS copies a cap (from the invoker's CSpace)
// into TCB slot 3 after checking it.
import {
  RIGHT_GRANT,
  RIGHT_GRANT_REPLY,
  RIGHT_READ,
  RIGHT_WRITE,
  seL4_IPCBufferSizeBits,
  seL4_MinPrio,
} from "../../abi/constants.js";
import { syscallName } from "../../abi/syscall.js";
import { syscallError } from "../api/failures.js";
import { wordFromMessageInfo, wordToNumber, type Word } from "../api/types.js";
import {
  FS_BASE,
  FaultIP,
  NextIP,
  msgInfoRegister,
  badgeRegister,
  userContextRegisters,
  seL4_UserContextWords,
  frameRegisters,
  gpRegisters,
  syscallNumberRegister,
} from "../../abi/registers.js";
import { sanitiseRegister } from "../arch/registerset.js";
import { traceCapChange } from "../api/trace.js";
import type { KernelState } from "../model/state.js";
import { lookupIPCBuffer, setMRs } from "../kernel/message.js";
import {
  setThreadState,
  isSchedulable,
  isRunnable,
  rescheduleRequired,
  possibleSwitchTo,
} from "../kernel/scheduler.js";
import { cteDelete, cteInsert } from "./cdt.js";
import { deriveCap, updateCapData } from "./objecttype.js";
import { bindNotification, unbindNotification } from "./notification.js";
import { restart, setPriority, suspend } from "./tcbops.js";
import { schedContextBindTCB, schedContextUnbindTCB } from "./schedcontext.js";
import type { Invocation } from "./cnode.js";
import {
  NULL_CAP,
  ThreadState,
  TCB_BUFFER_MASTER,
  TCB_BUFFER_MCS,
  TCB_CTABLE,
  TCB_FAULT_HANDLER,
  TCB_TIMEOUT_HANDLER,
  TCB_VTABLE,
  type Cap,
  type CTE,
  type SchedContextObj,
  type TCB,
} from "./structures.js";

const truncated = (what: string): never =>
  syscallError({ type: "TruncatedMessage" }, `TCB ${what}: Truncated message.`);

/**
 * Whether the invocation being decoded came in through seL4_Call (the syscall number is still in
 * RDX). invokeTCB_ReadRegisters and X86PageGetAddress write their reply only for a Call; through
 * Send the caller's message registers are left alone.
 */
export function invokedByCall(ks: KernelState, cur: TCB): boolean {
  const n = cur.regs[syscallNumberRegister]!;
  return syscallName(ks.config, Number(n >= 1n << 63n ? n - (1n << 64n) : n)) === "Call";
}

/** A successful reply carrying `words` (label 0), as the invoke functions that answer a Call write it. */
function replyWords(ks: KernelState, cur: TCB, words: Word[]): void {
  const len = setMRs(ks, cur, lookupIPCBuffer(ks, true, cur), 0, words);
  cur.regs[badgeRegister] = 0n;
  cur.regs[msgInfoRegister] = wordFromMessageInfo({ label: 0n, capsUnwrapped: 0, extraCaps: 0, length: len });
}

/** The flags seL4_TCB_SetFlags may set (seL4_TCBFlag_fpuDisabled). */
const seL4_TCBFlag_MASK = 1n;

/** seL4_TCB_CopyRegisters flag bits (MR0). */
const COPY_SUSPEND_SOURCE = 0n,
  COPY_RESUME_TARGET = 1n,
  COPY_TRANSFER_FRAME = 2n,
  COPY_TRANSFER_INTEGER = 3n;

/** The authority argument of SetPriority/SetMCPriority/SetSchedParams must be a TCB cap (cap 1). */
function authorityTCB(authority: Cap, message: string): TCB {
  if (authority.type !== "Thread") syscallError({ type: "InvalidCapability", capNumber: 1 }, message);
  return authority.obj;
}

/** checkPrio: a new priority/MCP may not exceed the authority's MCP (RangeError [0, mcp]). */
function checkPrio(prio: Word, auth: TCB, message: (mcp: number) => string): number {
  const mcp = auth.mcp;
  if (prio > BigInt(mcp)) syscallError({ type: "RangeError", min: seL4_MinPrio, max: mcp }, message(mcp));
  return Number(prio);
}

/** validFaultHandler (MCS): null, or an endpoint cap that can send and grant (or grant a reply). */
function validFaultHandler(cap: Cap): boolean {
  if (cap.type === "Null") return true;
  if (cap.type !== "Endpoint") return false;
  return (cap.rights & RIGHT_WRITE) !== 0 && (cap.rights & (RIGHT_GRANT | RIGHT_GRANT_REPLY)) !== 0;
}

interface SpaceArgs {
  cspace: { cap: Cap; slot: CTE };
  vspace: { cap: Cap; slot: CTE };
}

/**
 * The CSpace/VSpace checks shared by Configure and SetSpace: guard data applied to the CNode cap,
 * both caps derived, the CSpace must be a CNode and the VSpace a PML4 with an ASID
 * (isValidVTableRoot: a null VSpace cap is not valid either).
 */
function decodeSpaces(
  what: "Configure" | "SetSpace",
  cspaceSlot: CTE,
  cdata: Word,
  vspaceSlot: CTE,
  vdata: Word,
): SpaceArgs {
  let cspaceCap = cspaceSlot.cap;
  if (cdata !== 0n) cspaceCap = updateCapData(false, cdata, cspaceCap);
  cspaceCap = deriveCap(cspaceSlot, cspaceCap);
  if (cspaceCap.type !== "CNode") {
    syscallError(
      { type: "IllegalOperation" },
      what === "Configure" ? "TCB Configure: CSpace cap is invalid." : "TCB SetSpace: Invalid CNode cap.",
    );
  }
  let vspaceCap = vspaceSlot.cap;
  if (vdata !== 0n) vspaceCap = updateCapData(false, vdata, vspaceCap);
  vspaceCap = deriveCap(vspaceSlot, vspaceCap);
  if (vspaceCap.type !== "PML4" || vspaceCap.obj.asid === null) {
    syscallError(
      { type: "IllegalOperation" },
      what === "Configure" ? "TCB Configure: VSpace cap is invalid." : "TCB SetSpace: Invalid VSpace cap.",
    );
  }
  return { cspace: { cap: cspaceCap, slot: cspaceSlot }, vspace: { cap: vspaceCap, slot: vspaceSlot } };
}

/** Replace a TCB's internal slot with a cap derived from `src` (or empty it for a null cap). */
function installSlot(ks: KernelState, slot: CTE, cap: Cap, src: CTE): void {
  cteDelete(ks, slot);
  if (cap.type === "Null") return;
  cteInsert(cap, src, slot);
  traceCapChange(ks, "insert", slot, cap);
}

/**
 * The IPC buffer argument of Configure/SetIPCBuffer (checkValidIPCBuffer): address 0 means "no
 * buffer" and the frame cap is ignored; otherwise the derived cap must be a non-device frame and
 * the address 1 KiB aligned.
 */
function decodeBuffer(bufferAddr: Word, frameSlot: CTE): Cap {
  if (bufferAddr === 0n) return NULL_CAP;
  const cap = deriveCap(frameSlot, frameSlot.cap);
  if (cap.type !== "Frame") syscallError({ type: "IllegalOperation" }, "IPC Buffer is an invalid cap.");
  if (cap.obj.isDevice)
    syscallError({ type: "IllegalOperation" }, "Specifying a device frame as an IPC buffer is not permitted.");
  if ((bufferAddr & BigInt(2 ** seL4_IPCBufferSizeBits - 1)) !== 0n) {
    syscallError({ type: "AlignmentError" }, `IPC Buffer vaddr 0x${bufferAddr.toString(16)} is not aligned.`);
  }
  return cap;
}

export function decodeTCBInvocation(ks: KernelState, cur: TCB, inv: Invocation, target: TCB): () => void {
  switch (inv.label) {
    case "TCBReadRegisters":
      return decodeReadRegisters(ks, cur, inv, target);
    case "TCBWriteRegisters":
      return decodeWriteRegisters(ks, cur, inv, target);
    case "TCBCopyRegisters":
      return decodeCopyRegisters(ks, inv, target);
    case "TCBConfigure":
      return decodeTCBConfigure(ks, cur, inv, target);
    case "TCBSetSpace":
      return decodeSetSpace(ks, inv, target);
    case "TCBSetPriority":
      return decodeSetPriority(ks, inv, target);
    case "TCBSetMCPriority":
      return decodeSetMCPriority(inv, target);
    case "TCBSetSchedParams":
      return decodeSetSchedParams(ks, cur, inv, target);
    case "TCBSetTimeoutEndpoint":
      return decodeSetTimeoutEndpoint(ks, inv, target);
    case "TCBSetIPCBuffer":
      return decodeSetIPCBuffer(ks, cur, inv, target);
    case "TCBSuspend":
      return () => suspend(ks, target);
    case "TCBResume":
      return () => restart(ks, target);
    case "TCBBindNotification":
      return decodeBindNotification(inv, target);
    case "TCBUnbindNotification":
      return decodeUnbindNotification(target);
    case "TCBSetTLSBase":
      return decodeSetTLSBase(inv, target);
    case "TCBSetFlags":
      return decodeSetFlags(ks, cur, inv, target);
    default:
      return syscallError({ type: "IllegalOperation" }, "TCB: Illegal operation.");
  }
}

function decodeReadRegisters(ks: KernelState, cur: TCB, inv: Invocation, target: TCB): () => void {
  const { args } = inv;
  if (args.length < 2) truncated("ReadRegisters");
  const suspendSource = (args[0]! & 1n) !== 0n;
  const count = args[1]!;
  if (count < 1n || count > BigInt(seL4_UserContextWords)) {
    syscallError(
      { type: "RangeError", min: 1, max: seL4_UserContextWords },
      `TCB ReadRegisters: Attempted to read an invalid number of registers (${wordToNumber(count)}).`,
    );
  }
  if (target === cur)
    syscallError({ type: "IllegalOperation" }, "TCB ReadRegisters: Attempted to read our own registers.");
  const call = invokedByCall(ks, cur);
  return () => {
    if (suspendSource) suspend(ks, target);
    if (call)
      replyWords(
        ks,
        cur,
        userContextRegisters.slice(0, Number(count)).map((r) => target.regs[r]!),
      );
    setThreadState(ks, cur, ThreadState.Running);
  };
}

function decodeWriteRegisters(ks: KernelState, cur: TCB, inv: Invocation, target: TCB): () => void {
  const { args } = inv;
  if (args.length < 2) truncated("WriteRegisters");
  const resumeTarget = (args[0]! & 1n) !== 0n;
  const w = args[1]!;
  // The length check uses the requested count; only the copy is capped at seL4_UserContextWords.
  if (BigInt(args.length - 2) < w) {
    syscallError(
      { type: "TruncatedMessage" },
      `TCB WriteRegisters: Message too short for requested write size (${args.length - 2}/${wordToNumber(w)}).`,
    );
  }
  if (target === cur)
    syscallError({ type: "IllegalOperation" }, "TCB WriteRegisters: Attempted to write our own registers.");
  const count = Math.min(Number(w), seL4_UserContextWords);
  return () => {
    for (let i = 0; i < count; i++) {
      const r = userContextRegisters[i]!;
      target.regs[r] = sanitiseRegister(r, args[2 + i]!);
    }
    target.regs[NextIP] = target.regs[FaultIP]!;
    if (resumeTarget) restart(ks, target);
  };
}

function decodeCopyRegisters(ks: KernelState, inv: Invocation, target: TCB): () => void {
  const { args, extraCaps } = inv;
  if (args.length < 1 || extraCaps.length < 1) truncated("CopyRegisters");
  const source = extraCaps[0]!.cap;
  if (source.type !== "Thread")
    syscallError({ type: "InvalidCapability", capNumber: 1 }, "TCB CopyRegisters: Invalid source TCB.");
  const flags = args[0]!;
  const bit = (n: bigint) => (flags & (1n << n)) !== 0n;
  return () => {
    const src = source.obj;
    if (bit(COPY_SUSPEND_SOURCE)) suspend(ks, src);
    if (bit(COPY_RESUME_TARGET)) restart(ks, target);
    if (bit(COPY_TRANSFER_FRAME)) {
      for (const r of frameRegisters) target.regs[r] = src.regs[r]!;
      target.regs[NextIP] = target.regs[FaultIP]!;
    }
    if (bit(COPY_TRANSFER_INTEGER)) for (const r of gpRegisters) target.regs[r] = src.regs[r]!;
  };
}

function decodeTCBConfigure(ks: KernelState, cur: TCB, inv: Invocation, target: TCB): () => void {
  const { args, extraCaps } = inv;
  const bufferSlot = ks.mcs ? TCB_BUFFER_MCS : TCB_BUFFER_MASTER;
  const need = ks.mcs ? 3 : 4;
  if (args.length < need || extraCaps.length < 3) truncated("Configure");
  const [faultEP, cdata, vdata, buffer] = ks.mcs
    ? [0n, args[0]!, args[1]!, args[2]!]
    : [args[0]!, args[1]!, args[2]!, args[3]!];
  // The buffer is checked before the spaces, as decodeTCBConfigure does.
  const bufferCap = decodeBuffer(buffer, extraCaps[2]!);
  const spaces = decodeSpaces("Configure", extraCaps[0]!, cdata, extraCaps[1]!, vdata);
  return () => {
    if (!ks.mcs) target.faultHandlerCPtr = faultEP;
    installSlot(ks, target.slots[TCB_CTABLE]!, spaces.cspace.cap, spaces.cspace.slot);
    installSlot(ks, target.slots[TCB_VTABLE]!, spaces.vspace.cap, spaces.vspace.slot);
    target.ipcBufferVAddr = buffer;
    installSlot(ks, target.slots[bufferSlot]!, bufferCap, extraCaps[2]!);
    if (target === cur) rescheduleRequired(ks);
  };
}

function decodeSetPriority(ks: KernelState, inv: Invocation, target: TCB): () => void {
  const { args, extraCaps } = inv;
  if (args.length < 1 || extraCaps.length < 1) truncated("SetPriority");
  const auth = authorityTCB(extraCaps[0]!.cap, "Set priority: authority cap not a TCB.");
  const prio = checkPrio(
    args[0]!,
    auth,
    (mcp) => `TCB SetPriority: Requested priority ${args[0]!} too high (max ${mcp}).`,
  );
  return () => setPriority(ks, target, prio);
}

function decodeSetMCPriority(inv: Invocation, target: TCB): () => void {
  const { args, extraCaps } = inv;
  if (args.length < 1 || extraCaps.length < 1) truncated("SetMCPriority");
  const auth = authorityTCB(extraCaps[0]!.cap, "TCB SetMCPriority: authority cap not a TCB.");
  const mcp = checkPrio(
    args[0]!,
    auth,
    (max) => `TCB SetMCPriority: Requested maximum controlled priority ${args[0]!} too high (max ${max}).`,
  );
  return () => {
    target.mcp = mcp;
  };
}

function decodeSetTimeoutEndpoint(ks: KernelState, inv: Invocation, target: TCB): () => void {
  const { extraCaps } = inv;
  if (extraCaps.length < 1) truncated("SetTimeoutEndpoint");
  const slot = extraCaps[0]!;
  if (!validFaultHandler(slot.cap)) {
    syscallError({ type: "InvalidCapability", capNumber: 1 }, "TCB SetTimeoutEndpoint: timeout endpoint cap invalid.");
  }
  return () => installSlot(ks, target.slots[TCB_TIMEOUT_HANDLER]!, slot.cap, slot);
}

function decodeSetIPCBuffer(ks: KernelState, cur: TCB, inv: Invocation, target: TCB): () => void {
  const { args, extraCaps } = inv;
  const bufferSlot = ks.mcs ? TCB_BUFFER_MCS : TCB_BUFFER_MASTER;
  // The frame cap is required even when the address is 0 (which removes the buffer).
  if (args.length < 1 || extraCaps.length < 1) truncated("SetIPCBuffer");
  const buffer = args[0]!;
  const frameSlot = extraCaps[0]!;
  const cap = decodeBuffer(buffer, frameSlot);
  return () => {
    target.ipcBufferVAddr = buffer;
    installSlot(ks, target.slots[bufferSlot]!, cap, frameSlot);
    if (target === cur) rescheduleRequired(ks);
  };
}

function decodeSetSpace(ks: KernelState, inv: Invocation, target: TCB): () => void {
  const { args, extraCaps } = inv;
  let faultSlot: CTE | null = null;
  let faultEP = 0n,
    cdata: Word,
    vdata: Word,
    cspaceSlot: CTE,
    vspaceSlot: CTE;
  if (ks.mcs) {
    // MCS: the fault endpoint is extra cap 0, looked up in the invoker's CSpace now.
    if (args.length < 2 || extraCaps.length < 3) truncated("SetSpace");
    [cdata, vdata] = [args[0]!, args[1]!];
    [faultSlot, cspaceSlot, vspaceSlot] = [extraCaps[0]!, extraCaps[1]!, extraCaps[2]!];
  } else {
    // master: the fault endpoint is a CPtr kept as it is, resolved in the target's CSpace at fault time.
    if (args.length < 3 || extraCaps.length < 2) truncated("SetSpace");
    [faultEP, cdata, vdata] = [args[0]!, args[1]!, args[2]!];
    [cspaceSlot, vspaceSlot] = [extraCaps[0]!, extraCaps[1]!];
  }
  const spaces = decodeSpaces("SetSpace", cspaceSlot, cdata, vspaceSlot, vdata);
  if (faultSlot !== null && !validFaultHandler(faultSlot.cap)) {
    syscallError({ type: "InvalidCapability", capNumber: 1 }, "TCB SetSpace: fault endpoint cap invalid.");
  }
  return () => {
    if (faultSlot !== null) installSlot(ks, target.slots[TCB_FAULT_HANDLER]!, faultSlot.cap, faultSlot);
    else target.faultHandlerCPtr = faultEP;
    installSlot(ks, target.slots[TCB_CTABLE]!, spaces.cspace.cap, spaces.cspace.slot);
    installSlot(ks, target.slots[TCB_VTABLE]!, spaces.vspace.cap, spaces.vspace.slot);
  };
}

function decodeBindNotification(inv: Invocation, target: TCB): () => void {
  const { extraCaps } = inv;
  if (extraCaps.length < 1) truncated("BindNotification");
  if (target.boundNotification !== null)
    syscallError({ type: "IllegalOperation" }, "TCB BindNotification: TCB already has a bound notification.");
  const cap = extraCaps[0]!.cap;
  if (cap.type !== "Notification")
    syscallError({ type: "IllegalOperation" }, "TCB BindNotification: Notification is invalid.");
  if ((cap.rights & RIGHT_READ) === 0)
    syscallError({ type: "IllegalOperation" }, "TCB BindNotification: Insufficient access rights");
  if (cap.obj.boundTCB !== null || cap.obj.queue.head !== null) {
    syscallError({ type: "IllegalOperation" }, "TCB BindNotification: Notification cannot be bound.");
  }
  return () => bindNotification(target, cap.obj);
}

function decodeUnbindNotification(target: TCB): () => void {
  if (target.boundNotification === null)
    syscallError({ type: "IllegalOperation" }, "TCB UnbindNotification: TCB already has no bound Notification.");
  return () => unbindNotification(target);
}

function decodeSetTLSBase(inv: Invocation, target: TCB): () => void {
  const { args } = inv;
  if (args.length < 1) truncated("SetTLSBase");
  const base = args[0]!;
  return () => {
    target.regs[FS_BASE] = sanitiseRegister(FS_BASE, base);
  };
}

function decodeSetFlags(ks: KernelState, cur: TCB, inv: Invocation, target: TCB): () => void {
  const { args } = inv;
  if (args.length < 2) truncated("SetFlags");
  const [clear, set] = [args[0]!, args[1]!];
  const call = invokedByCall(ks, cur);
  return () => {
    // invokeSetFlags: flags &= ~clear; flags |= set & seL4_TCBFlag_MASK; a Call gets them back in MR0.
    const flags = (target.tcbFlags & ~clear) | (set & seL4_TCBFlag_MASK);
    target.tcbFlags = flags;
    if (call) replyWords(ks, cur, [flags]);
    setThreadState(ks, cur, ThreadState.Running);
  };
}

function decodeSetSchedParams(ks: KernelState, cur: TCB, inv: Invocation, target: TCB): () => void {
  const { args, extraCaps } = inv;
  if (args.length < 2 || extraCaps.length < (ks.mcs ? 3 : 1)) truncated("SetSchedParams");
  const auth = authorityTCB(extraCaps[0]!.cap, "TCB SetSchedParams: authority cap not a TCB.");
  const mcp = checkPrio(
    args[0]!,
    auth,
    (max) => `TCB SetSchedParams: Requested maximum controlled priority ${args[0]!} too high (max ${max}).`,
  );
  const prio = checkPrio(
    args[1]!,
    auth,
    (max) => `TCB SetSchedParams: Requested priority ${args[1]!} too high (max ${max}).`,
  );
  if (!ks.mcs) {
    return () => {
      target.mcp = mcp;
      setPriority(ks, target, prio);
    };
  }
  const scCap = extraCaps[1]!.cap;
  const faultSlot = extraCaps[2]!;
  let sc: SchedContextObj | null = null;
  if (scCap.type === "SchedContext") {
    sc = scCap.obj;
    if (target.sc !== sc) {
      if (target.sc !== null)
        syscallError({ type: "IllegalOperation" }, "TCB Configure: tcb already has a scheduling context.");
      if (sc.tcb !== null) syscallError({ type: "IllegalOperation" }, "TCB Configure: sched context already bound.");
    }
    if (isBlocked(target) && !scReleased(ks, sc)) {
      syscallError({ type: "IllegalOperation" }, "TCB Configure: tcb blocked and scheduling context not schedulable.");
    }
  } else if (scCap.type === "Null") {
    if (target === cur)
      syscallError({ type: "IllegalOperation" }, "TCB SetSchedParams: Cannot change sched_context of current thread");
  } else {
    syscallError({ type: "InvalidCapability", capNumber: 2 }, "TCB Configure: sched context cap invalid.");
  }
  if (!validFaultHandler(faultSlot.cap))
    syscallError({ type: "InvalidCapability", capNumber: 3 }, "TCB Configure: fault endpoint cap invalid.");
  return () => {
    installSlot(ks, target.slots[TCB_FAULT_HANDLER]!, faultSlot.cap, faultSlot);
    target.mcp = mcp;
    setPriority(ks, target, prio);
    if (sc !== null && target.sc !== sc) schedContextBindTCB(ks, sc, target);
    else if (sc === null && target.sc !== null) schedContextUnbindTCB(ks, target.sc);
    if (isRunnable(target) && isSchedulable(ks, target) && target !== ks.curThread) possibleSwitchTo(ks, target);
  };
}

/** isBlocked: waiting on an endpoint, a notification or a reply. */
function isBlocked(t: TCB): boolean {
  return (
    t.state === ThreadState.BlockedOnReceive ||
    t.state === ThreadState.BlockedOnSend ||
    t.state === ThreadState.BlockedOnNotification ||
    t.state === ThreadState.BlockedOnReply
  );
}

/** sc_released: the SC is configured and its head refill is available now (refill_ready). */
function scReleased(ks: KernelState, sc: SchedContextObj): boolean {
  const head = sc.refills[0];
  return head !== undefined && head.time <= ks.now;
}
