// decodeInvocation (src/object/objecttype.c): which decoder handles a cap, and the endpoint,
// notification and reply "invocations" that are really IPC.
import { invocationLabels } from "../../abi/invocation.js";
import { SyscallErrorThrow, syscallError } from "../api/failures.js";
import type { Word } from "../api/types.js";
import { emit, hexWord, traceCap, tracing } from "../api/trace.js";
import type { KernelState } from "../model/state.js";
import { userError } from "../kernel/debug.js";
import { setThreadState } from "../kernel/scheduler.js";
import { doReplyTransfer } from "../kernel/transfer.js";
import { decodeX86MMUInvocation } from "../arch/invocations.js";
import { decodeCNodeInvocation, type Invocation } from "./cnode.js";
import { decodeIRQControlInvocation, decodeIRQHandlerInvocation } from "./interrupt.js";
import { sendIPC } from "./endpoint.js";
import { sendSignal } from "./notification.js";
import { canGrant, canGrantReply, canSend } from "./objecttype.js";
import { decodeSchedContextInvocation, decodeSchedControlInvocation } from "./schedcontext.js";
import { decodeTCBInvocation } from "./tcb.js";
import { decodeUntypedInvocation } from "./untyped.js";
import { ThreadState, type Cap, type CTE, type TCB } from "./structures.js";

type Decoder = { name: string; decode: (ks: KernelState, cur: TCB, inv: Invocation, slot: CTE) => () => void };

/** The decoder of each kernel-object cap type, under the name seL4's userError lines carry. */
const DECODERS: Partial<Record<CTE["cap"]["type"], Decoder>> = {
  CNode: {
    name: "decodeCNodeInvocation",
    decode: (ks, cur, inv, slot) => decodeCNodeInvocation(ks, cur, inv, slot.cap as Extract<Cap, { type: "CNode" }>),
  },
  Thread: {
    name: "decodeTCBInvocation",
    decode: (ks, cur, inv, slot) =>
      decodeTCBInvocation(ks, cur, inv, (slot.cap as Extract<Cap, { type: "Thread" }>).obj),
  },
  Untyped: {
    name: "decodeUntypedInvocation",
    decode: (ks, _cur, inv, slot) =>
      decodeUntypedInvocation(ks, inv, slot, (slot.cap as Extract<Cap, { type: "Untyped" }>).obj),
  },
  SchedContext: {
    name: "decodeSchedContextInvocation",
    decode: (ks, cur, inv, slot) =>
      decodeSchedContextInvocation(ks, cur, inv, (slot.cap as Extract<Cap, { type: "SchedContext" }>).obj),
  },
  IRQControl: {
    name: "decodeIRQControlInvocation",
    decode: (ks, _cur, inv, slot) => decodeIRQControlInvocation(ks, inv, slot),
  },
  IRQHandler: {
    name: "decodeIRQHandlerInvocation",
    decode: (ks, _cur, inv, slot) =>
      decodeIRQHandlerInvocation(ks, inv, (slot.cap as Extract<Cap, { type: "IRQHandler" }>).obj.irq),
  },
  SchedControl: {
    name: "decodeSchedControlInvocation",
    decode: (ks, _cur, inv) => decodeSchedControlInvocation(ks, inv),
  },
  ...Object.fromEntries(
    (["Frame", "PageTable", "PageDirectory", "PDPT", "PML4", "ASIDPool"] as const).map((t) => [
      t,
      {
        name: "decodeX86MMUInvocation",
        decode: (ks: KernelState, cur: TCB, inv: Invocation, slot: CTE) =>
          decodeX86MMUInvocation(ks, cur, inv, slot, slot.cap),
      },
    ]),
  ),
};

/**
 * MCS: the caps decodeInvocation refuses in the send phase of ReplyRecv/NBSendRecv/NBSendWait
 * (seL4 checks only these types; Untyped, IRQ and x86 MMU caps are decoded as usual).
 */
const FIRST_PHASE_REFUSALS: Partial<Record<CTE["cap"]["type"], string>> = {
  Thread: "Cannot invoke thread capabilities in the first phase of an invocation",
  Domain: "Cannot invoke domain capabilities in the first phase of an invocation",
  CNode: "Cannot invoke cnode capabilities in the first phase of an invocation",
  SchedControl: "Cannot invoke sched control capabilities in the first phase of an invocation",
  SchedContext: "Cannot invoke sched context capabilities in the first phase of an invocation",
};

export interface InvocationContext {
  cptr: Word;
  slot: CTE;
  isBlocking: boolean;
  isCall: boolean;
  canDonate: boolean;
  /** MCS send phase of ReplyRecv/NBSendRecv/NBSendWait: some kernel-object invocations are refused. */
  firstPhase: boolean;
}

/**
 * Decode, then perform. Endpoint-like caps act immediately (sendIPC never fails once decoded);
 * object invocations set the caller to Restart and run the performed operation.
 */
export function decodeAndPerform(
  ks: KernelState,
  cur: TCB,
  labelNumber: Word,
  args: Word[],
  extraCaps: CTE[],
  ctx: InvocationContext,
): void {
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
      sendIPC(
        ks,
        {
          blocking: ctx.isBlocking,
          doCall: ctx.isCall,
          badge: cap.badge,
          canGrant: canGrant(cap),
          canGrantReply: canGrantReply(cap),
          canDonate: ctx.canDonate,
        },
        cur,
        cap.obj,
      );
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
  const firstPhaseRefusal = ctx.firstPhase ? FIRST_PHASE_REFUSALS[cap.type] : undefined;
  if (firstPhaseRefusal !== undefined) {
    userError(ks, "decodeInvocation", firstPhaseRefusal);
    return syscallError({ type: "InvalidCapability", capNumber: 0 }, "");
  }
  const labels = invocationLabels(ks.config);
  const label = labelNumber < BigInt(labels.length) ? labels[Number(labelNumber)]! : "InvalidInvocation";
  const inv: Invocation = { label, args, extraCaps, isCall: ctx.isCall };
  const decoder = DECODERS[cap.type];
  // The model has no domain decoder: every label is one it does not know, which
  // decodeDomainInvocation reports silently.
  if (decoder === undefined) return syscallError({ type: "IllegalOperation" }, "");
  let perform: () => void;
  try {
    perform = decoder.decode(ks, cur, inv, ctx.slot);
  } catch (e) {
    // seL4 prints each decode error from inside the decoder that found it.
    if (e instanceof SyscallErrorThrow && e.fn === undefined)
      throw new SyscallErrorThrow(e.error, e.message, decoder.name);
    throw e;
  }
  setThreadState(ks, cur, ThreadState.Restart);
  perform();
  if (tracing(ks)) emit(ks, { kind: "invocation", label, cap: traceCap(cap), args: args.map(hexWord) }, cur);
}
