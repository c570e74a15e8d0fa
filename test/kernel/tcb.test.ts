// TCB invocations (decodeTCBInvocation and the decoders it calls, src/object/tcb.c): each decode error with its detail words, the master and MCS
// signatures where they differ, and the thread-state effects of Resume, Suspend and the register calls.
import { describe, expect, it } from "vitest";
import { faultLabel, type KernelConfig } from "../../src/abi/constants.js";
import { type KObject } from "../../src/kernel/index.js";
import * as registers from "../../src/abi/registers.js";
import { sys } from "../support/in-process.js";
import { TestSystem, STACK_TOP, IPC_BUFFER_VADDR } from "./fixtures.js";
import {
  CONFIGS,
  E,
  HANDLER_EP,
  HANDLER_REPLY,
  L,
  expectError,
  expectReplies,
  msgOf,
  recordingHandler,
  runRequests,
  type Msg,
  type Request,
  type Result,
  waitOn,
} from "./fault-support.js";

const { RSP, FS_BASE, GS_BASE } = registers;

/** Slots of the "client" thread, which makes the invocations. */
const C = {
  target: 1,
  self: 2,
  targetCNode: 3,
  targetVSpace: 4,
  frame: 5,
  ntfn: 6,
  ep: 7,
  ownCNode: 8,
  sc: 9,
  reply: 10,
  ro: 11,
} as const;
const MCP = 100;

/** A client (MCP 100) with caps to a target thread and the objects the TCB calls take. */
function tcbSystem(config: KernelConfig, targetPriority = 50) {
  const s = new TestSystem(config, [
    { name: "client", mcp: MCP },
    { name: "target", priority: targetPriority },
  ]);
  s.give("client", C.target, s.tcb("target"));
  s.give("client", C.self, s.tcb("client"));
  s.giveCNode("client", C.targetCNode, "target");
  s.give("client", C.targetVSpace, s.vspaces.get("target")!);
  s.give("client", C.frame, s.create("Frame4K", "spare_frame"));
  s.give("client", C.ntfn, s.create("Notification", "ntfn"));
  s.give("client", C.ep, s.create("Endpoint", "ep"));
  s.giveCNode("client", C.ownCNode, "client");
  if (config === "mcs") s.give("client", C.sc, s.create("SchedContext", "spare_sc"));
  if (config === "mcs") s.give("client", C.reply, s.create("Reply", "client_reply"));
  s.give("client", C.ro, s.create("Notification", "ro_ntfn"), { rights: 0b01 });
  return s;
}

/** The object behind the cap in `thread`'s slot. */
const objAt = (s: TestSystem, thread: string, slot: number): KObject =>
  (s.slotCap(thread, slot) as { obj: KObject }).obj;

/** Recv on the client's endpoint (MCS with its reply object). */
const clientRecv = (config: KernelConfig): Request => (config === "mcs" ? sys.recv(C.ep, C.reply) : sys.recv(C.ep));

const call = (
  config: KernelConfig,
  service: number,
  label: Parameters<typeof L>[1],
  mrs: (number | bigint)[] = [],
  caps: number[] = [],
): Request => sys.call(service, L(config, label), mrs, caps);

/** Run the client's invocations (the target is never started) and return the replies. */
function invoke(config: KernelConfig, requests: (s: TestSystem) => Request[], setup?: (s: TestSystem) => void) {
  const s = tcbSystem(config);
  setup?.(s);
  const results = runRequests(s, "client", requests(s));
  return { s, results };
}

/** master SetSpace(fault_ep, cdata, vdata; cspace, vspace) / MCS SetSpace(cdata, vdata; fault_ep, cspace, vspace). */
function setSpace(config: KernelConfig, faultEP: number, cspace: number, vspace: number, cdata = 0n): Request {
  return config === "mcs"
    ? call(config, C.target, "TCBSetSpace", [cdata, 0], [faultEP, cspace, vspace])
    : call(config, C.target, "TCBSetSpace", [faultEP, cdata, 0], [cspace, vspace]);
}

/** master Configure(fault_ep, cdata, vdata, buffer; cspace, vspace, frame) / MCS without fault_ep. */
function configure(config: KernelConfig, cspace: number, vspace: number, buffer: bigint, frame: number): Request {
  return config === "mcs"
    ? call(config, C.target, "TCBConfigure", [0, 0, buffer], [cspace, vspace, frame])
    : call(config, C.target, "TCBConfigure", [0, 0, 0, buffer], [cspace, vspace, frame]);
}

/** master SetSchedParams(auth, mcp, prio) / MCS SetSchedParams(auth, mcp, prio, sc, fault_ep). */
function setSchedParams(
  config: KernelConfig,
  mcp: number,
  prio: number,
  auth: number = C.self,
  sc = 0,
  faultEP = 0,
): Request {
  return config === "mcs"
    ? call(config, C.target, "TCBSetSchedParams", [mcp, prio], [auth, sc, faultEP])
    : call(config, C.target, "TCBSetSchedParams", [mcp, prio], [auth]);
}

describe.each(CONFIGS)("TCB priorities on %s", (config) => {
  it("SetPriority: bounded by the authority's MCP (RangeError [0, mcp]); the target's own MCP plays no part", () => {
    const { s, results } = invoke(config, () => [
      call(config, C.target, "TCBSetPriority", [MCP + 1], [C.self]),
      call(config, C.target, "TCBSetPriority", [MCP], [C.self]),
    ]);
    expectReplies(results, [[E.RangeError, [0, MCP]], E.NoError]);
    expect(s.tcb("target").priority).toBe(MCP);
    expect(s.sim.text).toContain(`TCB SetPriority: Requested priority ${MCP + 1} too high (max ${MCP}).>>`);
  });

  it("SetPriority / SetMCPriority / SetSchedParams: an authority that is not a TCB is InvalidCapability 1", () => {
    const { results } = invoke(config, () => [
      call(config, C.target, "TCBSetPriority", [1], [C.ep]),
      call(config, C.target, "TCBSetMCPriority", [1], [C.ntfn]),
      setSchedParams(config, 1, 1, C.ownCNode),
    ]);
    for (const r of results) expectError(r, E.InvalidCapability, [1]);
  });

  it("missing arguments or authority cap: TruncatedMessage", () => {
    const { results } = invoke(config, () => [
      call(config, C.target, "TCBSetPriority", [1]),
      call(config, C.target, "TCBSetMCPriority", [], [C.self]),
      call(config, C.target, "TCBSetSchedParams", [1], [C.self, 0, 0]),
    ]);
    for (const r of results) expectError(r, E.TruncatedMessage);
  });

  it("SetMCPriority and SetSchedParams check the MCP first, then the priority, against the authority", () => {
    const { s, results } = invoke(config, () => [
      call(config, C.target, "TCBSetMCPriority", [MCP + 5], [C.self]),
      setSchedParams(config, MCP + 1, 1),
      setSchedParams(config, 1, MCP + 1),
      setSchedParams(config, 60, 70),
    ]);
    expectReplies(results, [[E.RangeError, [0, MCP]], [E.RangeError, [0, MCP]], [E.RangeError, [0, MCP]], E.NoError]);
    expect([s.tcb("target").mcp, s.tcb("target").priority]).toEqual([60, 70]);
  });

  it("a priority above 255 is a RangeError too (the MCP never exceeds seL4_MaxPrio)", () => {
    const { results } = invoke(config, () => [call(config, C.target, "TCBSetPriority", [256], [C.self])]);
    expectError(results[0], E.RangeError, [0, MCP]);
  });
});

describe("MCS SetSchedParams (sched_context and fault_ep arguments)", () => {
  const config = "mcs" as const;

  it("a non-SC sched_context is InvalidCapability 2; an invalid fault endpoint InvalidCapability 3", () => {
    const { results } = invoke(config, () => [
      setSchedParams(config, 1, 1, C.self, C.ep, 0),
      setSchedParams(config, 1, 1, C.self, 0, C.ntfn),
      setSchedParams(config, 1, 1, C.self, 0, C.ro),
    ]);
    expectReplies(results, [
      [E.InvalidCapability, [2]],
      [E.InvalidCapability, [3]],
      [E.InvalidCapability, [3]],
    ]);
  });

  it("binds an SC, rejects a second one; a null SC unbinds, except for the caller itself", () => {
    const { s, results } = invoke(config, () => [
      setSchedParams(config, 1, 1, C.self, C.sc, 0), // the target already has its own SC
      call(config, C.self, "TCBSetSchedParams", [1, 1], [C.self, 0, 0]),
      setSchedParams(config, 1, 1, C.self, 0, 0), // unbinds the target's SC
      setSchedParams(config, 1, 1, C.self, C.sc, 0), // now the spare one binds
      call(config, C.self, "TCBSetSchedParams", [1, 1], [C.self, C.sc, 0]), // bound to the target already
    ]);
    expectReplies(results, [E.IllegalOperation, E.IllegalOperation, E.NoError, E.NoError, E.IllegalOperation]);
    expect(s.tcb("target").sc?.name).toBe("spare_sc");
    expect(s.sim.text).toContain("TCB SetSchedParams: Cannot change sched_context of current thread>>");
  });

  it("installs the fault endpoint (passing the SC the thread already has keeps it): the next fault arrives there", () => {
    const s = tcbSystem(config);
    s.give("client", 13, s.scs.get("target")!);
    let seen: Msg | null = null;
    s.program("target", function* () {
      yield sys.recv(9);
    });
    s.program("client", function* () {
      expectError(yield setSchedParams(config, 1, 50, C.self, 13, C.ep), E.NoError);
      expectError(yield call(config, C.target, "TCBResume"), E.NoError);
      seen = msgOf(yield clientRecv(config));
    });
    s.run(["client"]);
    expect(seen).toMatchObject({ label: faultLabel(config, "CapFault"), length: 5, badge: 0n });
    expect(s.tcb("target").sc?.name).toBe("sc_target");
  });
});

describe.each(CONFIGS)("SetSpace on %s", (config) => {
  it("the CSpace must be a CNode and the VSpace a PML4 with an ASID (a null cap is not one)", () => {
    const { results, s } = invoke(config, () => [
      setSpace(config, 0, C.ep, C.targetVSpace),
      setSpace(config, 0, C.targetCNode, C.ep),
      setSpace(config, 0, C.targetCNode, 14), // an empty slot
    ]);
    for (const r of results) expectError(r, E.IllegalOperation);
    expect(s.sim.text).toContain("TCB SetSpace: Invalid CNode cap.>>");
    expect(s.sim.text).toContain("TCB SetSpace: Invalid VSpace cap.>>");
  });

  it("too few MRs or caps: TruncatedMessage (master 3 MRs + 2 caps, MCS 2 MRs + 3 caps)", () => {
    const { results } = invoke(config, () =>
      config === "mcs"
        ? [
            call(config, C.target, "TCBSetSpace", [0, 0], [0, C.targetCNode]),
            call(config, C.target, "TCBSetSpace", [0], [0, C.targetCNode, C.targetVSpace]),
          ]
        : [
            call(config, C.target, "TCBSetSpace", [0, 0, 0], [C.targetCNode]),
            call(config, C.target, "TCBSetSpace", [0, 0], [C.targetCNode, C.targetVSpace]),
          ],
    );
    for (const r of results) expectError(r, E.TruncatedMessage);
  });

  it("cspace_root_data becomes the new root's guard: the thread's CPtrs must then carry it", () => {
    const s = tcbSystem(config);
    s.give("target", 3, s.create("Notification", "target_ntfn"));
    const log: string[] = [];
    const poll = (cptr: bigint): Request => (config === "mcs" ? sys.nbwait(cptr) : sys.nbrecv(cptr));
    // Radix 4 behind a 58-bit guard of value 1: slot 3 is now CPtr (1 << 6) | (3 << 2); plain 3 no longer resolves.
    s.program("target", function* () {
      yield poll((1n << 6n) | (3n << 2n));
      log.push("slot 3 through the guard");
      yield poll(3n);
      log.push("unreachable");
    });
    s.program("client", function* () {
      expectError(yield setSpace(config, 0, C.targetCNode, C.targetVSpace, (1n << 6n) | 58n), E.NoError);
      expectError(yield call(config, C.target, "TCBResume"), E.NoError);
    });
    const out = s.run(["client"]);
    expect(log).toEqual(["slot 3 through the guard"]);
    // No fault handler: master finds none behind CPtr 0 (it does not match the guard either).
    expect(out.split("\n").slice(0, 3)).toEqual(
      config === "master"
        ? [
            "Caught cap fault in send phase at address 0",
            "while trying to handle:",
            "cap fault in receive phase at address 0x3",
          ]
        : [
            "Found thread has no fault handler while trying to handle:",
            "cap fault in receive phase at address 0x3",
            expect.stringMatching(/^in thread /),
          ],
    );
  });

  if (config === "mcs") {
    it("MCS: the fault endpoint is resolved in the caller's CSpace now; an invalid one is InvalidCapability 1", () => {
      const { results } = invoke(
        config,
        () => [
          setSpace(config, C.ntfn, C.targetCNode, C.targetVSpace),
          setSpace(config, C.self, C.targetCNode, C.targetVSpace),
        ],
        (s) => s.give("client", 12, s.create("Endpoint", "ro_ep"), { rights: 0b0010 }),
      );
      for (const r of results) expectError(r, E.InvalidCapability, [1]);
    });

    it("MCS: an endpoint without Grant or GrantReply is not a valid fault handler; a null cap clears it", () => {
      const { s, results } = invoke(
        config,
        () => [
          setSpace(config, 12, C.targetCNode, C.targetVSpace),
          setSpace(config, 13, C.targetCNode, C.targetVSpace),
          setSpace(config, 14, C.targetCNode, C.targetVSpace),
        ],
        (s) => {
          s.give("client", 12, s.create("Endpoint", "w_only"), { rights: 0b0001 });
          s.give("client", 13, s.create("Endpoint", "w_grant_reply"), { rights: 0b1001 });
        },
      );
      expectReplies(results, [[E.InvalidCapability, [1]], E.NoError, E.NoError]);
      expect(s.tcb("target").slots[3]!.cap.type).toBe("Null");
    });
  }
});

describe.each(CONFIGS)("the classic fault-endpoint mistake on %s", (config) => {
  const BADGED = 8;
  /**
   * The handler holds the fault endpoint unbadged in its slot 1 and a badged (0x77) copy in its slot
   * 8; the faulter holds a badged copy in its slot 4. The handler's own slot 4 holds `handlerSlot4`.
   * It then names `cptrGiven` as the faulter's fault endpoint with TCB_SetSpace and resumes it.
   */
  function run(cptrGiven: number, handlerSlot4: "notification" | "unbadged endpoint") {
    const s = new TestSystem(config, [{ name: "faulter" }, { name: "handler" }]);
    const fep = s.create("Endpoint", "fault_ep");
    s.give("handler", HANDLER_EP, fep);
    if (config === "mcs") s.give("handler", HANDLER_REPLY, s.create("Reply", "r"));
    s.give("handler", 5, s.tcb("faulter"));
    s.giveCNode("handler", 6, "faulter");
    s.give("handler", 7, s.vspaces.get("faulter")!);
    s.give("handler", BADGED, fep, { badge: 0x77 });
    s.give("faulter", 4, fep, { badge: 0x77 });
    s.give("handler", 4, handlerSlot4 === "notification" ? s.create("Notification", "handler_ntfn") : fep);
    const seen: Msg[] = [];
    const replies: bigint[] = [];
    s.program("faulter", function* () {
      yield sys.recv(9);
    });
    s.program("handler", function* () {
      const r = yield config === "mcs"
        ? sys.call(5, L(config, "TCBSetSpace"), [0, 0], [cptrGiven, 6, 7])
        : sys.call(5, L(config, "TCBSetSpace"), [cptrGiven, 0, 0], [6, 7]);
      replies.push(r.label, ...r.mrs);
      yield sys.call(5, L(config, "TCBResume"));
      yield* recordingHandler(config, seen, 1, () => null)();
    });
    s.run(["handler"]);
    return { seen: seen.map((m) => [m.label, m.badge]), replies, text: s.sim.text };
  }
  const CAP = faultLabel(config, "CapFault");

  if (config === "master") {
    it("master: the faulter-side CPtr works; a handler-side CPtr is looked up in the faulter's CSpace at fault time", () => {
      expect(run(4, "notification")).toMatchObject({ replies: [0n], seen: [[CAP, 0x77n]] });
      // SetSpace takes any CPtr; the faulter's slot 8 is empty, so the fault becomes a double fault.
      const wrong = run(BADGED, "notification");
      expect(wrong).toMatchObject({ replies: [0n], seen: [] });
      expect(wrong.text).toMatch(
        /^Caught cap fault in send phase at address 0x8\nwhile trying to handle:\ncap fault in receive phase at address 0x9\n/,
      );
    });
  } else {
    it("MCS: a handler-side cap works; the faulter-side CPtr is resolved in the caller's CSpace at SetSpace time", () => {
      expect(run(BADGED, "notification")).toMatchObject({ replies: [0n], seen: [[CAP, 0x77n]] });
      // The handler's slot 4 holds the unbadged endpoint: that is what gets installed, so the badge is lost.
      expect(run(4, "unbadged endpoint")).toMatchObject({ replies: [0n], seen: [[CAP, 0n]] });
      // The handler's slot 4 holds a notification: not a valid fault handler.
      const wrong = run(4, "notification");
      expect(wrong).toMatchObject({ replies: [E.InvalidCapability, 1n], seen: [] });
      expect(wrong.text).toContain("TCB SetSpace: fault endpoint cap invalid.>>");
    });
  }
});

describe.each(CONFIGS)("Configure and SetIPCBuffer on %s", (config) => {
  it("Configure: a misaligned buffer is AlignmentError (checked before the spaces); a non-frame IllegalOperation", () => {
    const { s, results } = invoke(config, () => [
      configure(config, C.ep, C.targetVSpace, IPC_BUFFER_VADDR + 0x200n, C.frame),
      configure(config, C.targetCNode, C.targetVSpace, IPC_BUFFER_VADDR, C.ep),
      configure(config, C.ep, C.targetVSpace, 0n, C.ep), // buffer 0: the frame cap is not looked at
      configure(config, C.targetCNode, C.targetVSpace, IPC_BUFFER_VADDR + 0x400n, C.frame),
    ]);
    expectReplies(results, [E.AlignmentError, E.IllegalOperation, E.IllegalOperation, E.NoError]);
    // The last one took effect: the target's IPC buffer is now the spare frame, 1 KiB in.
    const frame = objAt(s, "client", C.frame);
    expect(s.kernel.ipcBufferAddress(s.tcb("target"))).toBe(frame.paddr + 0x400);
  });

  it("Configure: too few MRs (master 4, MCS 3) or caps (3): TruncatedMessage", () => {
    const n = config === "mcs" ? 3 : 4;
    const { results } = invoke(config, () => [
      call(config, C.target, "TCBConfigure", new Array(n - 1).fill(0), [C.targetCNode, C.targetVSpace, C.frame]),
      call(config, C.target, "TCBConfigure", new Array(n).fill(0), [C.targetCNode, C.targetVSpace]),
    ]);
    for (const r of results) expectError(r, E.TruncatedMessage);
  });

  it("SetIPCBuffer: AlignmentError for a misaligned address; the frame cap is required even for address 0", () => {
    const { results } = invoke(config, () => [
      call(config, C.target, "TCBSetIPCBuffer", [IPC_BUFFER_VADDR + 8n], [C.frame]),
      call(config, C.target, "TCBSetIPCBuffer", [0]),
      call(config, C.target, "TCBSetIPCBuffer", [IPC_BUFFER_VADDR], [C.ntfn]),
      call(config, C.target, "TCBSetIPCBuffer", [0], [C.ntfn]),
    ]);
    expectReplies(results, [E.AlignmentError, E.TruncatedMessage, E.IllegalOperation, E.NoError]);
  });

  it("without an IPC buffer a thread's messages are cut to the 4 register MRs", () => {
    const s = tcbSystem(config);
    s.give("target", 2, objAt(s, "client", C.ep));
    let got: Msg | null = null;
    s.program("target", function* () {
      yield sys.send(2, 0x9, [1, 2, 3, 4, 5, 6]);
    });
    s.program("client", function* () {
      expectError(yield call(config, C.target, "TCBSetIPCBuffer", [0], [C.frame]), E.NoError);
      expectError(yield call(config, C.target, "TCBResume"), E.NoError);
      got = msgOf(yield clientRecv(config));
    });
    s.run(["client"]);
    expect(got).toEqual({ label: 9, length: 4, badge: 0n, mrs: [1n, 2n, 3n, 4n] });
  });
});

describe.each(CONFIGS)("Suspend and Resume on %s", (config) => {
  it("Suspend takes a receiver off the endpoint queue (Inactive); Resume re-executes its Recv", () => {
    const s = tcbSystem(config, 254);
    s.give("target", 2, objAt(s, "client", C.ep));
    if (config === "mcs") s.give("target", 3, s.create("Reply", "target_reply"));
    const got: number[] = [];
    s.program("target", function* () {
      for (;;) got.push(Number((yield config === "mcs" ? sys.recv(2, 3) : sys.recv(2)).label));
    });
    const states: string[] = [];
    s.program("client", function* () {
      states.push(s.state("target"));
      yield call(config, C.target, "TCBSuspend");
      states.push(s.state("target"));
      yield sys.nbsend(C.ep, 0x1); // nobody waits any more: dropped
      yield call(config, C.target, "TCBResume");
      states.push(s.state("target"));
      yield sys.send(C.ep, 0x2); // blocks until the target's re-executed Recv takes it
    });
    s.run(["client", "target"]); // the target runs first and blocks
    expect(states).toEqual(["blocked on recv", "inactive", "restart"]);
    expect(got).toEqual([2]);
  });

  it("Resume of a running or ready thread does nothing; Suspend of a ready thread makes it Inactive", () => {
    const { s, results } = invoke(
      config,
      () => [call(config, C.self, "TCBResume"), call(config, C.target, "TCBSuspend")],
      (s) => s.kernel.boot.resume(s.tcb("target")),
    );
    expectReplies(results, [E.NoError, E.NoError]);
    expect(s.state("target")).toBe("inactive");
  });

  it("a self-suspended thread re-executes its own TCB_Suspend when resumed (seL4 issue #870)", () => {
    const s = new TestSystem(config, [{ name: "client" }, { name: "target" }]);
    s.give("target", 2, s.tcb("target"));
    s.give("client", 1, s.tcb("target"));
    let suspends = 0;
    s.program("target", function* () {
      for (;;) {
        suspends++;
        yield sys.call(2, L(config, "TCBSuspend"));
      }
    });
    const states: string[] = [];
    s.program("client", function* () {
      for (let i = 0; i < 2; i++) {
        yield sys.call(1, L(config, "TCBResume"));
        states.push(s.state("target"));
        yield sys.yield(); // the target runs: the same Suspend call again
        states.push(s.state("target"));
      }
    });
    s.run(["client", "target"]); // equal priorities: the target runs first and suspends itself
    expect(states).toEqual(["restart", "inactive", "restart", "inactive"]);
    expect(suspends).toBe(1); // its program never got past the first Suspend
  });
});

describe.each(CONFIGS)("ReadRegisters, WriteRegisters and CopyRegisters on %s", (config) => {
  it("ReadRegisters: count outside 1..20 is RangeError [1, 20]; reading one's own registers IllegalOperation", () => {
    const { results } = invoke(config, () => [
      call(config, C.target, "TCBReadRegisters", [0, 0]),
      call(config, C.target, "TCBReadRegisters", [0, 21]),
      call(config, C.self, "TCBReadRegisters", [0, 0]),
      call(config, C.self, "TCBReadRegisters", [0, 20]),
      call(config, C.target, "TCBReadRegisters", [0]),
    ]);
    expectError(results[0], E.RangeError, [1, 20]);
    expectError(results[1], E.RangeError, [1, 20]);
    expectError(results[2], E.RangeError, [1, 20]); // the count is checked before the target
    expectError(results[3], E.IllegalOperation);
    expectError(results[4], E.TruncatedMessage);
  });

  it("ReadRegisters returns seL4_UserContext order: rip, rsp, rflags (0x202 for a new thread), rax, ...", () => {
    const { results } = invoke(config, () => [call(config, C.target, "TCBReadRegisters", [0, 20])]);
    expect(results[0]!.label).toBe(0n);
    expect(results[0]!.length).toBe(20);
    // The target never ran: rip 0, the loader's stack pointer, RFLAGS as Arch_initContext left it.
    expect(results[0]!.mrs.slice(0, 4)).toEqual([0n, STACK_TOP - 0x100n, 0x202n, 0n]);
  });

  it("ReadRegisters answers only a Call: through Send the caller's message registers keep their values", () => {
    const s = tcbSystem(config);
    const { R10, R8 } = registers;
    let afterSend: bigint[] = [];
    s.program("client", function* () {
      yield sys.send(C.target, L(config, "TCBReadRegisters"), [0, 20]);
      afterSend = [s.tcb("client").regs[R10]!, s.tcb("client").regs[R8]!];
    });
    s.run(["client"]);
    expect(afterSend).toEqual([0n, 20n]);
  });

  it("WriteRegisters: fewer register words than the count is Truncated (the count is not capped for this check)", () => {
    const regs = new Array(20).fill(0);
    const { results } = invoke(config, () => [
      call(config, C.target, "TCBWriteRegisters", [0, 3, 1, 2]),
      call(config, C.target, "TCBWriteRegisters", [0, 25, ...regs]),
      call(config, C.self, "TCBWriteRegisters", [0, 1, 0x1000]),
      call(config, C.target, "TCBWriteRegisters", [0]),
    ]);
    expectReplies(results, [E.TruncatedMessage, E.TruncatedMessage, E.IllegalOperation, E.TruncatedMessage]);
  });

  it("WriteRegisters writes sanitised values (rflags, canonical rip) and can resume the target", () => {
    const { s, results } = invoke(config, () => [
      call(config, C.target, "TCBWriteRegisters", [
        0,
        20,
        0x0000900000000000n,
        0x1ff000,
        0xffff,
        7,
        ...new Array(14).fill(0),
        0x1234,
        0x5678,
      ]),
      call(config, C.target, "TCBReadRegisters", [0, 20]),
    ]);
    expectError(results[0], E.NoError);
    const r = results[1]!.mrs;
    expect([r[0], r[1], r[2], r[3], r[18], r[19]]).toEqual([0n, 0x1ff000n, 0xed7n, 7n, 0x1234n, 0x5678n]);
    expect(s.tcb("target").regs[FS_BASE]).toBe(0x1234n);
    expect(s.tcb("target").regs[GS_BASE]).toBe(0x5678n);
  });

  it("CopyRegisters: a non-TCB source is InvalidCapability 1; the flags choose frame and/or integer registers", () => {
    const { s, results } = invoke(
      config,
      () => [
        call(config, C.target, "TCBCopyRegisters", [0], [C.ep]),
        call(config, C.target, "TCBCopyRegisters", [0b1000], [C.self]),
      ],
      (s) => {
        s.tcb("client").regs[FS_BASE] = 0xf5n;
        s.tcb("client").regs[RSP] = 0xabc0n;
      },
    );
    expectReplies(results, [[E.InvalidCapability, [1]], E.NoError]);
    expect(s.tcb("target").regs[FS_BASE]).toBe(0xf5n); // transfer_integer: fs_base, gs_base
    expect(s.tcb("target").regs[RSP]).toBe(STACK_TOP - 0x100n); // frame registers untouched
  });
});

describe.each(CONFIGS)("Bind/UnbindNotification on %s", (config) => {
  it("every refusal is IllegalOperation; no cap is Truncated", () => {
    const { results } = invoke(config, () => [
      call(config, C.target, "TCBBindNotification"),
      call(config, C.target, "TCBUnbindNotification"),
      call(config, C.target, "TCBBindNotification", [], [C.ep]),
      call(config, C.target, "TCBBindNotification", [], [C.ro]),
      call(config, C.target, "TCBBindNotification", [], [C.ntfn]),
      call(config, C.target, "TCBBindNotification", [], [C.ntfn]),
      call(config, C.self, "TCBBindNotification", [], [C.ntfn]),
      call(config, C.target, "TCBUnbindNotification"),
    ]);
    expectError(results[0], E.TruncatedMessage);
    expectError(results[1], E.IllegalOperation); // nothing bound
    expectError(results[2], E.IllegalOperation); // not a notification
    expectError(results[3], E.IllegalOperation); // no Read
    expectError(results[4], E.NoError);
    expectError(results[5], E.IllegalOperation); // the TCB already has one
    expectError(results[6], E.IllegalOperation); // the notification is bound to another TCB
    expectError(results[7], E.NoError);
  });
});

describe.each(CONFIGS)("SetFlags on %s", (config) => {
  it("clears, then sets within seL4_TCBFlag_MASK (fpuDisabled), and returns the flags in MR0", () => {
    const { results } = invoke(config, () => [
      call(config, C.target, "TCBSetFlags", [0, 0xff]),
      call(config, C.target, "TCBSetFlags", [1, 0]),
      call(config, C.target, "TCBSetFlags", [0]),
    ]);
    expectReplies(results, [[E.NoError, [1]], [E.NoError, [0]], E.TruncatedMessage]);
  });
});

describe.each(CONFIGS)("BindNotification with waiters on %s", (config) => {
  it("a notification that a thread is waiting on cannot be bound (IllegalOperation)", () => {
    const s = tcbSystem(config, 254);
    s.give("target", 2, objAt(s, "client", C.ntfn));
    s.program("target", function* () {
      yield waitOn(config, 2);
    });
    const results: Result[] = [];
    s.program("client", function* () {
      results.push(yield call(config, C.target, "TCBBindNotification", [], [C.ntfn]));
    });
    s.run(["client", "target"]); // the target runs first and waits
    expectReplies(results, [E.IllegalOperation]);
    expect(s.sim.text).toContain("TCB BindNotification: Notification cannot be bound.>>");
  });
});

describe("MCS SetTimeoutEndpoint", () => {
  const config = "mcs" as const;
  it("no cap is Truncated; a cap that cannot be a fault handler is InvalidCapability 1", () => {
    const { s, results } = invoke(config, () => [
      call(config, C.target, "TCBSetTimeoutEndpoint"),
      call(config, C.target, "TCBSetTimeoutEndpoint", [], [C.ntfn]),
      call(config, C.target, "TCBSetTimeoutEndpoint", [], [C.ep]),
    ]);
    expectReplies(results, [E.TruncatedMessage, [E.InvalidCapability, [1]], E.NoError]);
    expect(s.tcb("target").slots[4]!.cap.type).toBe("Endpoint");
  });
});

describe.each(CONFIGS)("seL4_DebugDumpScheduler on %s", (config) => {
  it("prints every TCB, newest first, in the debug kernel's columns", () => {
    const s = tcbSystem(config);
    let pc = 0n;
    s.program("client", function* () {
      yield { kind: "syscall", name: "DebugDumpScheduler" };
      pc = s.tcb("client").regs[registers.FaultIP]!; // the restart PC the dump showed
    });
    const out = s.run(["client"]);
    const row = (name: string, state: string, ip: string, prio: number) =>
      `${name.padEnd(40)}   ${state.padEnd(16)}   ${ip.padEnd(18)}   ${String(prio).padStart(4)}` +
      (config === "mcs" ? "   no            " : "") +
      "\n";
    expect(out).toBe(
      "Dumping all tcbs!\n" +
        "Name                                       State              IP                   Prio" +
        (config === "mcs" ? "   InReleaseQueue" : "") +
        "\n" +
        "-".repeat(config === "mcs" ? 105 : 88) +
        "\n" +
        row("tcb_target", "inactive", "0", 50) +
        row("tcb_client", "running", `0x${pc.toString(16)}`, 254),
    );
  });
});
