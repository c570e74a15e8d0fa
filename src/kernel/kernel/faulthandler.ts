// Delivering faults (src/kernel/faulthandler.c). master looks the fault-handler CPtr up in the
// faulting thread's own CSpace at fault time; MCS uses the cap copied into TCB slot 3 when the
// handler was configured. A fault that cannot be delivered leaves the thread Inactive.
import { LookupFailureError, type Fault } from "../api/failures.js";
import type { KernelState } from "../model/state.js";
import { faultMessage } from "../api/faults.js";
import { emit, faultName, hexWord, traceCap, type TraceHandler, type TraceUndelivery } from "../api/trace.js";
import { sendIPC } from "../object/endpoint.js";
import { canGrant, canGrantReply, canSend } from "../object/objecttype.js";
import { ThreadState, TCB_FAULT_HANDLER, TCB_TIMEOUT_HANDLER, type TCB } from "../object/structures.js";
import { lookupCap } from "./cspace.js";
import { describeFault, printDoubleFault, printNoFaultHandler } from "./debug.js";
import { setThreadState } from "./scheduler.js";

/** The fault event (every trace sink gets it: a run's ending is judged by its faults). */
function traceFault(
  ks: KernelState,
  t: TCB,
  fault: Fault,
  handler: TraceHandler,
  undelivered: { handlerFault?: Fault; cause: TraceUndelivery } | null,
): void {
  if (ks.trace === null) return;
  emit(
    ks,
    {
      kind: "fault",
      fault: faultName(fault),
      description: describeFault(ks, fault),
      // A timeout's message reads (and resets) the SC's consumed time, so only its transfer shows its words.
      mrs: fault.type === "Timeout" ? [hexWord(fault.badge)] : faultMessage(ks, t, fault).words.map(hexWord),
      handler,
      delivered: undelivered === null,
      ...(undelivered?.handlerFault ? { handlerFault: describeFault(ks, undelivered.handlerFault) } : {}),
      ...(undelivered ? { cause: undelivered.cause } : {}),
    },
    t,
  );
}

export function handleFault(ks: KernelState, t: TCB, fault: Fault): void {
  if (ks.mcs) {
    const handlerCap = t.slots[TCB_FAULT_HANDLER]!.cap;
    const handler: TraceHandler = {
      resolved: "at-configure",
      cap: handlerCap.type === "Null" ? null : traceCap(handlerCap),
    };
    if (handlerCap.type === "Endpoint") {
      traceFault(ks, t, fault, handler, null);
      t.fault = fault;
      sendIPC(
        ks,
        {
          blocking: true,
          doCall: false,
          badge: handlerCap.badge,
          canGrant: canGrant(handlerCap),
          canGrantReply: canGrantReply(handlerCap),
          canDonate: t.sc !== null,
        },
        t,
        handlerCap.obj,
      );
    } else {
      traceFault(ks, t, fault, handler, { cause: { kind: "none" } });
      printNoFaultHandler(ks, t, fault);
      setThreadState(ks, t, ThreadState.Inactive);
    }
    return;
  }
  const undelivered = sendFaultIPC(ks, t, fault);
  if (undelivered !== null) {
    printDoubleFault(ks, t, undelivered.handlerFault, fault);
    setThreadState(ks, t, ThreadState.Inactive);
  }
}

/** master sendFaultIPC; returns the second fault, and why, when the handler cannot be reached. */
function sendFaultIPC(ks: KernelState, t: TCB, fault: Fault): { handlerFault: Fault } | null {
  const cptr = t.faultHandlerCPtr;
  let cap;
  try {
    cap = lookupCap(t, cptr);
  } catch (e) {
    if (e instanceof LookupFailureError) {
      const handlerFault: Fault = { type: "CapFault", address: cptr, inReceivePhase: false, lookupFailure: e.failure };
      traceFault(
        ks,
        t,
        fault,
        { resolved: "at-fault", cptr: hexWord(cptr), cap: null },
        {
          handlerFault,
          cause: { kind: "lookup", failure: e.failure },
        },
      );
      return { handlerFault };
    }
    throw e;
  }
  const handler: TraceHandler = { resolved: "at-fault", cptr: hexWord(cptr), cap: traceCap(cap) };
  if (cap.type === "Endpoint" && canSend(cap) && (canGrant(cap) || canGrantReply(cap))) {
    traceFault(ks, t, fault, handler, null);
    t.fault = fault;
    sendIPC(
      ks,
      {
        blocking: true,
        doCall: true,
        badge: cap.badge,
        canGrant: canGrant(cap),
        canGrantReply: true,
        canDonate: false,
      },
      t,
      cap.obj,
    );
    return null;
  }
  const handlerFault: Fault = {
    type: "CapFault",
    address: cptr,
    inReceivePhase: false,
    lookupFailure: { type: "MissingCapability", bitsLeft: 0 },
  };
  traceFault(ks, t, fault, handler, { handlerFault, cause: { kind: "cap", cap: traceCap(cap) } });
  return { handlerFault };
}

/** MCS: a timeout handler is an endpoint cap in TCB slot 4. */
export function validTimeoutHandler(t: TCB): boolean {
  return t.config === "mcs" && t.slots[TCB_TIMEOUT_HANDLER]!.cap.type === "Endpoint";
}

/** handleTimeout: the budget of a periodic SC ran out; the timeout handler hears about it. */
export function handleTimeout(ks: KernelState, t: TCB): void {
  const cap = t.slots[TCB_TIMEOUT_HANDLER]!.cap;
  if (cap.type !== "Endpoint") return;
  t.fault = { type: "Timeout", badge: t.sc?.badge ?? 0n };
  traceFault(ks, t, t.fault, { resolved: "at-configure", cap: traceCap(cap) }, null);
  sendIPC(
    ks,
    {
      blocking: true,
      doCall: false,
      badge: cap.badge,
      canGrant: canGrant(cap),
      canGrantReply: canGrantReply(cap),
      canDonate: false,
    },
    t,
    cap.obj,
  );
}
