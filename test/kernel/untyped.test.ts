// seL4_Untyped_Retype (decodeUntypedInvocation, src/object/untyped.c; errors.h and the object sizes
// of libsel4 constants.h): every error in the order the
// kernel checks it, with its detail words; memory accounting (alignment, the free index, reset
// once nothing is derived from the untyped, a copied untyped cap leaving its source full); and
// retyped objects that work.
import { describe, expect, it } from "vitest";
import {
  objectTypeList,
  objectTypeNumber,
  seL4_AllRights,
  seL4_GuardMismatch,
  seL4_InvalidRoot,
  seL4_MissingCapability,
  type KernelConfig,
  type ObjectTypeName,
} from "../../src/abi/constants.js";
import type { UntypedObj } from "../../src/kernel/index.js";
import { sys, type SyscallRequest } from "../support/in-process.js";
import {
  CONFIGS,
  capSystem,
  cspaceSystem,
  D,
  EMPTY,
  exec,
  execAs,
  expectRejected,
  failed,
  kernelOps,
  OK,
  outcome,
  threadNamed,
  type Outcome,
} from "./cspace-helpers.js";
import { TestSystem } from "./fixtures.js";

/** "t": 1 own CNode (radix 4), 2 a 4 KiB untyped "ut", 3 an endpoint, 4 CNode "dest" (radix 2, no guard). */
function untypedSystem(config: KernelConfig, utBits = 12) {
  const { s, slots } = capSystem(config, {
    2: ["Untyped", "ut", utBits],
    3: ["Endpoint", "ep"],
    4: ["CNode", "dest", 2],
  });
  return { s, slots, ut: s.kernel.state.objects.find((o) => o.name === "ut") as UntypedObj };
}

/** The byte offset of the object named by the cap in `slot` inside the untyped region. */
function offsetIn(s: TestSystem, ut: UntypedObj, slot: number): number {
  const cap = s.slotCap("t", slot);
  if (cap.type === "Null" || cap.type === "Reply") throw new Error(`slot ${slot} is empty`);
  return cap.obj.paddr - ut.paddr;
}

describe.each(CONFIGS)("seL4_Untyped_Retype on %s", (config) => {
  const ops = kernelOps(config);
  const T = (type: ObjectTypeName) => objectTypeNumber(config, type);
  /** Retype from slot 2 into t's own CNode (depth 0: the root itself) at `offset`. */
  const retype = (
    type: ObjectTypeName | number,
    sizeBits: number | bigint,
    offset: number | bigint,
    num: number | bigint = 1,
  ) => ops.retype(2, typeof type === "number" ? type : T(type), sizeBits, 1, 0, 0, offset, num);

  describe("errors, in the order the kernel checks them; nothing changes", () => {
    const typeCount = objectTypeList(config).length;
    const rows: [string, SyscallRequest, Outcome][] = [
      [
        "another label on an untyped cap",
        sys.call(2, ops.label("CNodeCopy"), [T("Endpoint"), 0, 0, 0, 8, 1], [1]),
        failed("seL4_IllegalOperation"),
      ],
      [
        "five MRs",
        sys.call(2, ops.label("UntypedRetype"), [T("Endpoint"), 0, 0, 0, 8], [1]),
        failed("seL4_TruncatedMessage"),
      ],
      [
        "no destination root cap",
        sys.call(2, ops.label("UntypedRetype"), [T("Endpoint"), 0, 0, 0, 8, 1]),
        failed("seL4_TruncatedMessage"),
      ],
      [`object type ${typeCount} (one past the last)`, retype(typeCount, 0, 8), failed("seL4_InvalidArgument", 0)],
      ["object type -1", ops.retype(2, -1, 0, 1, 0, 0, 8, 1), failed("seL4_InvalidArgument", 0)],
      ["size_bits 64, even for a fixed-size endpoint", retype("Endpoint", 64, 8), failed("seL4_RangeError", 0, 47)],
      ["a CNode of radix 43 (2^48 bytes)", retype("CNode", 43, 8), failed("seL4_RangeError", 0, 47)],
      ["an untyped of 2^48 bytes", retype("Untyped", 48, 8), failed("seL4_RangeError", 0, 47)],
      ["a CNode of radix 0", retype("CNode", 0, 8), failed("seL4_InvalidArgument", 1)],
      ["an untyped of 2^3 bytes", retype("Untyped", 3, 8), failed("seL4_InvalidArgument", 1)],
      [
        "a destination root that is no CNode, depth 0",
        ops.retype(2, T("Endpoint"), 0, 3, 0, 0, 8, 1),
        failed("seL4_FailedLookup", 0, seL4_MissingCapability, 0),
      ],
      [
        "a destination root that is no CNode, depth 64",
        ops.retype(2, T("Endpoint"), 0, 3, 0, D, 8, 1),
        failed("seL4_FailedLookup", 0, seL4_InvalidRoot),
      ],
      [
        "a destination slot holding an endpoint",
        ops.retype(2, T("Endpoint"), 0, 1, 3, D, 0, 1),
        failed("seL4_FailedLookup", 0, seL4_MissingCapability, 64),
      ],
      [
        "a destination index beyond the radix",
        ops.retype(2, T("Endpoint"), 0, 1, 16, D, 0, 1),
        failed("seL4_FailedLookup", 0, seL4_GuardMismatch, 64, 0, 60),
      ],
      ["destination depth 65", ops.retype(2, T("Endpoint"), 0, 1, 4, 65, 0, 1), failed("seL4_RangeError", 1, 64)],
      ["offset 16 in a 16-slot CNode", retype("Endpoint", 0, 16), failed("seL4_RangeError", 0, 15)],
      [
        "offset 16 and zero objects (the offset is checked first)",
        retype("Endpoint", 0, 16, 0),
        failed("seL4_RangeError", 0, 15),
      ],
      ["zero objects", retype("Endpoint", 0, 8, 0), failed("seL4_RangeError", 1, 256)],
      ["257 objects", retype("Endpoint", 0, 8, 257), failed("seL4_RangeError", 1, 256)],
      ["3 objects at offset 14 of 16", retype("Endpoint", 0, 14, 3), failed("seL4_RangeError", 1, 2)],
      ["a window over a full slot", retype("Endpoint", 0, 2, 2), failed("seL4_DeleteFirst")],
      [
        "two 4 KiB frames from 4 KiB (MR0 = the bytes available)",
        retype("Frame4K", 0, 8, 2),
        failed("seL4_NotEnoughMemory", 4096),
      ],
      ["an object larger than the untyped", retype("Untyped", 13, 8), failed("seL4_NotEnoughMemory", 4096)],
      ...(config === "mcs"
        ? [
            ["a scheduling context of 2^6 bytes", retype("SchedContext", 6, 8), failed("seL4_InvalidArgument", 1)] as [
              string,
              SyscallRequest,
              Outcome,
            ],
          ]
        : []),
    ];
    it.each(rows)("%s", (_, request, expected) => expectRejected(untypedSystem(config).s, request, expected));
  });

  it("creates `num` objects with fresh caps (all rights, badge 0) in the window", () => {
    const { s, slots } = untypedSystem(config);
    const [r] = exec(s, retype("Endpoint", 0, 8, 3));
    expect(outcome(r!)).toEqual(OK);
    for (const i of [8, 9, 10])
      expect(slots.view(i)).toMatchObject({ type: "Endpoint", badge: 0n, rights: seL4_AllRights });
    expect(slots.view(11)).toEqual(EMPTY);
  });

  it("puts the caps into the CNode named by (index, depth) when the depth is not 0", () => {
    const { s } = untypedSystem(config);
    const [r] = exec(s, ops.retype(2, T("Notification"), 0, 1, 4, D, 1, 3));
    expect(outcome(r!)).toEqual(OK);
    const dest = s.kernel.state.objects.find((o) => o.name === "dest") as { slots: { cap: { type: string } }[] };
    expect(dest.slots.map((c) => c.cap.type)).toEqual(["Null", "Notification", "Notification", "Notification"]);
  });

  it("a retyped endpoint carries messages: a badged copy in another thread's CSpace reaches t", () => {
    const s = cspaceSystem(config, { others: ["other"] });
    s.give("t", 2, s.create("Untyped", "ut", 12));
    s.giveCNode("t", 5, "other");
    if (config === "mcs") s.give("t", 6, s.create("Reply", "reply"));
    const log: string[] = [];
    s.program("t", function* () {
      expect(outcome(yield retype("Endpoint", 0, 8))).toEqual(OK);
      expect(outcome(yield ops.mint(5, 2, D, 1, 8, D, seL4_AllRights, 3))).toEqual(OK);
      const m = yield sys.recv(8, config === "mcs" ? 6 : undefined);
      log.push(`t received badge ${m.badge} label ${m.label} mr0 ${m.mrs[0]}`);
    });
    s.program("other", function* () {
      yield sys.send(2, 0x21, [99]);
    });
    s.run(["other", "t"]);
    expect(log).toEqual(["t received badge 3 label 33 mr0 99"]);
  });

  it("a retyped TCB is Inactive at priority 0, named after its creator: child of: '<creator>'", () => {
    const { s } = untypedSystem(config);
    const [r] = exec(s, retype("TCB", 0, 8));
    expect(outcome(r!)).toEqual(OK);
    const child = threadNamed(s, "child of: 'tcb_t'");
    expect(child).toBeDefined();
    expect(s.kernel.describeThread(child!)).toMatchObject({ state: "inactive", priority: 0 });
  });

  it("the debug name is cut to TCB_NAME_LENGTH - 1 = 847 bytes, as strlcat leaves it", () => {
    const creator = "c".repeat(900);
    const s = new TestSystem(config, [{ name: creator }]);
    s.giveCNode(creator, 1, creator);
    s.give(creator, 2, s.create("Untyped", "ut", 12));
    const [r] = execAs(s, creator, retype("TCB", 0, 8));
    expect(outcome(r!)).toEqual(OK);
    const expected = `child of: 'tcb_${creator}'`.slice(0, 847);
    expect(threadNamed(s, expected)).toBeDefined();
  });

  describe("memory", () => {
    it("objects are aligned to their size; NotEnoughMemory counts from the free index", () => {
      const { s, ut } = untypedSystem(config, 8); // 256 bytes
      const [endpoint, cnode, tooMany, fits, full] = exec(
        s,
        retype("Endpoint", 0, 8), // 16 bytes at 0
        retype("CNode", 1, 9), // 64 bytes, aligned up to 64
        retype("CNode", 1, 10, 3), // 3 x 64 with 128 left
        retype("CNode", 1, 10, 2),
        retype("Endpoint", 0, 12),
      );
      expect([endpoint, cnode, fits].map((r) => outcome(r!))).toEqual([OK, OK, OK]);
      expect(outcome(tooMany!)).toEqual(failed("seL4_NotEnoughMemory", 128));
      expect(outcome(full!)).toEqual(failed("seL4_NotEnoughMemory", 0));
      expect([8, 9, 10, 11].map((i) => offsetIn(s, ut, i))).toEqual([0, 64, 128, 192]);
    });

    it("Revoke removes every object and every copy of their caps; the untyped is then reset and whole again", () => {
      const { s, slots } = untypedSystem(config);
      const rs = exec(
        s,
        retype("Frame4K", 0, 8),
        ops.copy(1, 12, D, 1, 8, D, seL4_AllRights),
        ops.revoke(1, 2, D),
        retype("Frame4K", 0, 9),
      );
      expect(rs.map(outcome)).toEqual([OK, OK, OK, OK]);
      expect(slots.view(8)).toEqual(EMPTY);
      expect(slots.view(12)).toEqual(EMPTY);
      expect(slots.view(9)).toMatchObject({ type: "Frame" });
    });

    it("deleting the objects' caps one by one also resets it", () => {
      const { s } = untypedSystem(config);
      const rs = exec(s, retype("Frame4K", 0, 8), ops.delete(1, 8, D), retype("Frame4K", 0, 9));
      expect(rs.map(outcome)).toEqual([OK, OK, OK]);
    });

    it("an untyped with children cannot be copied: RevokeFirst", () => {
      const { s, slots } = untypedSystem(config);
      const [made, copy] = exec(s, retype("Endpoint", 0, 8), ops.copy(1, 9, D, 1, 2, D, seL4_AllRights));
      expect(outcome(made!)).toEqual(OK);
      expect(outcome(copy!)).toEqual(failed("seL4_RevokeFirst"));
      expect(slots.view(9)).toEqual(EMPTY);
    });

    it("copying a childless untyped cap leaves the source full: only the copy can retype until the source is revoked", () => {
      const { s } = untypedSystem(config);
      const rs = exec(
        s,
        ops.copy(1, 9, D, 1, 2, D, seL4_AllRights),
        retype("Endpoint", 0, 10), // through the source: nothing left
        ops.retype(9, T("Frame4K"), 0, 1, 0, 0, 11, 1), // the copy has the whole 4 KiB
        ops.delete(1, 9, D),
        retype("Endpoint", 0, 10), // the frame still derives from the source
        ops.revoke(1, 2, D),
        retype("Frame4K", 0, 12),
      );
      expect(rs.map(outcome)).toEqual([
        OK,
        failed("seL4_NotEnoughMemory", 0),
        OK,
        OK,
        failed("seL4_NotEnoughMemory", 0),
        OK,
        OK,
      ]);
    });

    it("a child untyped is carved out and can itself be retyped", () => {
      const { s, ut } = untypedSystem(config);
      const rs = exec(
        s,
        retype("Untyped", 10, 8, 2),
        ops.retype(9, T("Notification"), 0, 1, 0, 0, 12, 1),
        retype("Untyped", 11, 10),
      );
      expect(rs.map(outcome)).toEqual([OK, OK, OK]);
      expect([8, 9, 10].map((i) => offsetIn(s, ut, i))).toEqual([0, 1024, 2048]);
      expect(offsetIn(s, ut, 12)).toBe(1024);
    });

    it("device untyped: frames and untyped only; kernel objects are InvalidArgument 1", () => {
      const { s, ut, slots } = untypedSystem(config);
      ut.isDevice = true;
      const rs = exec(s, retype("Endpoint", 0, 8), retype("TCB", 0, 8), retype("Frame4K", 0, 8));
      expect(rs.map(outcome)).toEqual([failed("seL4_InvalidArgument", 1), failed("seL4_InvalidArgument", 1), OK]);
      expect(slots.view(8)).toMatchObject({ type: "Frame" });
      expect((s.slotCap("t", 8) as { obj: { isDevice: boolean } }).obj.isDevice).toBe(true);
    });
  });

  if (config === "mcs") {
    it("MCS objects: a scheduling context of 2^7 bytes and a reply object that can grant", () => {
      const { s, slots } = untypedSystem(config);
      const rs = exec(s, retype("SchedContext", 7, 8), retype("Reply", 0, 9));
      expect(rs.map(outcome)).toEqual([OK, OK]);
      expect(slots.view(8)).toMatchObject({ type: "SchedContext" });
      expect(slots.view(9)).toMatchObject({ type: "ReplyObject", canGrant: true });
    });
  }
});
