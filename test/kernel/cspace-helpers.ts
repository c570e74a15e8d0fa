// Shared helpers for the CSpace, CNode, derivation-tree and Untyped tests: libsel4's CNode and
// Untyped stubs marshalled as the kernel receives them (libsel4 include/interfaces/object-api.xml), readable views of error
// replies and of slot contents, and systems built with the boot API.
import { expect } from "vitest";
import { ERROR_NAMES, seL4_WordBits, type KernelConfig } from "../../src/abi/constants.js";
import { invocationLabelNumber, type InvocationLabel } from "../../src/abi/invocation.js";
import type { Cap, CNodeObj, FrameObj, KObject, PagingObj, SchedContextObj, TCB } from "../../src/kernel/index.js";
import { sys, type Result, type SyscallRequest } from "../support/in-process.js";
import { DEFAULT_SC } from "../support/system.js";
import { IPC_BUFFER_VADDR, TestSystem } from "./fixtures.js";

type W = number | bigint;

/** Both kernel configurations, for describe.each. */
export const CONFIGS = ["master", "mcs"] as const;

/** seL4_WordBits: the depth of every explicit address in a single-level CSpace. */
export const D = seL4_WordBits;

/** The CNode and Untyped invocations, as the libsel4 stubs marshal them (labels per configuration). */
export function kernelOps(config: KernelConfig) {
  const L = (name: InvocationLabel) => {
    const n = invocationLabelNumber(config, name);
    if (n === undefined) throw new Error(`${name} does not exist on ${config}`);
    return n;
  };
  return {
    label: L,
    copy: (svc: W, dest: W, destDepth: W, srcRoot: W, src: W, srcDepth: W, rights: W): SyscallRequest =>
      sys.call(svc, L("CNodeCopy"), [dest, destDepth, src, srcDepth, rights], [srcRoot]),
    mint: (svc: W, dest: W, destDepth: W, srcRoot: W, src: W, srcDepth: W, rights: W, badge: W): SyscallRequest =>
      sys.call(svc, L("CNodeMint"), [dest, destDepth, src, srcDepth, rights, badge], [srcRoot]),
    move: (svc: W, dest: W, destDepth: W, srcRoot: W, src: W, srcDepth: W): SyscallRequest =>
      sys.call(svc, L("CNodeMove"), [dest, destDepth, src, srcDepth], [srcRoot]),
    mutate: (svc: W, dest: W, destDepth: W, srcRoot: W, src: W, srcDepth: W, badge: W): SyscallRequest =>
      sys.call(svc, L("CNodeMutate"), [dest, destDepth, src, srcDepth, badge], [srcRoot]),
    rotate: (
      svc: W,
      dest: W,
      destDepth: W,
      destBadge: W,
      pivotRoot: W,
      pivot: W,
      pivotDepth: W,
      pivotBadge: W,
      srcRoot: W,
      src: W,
      srcDepth: W,
    ): SyscallRequest =>
      sys.call(
        svc,
        L("CNodeRotate"),
        [dest, destDepth, destBadge, pivot, pivotDepth, pivotBadge, src, srcDepth],
        [pivotRoot, srcRoot],
      ),
    revoke: (svc: W, index: W, depth: W): SyscallRequest => sys.call(svc, L("CNodeRevoke"), [index, depth]),
    delete: (svc: W, index: W, depth: W): SyscallRequest => sys.call(svc, L("CNodeDelete"), [index, depth]),
    cancelBadgedSends: (svc: W, index: W, depth: W): SyscallRequest =>
      sys.call(svc, L("CNodeCancelBadgedSends"), [index, depth]),
    saveCaller: (svc: W, index: W, depth: W): SyscallRequest => sys.call(svc, L("CNodeSaveCaller"), [index, depth]),
    retype: (ut: W, type: W, sizeBits: W, root: W, index: W, depth: W, offset: W, num: W): SyscallRequest =>
      sys.call(ut, L("UntypedRetype"), [type, sizeBits, index, depth, offset, num], [root]),
  };
}

/** A kernel reply as a reader of errors.h sees it: the error name and its detail words. */
export interface Outcome {
  error: string;
  mrs: bigint[];
}
export function outcome(r: Result): Outcome {
  return { error: ERROR_NAMES[Number(r.label)] ?? `label ${r.label}`, mrs: r.mrs };
}
export const OK: Outcome = { error: "seL4_NoError", mrs: [] };
export function failed(error: (typeof ERROR_NAMES)[number], ...mrs: W[]): Outcome {
  return { error, mrs: mrs.map((m) => BigInt(m)) };
}

/** What a slot holds, in the terms of the cap's bitfield: object, rights, badge or guard. */
export type CapView =
  | { type: "Null" }
  | { type: "Endpoint" | "Notification"; object: string; badge: bigint; rights: number }
  | { type: "CNode"; object: string; guard: bigint; guardSize: number }
  | { type: "Reply" | "ReplyObject"; object: string; canGrant: boolean }
  | { type: string; object: string };
export function viewCap(cap: Cap): CapView {
  switch (cap.type) {
    case "Null":
      return { type: "Null" };
    case "Endpoint":
    case "Notification":
      return { type: cap.type, object: cap.obj.name, badge: cap.badge, rights: cap.rights };
    case "CNode":
      return { type: "CNode", object: cap.obj.name, guard: cap.guard, guardSize: cap.guardSize };
    case "Reply":
      return { type: "Reply", object: cap.tcb.name, canGrant: cap.canGrant };
    case "ReplyObject":
      return { type: "ReplyObject", object: cap.obj.name, canGrant: cap.canGrant };
    default:
      return { type: cap.type, object: cap.obj.name };
  }
}
export const EMPTY: CapView = { type: "Null" };
export const ep = (object: string, rights = 0xf, badge: W = 0): CapView => ({
  type: "Endpoint",
  object,
  badge: BigInt(badge),
  rights,
});
export const ntfn = (object: string, rights = 0x3, badge: W = 0): CapView => ({
  type: "Notification",
  object,
  badge: BigInt(badge),
  rights,
});
export const cnodeCap = (object: string, guard: W, guardSize: number): CapView => ({
  type: "CNode",
  object,
  guard: BigInt(guard),
  guardSize,
});

/** seL4_CNode_CapData_new(guard, guardSize): the guard data word of a CNode Mint/Mutate/Rotate. */
export const guardData = (guard: W, guardSize: number): bigint => (BigInt(guard) << 6n) | BigInt(guardSize);

/**
 * A system with one thread "t" (radix `radix`, priority 254) whose slot 1 holds a cap to its own
 * CNode, as capDL gives a rootserver-like thread. More threads may be listed.
 */
export function cspaceSystem(config: KernelConfig, opts: { radix?: number; others?: string[] } = {}): TestSystem {
  const s = new TestSystem(config, [
    { name: "t", radix: opts.radix ?? 4 },
    ...(opts.others ?? []).map((name) => ({ name })),
  ]);
  s.giveCNode("t", 1, "t");
  return s;
}

/** One fresh object per listed slot of "t": `[type, name, sizeBits?]`. */
export type SlotLayout = Record<number, [Parameters<TestSystem["create"]>[0], string, number?]>;

/** `cspaceSystem` with the objects of `layout` in t's slots; returns the system and a view of t's slots. */
export function capSystem(config: KernelConfig, layout: SlotLayout, opts: Parameters<typeof cspaceSystem>[1] = {}) {
  const s = cspaceSystem(config, opts);
  for (const [slot, [type, name, sizeBits]] of Object.entries(layout))
    s.give("t", Number(slot), s.create(type, name, sizeBits));
  return { s, slots: new Slots(s) };
}

/** Runs one request in "t": it must fail with `expected` and leave every slot of t as it was. */
export function expectRejected(s: TestSystem, request: SyscallRequest, expected: Outcome): void {
  const slots = new Slots(s);
  const before = slots.all();
  const [r] = exec(s, request);
  expect(outcome(r!)).toEqual(expected);
  expect(slots.all()).toEqual(before);
}

export class Slots {
  constructor(
    private readonly s: TestSystem,
    private readonly thread = "t",
  ) {}
  view(slot: number): CapView {
    return viewCap(this.s.slotCap(this.thread, slot));
  }
  /** Every slot's view, for "nothing else changed" checks. */
  all(): CapView[] {
    return this.s.cnode(this.thread).slots.map((c) => viewCap(c.cap));
  }
}

/** Runs `requests` in order in `thread` (started alone) and returns the replies. */
export function execAs(s: TestSystem, thread: string, ...requests: SyscallRequest[]): Result[] {
  const results: Result[] = [];
  s.program(thread, function* () {
    for (const r of requests) results.push(yield r);
  });
  s.run([thread]);
  expect(results, "every request got its reply").toHaveLength(requests.length);
  return results;
}

/** Runs `requests` in order in thread "t". */
export const exec = (s: TestSystem, ...requests: SyscallRequest[]): Result[] => execAs(s, "t", ...requests);

/** The live TCB named `name` (for objects the kernel created, such as retyped TCBs). */
export function threadNamed(s: TestSystem, name: string): TCB | undefined {
  return s.kernel.threads().find((t) => t.name === name);
}

/**
 * Adds a thread built with the boot API whose CSpace root is `cspace`, a cap the test chose (a
 * guarded multi-level root, or a cap that is no CNode at all). It gets a VSpace with an IPC buffer
 * and, on MCS, a round-robin SC; `faultEP` is the master CPtr or the MCS cap of its fault handler.
 */
export function addThread(s: TestSystem, name: string, cspace: Cap, faultEP?: bigint | Cap): TCB {
  const b = s.kernel.boot;
  const make = <T extends KObject>(type: Parameters<typeof b.createObject>[0], what: string, sizeBits?: number) =>
    b.createObject(type, { name: `${what}_${name}`, sizeBits }) as T;
  const tcb = make<TCB>("TCB", "tcb");
  const vspace = make<PagingObj>("PML4", "vspace");
  const frame = make<FrameObj>("Frame4K", "ipc");
  b.mapFrame(vspace, frame, IPC_BUFFER_VADDR, 3);
  const sc = s.config === "mcs" ? make<SchedContextObj>("SchedContext", "sc", 8) : undefined;
  if (sc) b.configureSchedContext(sc, DEFAULT_SC);
  b.configureThread(tcb, {
    cspace,
    vspace: b.cap(vspace),
    ipcBuffer: { frame, vaddr: IPC_BUFFER_VADDR },
    priority: 254,
    mcp: 254,
    sc,
    faultEP,
  });
  s.tcbs.set(name, tcb);
  return tcb;
}

/** A CNode made with the boot API (not any thread's own). */
export function makeCNode(s: TestSystem, name: string, radix: number): CNodeObj {
  return s.create("CNode", name, radix) as CNodeObj;
}
