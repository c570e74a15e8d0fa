// Why the kernel could not deliver a fault, as the kernel knew it when it printed its double-fault
// report (its fault event, src/kernel/kernel/faulthandler.ts). seL4 prints only the two faults;
// sel4tut says the cause in a note after the kernel's own, unchanged text.
import { RIGHT_GRANT, RIGHT_GRANT_REPLY, RIGHT_READ, RIGHT_WRITE } from "../abi/constants.js";
import type { LookupFailure, TraceCap, TraceEvent } from "../kernel/index.js";

/** A fault the kernel could not deliver, as its event says. */
export type UndeliveredFault = Extract<TraceEvent, { kind: "fault" }> & { cause: object };

const REGISTER = "the fault_ep argument of seL4_TCB_SetSpace or seL4_TCB_Configure";
const WHERE_MASTER =
  "on master the kernel looks the CPtr up in the faulting thread's own CSpace, when the fault happens";
const NEEDS =
  "the kernel sends a fault only through an endpoint cap with Write and with Grant or GrantReply (sendFaultIPC in seL4's src/kernel/faulthandler.c)";

function hex(w: bigint): string {
  return `0x${w.toString(16)}`;
}

function rightsOf(rights: number): string {
  const names = [
    [RIGHT_READ, "Read"],
    [RIGHT_WRITE, "Write"],
    [RIGHT_GRANT, "Grant"],
    [RIGHT_GRANT_REPLY, "GrantReply"],
  ] as const;
  const held = names.filter(([bit]) => (rights & bit) !== 0).map(([, name]) => name);
  return held.length > 0 ? held.join(", ") : "none";
}

function lookupText(f: LookupFailure): string {
  switch (f.type) {
    case "InvalidRoot":
      return "the thread's CSpace root is not a CNode";
    case "MissingCapability":
      return "a slot on the way is empty";
    case "DepthMismatch":
      return "the CPtr's bits do not end at a slot";
    case "GuardMismatch":
      return "a CNode's guard does not match the CPtr";
  }
}

function capText(cap: TraceCap): string {
  if (cap.type === "Null") return "an empty slot";
  if (cap.type !== "Endpoint") return `a ${cap.type} cap, not an endpoint`;
  const rights = rightsOf(cap.rights ?? 0);
  if (((cap.rights ?? 0) & RIGHT_WRITE) === 0) return `an endpoint cap without Write (its rights: ${rights})`;
  return `an endpoint cap with neither Grant nor GrantReply (its rights: ${rights})`;
}

/** The note for one undelivered fault. */
export function undeliveredFaultNote(u: UndeliveredFault): string {
  const head = `why the kernel could not deliver ${u.thread ?? "a thread"}'s fault`;
  if (u.cause.kind === "none") {
    return (
      `${head}: ${u.thread} has no fault endpoint. On MCS seL4_TCB_SetSpace (or SetSchedParams) checks the cap you give ` +
      "it and copies it into the TCB; with 0 there, or a cap that is not an endpoint, the thread has none"
    );
  }
  const cptr = u.handler.resolved === "at-fault" ? BigInt(u.handler.cptr) : 0n;
  const empty = u.cause.kind === "cap" ? u.cause.cap.type === "Null" : u.cause.failure.type === "MissingCapability";
  if (cptr === 0n && empty)
    return `${head}: its fault-handler CPtr is 0 (seL4_CapNull), so no fault endpoint was registered (${REGISTER})`;
  const named =
    u.cause.kind === "lookup"
      ? `does not resolve in ${u.thread}'s CSpace (${lookupText(u.cause.failure)}); ${WHERE_MASTER}`
      : u.cause.cap.type === "Null"
        ? `names an empty slot of ${u.thread}'s CSpace; ${WHERE_MASTER}`
        : `names ${capText(u.cause.cap)}; ${NEEDS}`;
  return `${head}: its fault-handler CPtr ${hex(cptr)} ${named}`;
}
