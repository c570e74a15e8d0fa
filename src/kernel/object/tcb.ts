// TCB invocations (src/object/tcb.c decodeTCBInvocation and invokeTCB_*), with the master and
// MCS signatures where they differ: master names the fault handler by a CPtr stored as-is and
// resolved in the faulting thread's CSpace later; MCS copies a cap (from the invoker's CSpace)
// into TCB slot 3 after checking it.
import { RIGHT_GRANT, RIGHT_GRANT_REPLY, RIGHT_READ, RIGHT_WRITE } from "../api/constants.js";
import { syscallError } from "../api/failures.js";
import { wordFromMessageInfo, type Word } from "../api/types.js";
import { FS_BASE, FaultIP, NextIP, msgInfoRegister, badgeRegister, userContextRegisters, seL4_UserContextWords } from "../arch/registers.js";
import type { KernelState } from "../model/state.js";
import { lookupIPCBuffer, setMRs } from "../kernel/message.js";
import { setThreadState, isSchedulable, isRunnable, rescheduleRequired, possibleSwitchTo } from "../kernel/scheduler.js";
import { cteDelete, cteInsert } from "./cdt.js";
import { deriveCap, updateCapData } from "./objecttype.js";
import { bindNotification, unbindNotification } from "./notification.js";
import { restart, setPriority, suspend } from "./tcbops.js";
import { schedContextBindTCB, schedContextUnbindTCB } from "./schedcontext.js";
import type { Invocation } from "./cnode.js";
import { ThreadState, TCB_BUFFER_MASTER, TCB_BUFFER_MCS, TCB_CTABLE, TCB_FAULT_HANDLER, TCB_TIMEOUT_HANDLER, TCB_VTABLE,
  type Cap, type CTE, type TCB } from "./structures.js";

const truncated = (what: string): never => syscallError({ type: "TruncatedMessage" }, `TCB ${what}: Truncated message.`);

/** checkPrio: a new priority/MCP may not exceed the authority's MCP. */
function checkPrio(prio: Word, authority: Cap, what: string): number {
  if (authority.type !== "Thread") syscallError({ type: "InvalidCapability", capNumber: 1 }, `${what}: authority cap not a TCB.`);
  const mcp = authority.obj.mcp;
  if (prio > BigInt(mcp)) syscallError({ type: "RangeError", min: 0, max: mcp }, `${what}: Requested priority ${prio} too high (max ${mcp}).`);
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

/** The CSpace/VSpace checks shared by Configure and SetSpace. */
function decodeSpaces(cspaceSlot: CTE, cdata: Word, vspaceSlot: CTE, vdata: Word): SpaceArgs {
  let cspaceCap = cspaceSlot.cap;
  if (cdata !== 0n) cspaceCap = updateCapData(false, cdata, cspaceCap);
  cspaceCap = deriveCap(cspaceSlot, cspaceCap);
  if (cspaceCap.type !== "CNode") syscallError({ type: "IllegalOperation" }, "TCB SetSpace: Invalid CNode cap.");
  void vdata;
  const vspaceCap = deriveCap(vspaceSlot, vspaceSlot.cap);
  const validRoot = vspaceCap.type === "Null" || (vspaceCap.type === "PML4" && vspaceCap.obj.asid !== null);
  if (!validRoot) syscallError({ type: "IllegalOperation" }, "TCB SetSpace: Invalid VSpace cap.");
  return { cspace: { cap: cspaceCap, slot: cspaceSlot }, vspace: { cap: vspaceCap, slot: vspaceSlot } };
}

/** Replace a TCB's internal slot with a cap derived from `src` (or empty it for a null cap). */
function installSlot(ks: KernelState, slot: CTE, cap: Cap, src: CTE): void {
  cteDelete(ks, slot);
  if (cap.type !== "Null") cteInsert(cap, src, slot);
}

function decodeBuffer(bufferAddr: Word, frameSlot: CTE | undefined): Cap {
  if (bufferAddr === 0n) return { type: "Null" };
  if (!frameSlot) return syscallError({ type: "TruncatedMessage" }, "TCB SetIPCBuffer: Truncated message.");
  const cap = deriveCap(frameSlot, frameSlot.cap);
  if (cap.type !== "Frame" || cap.obj.isDevice) syscallError({ type: "IllegalOperation" }, "TCB: IPC buffer is not a frame.");
  if ((bufferAddr & 1023n) !== 0n) syscallError({ type: "AlignmentError" }, "TCB: IPC buffer is not aligned.");
  return cap;
}

export function decodeTCBInvocation(ks: KernelState, cur: TCB, inv: Invocation, target: TCB): () => void {
  const { label, args, extraCaps } = inv;
  const bufferSlot = ks.mcs ? TCB_BUFFER_MCS : TCB_BUFFER_MASTER;
  switch (label) {
    case "TCBReadRegisters": {
      if (args.length < 2) truncated("ReadRegisters");
      const suspendSource = (args[0]! & 1n) !== 0n;
      const count = args[1]!;
      if (count < 1n || count > BigInt(seL4_UserContextWords)) {
        syscallError({ type: "RangeError", min: 1, max: seL4_UserContextWords }, "TCB ReadRegisters: Attempted to read an invalid number of registers.");
      }
      if (target === cur) syscallError({ type: "IllegalOperation" }, "TCB ReadRegisters: Attempted to read our own registers.");
      return () => {
        if (suspendSource) suspend(ks, target);
        const words = userContextRegisters.slice(0, Number(count)).map((r) => target.regs[r]!);
        const buf = lookupIPCBuffer(ks, true, cur);
        const len = setMRs(ks, cur, buf, 0, words);
        cur.regs[badgeRegister] = 0n;
        cur.regs[msgInfoRegister] = wordFromMessageInfo({ label: 0n, capsUnwrapped: 0, extraCaps: 0, length: len });
        setThreadState(ks, cur, ThreadState.Running);
      };
    }
    case "TCBWriteRegisters": {
      if (args.length < 2) truncated("WriteRegisters");
      const resumeTarget = (args[0]! & 1n) !== 0n;
      const count = Math.min(Number(args[1]! > 20n ? 20n : args[1]!), seL4_UserContextWords);
      if (args.length - 2 < count) truncated("WriteRegisters");
      if (target === cur) syscallError({ type: "IllegalOperation" }, "TCB WriteRegisters: Attempted to write our own registers.");
      return () => {
        for (let i = 0; i < count; i++) target.regs[userContextRegisters[i]!] = args[2 + i]!;
        target.regs[NextIP] = target.regs[FaultIP]!;
        if (resumeTarget) restart(ks, target);
      };
    }
    case "TCBCopyRegisters": {
      if (args.length < 1 || extraCaps.length < 1) truncated("CopyRegisters");
      const source = extraCaps[0]!.cap;
      if (source.type !== "Thread") syscallError({ type: "InvalidCapability", capNumber: 1 }, "TCB CopyRegisters: Invalid source TCB.");
      const flags = args[0]!;
      return () => {
        if (flags & 1n) suspend(ks, source.obj);
        for (const r of userContextRegisters) target.regs[r] = source.obj.regs[r]!;
        target.regs[NextIP] = target.regs[FaultIP]!;
        if (flags & 2n) restart(ks, target);
      };
    }
    case "TCBConfigure": {
      const need = ks.mcs ? 3 : 4;
      if (args.length < need || extraCaps.length < 3) truncated("Configure");
      const [faultEP, cdata, vdata, buffer] = ks.mcs ? [0n, args[0]!, args[1]!, args[2]!] : [args[0]!, args[1]!, args[2]!, args[3]!];
      const bufferCap = decodeBuffer(buffer, extraCaps[2]);
      const spaces = decodeSpaces(extraCaps[0]!, cdata, extraCaps[1]!, vdata);
      return () => {
        if (!ks.mcs) target.faultHandlerCPtr = faultEP;
        installSlot(ks, target.slots[TCB_CTABLE]!, spaces.cspace.cap, spaces.cspace.slot);
        installSlot(ks, target.slots[TCB_VTABLE]!, spaces.vspace.cap, spaces.vspace.slot);
        target.ipcBufferVAddr = buffer;
        installSlot(ks, target.slots[bufferSlot]!, bufferCap, extraCaps[2]!);
        if (target === cur) rescheduleRequired(ks);
      };
    }
    case "TCBSetSpace": {
      let faultSlot: CTE | null = null;
      let faultEP = 0n, cdata: Word, vdata: Word, cspaceSlot: CTE, vspaceSlot: CTE;
      if (ks.mcs) {
        if (args.length < 2 || extraCaps.length < 3) truncated("SetSpace");
        [cdata, vdata] = [args[0]!, args[1]!];
        [faultSlot, cspaceSlot, vspaceSlot] = [extraCaps[0]!, extraCaps[1]!, extraCaps[2]!];
      } else {
        if (args.length < 3 || extraCaps.length < 2) truncated("SetSpace");
        [faultEP, cdata, vdata] = [args[0]!, args[1]!, args[2]!];
        [cspaceSlot, vspaceSlot] = [extraCaps[0]!, extraCaps[1]!];
      }
      const spaces = decodeSpaces(cspaceSlot, cdata, vspaceSlot, vdata);
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
    case "TCBSetPriority": {
      if (args.length < 1 || extraCaps.length < 1) truncated("SetPriority");
      const prio = checkPrio(args[0]!, extraCaps[0]!.cap, "TCB SetPriority");
      return () => setPriority(ks, target, prio);
    }
    case "TCBSetMCPriority": {
      if (args.length < 1 || extraCaps.length < 1) truncated("SetMCPriority");
      const mcp = checkPrio(args[0]!, extraCaps[0]!.cap, "TCB SetMCPriority");
      return () => { target.mcp = mcp; };
    }
    case "TCBSetSchedParams":
      return decodeSetSchedParams(ks, cur, inv, target);
    case "TCBSetTimeoutEndpoint": {
      if (extraCaps.length < 1) truncated("SetTimeoutEndpoint");
      const slot = extraCaps[0]!;
      if (!validFaultHandler(slot.cap)) syscallError({ type: "InvalidCapability", capNumber: 1 }, "TCB SetTimeoutEndpoint: invalid handler.");
      return () => installSlot(ks, target.slots[TCB_TIMEOUT_HANDLER]!, slot.cap, slot);
    }
    case "TCBSetIPCBuffer": {
      if (args.length < 1) truncated("SetIPCBuffer");
      const buffer = args[0]!;
      const cap = decodeBuffer(buffer, extraCaps[0]);
      return () => {
        target.ipcBufferVAddr = buffer;
        installSlot(ks, target.slots[bufferSlot]!, cap, extraCaps[0] ?? target.slots[bufferSlot]!);
        if (target === cur) rescheduleRequired(ks);
      };
    }
    case "TCBSuspend":
      return () => suspend(ks, target);
    case "TCBResume":
      return () => restart(ks, target);
    case "TCBBindNotification": {
      if (extraCaps.length < 1) truncated("BindNotification");
      if (target.boundNotification !== null) syscallError({ type: "IllegalOperation" }, "TCB BindNotification: TCB already has a bound notification.");
      const cap = extraCaps[0]!.cap;
      if (cap.type !== "Notification") syscallError({ type: "IllegalOperation" }, "TCB BindNotification: Notification is invalid.");
      if ((cap.rights & RIGHT_READ) === 0) syscallError({ type: "IllegalOperation" }, "TCB BindNotification: Insufficient access rights.");
      if (cap.obj.boundTCB !== null || cap.obj.queue.head !== null) {
        syscallError({ type: "IllegalOperation" }, "TCB BindNotification: Notification cannot be bound.");
      }
      return () => bindNotification(target, cap.obj);
    }
    case "TCBUnbindNotification":
      if (target.boundNotification === null) syscallError({ type: "IllegalOperation" }, "TCB UnbindNotification: TCB already has no bound Notification.");
      return () => unbindNotification(target);
    case "TCBSetTLSBase": {
      if (args.length < 1) truncated("SetTLSBase");
      const base = args[0]!;
      return () => { target.regs[FS_BASE] = base; };
    }
    case "TCBSetFlags":
      if (args.length < 2) truncated("SetFlags");
      return () => {};
    default:
      return syscallError({ type: "IllegalOperation" }, "TCB: Illegal operation.");
  }
}

function decodeSetSchedParams(ks: KernelState, cur: TCB, inv: Invocation, target: TCB): () => void {
  const { args, extraCaps } = inv;
  if (args.length < 2 || extraCaps.length < (ks.mcs ? 3 : 1)) truncated("SetSchedParams");
  const authority = extraCaps[0]!.cap;
  const mcp = checkPrio(args[0]!, authority, "TCB SetSchedParams");
  const prio = checkPrio(args[1]!, authority, "TCB SetSchedParams");
  if (!ks.mcs) {
    return () => {
      target.mcp = mcp;
      setPriority(ks, target, prio);
    };
  }
  const scCap = extraCaps[1]!.cap;
  const faultSlot = extraCaps[2]!;
  let sc = null;
  if (scCap.type === "SchedContext") {
    sc = scCap.obj;
    if (sc.tcb !== null && sc.tcb !== target) syscallError({ type: "IllegalOperation" }, "TCB SetSchedParams: SC already bound.");
    if (target.sc !== null && target.sc !== sc) syscallError({ type: "IllegalOperation" }, "TCB SetSchedParams: TCB already has SC.");
    if (sc.tcb === null && isBlockedWithoutSchedulableSC(target, sc)) {
      syscallError({ type: "IllegalOperation" }, "TCB SetSchedParams: cannot bind an unschedulable SC to a blocked TCB.");
    }
  } else if (scCap.type === "Null") {
    if (target === cur) syscallError({ type: "IllegalOperation" }, "TCB SetSchedParams: Cannot unbind current SC.");
  } else {
    syscallError({ type: "InvalidCapability", capNumber: 2 }, "TCB SetSchedParams: Invalid SC cap.");
  }
  if (!validFaultHandler(faultSlot.cap)) syscallError({ type: "InvalidCapability", capNumber: 3 }, "TCB SetSchedParams: Invalid fault handler.");
  return () => {
    target.mcp = mcp;
    installSlot(ks, target.slots[TCB_FAULT_HANDLER]!, faultSlot.cap, faultSlot);
    setPriority(ks, target, prio);
    if (sc !== null && target.sc !== sc) schedContextBindTCB(ks, sc, target);
    else if (sc === null && target.sc !== null) schedContextUnbindTCB(ks, target.sc);
    if (isRunnable(target) && isSchedulable(ks, target) && target !== ks.curThread) possibleSwitchTo(ks, target);
  };
}

function isBlockedWithoutSchedulableSC(t: TCB, sc: { refills: unknown[] }): boolean {
  const blocked = t.state === ThreadState.BlockedOnReceive || t.state === ThreadState.BlockedOnSend ||
    t.state === ThreadState.BlockedOnNotification || t.state === ThreadState.BlockedOnReply;
  return blocked && sc.refills.length === 0;
}
