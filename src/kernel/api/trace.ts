// What the kernel did, as plain data (not seL4 code: seL4's closest relatives are its benchmark
// entry tracking and the debug kernel's printouts). The kernel hands each event to the sink in
// KernelState.trace; with no sink, or a sink that wants only the run-end facts, the hot paths
// build nothing. Names are seL4's: syscalls (seL4_Call), invocation labels (TCBSetSpace, as
// libsel4's generated invocation.h spells them), faults (seL4_Fault_CapFault), errors
// (seL4_InvalidCapability), thread states (ThreadState_BlockedOnReceive). Words are hex strings
// ("0x1f"), so an event is JSON as it stands. Time is the simulated clock in ns, never the wall clock.
import type { Fault, LookupFailure, SyscallError } from "./failures.js";
import type { Word } from "./types.js";
import type { KernelState } from "../model/state.js";
import { FaultIP } from "../../abi/registers.js";
import { ThreadState, type Cap, type CTE, type TCB } from "../object/structures.js";

/** A cap as events show it: its type, the object it names, and its badge or rights where it has them. */
export interface TraceCap {
  type: Cap["type"];
  object: string | null;
  badge?: string;
  rights?: number;
}

/** A slot: the CNode (or TCB, for a TCB's own slots) that holds it and its index there. */
export interface TraceSlot {
  owner: string;
  index: number;
  /** Added outside the kernel: the name the exercise gives the slot (its cspace symbol, or the TCB field). */
  name?: string;
}

/** Why a fault reached no handler (see the fault event). */
export type TraceUndelivery =
  /** master: the handler CPtr did not resolve in the faulting thread's CSpace. */
  | { kind: "lookup"; failure: LookupFailure }
  /** master: it resolved to a cap the kernel cannot send a fault through. */
  | { kind: "cap"; cap: TraceCap }
  /** MCS: the TCB's fault-handler slot holds no endpoint cap. */
  | { kind: "none" };

/** Where the kernel found (or did not find) a faulting thread's handler. */
export type TraceHandler =
  /** master: a CPtr looked up in the faulting thread's CSpace, now, at fault time. */
  | { resolved: "at-fault"; cptr: string; cap: TraceCap | null; cptrName?: string }
  /** MCS: the endpoint cap copied into TCB slot 3 when seL4_TCB_SetSpace (or Configure) ran. */
  | { resolved: "at-configure"; cap: TraceCap | null };

/** The fields every event has. `ip` is the thread's instruction pointer, which the machine maps to a source line. */
interface Stamp {
  /** Simulated time, ns. */
  time: number;
  /** The thread the event is about (the one that entered the kernel, unless the event says otherwise). */
  thread: string | null;
  ip?: number;
}

export type TraceEventBody =
  /** A system call entered the kernel: its seL4 name, the CPtr in the cap register and the message info. */
  | {
      kind: "syscall";
      syscall: string;
      cptr: string;
      label: string;
      length: number;
      extraCaps: number;
      capName?: string;
    }
  /** A kernel object's method (not IPC) ran and succeeded: its label, the invoked cap and the argument words. */
  | { kind: "invocation"; label: string; cap: TraceCap; args: string[] }
  /** An invocation failed: the error seL4 returns, its detail words (the failing argument, ...) and the kernel's message. */
  | {
      kind: "error";
      error: string;
      detail: Record<string, string | number | boolean>;
      message: string;
      function: string;
    }
  /** A message moved from `thread` to `to` (through `endpoint`, or as a reply when it is null). */
  | {
      kind: "transfer";
      to: string;
      peerIp?: number;
      endpoint: string | null;
      badge: string;
      label: string;
      length: number;
      mrs: string[];
      /** Caps that travelled, each with the slot of the receiver's CSpace it landed in (or unwrapped to its badge). */
      caps: { cap: TraceCap; slot: TraceSlot | null; unwrapped: boolean }[];
      /** Set when the kernel wrote the message: the fault the sender took. */
      fault?: string;
      /** MCS: the reply object the receiver holds for this call. */
      replyObject?: string;
    }
  /** `thread` replied to `to` (a fault reply: the state event that follows says whether `to` restarts). */
  | { kind: "reply"; to: string; peerIp?: number; fault?: string; replyObject?: string }
  /** A thread stopped running (blocked, or became inactive) or could run again. */
  | { kind: "state"; state: string; on: string | null }
  /** The kernel picked the thread to run next (null: the idle thread). */
  | { kind: "switch"; to: string | null }
  /** A fault: its seL4_Fault_* name, the kernel's own words, the message words and whether a handler got it. */
  | {
      kind: "fault";
      fault: string;
      description: string;
      mrs: string[];
      handler: TraceHandler;
      delivered: boolean;
      /** When not delivered: the fault the kernel took looking for the handler (master) and why it failed. */
      handlerFault?: string;
      cause?: TraceUndelivery;
    }
  /** A cap was put into a slot (by an invocation) or deleted from one. */
  | { kind: "cap"; op: "insert" | "delete"; slot: TraceSlot; cap: TraceCap }
  /** MCS: a scheduling context ran out of budget, waits for its next refill, or was released. */
  | { kind: "budget"; sc: string; event: "exhausted" | "postponed" | "released"; at?: number }
  /** Characters the program or the kernel printed. */
  | { kind: "output"; text: string }
  /** The thread's main returned, or it called abort() (a failed ZF_LOGF_IF or assert): it stops. */
  | { kind: "exit"; how: "returned" | "aborted" };

export type TraceEvent = Stamp & TraceEventBody;

export interface TraceSink {
  /** false: only the facts a run's ending is judged by (faults), so the hot paths stay silent. */
  readonly detail: boolean;
  event(e: TraceEvent): void;
}

export function hexWord(w: Word | number): string {
  return `0x${w.toString(16)}`;
}

const STATE_NAMES: Record<ThreadState, string> = {
  [ThreadState.Inactive]: "ThreadState_Inactive",
  [ThreadState.Running]: "ThreadState_Running",
  [ThreadState.Restart]: "ThreadState_Restart",
  [ThreadState.BlockedOnReceive]: "ThreadState_BlockedOnReceive",
  [ThreadState.BlockedOnSend]: "ThreadState_BlockedOnSend",
  [ThreadState.BlockedOnReply]: "ThreadState_BlockedOnReply",
  [ThreadState.BlockedOnNotification]: "ThreadState_BlockedOnNotification",
  [ThreadState.IdleThreadState]: "ThreadState_IdleThreadState",
};

export function stateName(s: ThreadState): string {
  return STATE_NAMES[s];
}

export function faultName(f: Fault): string {
  return `seL4_Fault_${f.type}`;
}

export function errorName(e: SyscallError): string {
  return `seL4_${e.type}`;
}

/** The detail words of an error, under the names libsel4's seL4_*Error_* accessors give them. */
export function errorDetail(e: SyscallError): Record<string, string | number | boolean> {
  switch (e.type) {
    case "InvalidArgument":
      return { argumentNumber: e.argumentNumber };
    case "InvalidCapability":
      return { capNumber: e.capNumber };
    case "RangeError":
      return { min: hexWord(BigInt(e.min)), max: hexWord(BigInt(e.max)) };
    case "FailedLookup":
      return { source: e.source, lookupFailure: e.lookupFailure.type };
    case "NotEnoughMemory":
      return { memoryLeft: hexWord(BigInt(e.memoryLeft)) };
    default:
      return {};
  }
}

export function traceCap(cap: Cap): TraceCap {
  const object = "obj" in cap ? cap.obj.name : cap.type === "Reply" ? cap.tcb.name : null;
  const out: TraceCap = { type: cap.type, object };
  if (cap.type === "Endpoint" || cap.type === "Notification") {
    out.badge = hexWord(cap.badge);
    out.rights = cap.rights;
  }
  return out;
}

export function traceSlot(slot: CTE): TraceSlot {
  return { owner: slot.owner.name, index: slot.index };
}

/** Hands an event about `t` (default: the current thread) to the sink, stamped with the time and its ip. */
export function emit(ks: KernelState, body: TraceEventBody, t: TCB | null = ks.curThread): void {
  const sink = ks.trace;
  if (sink === null) return;
  // The body becomes the event (copying it into a new object, by spread, costs V8 microseconds).
  const e = body as TraceEvent;
  e.time = ks.now;
  e.thread = t === null ? null : t.name;
  if (t !== null) e.ip = Number(t.regs[FaultIP]!);
  sink.event(e);
}

/** The cap event for a slot an invocation filled or emptied (while tracing). */
export function traceCapChange(ks: KernelState, op: "insert" | "delete", slot: CTE, cap: Cap): void {
  if (tracing(ks) && cap.type !== "Null") emit(ks, { kind: "cap", op, slot: traceSlot(slot), cap: traceCap(cap) });
}

/** Whether a sink wants the events a run's ending is judged by (faults, threads that stopped themselves). */
export function tracingFacts(ks: KernelState): boolean {
  return ks.trace !== null;
}

/** Whether anyone wants the detailed events (the hot paths ask before building one). */
export function tracing(ks: KernelState): boolean {
  return ks.trace !== null && ks.trace.detail;
}
