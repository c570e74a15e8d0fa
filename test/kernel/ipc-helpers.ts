// Shared helpers for the IPC, notification, reply, scheduling and MCS tests: the libsel4 IPC calls
// whose shape differs between master and MCS (where the reply capability lives, what seL4_Wait and
// seL4_Poll are), small systems with endpoints and notifications, and readable thread reports.
import { IPCBUF_CAPS, seL4_WordBits, type KernelConfig } from "../../src/abi/constants.js";
import type { InvocationLabel } from "../../src/abi/invocation.js";
import type { KObject } from "../../src/kernel/index.js";
import { sys, type Request, type SyscallRequest } from "../support/in-process.js";
import { kernelOps } from "./cspace-helpers.js";
import { TestSystem, type ThreadSpec } from "./fixtures.js";

type W = number | bigint;

/** Cap rights words (seL4_CapRights_new(grantReply, grant, read, write)). */
export const RIGHTS = { W: 0b0001, R: 0b0010, G: 0b0100, GR: 0b1000, RW: 0b0011, ALL: 0b1111 } as const;

/** Slot conventions of these tests: every thread's endpoint at 1, its MCS reply object at 2. */
export const EP = 1;
export const REPLY = 2;

export const MS = 1_000_000;
const US = 1_000;

/** An invocation label number, failing loudly when the configuration lacks it. */
export function label(config: KernelConfig, name: InvocationLabel): number {
  return kernelOps(config).label(name);
}

/**
 * The IPC calls a program makes, written once for both configurations: on MCS the receive side
 * names its reply object (slot REPLY) and replies by sending on it; master replies with seL4_Reply.
 */
export function ipc(config: KernelConfig, replySlot: number = REPLY) {
  const mcs = config === "mcs";
  const reply = mcs ? replySlot : undefined;
  return {
    mcs,
    recv: (ep: W): SyscallRequest => sys.recv(ep, reply),
    nbrecv: (ep: W): SyscallRequest => sys.nbrecv(ep, reply),
    /** seL4_Reply (master) or seL4_Send on the reply object (MCS). */
    reply: (lbl: W, mrs: W[] = [], extraCaps: W[] = []): SyscallRequest =>
      mcs ? sys.send(replySlot, lbl, mrs, extraCaps) : { kind: "syscall", name: "Reply", label: lbl, mrs, extraCaps },
    replyRecv: (ep: W, lbl: W, mrs: W[] = []): SyscallRequest => sys.replyRecv(ep, lbl, mrs, reply),
    /** seL4_Wait: a real syscall on MCS, seL4_Recv on master. */
    wait: (ntfn: W): SyscallRequest => (mcs ? sys.wait(ntfn) : sys.recv(ntfn)),
    /** seL4_Poll: seL4_NBWait on MCS, seL4_NBRecv on master. */
    poll: (ntfn: W): SyscallRequest => (mcs ? sys.nbwait(ntfn) : sys.nbrecv(ntfn)),
  };
}

/** MCS seL4_NBSendRecv(dest, info, src, &sender, reply): dest travels in R13. */
export function nbsendRecv(dest: W, lbl: W, mrs: W[], src: W, reply: W): SyscallRequest {
  return { kind: "syscall", name: "NBSendRecv", cap: src, dest, label: lbl, mrs, reply };
}

/** MCS seL4_NBSendWait(dest, info, src, &sender): dest travels in R12. */
export function nbsendWait(dest: W, lbl: W, mrs: W[], src: W): SyscallRequest {
  return { kind: "syscall", name: "NBSendWait", cap: src, reply: dest, label: lbl, mrs };
}

/** A request whose message-info register holds `info` before the trap (to see it left stale). */
export function withInfo<R extends SyscallRequest>(req: R, info: bigint): R {
  return { ...req, infoWord: info };
}

/** A receive that names a slot for a transferred cap: (receiveCNode, receiveIndex, receiveDepth = 64). */
export function receivingInto<R extends SyscallRequest>(req: R, cnode: W, index: W): R {
  return { ...req, receiveSlot: [cnode, index, seL4_WordBits] };
}

/** seL4_TCB_SetPriority(tcb, authority, prio). */
export function setPriority(config: KernelConfig, tcb: W, authority: W, prio: W): SyscallRequest {
  return sys.call(tcb, label(config, "TCBSetPriority"), [prio], [authority]);
}

/** seL4_TCB_BindNotification(tcb, ntfn). */
export function bindNotification(config: KernelConfig, tcb: W, ntfn: W): SyscallRequest {
  return sys.call(tcb, label(config, "TCBBindNotification"), [], [ntfn]);
}

/**
 * A TestSystem whose threads all hold a cap to one endpoint in slot EP (with the given rights and
 * badge per thread) and, on MCS, a reply object of their own in slot REPLY.
 */
export function endpointSystem(
  config: KernelConfig,
  threads: (ThreadSpec & { rights?: number; badge?: number })[],
  options: { fastpath?: boolean } = {},
) {
  const s = new TestSystem(config, threads, options);
  const ep = s.create("Endpoint", "ep");
  for (const t of threads) {
    s.give(t.name, EP, ep, { rights: t.rights ?? RIGHTS.ALL, badge: t.badge ?? 0 });
    if (config === "mcs") s.give(t.name, REPLY, s.create("Reply", `reply_${t.name}`));
  }
  return { s, ep };
}

/** Give each named thread a cap to `obj` at `slot`. */
export function giveAll(
  s: TestSystem,
  obj: KObject,
  slot: number,
  to: string[],
  opts: { rights?: number; badge?: number } = {},
): void {
  for (const t of to) s.give(t, slot, obj, opts);
}

/** A new endpoint or notification that `sender` may only send on and `receiver` only receive on, both at `slot`. */
export function oneWay(
  s: TestSystem,
  type: "Endpoint" | "Notification",
  name: string,
  sender: string,
  receiver: string,
  slot: number,
): KObject {
  const obj = s.create(type, name);
  s.give(sender, slot, obj, { rights: RIGHTS.W });
  s.give(receiver, slot, obj, { rights: RIGHTS.R });
  return obj;
}

/** The name of the SC a thread runs on (MCS), or "no SC". */
export function scName(s: TestSystem, thread: string): string {
  return s.tcb(thread).sc?.name ?? "no SC";
}

/** caps_or_badges[i] of a thread's IPC buffer, where unwrapped badges are delivered. */
export function capsOrBadges(s: TestSystem, thread: string, n: number): bigint[] {
  const addr = s.kernel.ipcBufferAddress(s.tcb(thread));
  if (addr === null) throw new Error(`${thread} has no IPC buffer`);
  const words = new BigUint64Array(s.kernel.memory, addr, 128);
  return Array.from({ length: n }, (_, i) => words[IPCBUF_CAPS + i]!);
}

/** "state, waiting on" for a thread, as Kernel.describeThread reports it. */
export function report(s: TestSystem, thread: string): string {
  const r = s.kernel.describeThread(s.tcb(thread));
  return r.blockedOn === null ? r.state : `${r.state}: ${r.blockedOn}`;
}

/** The virtual time, in whole microseconds, for logs. */
export function nowUs(s: TestSystem): number {
  return Math.round(s.kernel.now / US);
}

/** User-mode computation of `ns` virtual nanoseconds. */
export function spin(ns: number): Request {
  return sys.spin(ns);
}

/**
 * Runs the system like TestSystem.run, recording every change of the running thread as
 * "<µs> <thread>" ("idle" when none runs): a schedule trace in virtual time.
 */
export function runTraced(s: TestSystem, resumeOrder: string[], maxSteps = 100_000): string[] {
  const trace: string[] = [];
  let last: string | undefined;
  const note = () => {
    const name = s.kernel.currentThread()?.name.replace(/^tcb_/, "") ?? "idle";
    if (name !== last) trace.push(`${nowUs(s)} ${name}`);
    last = name;
  };
  for (const n of resumeOrder) s.kernel.boot.resume(s.tcb(n));
  s.kernel.boot.start();
  note();
  const previous = s.sim.onEntry;
  s.sim.onEntry = (entry) => {
    previous?.(entry);
    note();
  };
  s.sim.run(maxSteps);
  return trace;
}
