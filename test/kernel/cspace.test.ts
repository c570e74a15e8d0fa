// CSpace addressing (src/kernel/cspace.c): resolveAddressBits through a two-level CSpace with guards,
// each lookup-failure kind both as a CNode-operation error (FailedLookup detail words at MR0..)
// and as a cap fault of Send/Call/Recv (the fault message a handler reads), and 64-bit CPtrs.
import { describe, expect, it } from "vitest";
import {
  faultLabel,
  seL4_AllRights,
  seL4_DepthMismatch,
  seL4_GuardMismatch,
  seL4_InvalidRoot,
  seL4_MissingCapability,
  type KernelConfig,
} from "../../src/abi/constants.js";
import { toWord, type Cap, type CNodeObj, type KObject } from "../../src/kernel/index.js";
import * as registers from "../../src/abi/registers.js";
import { sys, type Result, type SyscallRequest } from "../support/in-process.js";
import {
  CONFIGS,
  addThread,
  cnodeCap,
  cspaceSystem,
  D,
  exec,
  failed,
  kernelOps,
  makeCNode,
  OK,
  outcome,
  viewCap,
} from "./cspace-helpers.js";
import { TestSystem } from "./fixtures.js";
const W64 = 1n << 64n;

// The two-level CSpace of thread "f", built with the boot API:
//   root CNode "root" (radix 4), reached through a cap with guard 0xA of 4 bits (8 bits a level);
//   root[2]: CNode "l2" (radix 8) through a cap with guard 0xABC of 48 bits (56 bits a level);
//   root[3]: an endpoint, root[5]: a notification (implicit lookups stop there early);
//   root[4]: "l2" again through a cap with guard 0 of 50 bits (58 bits: more than the 56 left);
//   l2[1]: the root CNode cap again (the service cap for CNode operations); l2[9]: the fault EP.
const ROOT_GUARD = 0xan,
  L2_GUARD = 0xabcn;
/** The 64-bit address of l2[slot]: guard 0xA, root index 2, guard 0xABC, slot. */
const addr = (slot: number, l2Guard = L2_GUARD) => (ROOT_GUARD << 60n) | (2n << 56n) | (l2Guard << 8n) | BigInt(slot);
/** The address of root[index] for an implicit lookup: it stops at that non-CNode cap. */
const rootSlot = (index: number, rest = 0n) => (ROOT_GUARD << 60n) | (BigInt(index) << 56n) | rest;
const SVC = addr(1);
const FAULT_BADGE = 0x77n;

interface TwoLevel {
  s: TestSystem;
  root: CNodeObj;
  l2: CNodeObj;
  faultEP: KObject;
}

/** Thread "f" with the two-level CSpace, and a handler "h" (slot 1: the fault EP, slot 2 on MCS: a reply object). */
function twoLevelSystem(config: KernelConfig): TwoLevel {
  const s = new TestSystem(config, [{ name: "h" }]);
  const b = s.kernel.boot;
  const root = makeCNode(s, "root", 4),
    l2 = makeCNode(s, "l2", 8);
  const faultEP = s.create("Endpoint", "fault_ep");
  b.insertCap(root, 2, b.cap(l2, { guard: L2_GUARD, guardSize: 48 }));
  b.insertCap(root, 3, b.cap(s.create("Endpoint", "ep")));
  b.insertCap(root, 4, b.cap(l2, { guard: 0, guardSize: 50 }));
  b.insertCap(root, 5, b.cap(s.create("Notification", "ntfn")));
  b.insertCap(l2, 1, b.cap(root, { guard: ROOT_GUARD, guardSize: 4 }));
  b.insertCap(l2, 9, b.cap(faultEP, { badge: FAULT_BADGE }));
  const handler: bigint | Cap = config === "mcs" ? b.cap(faultEP, { badge: FAULT_BADGE }) : addr(9);
  addThread(s, "f", b.cap(root, { guard: ROOT_GUARD, guardSize: 4 }), handler);
  s.give("h", 1, faultEP);
  if (config === "mcs") s.give("h", 2, s.create("Reply", "reply"));
  return { s, root, l2, faultEP };
}

/** Thread "f" issues `requests`; returns their replies. */
function runAsF(s: TestSystem, requests: SyscallRequest[]): Result[] {
  const out: Result[] = [];
  s.program("f", function* () {
    for (const r of requests) out.push(yield r);
  });
  s.program("h", function* () {});
  s.run(["f"]);
  return out;
}

/** Thread `faulter` issues `request`, which faults; the handler receives the fault message. */
function faultMessage(s: TestSystem, faulter: string, request: SyscallRequest): { msg: Result; ip: bigint } {
  let msg: Result | undefined;
  s.program(faulter, function* () {
    yield request;
    throw new Error("the faulting syscall returned");
  });
  s.program("h", function* () {
    msg = yield sys.recv(1, s.config === "mcs" ? 2 : undefined);
  });
  s.run(["h", faulter]);
  expect(msg, "the handler received a fault").toBeDefined();
  expect(s.state(faulter)).toBe("blocked on reply");
  return { msg: msg!, ip: s.tcb(faulter).regs[registers.FaultIP]! };
}

describe.each(CONFIGS)("CSpace addressing on %s", (config) => {
  const ops = kernelOps(config);

  describe("single-level CSpace (guard = 64 - radix)", () => {
    it("CPtr k names slot k only at depth seL4_WordBits: a shorter depth runs into the guard", () => {
      const s = cspaceSystem(config);
      s.give("t", 2, s.create("Endpoint", "ep"));
      const [short, full] = exec(
        s,
        ops.copy(1, 3, 4, 1, 2, D, seL4_AllRights),
        ops.copy(1, 3, D, 1, 2, D, seL4_AllRights),
      );
      // GuardMismatch{bitsLeft = 4, guardFound = 0, bitsFound = the guard size 60}, destination flag 0.
      expect(outcome(short!)).toEqual(failed("seL4_FailedLookup", 0, seL4_GuardMismatch, 4, 0, 60));
      expect(outcome(full!)).toEqual(OK);
    });

    it.each([
      ["0", 0n],
      ["65", 65n],
      ["0x140 (the whole word counts, not its low byte)", 0x140n],
      ["2^64 - 1", W64 - 1n],
    ])("a depth of %s is a RangeError [1, 64]", (_, depth) => {
      const s = cspaceSystem(config);
      const [r] = exec(s, ops.delete(1, 3, depth));
      expect(outcome(r!)).toEqual(failed("seL4_RangeError", 1, 64));
    });

    it.each([
      [64, "Notification"],
      [0x140, "Null"],
      [4, "Null"],
    ] as const)("a cap transfer's receive slot is a CNode-op address too: depth %s gives %s", (depth, arrived) => {
      const s = cspaceSystem(config, { others: ["other"] });
      const endpoint = s.create("Endpoint", "ep");
      s.give("t", 2, endpoint);
      s.give("other", 2, endpoint);
      s.give("other", 3, s.create("Notification", "gift"));
      if (config === "mcs") s.give("t", 6, s.create("Reply", "reply"));
      let got: Result | undefined;
      s.program("t", function* () {
        got = yield { ...sys.recv(2, config === "mcs" ? 6 : undefined), receiveSlot: [1, 9, depth] };
      });
      s.program("other", function* () {
        yield sys.send(2, 0, [], [3]);
      });
      s.run(["other", "t"]);
      expect(got!.extraCaps).toBe(arrived === "Null" ? 0 : 1);
      expect(s.slotCap("t", 9).type).toBe(arrived);
    });

    it("CPtr -1 (all 64 bits set) fails the 60-bit guard of a radix-4 root", () => {
      const s = cspaceSystem(config);
      const [r] = exec(s, ops.delete(1, -1, D));
      expect(outcome(r!)).toEqual(failed("seL4_FailedLookup", 0, seL4_GuardMismatch, 64, 0, 60));
    });

    it("a CPtr above 2^53 gets the answer for its 64-bit value, as a number or a bigint", () => {
      const s = cspaceSystem(config);
      const rs = exec(s, ops.delete(1, 2 ** 60, D), ops.delete(1, 1n << 60n, D), ops.delete(1, (1n << 60n) | 3n, D));
      for (const r of rs) expect(outcome(r)).toEqual(failed("seL4_FailedLookup", 0, seL4_GuardMismatch, 64, 0, 60));
    });
  });

  describe("two-level CSpace with guards, as CNode-operation errors", () => {
    it("an address through both guards reaches a second-level slot at depth 64", () => {
      const { s, l2 } = twoLevelSystem(config);
      const [r] = runAsF(s, [ops.copy(SVC, addr(20), D, SVC, addr(9), D, seL4_AllRights)]);
      expect(outcome(r!)).toEqual(OK);
      expect(viewCap(l2.slots[20]!.cap)).toMatchObject({ type: "Endpoint", object: "fault_ep" });
    });

    it("GuardMismatch reports the bits left, the CNode's own guard and its guard size (first level)", () => {
      const { s } = twoLevelSystem(config);
      const [r] = runAsF(s, [ops.delete(SVC, (0xbn << 60n) | (2n << 56n), D)]);
      expect(outcome(r!)).toEqual(failed("seL4_FailedLookup", 0, seL4_GuardMismatch, 64, ROOT_GUARD, 4));
    });

    it("GuardMismatch at the second level reports that level's guard with 56 bits left", () => {
      const { s } = twoLevelSystem(config);
      const [r] = runAsF(s, [ops.delete(SVC, addr(9, 0xabdn), D)]);
      expect(outcome(r!)).toEqual(failed("seL4_FailedLookup", 0, seL4_GuardMismatch, 56, L2_GUARD, 48));
    });

    it("DepthMismatch from resolving: a 56-bit level with only 52 bits left (depth 60)", () => {
      const { s } = twoLevelSystem(config);
      const index60 = (ROOT_GUARD << 56n) | (2n << 52n) | (L2_GUARD << 4n) | 1n;
      const [r] = runAsF(s, [ops.delete(SVC, index60, 60)]);
      expect(outcome(r!)).toEqual(failed("seL4_FailedLookup", 0, seL4_DepthMismatch, 52, 56));
    });

    it("DepthMismatch{bitsFound 0} when the walk stops early at a non-CNode cap with bits left", () => {
      const { s } = twoLevelSystem(config);
      const [r] = runAsF(s, [ops.delete(SVC, rootSlot(3), D)]);
      expect(outcome(r!)).toEqual(failed("seL4_FailedLookup", 0, seL4_DepthMismatch, 56, 0));
    });

    it("InvalidRoot when the source root is not a CNode (source flag 1, no extra words)", () => {
      const { s } = twoLevelSystem(config);
      const [r] = runAsF(s, [ops.copy(SVC, addr(20), D, rootSlot(3), 0, D, seL4_AllRights)]);
      expect(outcome(r!)).toEqual(failed("seL4_FailedLookup", 1, seL4_InvalidRoot));
    });

    it("MissingCapability with bitsLeft = the source depth when the source slot is empty", () => {
      const { s } = twoLevelSystem(config);
      const [r] = runAsF(s, [ops.copy(SVC, addr(20), D, SVC, addr(30), D, seL4_AllRights)]);
      expect(outcome(r!)).toEqual(failed("seL4_FailedLookup", 1, seL4_MissingCapability, 64));
    });

    it("a slot that holds a CNode cap is named by the depth that ends there (8 bits for root[2])", () => {
      const { s, l2 } = twoLevelSystem(config);
      const [viaDepth8] = runAsF(s, [ops.copy(SVC, addr(21), D, SVC, (ROOT_GUARD << 4n) | 2n, 8, seL4_AllRights)]);
      expect(outcome(viaDepth8!)).toEqual(OK);
      expect(viewCap(l2.slots[21]!.cap)).toEqual(cnodeCap("l2", L2_GUARD, 48));
    });

    it("a negative CPtr is its two's-complement word: the service cap at 2^64 - x", () => {
      const { s, l2 } = twoLevelSystem(config);
      const [r] = runAsF(s, [ops.copy(SVC - W64, addr(22) - W64, D, SVC - W64, addr(9) - W64, D, seL4_AllRights)]);
      expect(outcome(r!)).toEqual(OK);
      expect(viewCap(l2.slots[22]!.cap)).toMatchObject({ type: "Endpoint", object: "fault_ep" });
    });

    it("implicit lookups stop at a non-CNode cap and ignore the bits left: a negative number reaches root[5]", () => {
      const { s } = twoLevelSystem(config);
      // 0xA5 << 56 is 2^64 - 0x5B * 2^56: exactly representable as a double, negative or positive.
      const rs = runAsF(s, [
        sys.call(-(0x5b * 2 ** 56), 0),
        sys.call(0xa5 * 2 ** 56, 0),
        sys.call(rootSlot(5, 0xffffn), 0),
      ]);
      for (const r of rs) expect(outcome(r)).toEqual(OK); // a Call on a notification is a Signal: an empty success
    });
  });

  describe("two-level CSpace with guards, as cap faults", () => {
    const capFault = (cptr: bigint, recvPhase: boolean, ...lookupFailure: bigint[]) => [
      cptr,
      recvPhase ? 1n : 0n,
      ...lookupFailure,
    ];
    const GM1 = [BigInt(seL4_GuardMismatch), 64n, ROOT_GUARD, 4n];
    const GM2 = [BigInt(seL4_GuardMismatch), 56n, L2_GUARD, 48n];
    const DM = [BigInt(seL4_DepthMismatch), 56n, 58n];
    const MC = [BigInt(seL4_MissingCapability), 0n];
    const badRoot = (0xbn << 60n) | 7n,
      badL2 = addr(9, 0xabdn),
      tooDeep = rootSlot(4, 0x3fn),
      empty = addr(40);
    type Row = [string, string, (c: bigint) => SyscallRequest, bigint, bigint[], boolean];
    const rows: Row[] = [
      ["GuardMismatch (first level)", "Send", (c) => sys.send(c, 0), badRoot, GM1, false],
      ["GuardMismatch (second level)", "Send", (c) => sys.send(c, 0), badL2, GM2, false],
      ["GuardMismatch (second level)", "Call", (c) => sys.call(c, 0), badL2, GM2, false],
      ["GuardMismatch (second level)", "Recv", (c) => sys.recv(c), badL2, GM2, true],
      ["GuardMismatch for CPtr -1", "Send", (c) => sys.send(c, 0), W64 - 1n, GM1, false],
      ["DepthMismatch", "Send", (c) => sys.send(c, 0), tooDeep, DM, false],
      ["DepthMismatch", "Call", (c) => sys.call(c, 0), tooDeep, DM, false],
      ["DepthMismatch", "Recv", (c) => sys.recv(c), tooDeep, DM, true],
      ["MissingCapability (empty slot)", "Recv", (c) => sys.recv(c), empty, MC, true],
      ["MissingCapability (an endpoint cap without Read)", "Recv", (c) => sys.recv(c), addr(10), MC, true],
    ];
    it.each(rows)(
      "%s from %s: the handler reads IP, Addr, InRecvPhase and the lookup failure",
      (_, __, request, cptr, lf, recv) => {
        const t = twoLevelSystem(config);
        t.s.kernel.boot.insertCap(
          t.l2,
          10,
          t.s.kernel.boot.cap(t.s.create("Endpoint", "write_only"), { rights: 0b0001 }),
        );
        const { msg, ip } = faultMessage(t.s, "f", request(cptr));
        expect(msg.label).toBe(BigInt(faultLabel(config, "CapFault")));
        expect(msg.badge).toBe(FAULT_BADGE);
        expect(msg.mrs).toEqual([ip, ...capFault(cptr, recv, ...lf)]);
        expect(msg.length).toBe(3 + lf.length); // 4 + the lookup failure's own words
      },
    );

    it("InvalidRoot: a thread whose CSpace root is no CNode cannot resolve any CPtr", () => {
      const t = twoLevelSystem(config);
      const b = t.s.kernel.boot;
      const notACNode = b.cap(t.s.create("Endpoint", "not_a_cnode"));
      addThread(t.s, "g", notACNode, config === "mcs" ? b.cap(t.faultEP, { badge: FAULT_BADGE }) : 1n);
      if (config === "mcs") {
        const { msg, ip } = faultMessage(t.s, "g", sys.send(5, 0));
        expect(msg.mrs).toEqual([ip, 5n, 0n, BigInt(seL4_InvalidRoot)]);
        expect(msg.length).toBe(4);
      } else {
        // master looks the handler CPtr up in the same CSpace, which fails the same way: a double fault.
        t.s.program("g", function* () {
          yield sys.send(5, 0);
        });
        t.s.program("h", function* () {});
        const out = t.s.run(["g"]).split("\n");
        expect(out[0]).toMatch(/^<<seL4\(CPU 0\) \[handleInvocation .*\]: Invocation of invalid cap #5\.>>$/);
        expect(out.slice(1, 4)).toEqual([
          "Caught cap fault in send phase at address 0x1",
          "while trying to handle:",
          "cap fault in send phase at address 0x5",
        ]);
        expect(t.s.state("g")).toBe("inactive");
      }
    });
  });
});

describe("toWord: the boundary where numbers become 64-bit words", () => {
  it("negative integers are two's complement and integral doubles above 2^53 are taken exactly", () => {
    expect(toWord(-1)).toBe(W64 - 1n);
    expect(toWord(-(2 ** 63))).toBe(1n << 63n);
    expect(toWord(2 ** 60)).toBe(1n << 60n);
    expect(toWord(2 ** 64 - 2048)).toBe(W64 - 2048n); // the largest double below 2^64
    expect(toWord(-(1n << 63n))).toBe(1n << 63n);
    expect(toWord(W64 - 1n)).toBe(W64 - 1n);
  });

  it.each([
    ["NaN", NaN],
    ["a fraction", 1.5],
    ["Infinity", Infinity],
    ["-Infinity", -Infinity],
    ["2^64 as a number", 2 ** 64],
    ["2^64 as a bigint", W64],
    ["below -2^63 as a bigint", -(1n << 63n) - 1n],
    ["below -2^63 as a number", -(2 ** 64)],
    ["a string", "3" as unknown as number],
  ])("%s is a TypeError", (_, x) => {
    expect(() => toWord(x)).toThrow(TypeError);
  });

  it.each(CONFIGS)("a program passing NaN as a CPtr or MR stops with a TypeError (%s)", (config) => {
    const s = cspaceSystem(config);
    s.program("t", function* () {
      yield sys.call(NaN, 0);
    });
    expect(() => s.run(["t"])).toThrow(TypeError);
    const s2 = cspaceSystem(config);
    s2.program("t", function* () {
      yield sys.call(1, 0, [0.5]);
    });
    expect(() => s2.run(["t"])).toThrow(TypeError);
  });
});
