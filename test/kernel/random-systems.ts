// Random systems and random per-thread programs for the kernel's property tests. A plan is plain
// data (so fast-check can print and shrink it); `buildPlan` builds the system and its programs for
// the in-process harness, and `start` resumes its threads.
import fc from "fast-check";
import { invocationLabelNumber, type InvocationLabel } from "../../src/abi/invocation.js";
import { objectTypeNumber, seL4_WordBits, type KernelConfig } from "../../src/abi/constants.js";
import { ThreadState, type Kernel, type KObject, type SchedContextObj } from "../../src/kernel/index.js";
import { insertOriginal } from "../../src/kernel/object/cdt.js";
import { TCB_FAULT_HANDLER, TCB_TIMEOUT_HANDLER } from "../../src/kernel/object/structures.js";
import type { KernelEntry, Program, Request, SyscallRequest } from "../support/in-process.js";
import { IPC_BUFFER_VADDR, STACK_TOP, TestSystem } from "./fixtures.js";

/** Slots 1..SHARED_SLOTS of every CSpace are filled at boot; the rest (up to 15) start empty. */
const SHARED_SLOTS = 10;
const RADIX = 4;
const OWN_CNODE = 3;

type Word = bigint;
type ObjKind = "ep" | "ntfn" | "cnode" | "tcb" | "reply" | "sc" | "schedcontrol" | "untyped";
interface CapPlan {
  kind: ObjKind;
  i: number;
  rights: number;
  badge: number;
}

export type Op =
  | { k: "Send" | "NBSend" | "Call"; cap: Word; label: number; mrs: number; extra: Word[] }
  | { k: "Recv" | "NBRecv" | "ReplyRecv" | "Wait" | "NBWait"; cap: Word; reply: Word; receiveSlot: number | null }
  | { k: "NBSendRecv" | "NBSendWait"; dest: Word; cap: Word; reply: Word }
  | { k: "Reply"; label: number }
  | { k: "Yield" }
  | { k: "Signal"; cap: Word }
  | {
      k: "CNodeCopy" | "CNodeMint" | "CNodeMove" | "CNodeMutate";
      service: Word;
      dest: Word;
      destDepth: number;
      root: Word;
      src: Word;
      srcDepth: number;
      rights: number;
      badge: Word;
    }
  | { k: "CNodeRotate"; service: Word; dest: Word; root: Word; pivot: Word; src: Word; badges: [Word, Word] }
  | {
      k: "CNodeDelete" | "CNodeRevoke" | "CNodeCancelBadgedSends" | "CNodeSaveCaller";
      service: Word;
      index: Word;
      depth: number;
    }
  | { k: "TCBSuspend" | "TCBResume" | "TCBUnbindNotification"; tcb: Word }
  | { k: "TCBSetPriority"; tcb: Word; prio: number; authority: Word }
  | { k: "TCBBindNotification"; tcb: Word; ntfn: Word }
  | { k: "TCBSetSchedParams"; tcb: Word; authority: Word; prio: number; sc: Word; fault: Word }
  | { k: "SchedContextBind" | "SchedContextUnbindObject"; sc: Word; obj: Word }
  | { k: "SchedContextUnbind" | "SchedContextConsumed" | "SchedContextYieldTo"; sc: Word }
  | { k: "SchedControlConfigureFlags"; ctl: Word; sc: Word; budgetUs: number; periodUs: number; extra: number }
  | { k: "UntypedRetype"; ut: Word; type: RetypeType; sizeBits: number; root: Word; offset: number; count: number }
  | { k: "raw"; number: number }
  | { k: "exception"; number: number; code: number }
  | { k: "load" | "store"; vaddr: bigint }
  | { k: "spin"; ns: number };

/** Objects the random programs may create (no TCBs: a new thread would have no program to run). */
type RetypeType = "Endpoint" | "Notification" | "CNode" | "Reply" | "SchedContext" | "Untyped";

interface ThreadPlan {
  /** Servers mostly receive and reply, clients mostly call; anything else does anything. */
  role: "server" | "client" | "any";
  priority: number;
  /** MCS: a round-robin or periodic SC, or passive (a passive server starts with an SC that the
   *  supervisor unbinds once it is waiting; any other passive thread has none). */
  sc: "rr" | "periodic" | "passive";
  budgetUs: number;
  periodUs: number;
  /** master: fault handler CPtr; MCS: index of the fault endpoint, -1 for none. */
  faultEP: number;
  timeoutEP: number;
  /** Caps in slots 1..SHARED_SLOTS (the entry for slot OWN_CNODE is ignored: it holds the thread's own CNode). */
  caps: (CapPlan | null)[];
  ops: Op[];
}

/** The random threads, and what the lowest-priority supervisor does each time they are all blocked. */
export interface Plan {
  threads: ThreadPlan[];
  kicks: Op[];
  /** Bit i: the supervisor holds a cap to thread i's TCB (a thread with no caps left is deleted). */
  supervised: number;
}

// --- Arbitraries -------------------------------------------------------------------------------

const weighted = <T>(...pairs: [number, fc.Arbitrary<T>][]): fc.Arbitrary<T> =>
  fc.oneof(...pairs.map(([weight, arbitrary]) => ({ weight, arbitrary })));

/** Mostly slots of the 16-slot CSpaces; sometimes past the radix (a guard mismatch), -1 or any word. */
const cptr: fc.Arbitrary<Word> = weighted(
  [16, fc.integer({ min: 0, max: 15 }).map(BigInt)],
  [1, fc.integer({ min: 16, max: 300 }).map(BigInt)],
  [1, fc.constant(-1n)],
  [1, fc.bigInt({ min: 0n, max: (1n << 64n) - 1n })],
);
const slotIn = (min: number, max: number) => fc.integer({ min, max }).map(BigInt);
/** Copy/Move destinations: mostly the slots that start empty. */
const destIndex = weighted([4, fc.constantFrom(0n, 11n, 12n, 13n, 14n, 15n)], [2, slotIn(0, 15)], [1, cptr]);
/** Sources and targets of slot operations: mostly the slots filled at boot. */
const srcIndex = weighted([4, slotIn(1, SHARED_SLOTS)], [2, slotIn(0, 15)], [1, cptr]);
const depth = weighted([12, fc.constant(seL4_WordBits)], [1, fc.integer({ min: 0, max: 70 })]);
const rights = weighted([5, fc.constant(0xf)], [1, fc.integer({ min: 0, max: 15 })]);
const badge = weighted([2, fc.constant(0)], [1, fc.integer({ min: 1, max: 3 })]);
const badgeWord = weighted([2, fc.constant(0n)], [1, fc.bigInt({ min: 1n, max: 3n })], [1, cptr]);
const prio = fc.integer({ min: 250, max: 254 });
/** Where a receiver accepts a transferred cap: one of the slots that start empty, or nowhere. */
const receiveSlot: fc.Arbitrary<number | null> = fc.option(fc.integer({ min: SHARED_SLOTS + 1, max: 15 }));
const kinds = (config: KernelConfig): ObjKind[] =>
  config === "mcs"
    ? ["ep", "ntfn", "cnode", "tcb", "reply", "sc", "schedcontrol", "untyped"]
    : ["ep", "ntfn", "cnode", "tcb", "untyped"];

/** What slots 1..SHARED_SLOTS usually hold (slot OWN_CNODE is always the thread's own CNode). */
function slotKinds(config: KernelConfig): (ObjKind | null)[] {
  return config === "mcs"
    ? ["ep", "ntfn", null, "reply", "tcb", "cnode", "sc", "ep", "schedcontrol", "untyped"]
    : ["ep", "ntfn", null, "ep", "tcb", "cnode", "ntfn", "ep", "tcb", "untyped"];
}

/** A CPtr that usually names a slot holding one of `wanted`, otherwise any CPtr. */
function cptrTo(config: KernelConfig, ...wanted: ObjKind[]): fc.Arbitrary<Word> {
  const slots = slotKinds(config).flatMap((kind, i) => (kind !== null && wanted.includes(kind) ? [BigInt(i + 1)] : []));
  if (wanted.includes("cnode")) slots.push(BigInt(OWN_CNODE));
  return slots.length === 0 ? cptr : weighted([5, fc.constantFrom(...slots)], [2, cptr]);
}

const capPlan = (config: KernelConfig, kind?: ObjKind): fc.Arbitrary<CapPlan> =>
  fc.record({
    kind: kind === undefined ? fc.constantFrom(...kinds(config)) : fc.constant(kind),
    // Index 0 is favoured so that threads share the first endpoint and notification.
    i: weighted([3, fc.constant(0)], [2, fc.nat(7)]),
    rights,
    badge,
  });

function opArb(config: KernelConfig): fc.Arbitrary<Op> {
  const mcs = config === "mcs";
  const k = <K extends Op["k"]>(...names: K[]) => fc.constantFrom(...names);
  const to = (...wanted: ObjKind[]) => cptrTo(config, ...wanted);
  const cnode = to("cnode");
  const send = fc.record({
    k: k("Send", "NBSend", "Call"),
    cap: to("ep", "ntfn", "reply"),
    label: weighted([4, fc.constant(0)], [1, fc.nat(60)]),
    mrs: fc.nat(6),
    extra: fc.array(cptr, { maxLength: 3 }),
  });
  const recv = fc.record({
    k: mcs ? k("Recv", "NBRecv", "ReplyRecv", "Wait", "NBWait") : k("Recv", "NBRecv", "ReplyRecv"),
    cap: to("ep", "ntfn"),
    reply: to("reply"),
    receiveSlot,
  });
  const copy = fc.record({
    k: k("CNodeCopy", "CNodeMint", "CNodeMove", "CNodeMutate"),
    service: cnode,
    dest: destIndex,
    destDepth: depth,
    root: cnode,
    src: srcIndex,
    srcDepth: depth,
    rights,
    badge: badgeWord,
  });
  const rotate = fc.record({
    k: k("CNodeRotate"),
    service: cnode,
    dest: destIndex,
    root: cnode,
    pivot: srcIndex,
    src: srcIndex,
    badges: fc.tuple(badgeWord, badgeWord),
  });
  const slotOp = fc.record({
    k: mcs
      ? k("CNodeDelete", "CNodeRevoke", "CNodeCancelBadgedSends")
      : k("CNodeDelete", "CNodeRevoke", "CNodeCancelBadgedSends", "CNodeSaveCaller"),
    service: cnode,
    index: srcIndex,
    depth,
  });
  const tcb = to("tcb");
  const tcbOps: [number, fc.Arbitrary<Op>][] = [
    [3, fc.record({ k: k("TCBSuspend", "TCBResume", "TCBUnbindNotification"), tcb })],
    [1, fc.record({ k: k("TCBSetPriority"), tcb, prio, authority: tcb })],
    [1, fc.record({ k: k("TCBBindNotification"), tcb, ntfn: to("ntfn") })],
  ];
  const sc = to("sc");
  const mcsOps: [number, fc.Arbitrary<Op>][] = !mcs
    ? []
    : [
        [
          2,
          fc.record({
            k: k("NBSendRecv", "NBSendWait"),
            dest: to("ep", "ntfn", "reply"),
            cap: to("ep", "ntfn"),
            reply: to("reply"),
          }),
        ],
        [1, fc.record({ k: k("TCBSetSchedParams"), tcb, authority: tcb, prio, sc, fault: to("ep") })],
        [2, fc.record({ k: k("SchedContextBind", "SchedContextUnbindObject"), sc, obj: to("tcb", "ntfn") })],
        [2, fc.record({ k: k("SchedContextUnbind", "SchedContextConsumed", "SchedContextYieldTo"), sc })],
        [
          1,
          fc.record({
            k: k("SchedControlConfigureFlags"),
            ctl: to("schedcontrol"),
            sc,
            budgetUs: fc.integer({ min: 1, max: 3000 }),
            periodUs: fc.integer({ min: 1, max: 6000 }),
            extra: fc.nat(4),
          }),
        ],
      ];
  return weighted<Op>(
    [9, send],
    [11, recv],
    [mcs ? 0 : 2, fc.record({ k: k("Reply"), label: fc.nat(3) })],
    [2, fc.record({ k: k("Yield") })],
    [2, fc.record({ k: k("Signal"), cap: to("ntfn") })],
    [8, copy],
    [1, rotate],
    [8, slotOp],
    ...tcbOps,
    ...mcsOps,
    [
      2,
      fc.record({
        k: k("UntypedRetype"),
        ut: to("untyped"),
        type: fc.constantFrom<RetypeType>(
          ...(mcs
            ? (["Endpoint", "Notification", "CNode", "Reply", "SchedContext", "Untyped"] as const)
            : (["Endpoint", "Notification", "CNode", "Untyped"] as const)),
        ),
        sizeBits: fc.integer({ min: 1, max: 9 }),
        root: cnode,
        offset: fc.integer({ min: SHARED_SLOTS + 1, max: 15 }),
        count: fc.integer({ min: 1, max: 2 }),
      }),
    ],
    [1, fc.record({ k: k("raw"), number: fc.constantFrom(0, 1, 7, 100, -40, -99, -1000) })],
    [1, fc.record({ k: k("exception"), number: fc.nat(31), code: fc.nat(0xffff) })],
    [
      1,
      fc.record({
        k: k("load", "store"),
        vaddr: fc.constantFrom(IPC_BUFFER_VADDR + 8n, STACK_TOP - 8n, 0n, 0x3000n, STACK_TOP + 4n, 1n << 47n),
      }),
    ],
    [3, fc.record({ k: k("spin"), ns: fc.integer({ min: 0, max: 4_000_000 }) })],
  );
}

/** Ops of a server (receive, reply) or a client (call, send) on the endpoints, mixed with anything. */
function roleOpArb(config: KernelConfig, role: ThreadPlan["role"]): fc.Arbitrary<Op> {
  const any = opArb(config);
  if (role === "any") return any;
  const ep = cptrTo(config, "ep");
  const k = <K extends Op["k"]>(...names: K[]) => fc.constantFrom(...names);
  const serve: fc.Arbitrary<Op> = weighted<Op>(
    [4, fc.record({ k: k("Recv", "ReplyRecv"), cap: ep, reply: cptrTo(config, "reply"), receiveSlot })],
    [
      config === "mcs" ? 2 : 0,
      fc.record({
        k: k("Send"),
        cap: cptrTo(config, "reply"),
        label: fc.nat(2),
        mrs: fc.nat(2),
        extra: fc.constant([]),
      }),
    ],
    [config === "mcs" ? 0 : 2, fc.record({ k: k("Reply"), label: fc.nat(2) })],
  );
  const call = fc.record({
    k: k("Call", "Call", "Send"),
    cap: ep,
    label: fc.nat(2),
    mrs: fc.nat(6),
    extra: fc.array(cptr, { maxLength: 2 }),
  });
  return weighted([5, role === "server" ? serve : call], [2, any]);
}

/**
 * RPC ops: a server answers with ReplyRecv (sometimes a plain Recv), a client Calls with a short
 * message and no caps, mostly; now and then either does anything else. Most of these Calls and
 * ReplyRecvs meet the fastpath's conditions, and the rest fall just outside them.
 */
function rpcOpArb(config: KernelConfig, role: ThreadPlan["role"]): fc.Arbitrary<Op> {
  // Mostly the service endpoint in slot 1 (and, on MCS, the reply object in slot 4).
  const ep = weighted([6, fc.constant(1n)], [1, cptrTo(config, "ep")]);
  const reply = weighted([6, fc.constant(4n)], [1, cptrTo(config, "reply")]);
  const k = <K extends Op["k"]>(...names: K[]) => fc.constantFrom(...names);
  const serve = fc.record({
    k: k("ReplyRecv", "ReplyRecv", "ReplyRecv", "Recv"),
    cap: ep,
    reply,
    receiveSlot: fc.constant(null),
  });
  const call = fc.record({
    k: k("Call"),
    cap: ep,
    label: fc.nat(2),
    mrs: weighted([6, fc.nat(4)], [1, fc.integer({ min: 5, max: 6 })]),
    extra: weighted([8, fc.constant<Word[]>([])], [1, fc.array(cptr, { minLength: 1, maxLength: 1 })]),
  });
  return weighted([12, role === "server" ? serve : call], [1, opArb(config)]);
}

/** RPC plans: slot 1 is usually a full-rights cap to the first endpoint, so clients and servers meet. */
const serviceEndpoint: fc.Arbitrary<CapPlan> = fc.record({
  kind: fc.constant("ep" as const),
  i: fc.constant(0),
  rights: fc.constant(0xf),
  badge,
});

function threadArb(config: KernelConfig, rpc = false): fc.Arbitrary<ThreadPlan> {
  const caps = slotKinds(config).map((kind, i) =>
    kind === null
      ? fc.constant(null)
      : weighted<CapPlan | null>(
          [6, i === 0 && rpc ? serviceEndpoint : capPlan(config, kind)],
          [1, capPlan(config)],
          [1, fc.constant(null)],
        ),
  );
  const roles = rpc ? ["server", "client", "client"] : ["server", "client", "any", "any"];
  return fc.constantFrom(...roles).chain((role) =>
    fc.record({
      role: fc.constant(role as ThreadPlan["role"]),
      priority: prio,
      // An RPC server on MCS is passive, as MCS servers are meant to be.
      sc: (rpc && role === "server"
        ? fc.constant("passive")
        : fc.constantFrom("rr", "rr", "periodic", "passive")) as fc.Arbitrary<ThreadPlan["sc"]>,
      budgetUs: fc.integer({ min: 500, max: 5000 }),
      periodUs: fc.integer({ min: 5000, max: 20000 }),
      faultEP: config === "mcs" ? fc.integer({ min: -1, max: 2 }) : fc.integer({ min: 0, max: SHARED_SLOTS }),
      timeoutEP: fc.integer({ min: -1, max: 2 }),
      caps: fc.tuple(...caps),
      ops: fc.array((rpc ? rpcOpArb : roleOpArb)(config, role as ThreadPlan["role"]), { minLength: 1, maxLength: 40 }),
    }),
  );
}

/** Supervisor CSpace: endpoints, notifications, a reply object, the threads' TCBs and SCs. */
const SUP = { radix: 5, ep: 1, ntfn: 4, reply: 6, self: 7, tcb: 8, sc: 16 } as const;

/** What the supervisor does when everyone else is blocked: take messages, reply, signal, resume. */
function kickArb(config: KernelConfig): fc.Arbitrary<Op> {
  const mcs = config === "mcs";
  const k = <K extends Op["k"]>(...names: K[]) => fc.constantFrom(...names);
  const ep = fc.integer({ min: SUP.ep, max: SUP.ep + 2 }).map(BigInt);
  const tcb = fc.integer({ min: SUP.tcb, max: SUP.tcb + 4 }).map(BigInt);
  const reply = fc.constant(BigInt(SUP.reply));
  return weighted<Op>(
    [3, fc.record({ k: k("NBRecv"), cap: ep, reply, receiveSlot: fc.constant<number | null>(null) })],
    [
      3,
      mcs
        ? fc.record({ k: k("Send"), cap: reply, label: fc.nat(2), mrs: fc.nat(2), extra: fc.constant([]) })
        : fc.record({ k: k("Reply"), label: fc.nat(2) }),
    ],
    [2, fc.record({ k: k("Signal"), cap: fc.integer({ min: SUP.ntfn, max: SUP.ntfn + 1 }).map(BigInt) })],
    [2, fc.record({ k: k("NBSend"), cap: ep, label: fc.constant(0), mrs: fc.nat(3), extra: fc.constant([]) })],
    [1, fc.record({ k: k("TCBResume"), tcb })],
    [
      mcs ? 1 : 0,
      fc.record({ k: k("SchedContextBind"), sc: fc.integer({ min: SUP.sc, max: SUP.sc + 5 }).map(BigInt), obj: tcb }),
    ],
  );
}

/** `rpc`: threads are RPC servers and clients (rpcOpArb) rather than a mix of anything. */
export function planArb(config: KernelConfig, opts: { rpc?: boolean } = {}): fc.Arbitrary<Plan> {
  return fc.record({
    threads: fc.array(threadArb(config, opts.rpc), { minLength: 2, maxLength: 5 }),
    kicks: fc.array(kickArb(config), { minLength: 1, maxLength: 8 }),
    supervised: fc.nat(31),
  });
}

// --- Building and running ----------------------------------------------------------------------

/** The objects caps are drawn from, by kind (on master the MCS-only kinds fall back to endpoints;
 *  CNode caps are made by thread name, see giveCap). */
type Pool = Record<Exclude<ObjKind, "cnode">, KObject[]>;

function buildPool(s: TestSystem, names: string[]): Pool {
  const mcs = s.config === "mcs";
  const objs = (type: Parameters<TestSystem["create"]>[0], prefix: string, n: number) =>
    Array.from({ length: n }, (_, i) => s.create(type, `${prefix}${i}`));
  // More endpoints and notifications than the supervisor holds caps to, so that some can lose
  // their last cap and be finalised.
  const ep = objs("Endpoint", "ep", 6);
  const pool: Pool = {
    ep,
    ntfn: objs("Notification", "ntfn", 3),
    tcb: names.map((n) => s.tcb(n)),
    reply: mcs ? objs("Reply", "reply", names.length + 1) : ep,
    sc: ep,
    schedcontrol: mcs ? [s.create("SchedControl", "sched_control")] : ep,
    untyped: [s.create("Untyped", "untyped", 16)],
  };
  if (mcs) {
    const spare = s.create("SchedContext", "sc_spare", 8) as SchedContextObj;
    s.kernel.boot.configureSchedContext(spare, { budgetUs: 2000, periodUs: 8000 });
    pool.sc = [...s.scs.values(), spare];
  }
  return pool;
}

/** CNode caps get the guard that makes CPtr k name slot k; other caps the planned rights and badge. */
function giveCap(s: TestSystem, names: string[], thread: string, slot: number, pool: Pool, c: CapPlan): void {
  if (c.kind === "cnode") s.giveCNode(thread, slot, names[c.i % names.length]!);
  else s.give(thread, slot, pool[c.kind][c.i % pool[c.kind].length]!, { rights: c.rights, badge: c.badge });
}

const label = (config: KernelConfig, name: InvocationLabel): number => invocationLabelNumber(config, name)!;
const mrsOf = (n: number): bigint[] => Array.from({ length: n }, (_, i) => BigInt(i * 7 + 1));

/** The libsel4-shaped request for one op (invocations marshalled as the stubs do). */
function toRequest(config: KernelConfig, op: Op): Request {
  const inv = (cap: Word, name: InvocationLabel, mrs: (bigint | number)[], extra: Word[] = []): SyscallRequest => ({
    kind: "syscall",
    name: "Call",
    cap,
    label: label(config, name),
    mrs,
    extraCaps: extra,
  });
  switch (op.k) {
    case "Send":
    case "NBSend":
    case "Call":
      return { kind: "syscall", name: op.k, cap: op.cap, label: op.label, mrs: mrsOf(op.mrs), extraCaps: op.extra };
    case "Recv":
    case "NBRecv":
    case "ReplyRecv":
    case "Wait":
    case "NBWait": {
      const r: SyscallRequest = { kind: "syscall", name: op.k, cap: op.cap, reply: op.reply };
      if (op.receiveSlot !== null) r.receiveSlot = [OWN_CNODE, op.receiveSlot, seL4_WordBits];
      return r;
    }
    case "NBSendRecv":
      return { kind: "syscall", name: op.k, dest: op.dest, cap: op.cap, reply: op.reply, label: 0, mrs: [1] };
    case "NBSendWait":
      return { kind: "syscall", name: op.k, reply: op.dest, cap: op.cap, label: 0, mrs: [1] };
    case "Reply":
      return { kind: "syscall", name: "Reply", label: op.label, mrs: [5] };
    case "Yield":
      return { kind: "syscall", name: "Yield" };
    case "Signal":
      return { kind: "syscall", name: "Send", cap: op.cap, label: 0, mrs: [] };
    case "CNodeCopy":
    case "CNodeMint":
    case "CNodeMove":
    case "CNodeMutate": {
      const mrs: (bigint | number)[] = [op.dest, op.destDepth, op.src, op.srcDepth];
      if (op.k === "CNodeCopy") mrs.push(op.rights);
      if (op.k === "CNodeMint") mrs.push(op.rights, op.badge);
      if (op.k === "CNodeMutate") mrs.push(op.badge);
      return inv(op.service, op.k, mrs, [op.root]);
    }
    case "CNodeRotate":
      return inv(
        op.service,
        op.k,
        [op.dest, 64, op.badges[0], op.pivot, 64, op.badges[1], op.src, 64],
        [op.root, op.root],
      );
    case "CNodeDelete":
    case "CNodeRevoke":
    case "CNodeCancelBadgedSends":
    case "CNodeSaveCaller":
      return inv(op.service, op.k, [op.index, op.depth]);
    case "TCBSuspend":
    case "TCBResume":
    case "TCBUnbindNotification":
      return inv(op.tcb, op.k, []);
    case "TCBSetPriority":
      return inv(op.tcb, op.k, [op.prio], [op.authority]);
    case "TCBBindNotification":
      return inv(op.tcb, op.k, [], [op.ntfn]);
    case "TCBSetSchedParams":
      return inv(op.tcb, op.k, [254, op.prio], [op.authority, op.sc, op.fault]);
    case "SchedContextBind":
    case "SchedContextUnbindObject":
      return inv(op.sc, op.k, [], [op.obj]);
    case "SchedContextUnbind":
    case "SchedContextConsumed":
    case "SchedContextYieldTo":
      return inv(op.sc, op.k, []);
    case "SchedControlConfigureFlags":
      return inv(op.ctl, op.k, [op.budgetUs, op.periodUs, op.extra, 0, 0], [op.sc]);
    case "UntypedRetype": {
      // Sizes in range for the type (CNode radix, SC and untyped bits); 0/0 puts the objects into `root` itself.
      const size =
        op.type === "CNode"
          ? (op.sizeBits % 4) + 1
          : op.type === "SchedContext"
            ? 8
            : op.type === "Untyped"
              ? op.sizeBits + 4
              : 0;
      return inv(op.ut, op.k, [objectTypeNumber(config, op.type), size, 0, 0, op.offset, op.count], [op.root]);
    }
    case "raw":
      return { kind: "raw", number: op.number };
    case "exception":
      return { kind: "exception", number: op.number, code: op.code };
    case "load":
      return { kind: "load", vaddr: op.vaddr };
    case "store":
      return { kind: "store", vaddr: op.vaddr, value: 0x5aan };
    case "spin":
      return { kind: "spin", ns: op.ns };
  }
}

/**
 * A thread's program: its ops over and over (programs never finish, so nothing is left to resume).
 * A `spin` is user-mode computation, which timer interrupts may preempt.
 */
function programOf(kernel: Kernel, ops: Op[], issued: WeakMap<Request, Op>, prelude: Op[] = []): () => Program {
  const traps = ops.some((op) => op.k !== "spin");
  return function* () {
    for (const op of [...prelude, ...ops]) {
      const req = toRequest(kernel.config, op);
      issued.set(req, op);
      yield req;
    }
    for (;;) {
      for (const op of ops) {
        const req = toRequest(kernel.config, op);
        issued.set(req, op);
        yield req;
      }
      if (!traps) yield { kind: "syscall", name: "Yield" };
    }
  };
}

export interface PlannedSystem {
  system: TestSystem;
  /** The op behind each request the programs issued. */
  issued: WeakMap<Request, Op>;
  /** Resumes the threads the way the plan wants them started (a loader's job; it may enter the kernel). */
  start: () => void;
}

/** Builds the system a plan describes: threads, their CSpaces, fault/timeout handlers, programs. */
export function buildPlan(config: KernelConfig, plan: Plan, options: { fastpath?: boolean } = {}): PlannedSystem {
  const mcs = config === "mcs";
  const names = plan.threads.map((_, i) => `t${i}`);
  const passiveServer = (t: ThreadPlan) => mcs && t.sc === "passive" && t.role === "server";
  const s = new TestSystem(
    config,
    [
      ...plan.threads.map((t, i) => ({
        name: names[i]!,
        radix: RADIX,
        priority: t.priority,
        mcp: 254,
        sc: !mcs
          ? undefined
          : t.sc === "passive" && !passiveServer(t)
            ? (false as const)
            : t.sc === "periodic"
              ? { budgetUs: t.budgetUs, periodUs: t.periodUs }
              : { budgetUs: t.budgetUs, periodUs: t.budgetUs },
      })),
      { name: "sup", radix: SUP.radix, priority: 255, mcp: 255 },
    ],
    options,
  );
  const pool = buildPool(s, names);
  const issued = new WeakMap<Request, Op>();
  plan.threads.forEach((t, i) => {
    const name = names[i]!;
    s.giveCNode(name, OWN_CNODE, name);
    t.caps.forEach((c, j) => {
      if (c !== null && j + 1 !== OWN_CNODE) giveCap(s, names, name, j + 1, pool, c);
    });
    const tcb = s.tcb(name);
    if (!mcs) {
      tcb.faultHandlerCPtr = BigInt(t.faultEP);
    } else {
      const boot = s.kernel.boot;
      if (t.faultEP >= 0) insertOriginal(boot.cap(pool.ep[t.faultEP]!), tcb.slots[TCB_FAULT_HANDLER]!);
      if (t.timeoutEP >= 0) insertOriginal(boot.cap(pool.ep[t.timeoutEP]!), tcb.slots[TCB_TIMEOUT_HANDLER]!);
    }
    // A passive server first waits for a client, as the MCS tutorial's server does.
    const wait: Op[] = passiveServer(t) ? [{ k: "Recv", cap: 1n, reply: 4n, receiveSlot: null }] : [];
    s.program(name, programOf(s.kernel, t.ops, issued, wait));
  });
  // The supervisor starts at the top priority and makes the waiting passive servers passive; then it
  // drops to the lowest, so it runs only when every random thread is blocked (or out of budget), and
  // kicks the system.
  for (let i = 0; i < 3; i++) s.give("sup", SUP.ep + i, pool.ep[i]!);
  for (let i = 0; i < 2; i++) s.give("sup", SUP.ntfn + i, pool.ntfn[i]!);
  names.forEach((n, i) => {
    if ((plan.supervised >> i) & 1) s.give("sup", SUP.tcb + i, s.tcb(n));
  });
  s.give("sup", SUP.self, s.tcb("sup"));
  const prelude: Op[] = [];
  if (mcs) {
    s.give("sup", SUP.reply, s.create("Reply", "reply_sup"));
    pool.sc.forEach((sc, i) => s.give("sup", SUP.sc + i, sc));
    plan.threads.forEach((t, i) => {
      if (passiveServer(t)) prelude.push({ k: "SchedContextUnbind", sc: BigInt(SUP.sc + i) });
    });
  }
  const self = BigInt(SUP.self);
  prelude.push({ k: "TCBSetPriority", tcb: self, prio: 1, authority: self });
  s.program("sup", programOf(s.kernel, plan.kicks, issued, prelude));
  const servers = names.filter((_, i) => passiveServer(plan.threads[i]!));
  const start = () => {
    // The passive servers run first, until they wait; then everyone else is started.
    if (servers.length > 0) {
      for (const n of servers) s.kernel.boot.resume(s.tcb(n));
      s.kernel.boot.start();
      s.sim.run(SERVER_START_ENTRIES);
    }
    for (const [n, t] of s.tcbs) if (!servers.includes(n)) s.kernel.boot.resume(t);
    s.kernel.boot.start();
  };
  return { system: s, issued, start };
}

/** Kernel entries the passive servers get to reach their first wait before the others start. */
const SERVER_START_ENTRIES = 20;

/** One line describing a kernel entry, for failure reports. */
export function describeEntry(e: KernelEntry, op: Op | undefined): string {
  const who = e.thread === null ? "idle" : `'${e.thread.name}' (now ${ThreadState[e.thread.state]})`;
  const what = op !== undefined ? JSON.stringify(op, (_, v) => (typeof v === "bigint" ? `${v}n` : v)) : e.event.type;
  return `${who}: ${what}`;
}
