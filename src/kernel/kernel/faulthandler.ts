// Delivering faults (src/kernel/faulthandler.c). master looks the fault-handler CPtr up in the
// faulting thread's own CSpace at fault time; MCS uses the cap copied into TCB slot 3 when the
// handler was configured. A fault that cannot be delivered leaves the thread Inactive.
import { LookupFailureError, type Fault } from "../api/failures.js";
import type { KernelState, UndeliveryCause } from "../model/state.js";
import { sendIPC } from "../object/endpoint.js";
import { canGrant, canGrantReply, canSend } from "../object/objecttype.js";
import { ThreadState, TCB_FAULT_HANDLER, TCB_TIMEOUT_HANDLER, type TCB } from "../object/structures.js";
import { lookupCap } from "./cspace.js";
import { printDoubleFault, printNoFaultHandler } from "./debug.js";
import { setThreadState } from "./scheduler.js";

export function handleFault(ks: KernelState, t: TCB, fault: Fault): void {
  if (ks.mcs) {
    const handlerCap = t.slots[TCB_FAULT_HANDLER]!.cap;
    if (handlerCap.type === "Endpoint") {
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
      ks.undeliveredFaults.push({ thread: t.name, handlerCPtr: null, cause: { kind: "none" } });
      printNoFaultHandler(ks, t, fault);
      setThreadState(ks, t, ThreadState.Inactive);
    }
    return;
  }
  const undelivered = sendFaultIPC(ks, t, fault);
  if (undelivered !== null) {
    ks.undeliveredFaults.push({ thread: t.name, handlerCPtr: t.faultHandlerCPtr, cause: undelivered.cause });
    printDoubleFault(ks, t, undelivered.handlerFault, fault);
    setThreadState(ks, t, ThreadState.Inactive);
  }
}

/** master sendFaultIPC; returns the second fault, and why, when the handler cannot be reached. */
function sendFaultIPC(ks: KernelState, t: TCB, fault: Fault): { handlerFault: Fault; cause: UndeliveryCause } | null {
  const cptr = t.faultHandlerCPtr;
  let cap;
  try {
    cap = lookupCap(t, cptr);
  } catch (e) {
    if (e instanceof LookupFailureError) {
      return {
        handlerFault: { type: "CapFault", address: cptr, inReceivePhase: false, lookupFailure: e.failure },
        cause: { kind: "lookup", failure: e.failure },
      };
    }
    throw e;
  }
  if (cap.type === "Endpoint" && canSend(cap) && (canGrant(cap) || canGrantReply(cap))) {
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
  return {
    handlerFault: {
      type: "CapFault",
      address: cptr,
      inReceivePhase: false,
      lookupFailure: { type: "MissingCapability", bitsLeft: 0 },
    },
    cause: { kind: "cap", cap },
  };
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
