// decodeInvocation (src/object/objecttype.c): which decoder handles a cap, and the endpoint,
// notification and reply "invocations" that are really IPC.
import { invocationLabels } from "../api/constants.js";
import { syscallError } from "../api/failures.js";
import type { Word } from "../api/types.js";
import type { KernelState } from "../model/state.js";
import { userError } from "../kernel/debug.js";
import { setThreadState } from "../kernel/scheduler.js";
import { doReplyTransfer } from "../kernel/transfer.js";
import { decodeX86MMUInvocation } from "../arch/invocations.js";
import { decodeCNodeInvocation, type Invocation } from "./cnode.js";
import { sendIPC } from "./endpoint.js";
import { sendSignal } from "./notification.js";
import { canGrant, canGrantReply, canSend } from "./objecttype.js";
import { decodeSchedContextInvocation, decodeSchedControlInvocation } from "./schedcontext.js";
import { decodeTCBInvocation } from "./tcb.js";
import { decodeUntypedInvocation } from "./untyped.js";
import { ThreadState, type CTE, type TCB } from "./structures.js";

export interface InvocationContext {
  cptr: Word;
  slot: CTE;
  isBlocking: boolean;
  isCall: boolean;
  canDonate: boolean;
  /** MCS send phase of ReplyRecv/NBSendRecv/NBSendWait: kernel-object invocations are refused. */
  firstPhase: boolean;
}

/**
 * Decode, then perform. Endpoint-like caps act immediately (sendIPC never fails once decoded);
 * object invocations set the caller to Restart and run the performed operation.
 */
export function decodeAndPerform(ks: KernelState, cur: TCB, labelNumber: Word, args: Word[], extraCaps: CTE[], ctx: InvocationContext): void {
  const cap = ctx.slot.cap;
  switch (cap.type) {
    case "Null":
      userError(ks, "decodeInvocation", `Attempted to invoke a null cap #${ctx.cptr}.`);
      return syscallError({ type: "InvalidCapability", capNumber: 0 }, "");
    case "Endpoint":
      if (!canSend(cap)) {
        userError(ks, "decodeInvocation", `Attempted to invoke a read-only endpoint cap #${ctx.cptr}.`);
        return syscallError({ type: "InvalidCapability", capNumber: 0 }, "");
      }
      setThreadState(ks, cur, ThreadState.Restart);
      sendIPC(ks, {
        blocking: ctx.isBlocking, doCall: ctx.isCall, badge: cap.badge, canGrant: canGrant(cap),
        canGrantReply: canGrantReply(cap), canDonate: ctx.canDonate,
      }, cur, cap.obj);
      return;
    case "Notification":
      if (!canSend(cap)) {
        userError(ks, "decodeInvocation", `Attempted to invoke a read-only notification cap #${ctx.cptr}.`);
        return syscallError({ type: "InvalidCapability", capNumber: 0 }, "");
      }
      setThreadState(ks, cur, ThreadState.Restart);
      sendSignal(ks, cap.obj, cap.badge);
      return;
    case "Reply":
      if (cap.master) {
        userError(ks, "decodeInvocation", `Attempted to invoke an invalid reply cap #${ctx.cptr}.`);
        return syscallError({ type: "InvalidCapability", capNumber: 0 }, "");
      }
      setThreadState(ks, cur, ThreadState.Restart);
      doReplyTransfer(ks, cur, cap.tcb, { slot: ctx.slot }, cap.canGrant);
      return;
    case "ReplyObject": {
      setThreadState(ks, cur, ThreadState.Restart);
      const caller = cap.obj.replyTCB;
      if (caller !== null) doReplyTransfer(ks, cur, caller, { reply: cap.obj }, cap.canGrant);
      return;
    }
    default:
      break;
  }
  if (ctx.firstPhase) {
    userError(ks, "decodeInvocation", `Cannot invoke kernel objects in the first phase of a combined syscall.`);
    return syscallError({ type: "InvalidCapability", capNumber: 0 }, "");
  }
  const labels = invocationLabels(ks.config);
  const label = labelNumber < BigInt(labels.length) ? labels[Number(labelNumber)]! : "InvalidInvocation";
  const inv: Invocation = { label, args, extraCaps };
  let perform: () => void;
  switch (cap.type) {
    case "CNode": perform = decodeCNodeInvocation(ks, cur, inv, cap); break;
    case "Thread": perform = decodeTCBInvocation(ks, cur, inv, cap.obj); break;
    case "Untyped": perform = decodeUntypedInvocation(ks, inv, ctx.slot, cap.obj); break;
    case "SchedContext": perform = decodeSchedContextInvocation(ks, cur, inv, cap.obj); break;
    case "SchedControl": perform = decodeSchedControlInvocation(ks, inv); break;
    case "Frame": case "PageTable": case "PageDirectory": case "PDPT": case "PML4": case "ASIDPool":
      perform = decodeX86MMUInvocation(ks, cur, inv, ctx.slot, cap); break;
    default:
      return syscallError({ type: "IllegalOperation" }, "Invalid invocation for this cap type.");
  }
  setThreadState(ks, cur, ThreadState.Restart);
  perform();
}
