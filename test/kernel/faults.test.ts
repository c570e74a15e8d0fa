// Fault messages, fault handlers, double faults and restarts, on both kernel configurations
// (handleFault and handleDoubleFault, src/kernel/faulthandler.c; setMRs_fault and handleFaultReply,
// src/api/faults.c; the debug printout from userError, include/api/types.h): what a handler receives for each fault type, which endpoint it
// arrives on, what the debug kernel prints when nobody can receive it, and how replies restart.
import { describe, expect, it } from "vitest";
import { seL4_AllRights, seL4_WordBits, faultLabel, type KernelConfig } from "../../src/abi/constants.js";
import * as registers from "../../src/abi/registers.js";
import { sys, type Program, type Request, type Result } from "../support/in-process.js";
import { TestSystem, STACK_TOP } from "./fixtures.js";
import { MIN_BUDGET_NS } from "../../src/kernel/kernel/mcstime.js";
import { undeliveredFaultNote, type UndeliveredFault } from "../../src/app/fault-cause.js";
import type { Kernel } from "../../src/kernel/index.js";
import {
  CONFIGS,
  FAULTER_EP,
  HANDLER_EP,
  L,
  cnodeCap,
  faultMsg,
  faultSystem,
  handBuiltThread,
  msgOf,
  recordingHandler,
  recvOn,
  mapNewFrame,
  replyWith,
  reportTrailer,
  restartPC,
  stackLines,
  tcbAddress,
  type Msg,
} from "./fault-support.js";

const { RAX, RBX, RCX, RDX, RSI, RDI, RBP, R8, R9, R10, R11, R12, R13, R14, R15, RSP, FLAGS, FaultIP } = registers;
const BADGE = 0xbeef;
const SP = STACK_TOP - 0x100n;
/** A CPtr with a bit set above a 4-bit radix: the 60-bit guard (0) does not match. */
const BAD_CPTR = 0x10n;

/** The official layout: faulter slots 1 seq ep, 2 empty, 3 empty; handler 1 seq ep (RW), 2 fault ep,
 *  3 own cnode, 4 empty, 5 faulter tcb, 6 faulter vspace, 7 faulter cnode (+ 8 reply on MCS). */
function faultHandlersSystem(config: KernelConfig) {
  const s = new TestSystem(config, [
    { name: "faulter", radix: 3 },
    { name: "handler", radix: 4 },
  ]);
  const seq = s.create("Endpoint", "sequencing_ep");
  const fep = s.create("Endpoint", "faulter_fault_ep");
  s.give("faulter", 1, seq, { rights: 0b0111 });
  s.give("handler", 1, seq, { rights: 0b0011 });
  s.give("handler", 2, fep, { rights: 0b0111 });
  s.giveCNode("handler", 3, "handler");
  s.give("handler", 5, s.tcb("faulter"));
  s.give("handler", 6, s.vspaces.get("faulter")!);
  s.giveCNode("handler", 7, "faulter");
  if (config === "mcs") s.give("handler", 8, s.create("Reply", "reply"));
  return s;
}

/** Run one faulting program against a recording handler; returns the messages and the faulter's restart PCs. */
/** The faults the kernel could not deliver, from its trace events (the kernel's own record of why). */
function recordFaults(kernel: Kernel): UndeliveredFault[] {
  const faults: UndeliveredFault[] = [];
  kernel.state.trace = {
    detail: false,
    event: (e) => {
      if (e.kind === "fault" && !e.delivered) faults.push(e as UndeliveredFault);
    },
  };
  return faults;
}

function catchFaults(
  config: KernelConfig,
  s: TestSystem,
  faulter: () => Generator<Request, void, Result>,
  count = 1,
  answer?: Parameters<typeof recordingHandler>[3],
) {
  const seen: Msg[] = [];
  const pcs: bigint[] = [];
  s.program("faulter", faulter);
  const record = recordingHandler(config, seen, count, (m, i) => {
    pcs.push(restartPC(s.tcb("faulter")));
    return answer ? answer(m, i) : null;
  });
  s.program("handler", record);
  s.run(["faulter", "handler"]);
  return { seen, pcs };
}

describe.each(CONFIGS)("the fault-handlers tutorial on %s", (config) => {
  it("delivers a badged cap fault, and the repaired NBRecv re-executes", () => {
    const s = faultHandlersSystem(config);
    const log: string[] = [];
    const mcs = config === "mcs";
    s.program("faulter", function* () {
      log.push("F: call");
      yield sys.call(1, 0, [2]);
      log.push("F: touching");
      // MCS has no reply-less NBRecv: touching a slot without a reply object is seL4_NBWait there.
      const r = yield mcs ? sys.nbwait(3) : sys.nbrecv(3);
      log.push(`F: past the fault, badge ${r.badge}`);
    });
    s.program("handler", function* () {
      const init = yield sys.recv(1, mcs ? 8 : undefined);
      const slot = init.mrs[0]!;
      log.push(`H: slot ${slot}`);
      let r = yield sys.call(
        3,
        L(config, "CNodeMint"),
        [4, seL4_WordBits, 2, seL4_WordBits, seL4_AllRights, BADGE],
        [3],
      );
      expect(r.label).toBe(0n);
      if (!mcs) {
        r = yield sys.call(7, L(config, "CNodeCopy"), [slot, seL4_WordBits, 4, seL4_WordBits, seL4_AllRights], [3]);
        expect(r.label).toBe(0n);
        r = yield sys.call(5, L(config, "TCBSetSpace"), [slot, 0, 0], [7, 6]);
      } else {
        r = yield sys.call(5, L(config, "TCBSetSpace"), [0, 0], [4, 7, 6]);
      }
      expect(r.label).toBe(0n);
      if (mcs) yield sys.send(8, 0);
      else yield sys.reply(0);
      const fault = yield sys.recv(2, mcs ? 8 : undefined);
      log.push(
        `H: fault label ${fault.label} len ${fault.length} badge ${fault.badge.toString(16)} mrs ${fault.mrs.slice(1).join(",")}`,
      );
      r = yield sys.call(
        7,
        L(config, "CNodeCopy"),
        [fault.mrs[1]!, seL4_WordBits, 1, seL4_WordBits, seL4_AllRights],
        [3],
      );
      expect(r.label).toBe(0n);
      if (mcs) yield sys.send(8, 0);
      else yield sys.reply(0);
      log.push("H: done");
    });
    s.run(["faulter", "handler"]);
    expect(log).toEqual([
      "F: call",
      "H: slot 2",
      "F: touching",
      `H: fault label ${faultLabel(config, "CapFault")} len 5 badge beef mrs 3,1,2,0`,
      "H: done",
      "F: past the fault, badge 0",
    ]);
    expect(s.sim.text).toBe("");
  });

  it("reports the start state's fault byte for byte (no handler configured yet)", () => {
    const s = faultHandlersSystem(config);
    s.program("faulter", function* () {
      yield config === "mcs" ? sys.nbwait(3) : sys.nbrecv(3);
    });
    s.program("handler", function* () {});
    const out = s.run(["faulter", "handler"]);
    const pc = restartPC(s.tcb("faulter"));
    const first = "cap fault in receive phase at address 0x3";
    // master looks CPtr 0 up in the faulter's CSpace and finds the null cap; `%p` of 0 prints "0".
    const head =
      config === "master"
        ? `Caught cap fault in send phase at address 0\nwhile trying to handle:\n${first}`
        : `Found thread has no fault handler while trying to handle:\n${first}`;
    expect(out).toBe(
      head +
        reportTrailer(
          s.tcb("faulter"),
          pc,
          stackLines(SP, () => 0n),
        ),
    );
    expect(s.state("faulter")).toBe("inactive");
  });
});

describe.each(CONFIGS)("fault messages on %s", (config) => {
  const CAP = faultLabel(config, "CapFault");

  it("a receive-phase cap fault on an empty slot: MissingCapability, length 5", () => {
    const s = faultSystem(config);
    const { seen, pcs } = catchFaults(config, s, function* () {
      yield sys.recv(5);
    });
    expect(seen).toEqual([faultMsg(CAP, [pcs[0]!, 5, 1, 2, 0])]);
  });

  it("Recv on an endpoint cap without Read, or on a cap of another type, is MissingCapability(0) too", () => {
    for (const obj of ["write-only endpoint", "TCB"] as const) {
      const s = faultSystem(config);
      if (obj === "TCB") s.give("faulter", 5, s.tcb("handler"));
      else s.give("faulter", 5, s.create("Endpoint", "write_only"), { rights: 0b0001 });
      const { seen, pcs } = catchFaults(config, s, function* () {
        yield sys.recv(5);
      });
      expect({ obj, seen }).toEqual({ obj, seen: [faultMsg(CAP, [pcs[0]!, 5, 1, 2, 0])] });
    }
  });

  it("guard mismatch, send phase (Call) and receive phase (Recv): length 7 with the CNode's guard and guard size", () => {
    for (const [op, phase] of [
      [sys.call(BAD_CPTR, 0), 0],
      [sys.recv(BAD_CPTR), 1],
    ] as const) {
      const s = faultSystem(config);
      const { seen, pcs } = catchFaults(config, s, function* () {
        yield op;
      });
      expect(seen).toEqual([faultMsg(CAP, [pcs[0]!, BAD_CPTR, phase, 4, 64, 0, 60])]);
    }
  });

  it("an extra cap that does not resolve faults the Send in the send phase, at that CPtr", () => {
    const s = faultSystem(config);
    s.give("faulter", 5, s.create("Endpoint", "other"));
    const { seen, pcs } = catchFaults(config, s, function* () {
      yield sys.send(5, 0, [], [BAD_CPTR]);
    });
    expect(seen).toEqual([faultMsg(CAP, [pcs[0]!, BAD_CPTR, 0, 4, 64, 0, 60])]);
  });

  it("depth mismatch in a two-level CSpace, send and receive phase: length 6 with bits left and the level's size", () => {
    // Root: radix 4 behind a 58-bit guard leaves 2 bits; slot 3 holds a radix-4 CNode, which needs 4.
    const cptr = 3n << 2n;
    for (const [op, phase] of [
      [sys.call(cptr, 0), 0],
      [sys.recv(cptr), 1],
    ] as const) {
      const s = faultSystem(config, { faulters: [] });
      const root = cnodeCap(s, "two_level_root", 4, 58);
      s.kernel.boot.insertCap(root.obj, 3, cnodeCap(s, "two_level_inner", 4, 0).cap);
      const ep = s.cnode("handler").slots[HANDLER_EP]!.cap;
      const t = handBuiltThread(s, "deep", root.cap, function* () {
        yield op;
      });
      if (config === "mcs") s.kernel.boot.setFaultHandler(t, ep);
      else {
        // master resolves the handler CPtr in the same CSpace: root slot 5, reached with the same 2 bits to spare.
        s.kernel.boot.insertCap(root.obj, 5, ep);
        s.kernel.boot.setFaultHandler(t, 5n << 2n);
      }
      const seen: Msg[] = [];
      s.program(
        "handler",
        recordingHandler(config, seen, 1, () => null),
      );
      s.kernel.boot.resume(t);
      s.run(["handler"]);
      expect({ phase, seen }).toEqual({ phase, seen: [faultMsg(CAP, [restartPC(t), cptr, phase, 3, 2, 4])] });
    }
  });

  it("a thread without a CSpace: InvalidRoot, length 4 on MCS; a double fault on master", () => {
    const s = faultSystem(config, { faulters: [] });
    const ep = s.cnode("handler").slots[HANDLER_EP]!.cap;
    const t = handBuiltThread(s, "rootless", undefined, function* () {
      yield sys.call(5, 0);
    });
    s.kernel.boot.setFaultHandler(t, config === "mcs" ? ep : 1n);
    const seen: Msg[] = [];
    s.program(
      "handler",
      recordingHandler(config, seen, 1, () => null),
    );
    s.kernel.boot.resume(t);
    const out = s.run(["handler"]);
    // handleInvocation reports the failed lookup before raising the fault.
    const userError =
      `<<seL4(CPU 0) [handleInvocation T${tcbAddress(t)} "tcb_rootless" @${restartPC(t).toString(16)}]: ` +
      "Invocation of invalid cap #5.>>\n";
    if (config === "mcs") {
      expect(seen).toEqual([faultMsg(CAP, [restartPC(t), 5, 0, 1])]);
      expect(out).toBe(userError);
    } else {
      // The handler CPtr cannot be looked up either: there is no CSpace to look it up in.
      expect(seen).toEqual([]);
      expect(out).toBe(
        userError +
          "Caught cap fault in send phase at address 0x1\nwhile trying to handle:\ncap fault in send phase at address 0x5" +
          reportTrailer(
            t,
            restartPC(t),
            stackLines(SP, () => 0n),
          ),
      );
      expect(s.kernel.describeThread(t).state).toBe("inactive");
    }
  });

  it("VM faults: label 5 on master, 6 on MCS, length 4; FSR 4 read / 6 write unmapped, 7 write read-only, 5 read kernel-only", () => {
    expect(faultLabel(config, "VMFault")).toBe(config === "mcs" ? 6 : 5);
    const cases = [
      { rights: null, store: false, fsr: 4 },
      { rights: null, store: true, fsr: 6 },
      { rights: 0b10, store: true, fsr: 7 },
      { rights: 0b00, store: false, fsr: 5 },
    ];
    for (const c of cases) {
      const s = faultSystem(config);
      const vaddr = 0x180008n;
      if (c.rights !== null) mapNewFrame(s, "faulter", "page", 0x180000n, c.rights);
      const access = c.store ? { kind: "store" as const, vaddr, value: 5n } : { kind: "load" as const, vaddr };
      const { seen, pcs } = catchFaults(config, s, function* () {
        yield access;
      });
      expect({ c, seen }).toEqual({ c, seen: [faultMsg(faultLabel(config, "VMFault"), [pcs[0]!, vaddr, 0, c.fsr])] });
    }
  });

  it("a read of a read-only page succeeds without a fault", () => {
    const s = faultSystem(config);
    const frame = mapNewFrame(s, "faulter", "ro_page", 0x180000n, 0b10);
    new BigUint64Array(s.kernel.memory)[frame.paddr / 8 + 1] = 0x5eed5n;
    let value = 0n;
    const { seen } = catchFaults(config, s, function* () {
      value = (yield { kind: "load", vaddr: 0x180008n }).value;
    });
    expect(seen).toEqual([]);
    expect(value).toBe(0x5eed5n);
  });

  it("an unknown syscall: label 2, 19 MRs (RAX..R15, FaultIP, SP, FLAGS, then the number)", () => {
    const s = faultSystem(config);
    const order = [RAX, RBX, RCX, RDX, RSI, RDI, RBP, R8, R9, R10, R11, R12, R13, R14, R15];
    const faulter = s.tcb("faulter");
    const { seen, pcs } = catchFaults(config, s, function* () {
      order.forEach((r, i) => {
        faulter.regs[r] = 0xa00n + BigInt(i);
      });
      yield { kind: "raw", number: 0x1234 };
    });
    const expected = order.map((r, i) => (r === RDX ? 0x1234n : 0xa00n + BigInt(i)));
    expect(seen).toEqual([faultMsg(faultLabel(config, "UnknownSyscall"), [...expected, pcs[0]!, SP, 0x202n, 0x1234n])]);
  });

  it("a user exception: label 3, 5 MRs (FaultIP, SP, FLAGS, vector, error code)", () => {
    const s = faultSystem(config);
    const { seen, pcs } = catchFaults(config, s, function* () {
      yield { kind: "exception", number: 13, code: 0x18 };
    });
    expect(seen).toEqual([faultMsg(faultLabel(config, "UserException"), [pcs[0]!, SP, 0x202n, 13, 0x18])]);
  });

  it("with a handler that has no IPC buffer, only the 4 register MRs arrive and the length is 4", () => {
    const s = faultSystem(config, { handlerWithoutIPCBuffer: true });
    const { seen, pcs } = catchFaults(config, s, function* () {
      yield sys.recv(BAD_CPTR);
    });
    expect(seen).toEqual([faultMsg(CAP, [pcs[0]!, BAD_CPTR, 1, 4])]);
  });
});

describe("timeout faults (MCS)", () => {
  const config = "mcs" as const;
  const sc = { budgetUs: 100, periodUs: 1_000, badge: 0x5c };

  /** A faulter that keeps trapping (100 ns each) on a 100 us budget, with a timeout endpoint unless `none`. */
  function timeoutSystem(none = false) {
    const s = faultSystem(config, { sc });
    s.give("faulter", 5, s.create("Endpoint", "nobody_listens"));
    if (!none) s.kernel.boot.setTimeoutHandler(s.tcb("faulter"), s.cnode("handler").slots[HANDLER_EP]!.cap);
    let steps = 0;
    s.program("faulter", function* () {
      for (; steps < 2_000; steps++) yield sys.nbsend(5, 0);
    });
    return { s, steps: () => steps };
  }

  it("a periodic SC that runs out of budget sends label 5 with the SC's badge and the time consumed", () => {
    const { s } = timeoutSystem();
    const seen: Msg[] = [];
    s.program(
      "handler",
      recordingHandler(config, seen, 1, () => null),
    );
    s.run(["faulter", "handler"]);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.label).toBe(faultLabel(config, "Timeout"));
    expect(seen[0]!.length).toBe(2);
    expect(seen[0]!.mrs[0]).toBe(0x5cn); // seL4_Timeout_Data: the badge given to SchedControl_Configure
    // seL4_Timeout_Consumed, in microseconds: the time really used. The budget ends at the first
    // kernel entry (one every 100 ns here) that finds less than MIN_BUDGET left.
    expect(seen[0]!.mrs[1]).toBe(BigInt(Math.floor((sc.budgetUs * 1000 - MIN_BUDGET_NS + 100) / 1000)));
    expect(s.state("faulter")).toBe("blocked on reply");
  });

  it("replying with label 0 lets the thread continue at its next refill; without a timeout endpoint it just waits", () => {
    const withHandler = timeoutSystem();
    const seen: Msg[] = [];
    withHandler.s.program(
      "handler",
      recordingHandler(config, seen, 2, () => replyWith(config, 0)),
    );
    withHandler.s.run(["faulter", "handler"], 100_000);
    expect(seen.length).toBeGreaterThanOrEqual(2);
    const without = timeoutSystem(true);
    without.s.program("handler", function* () {});
    without.s.run(["faulter", "handler"], 100_000);
    expect(without.steps()).toBe(2_000);
    expect(without.s.sim.text).toBe("");
  });
});

describe.each(CONFIGS)("fault endpoints on %s", (config) => {
  it("two faulters share one endpoint through differently badged caps; each badge reaches the handler", () => {
    const s = faultSystem(config, { faulters: ["f1", "f2"], badges: [0x61, 0x62] });
    const seen: Msg[] = [];
    s.program("f1", function* () {
      yield sys.recv(5);
    });
    s.program("f2", function* () {
      yield sys.recv(6);
    });
    s.program(
      "handler",
      recordingHandler(config, seen, 2, () => null),
    );
    s.run(["f1", "f2", "handler"]); // each resumed thread goes to the head of its queue: handler, f2, f1
    expect(seen.map((m) => [m.badge, m.mrs[1]])).toEqual([
      [0x62n, 6n],
      [0x61n, 5n],
    ]);
  });

  it("a fault waits BlockedOnSend until the handler receives it", () => {
    const s = faultSystem(config);
    s.program("faulter", function* () {
      yield sys.recv(5);
    });
    s.run(["faulter"]); // the handler is never started
    expect(s.state("faulter")).toBe("blocked on send");
    expect(s.kernel.describeThread(s.tcb("faulter")).blockedOn).toBe(
      "endpoint 'fault_ep' (delivering cap fault in receive phase at address 0x5)",
    );
    expect(s.sim.text).toBe("");
  });

  it("a handler that never replies leaves the faulter BlockedOnReply", () => {
    const s = faultSystem(config);
    const { seen } = catchFaults(config, s, function* () {
      yield sys.recv(5);
    });
    expect(seen).toHaveLength(1);
    expect(s.state("faulter")).toBe("blocked on reply");
    expect(s.kernel.describeThread(s.tcb("faulter")).blockedOn).toBe(
      config === "master"
        ? "a reply to its fault (cap fault in receive phase at address 0x5) from 'tcb_handler'"
        : "a reply to its fault (cap fault in receive phase at address 0x5) through reply object 'handler_reply'",
    );
  });

  it("a second Recv by the handler: master destroys the reply cap (faulter stuck), MCS makes the faulter Inactive", () => {
    const s = faultSystem(config);
    const seen: Msg[] = [];
    s.program("faulter", function* () {
      yield sys.recv(5);
    });
    s.program("handler", function* () {
      seen.push(msgOf(yield recvOn(config)));
      yield recvOn(config); // nobody else will send: the handler blocks here
    });
    const out = s.run(["faulter", "handler"]);
    expect(seen).toHaveLength(1);
    if (config === "master") {
      expect(s.state("faulter")).toBe("blocked on reply");
      expect(s.kernel.describeThread(s.tcb("faulter")).blockedOn).toMatch(/that no thread can send$/);
      expect(out).toBe("");
    } else {
      expect(s.state("faulter")).toBe("inactive");
      expect(out).toMatch(
        /^<<seL4\(CPU 0\) \[receiveIPC T0x[0-9a-f]+ "tcb_handler" @[0-9a-f]+\]: Reply object already has unexecuted reply!>>\n$/,
      );
    }
  });

  if (config === "master") {
    it("master needs Write and Grant or GrantReply on the handler cap at fault time; otherwise a double fault", () => {
      for (const [rights, delivered] of [
        [0b0101, true],
        [0b1001, true],
        [0b0001, false],
        [0b1110, false],
      ] as const) {
        const s = faultSystem(config, { rights });
        const faults = recordFaults(s.kernel);
        const { seen } = catchFaults(config, s, function* () {
          yield sys.recv(5);
        });
        expect({ rights, delivered: seen.length === 1 }).toEqual({ rights, delivered });
        if (!delivered) {
          expect(s.sim.text.split("\n").slice(0, 3)).toEqual([
            `Caught cap fault in send phase at address 0x${FAULTER_EP.toString(16)}`,
            "while trying to handle:",
            "cap fault in receive phase at address 0x5",
          ]);
          expect(s.state("faulter")).toBe("inactive");
          // The kernel knows why, though it prints only the faults: sel4tut's note says it after them.
          const [undelivered] = faults;
          expect(undelivered).toMatchObject({
            thread: "tcb_faulter",
            delivered: false,
            handler: { resolved: "at-fault", cptr: `0x${FAULTER_EP.toString(16)}` },
            cause: { kind: "cap", cap: { type: "Endpoint", rights } },
          });
          expect(undeliveredFaultNote(undelivered!)).toBe(
            `why the kernel could not deliver tcb_faulter's fault: its fault-handler CPtr 0x${FAULTER_EP.toString(16)} ` +
              `names an endpoint cap ${rights & 1 ? "with neither Grant nor GrantReply (its rights: Write)" : "without Write (its rights: Read, Grant, GrantReply)"}; ` +
              "the kernel sends a fault only through an endpoint cap with Write and with Grant or GrantReply (sendFaultIPC in seL4's src/kernel/faulthandler.c)",
          );
        }
      }
    });

    it("master: the handler-side CPtr given as the fault endpoint is looked up in the faulter's CSpace", () => {
      // The handler's own slot (1) is empty in the faulter's CSpace: double fault at address 0x1.
      let s = faultSystem(config, { faulterEPSlot: HANDLER_EP });
      const faults = recordFaults(s.kernel);
      let r = catchFaults(config, s, function* () {
        yield sys.recv(5);
      });
      expect(r.seen).toEqual([]);
      expect(s.sim.text.split("\n")[0]).toBe("Caught cap fault in send phase at address 0x1");
      expect(undeliveredFaultNote(faults[0]!)).toBe(
        "why the kernel could not deliver tcb_faulter's fault: " +
          "its fault-handler CPtr 0x1 names an empty slot of tcb_faulter's CSpace; on master the kernel looks the CPtr up in the faulting thread's own CSpace, when the fault happens",
      );
      // The faulter's slot 1 holds another endpoint: the fault goes there, and the handler never hears of it.
      s = faultSystem(config, { faulterEPSlot: HANDLER_EP });
      s.give("faulter", HANDLER_EP, s.create("Endpoint", "unrelated_ep"));
      r = catchFaults(config, s, function* () {
        yield sys.recv(5);
      });
      expect(r.seen).toEqual([]);
      expect(s.kernel.describeThread(s.tcb("faulter")).blockedOn).toMatch(
        /^endpoint 'unrelated_ep' \(delivering cap fault/,
      );
    });
  }
});

describe.each(CONFIGS)("replying to faults on %s", (config) => {
  it("cap and VM faults restart whatever the reply label; the faulting instruction runs again", () => {
    const s = faultSystem(config);
    let value = 0n;
    const { seen } = catchFaults(
      config,
      s,
      function* () {
        value = (yield { kind: "load", vaddr: 0x180000n }).value;
      },
      1,
      () => {
        // The repair, done directly for brevity (vm.test.ts has a pager that maps it itself).
        const frame = mapNewFrame(s, "faulter", "late_page", 0x180000n, 3);
        new BigUint64Array(s.kernel.memory)[frame.paddr / 8] = 77n;
        return replyWith(config, 0x3e7);
      },
    );
    expect(seen).toHaveLength(1);
    expect(value).toBe(77n);
  });

  it("a cap fault repaired behind the handler's back restarts with a non-zero reply label too", () => {
    const s = faultSystem(config);
    const ntfn = s.create("Notification", "late_ntfn");
    let polled = false;
    const { seen } = catchFaults(
      config,
      s,
      function* () {
        yield config === "mcs" ? sys.nbwait(5) : sys.nbrecv(5);
        polled = true;
      },
      1,
      () => {
        s.give("faulter", 5, ntfn); // the repair, done directly for brevity
        return replyWith(config, 42);
      },
    );
    expect(seen).toHaveLength(1);
    expect(polled).toBe(true);
    expect(s.state("faulter")).toBe("inactive"); // its program ran to the end
  });

  it("UnknownSyscall: label 0 restarts with the registers from the reply; a non-zero label leaves the thread Inactive", () => {
    const s = faultSystem(config);
    const faulter = s.tcb("faulter");
    const { seen } = catchFaults(
      config,
      s,
      function* () {
        faulter.regs[RBX] = 1n;
        yield { kind: "raw", number: 0x1234 };
      },
      2,
      (m, i) => (i === 0 ? replyWith(config, 0, [0xaa, 0xbb]) : replyWith(config, 1, [0xcc])),
    );
    // The restarted syscall faults again, now with RAX and RBX as the handler wrote them.
    expect(seen[1]!.mrs.slice(0, 2)).toEqual([0xaan, 0xbbn]);
    expect(s.state("faulter")).toBe("inactive");
    expect(faulter.regs[RAX]).toBe(0xccn); // written even though the label was not 0
  });

  it("a replier without an IPC buffer sets only the registers its 4 message registers carry", () => {
    const s = faultSystem(config, { handlerWithoutIPCBuffer: true });
    const faulter = s.tcb("faulter");
    const { seen } = catchFaults(
      config,
      s,
      function* () {
        faulter.regs[RSI] = 0x5151n;
        yield { kind: "raw", number: 0x1234 };
      },
      2,
      (m, i) => (i === 0 ? replyWith(config, 0, [0xa, 0xb, 0xc, 0xd, 0xe, 0xf]) : null),
    );
    // The re-executed syscall faulted again: RAX, RBX, RCX came from the reply (they are all this
    // handler can see), and RSI (word 4) was not transferred, so it kept its value.
    expect(seen[1]!.mrs.slice(0, 3)).toEqual([0xan, 0xbn, 0xcn]);
    expect(faulter.regs[RSI]).toBe(0x5151n);
  });

  it("UserException: label 0 restarts with FaultIP, SP and FLAGS from the reply; registers are sanitised", () => {
    const s = faultSystem(config);
    const faulter = s.tcb("faulter");
    const { seen } = catchFaults(
      config,
      s,
      function* () {
        yield { kind: "exception", number: 6, code: 0 };
      },
      2,
      (m, i) =>
        i === 0
          ? replyWith(config, 0, [m.mrs[0]!, 0x1ff800n, 0xffff])
          : replyWith(config, 1, [0x0000800000000000n, 0x1234, 3]),
    );
    // Second fault: SP from the reply; RFLAGS 0xffff sanitised to the user-settable bits with IF on and TF off.
    expect(seen[1]!.mrs.slice(1, 3)).toEqual([0x1ff800n, 0xed7n]);
    // Non-zero label: not restarted, but the registers were written; a non-canonical IP becomes 0.
    expect(s.state("faulter")).toBe("inactive");
    expect([faulter.regs[FaultIP], faulter.regs[RSP], faulter.regs[FLAGS]]).toEqual([0n, 0x1234n, 0x203n]);
  });
});

/**
 * A "boss" thread's program: it repairs the faulter's CSpace (a notification into the empty slot 5
 * it faulted on) and then seL4_TCB_Resume()s it. `before`/`after` run around that.
 */
function repairAndResume(config: KernelConfig, s: TestSystem, before = () => {}, after = () => {}) {
  s.give("boss", 1, s.tcb("faulter"));
  s.giveCNode("boss", 2, "faulter");
  s.giveCNode("boss", 3, "boss");
  s.give("boss", 4, s.create("Notification", "ntfn"));
  return function* (): Program {
    before();
    const r = yield sys.call(2, L(config, "CNodeCopy"), [5, seL4_WordBits, 4, seL4_WordBits, seL4_AllRights], [3]);
    expect(r.label).toBe(0n);
    expect((yield sys.call(1, L(config, "TCBResume"))).label).toBe(0n);
    after();
  };
}

describe.each(CONFIGS)("seL4_TCB_Resume on a faulted thread on %s", (config) => {
  it("cancels the pending fault IPC and re-executes the faulting syscall (which may now succeed)", () => {
    const s = faultSystem(config, { others: ["boss"] });
    const log: string[] = [];
    s.program("faulter", function* () {
      yield config === "mcs" ? sys.nbwait(5) : sys.nbrecv(5);
      log.push("faulter past the fault");
    });
    s.program("handler", function* () {});
    s.program(
      "boss",
      repairAndResume(
        config,
        s,
        () => log.push(`boss sees faulter ${s.state("faulter")}`),
        () => log.push(`boss resumed faulter: ${s.state("faulter")}`),
      ),
    );
    s.run(["boss", "handler", "faulter"]); // the last resumed runs first
    expect(log).toEqual([
      "boss sees faulter blocked on send",
      "boss resumed faulter: restart",
      "faulter past the fault",
    ]);
    expect(s.kernel.describeThread(s.tcb("faulter")).blockedOn).toBeNull();
  });

  it("Resume of a faulter blocked on reply deletes the handler's reply (master) or unlinks the reply object (MCS)", () => {
    const s = faultSystem(config);
    s.give("handler", 5, s.tcb("faulter"));
    s.give("handler", 6, s.create("Notification", "ntfn"));
    s.giveCNode("handler", 7, "faulter");
    s.giveCNode("handler", 8, "handler");
    const log: string[] = [];
    s.program("faulter", function* () {
      yield config === "mcs" ? sys.nbwait(5) : sys.nbrecv(5);
      log.push("faulter past the fault");
    });
    s.program("handler", function* () {
      yield recvOn(config);
      yield sys.call(7, L(config, "CNodeCopy"), [5, seL4_WordBits, 6, seL4_WordBits, seL4_AllRights], [8]);
      yield sys.call(5, L(config, "TCBResume"));
      log.push(`faulter ${s.state("faulter")}`);
      yield replyWith(config, 0); // too late: nothing to reply to
      log.push("handler replied");
    });
    s.run(["faulter", "handler"]);
    expect(log).toEqual(["faulter restart", "handler replied", "faulter past the fault"]);
  });

  it("after Resume from BlockedOnSend, master still records the fault: the thread's next Send delivers the old fault", () => {
    const s = faultSystem(config, { others: ["boss"] });
    const other = s.create("Endpoint", "other");
    s.give("faulter", 6, other);
    s.give("handler", 3, other);
    const seen: Msg[] = [];
    s.program("faulter", function* () {
      yield config === "mcs" ? sys.nbwait(5) : sys.nbrecv(5); // faults; nobody receives on the fault endpoint
      yield sys.send(6, 0x55, [1, 2]);
    });
    s.program("boss", repairAndResume(config, s));
    s.program("handler", function* () {
      seen.push(msgOf(yield recvOn(config, 3)));
    });
    s.run(["handler", "boss", "faulter"]); // the faulter runs first, then the boss, then the handler
    if (config === "master") {
      // cancelIPC on a sender keeps tcbFault on master; the Send is then treated as a fault message.
      // A plain Send is not a Call, so the sender carries on (master sendIPC only sets up a reply for do_call).
      expect(seen.map((m) => [m.label, m.length, ...m.mrs.slice(1)])).toEqual([
        [faultLabel(config, "CapFault"), 5, 5n, 1n, 2n, 0n],
      ]);
    } else {
      // MCS cancelIPC clears the fault: the Send is an ordinary message.
      expect(seen).toEqual([{ label: 0x55, length: 2, badge: 0n, mrs: [1n, 2n] }]);
    }
    expect(s.state("faulter")).toBe("inactive"); // its program ran to the end
  });
});
