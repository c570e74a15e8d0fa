// CNode Move, Mutate and Rotate (decodeCNodeInvocation, src/object/cnode.c; updateCapData,
// src/object/objecttype.c): caps and their derivation-tree places
// move; Mutate and Rotate update cap data with preserve = true, so they never badge an endpoint
// or notification; moving a cap onto its own slot; Rotate's check order.
import { describe, expect, it } from "vitest";
import {
  seL4_AllRights,
  seL4_InvalidRoot,
  seL4_GuardMismatch,
  seL4_MissingCapability,
  seL4_ReadWrite,
  type KernelConfig,
} from "../../src/abi/constants.js";
import { sys, type SyscallRequest } from "../support/in-process.js";
import {
  CONFIGS,
  capSystem,
  cnodeCap,
  D,
  EMPTY,
  ep,
  exec,
  expectRejected,
  failed,
  guardData,
  kernelOps,
  ntfn,
  OK,
  outcome,
  type Outcome,
} from "./cspace-helpers.js";

/** "t": 1 own CNode, 2 endpoint, 3 notification, 4 CNode "a" and 5 CNode "b" (radix 2), 6 a TCB cap, 7 another TCB cap. */
function moveSystem(config: KernelConfig) {
  return capSystem(config, {
    2: ["Endpoint", "ep"],
    3: ["Notification", "ntfn"],
    4: ["CNode", "a", 2],
    5: ["CNode", "b", 2],
    6: ["TCB", "x"],
    7: ["TCB", "y"],
  });
}

describe.each(CONFIGS)("CNode Move, Mutate and Rotate on %s", (config) => {
  const ops = kernelOps(config);

  describe("Move", () => {
    it("moves the cap with its rights and badge; the source slot becomes empty", () => {
      const { s, slots } = moveSystem(config);
      const rs = exec(s, ops.mint(1, 9, D, 1, 2, D, seL4_ReadWrite, 5), ops.move(1, 10, D, 1, 9, D));
      for (const r of rs) expect(outcome(r)).toEqual(OK);
      expect(slots.view(9)).toEqual(EMPTY);
      expect(slots.view(10)).toEqual(ep("ep", seL4_ReadWrite, 5));
    });

    it("the moved cap keeps its place in the derivation tree: revoking the original removes it", () => {
      const { s, slots } = moveSystem(config);
      const rs = exec(s, ops.copy(1, 9, D, 1, 2, D, seL4_AllRights), ops.move(1, 10, D, 1, 9, D), ops.revoke(1, 2, D));
      for (const r of rs) expect(outcome(r)).toEqual(OK);
      expect(slots.view(10)).toEqual(EMPTY);
      expect(slots.view(2)).toEqual(ep("ep"));
    });

    it("moving a cap onto its own slot: DeleteFirst when it is full, FailedLookup (source, MissingCapability) when empty", () => {
      const { s, slots } = moveSystem(config);
      const [full, empty] = exec(s, ops.move(1, 2, D, 1, 2, D), ops.move(1, 12, D, 1, 12, D));
      expect(outcome(full!)).toEqual(failed("seL4_DeleteFirst"));
      expect(outcome(empty!)).toEqual(failed("seL4_FailedLookup", 1, seL4_MissingCapability, 64));
      expect(slots.view(2)).toEqual(ep("ep"));
    });
  });

  describe("Mutate", () => {
    it.each([
      ["an unbadged endpoint cap, badge 5", 2, 5],
      ["an unbadged endpoint cap, badge 0", 2, 0],
      ["an unbadged notification cap, badge 5", 3, 5],
      ["a badged endpoint cap, badge 0", 9, 0],
    ])("is IllegalOperation on %s: only Mint badges (the kernel, not the IPC tutorial)", (_, src, badge) => {
      const { s, slots } = moveSystem(config);
      const [minted, r] = exec(
        s,
        ops.mint(1, 9, D, 1, 2, D, seL4_AllRights, 7),
        ops.mutate(1, 10, D, 1, src, D, badge),
      );
      expect(outcome(minted!)).toEqual(OK);
      expect(outcome(r!)).toEqual(failed("seL4_IllegalOperation"));
      expect(slots.view(10)).toEqual(EMPTY);
      expect(slots.view(src)).not.toEqual(EMPTY);
    });

    it("moves a CNode cap with new guard data, and refuses guard size + radix > 64", () => {
      const { s, slots } = moveSystem(config);
      const [tooBig, r] = exec(
        s,
        ops.mutate(1, 9, D, 1, 4, D, guardData(0, 63)),
        ops.mutate(1, 9, D, 1, 4, D, guardData(1, 2)),
      );
      expect(outcome(tooBig!)).toEqual(failed("seL4_IllegalOperation"));
      expect(outcome(r!)).toEqual(OK);
      expect(slots.view(9)).toEqual(cnodeCap("a", 1, 2));
      expect(slots.view(4)).toEqual(EMPTY);
    });

    it("moves a cap without cap data (a TCB cap) unchanged", () => {
      const { s, slots } = moveSystem(config);
      const [r] = exec(s, ops.mutate(1, 9, D, 1, 6, D, 0xdead));
      expect(outcome(r!)).toEqual(OK);
      expect(slots.view(9)).toEqual({ type: "Thread", object: "x" });
      expect(slots.view(6)).toEqual(EMPTY);
    });

    it("without its data word: FailedLookup for an empty source, TruncatedMessage for a full one", () => {
      const { s } = moveSystem(config);
      const [empty, full] = exec(
        s,
        sys.call(1, ops.label("CNodeMutate"), [9, D, 12, D], [1]),
        sys.call(1, ops.label("CNodeMutate"), [9, D, 4, D], [1]),
      );
      expect(outcome(empty!)).toEqual(failed("seL4_FailedLookup", 1, seL4_MissingCapability, 64));
      expect(outcome(full!)).toEqual(failed("seL4_TruncatedMessage"));
    });
  });

  describe("Rotate", () => {
    it("pivot -> dest with dest_badge, source -> pivot with pivot_badge", () => {
      const { s, slots } = moveSystem(config);
      const [r] = exec(s, ops.rotate(1, 9, D, guardData(1, 2), 1, 5, D, guardData(2, 2), 1, 4, D));
      expect(outcome(r!)).toEqual(OK);
      expect(slots.view(9)).toEqual(cnodeCap("b", 1, 2));
      expect(slots.view(5)).toEqual(cnodeCap("a", 2, 2));
      expect(slots.view(4)).toEqual(EMPTY);
    });

    it("with source == destination the two caps are swapped (data ignored for TCB caps)", () => {
      const { s, slots } = moveSystem(config);
      const [r] = exec(s, ops.rotate(1, 6, D, 0x11, 1, 7, D, 0x22, 1, 6, D));
      expect(outcome(r!)).toEqual(OK);
      expect(slots.view(6)).toEqual({ type: "Thread", object: "y" });
      expect(slots.view(7)).toEqual({ type: "Thread", object: "x" });
    });

    it.each([
      ["source", 2, 5, "Source"],
      ["pivot", 4, 2, "Pivot"],
      ["source (notification)", 3, 5, "Source"],
    ])("an endpoint or notification %s cap is IllegalOperation, even with data 0", (_, src, pivot, which) => {
      const { s, slots } = moveSystem(config);
      const before = slots.all();
      const [r] = exec(s, ops.rotate(1, 9, D, 0, 1, pivot, D, 0, 1, src, D));
      expect(outcome(r!)).toEqual(failed("seL4_IllegalOperation"));
      expect(slots.all()).toEqual(before);
      expect(s.sim.text).toContain(`CNode Rotate: ${which} cap invalid.`);
    });

    it("swapping a cap with its own copy keeps the tree: revoking the original, wherever it now is, removes the copy", () => {
      for (const [dest, pivot] of [
        [4, 9],
        [9, 4],
      ] as const) {
        const { s, slots } = moveSystem(config);
        const rs = exec(s, ops.copy(1, 9, D, 1, 4, D, 0), ops.rotate(1, dest, D, 0, 1, pivot, D, 0, 1, dest, D));
        for (const r of rs) expect(outcome(r)).toEqual(OK);
        // The original CNode cap (guard 0, size 0) now sits in 9 and its copy in 4; both name "a".
        const [noop, revoked] = exec(s, ops.revoke(1, 4, D), ops.revoke(1, 9, D));
        expect(outcome(noop!)).toEqual(OK);
        expect(outcome(revoked!)).toEqual(OK);
        expect(slots.view(9)).toEqual(cnodeCap("a", 0, 0));
        expect(slots.view(4)).toEqual(EMPTY);
      }
    });

    describe("errors, in the order the kernel checks them; nothing changes", () => {
      const rotate = (...a: Parameters<typeof ops.rotate>) => ops.rotate(...a);
      const rows: [string, SyscallRequest, Outcome][] = [
        [
          "a bad destination, with only the target MRs",
          sys.call(1, ops.label("CNodeRotate"), [16, D]),
          failed("seL4_FailedLookup", 0, seL4_GuardMismatch, 64, 0, 60),
        ],
        [
          "seven MRs",
          sys.call(1, ops.label("CNodeRotate"), [9, D, 0, 5, D, 0, 4], [1, 1]),
          failed("seL4_TruncatedMessage"),
        ],
        [
          "one extra cap",
          sys.call(1, ops.label("CNodeRotate"), [9, D, 0, 5, D, 0, 4, D], [1]),
          failed("seL4_TruncatedMessage"),
        ],
        [
          "a bad source index and a bad pivot root (the source is looked up first)",
          rotate(1, 9, D, 0, 2, 5, D, 0, 1, 16, D),
          failed("seL4_FailedLookup", 1, seL4_GuardMismatch, 64, 0, 60),
        ],
        [
          "a pivot root that is not a CNode (reported as a source)",
          rotate(1, 9, D, 0, 2, 5, D, 0, 1, 4, D),
          failed("seL4_FailedLookup", 1, seL4_InvalidRoot),
        ],
        ["pivot == source", rotate(1, 9, D, 0, 1, 4, D, 0, 1, 4, D), failed("seL4_IllegalOperation")],
        [
          "pivot == destination, destination full",
          rotate(1, 5, D, 0, 1, 5, D, 0, 1, 4, D),
          failed("seL4_IllegalOperation"),
        ],
        ["a full destination", rotate(1, 6, D, 0, 1, 5, D, 0, 1, 4, D), failed("seL4_DeleteFirst")],
        [
          "a full destination and an empty source",
          rotate(1, 6, D, 0, 1, 5, D, 0, 1, 12, D),
          failed("seL4_DeleteFirst"),
        ],
        [
          "an empty source",
          rotate(1, 9, D, 0, 1, 5, D, 0, 1, 12, D),
          failed("seL4_FailedLookup", 1, seL4_MissingCapability, 64),
        ],
        [
          "an empty pivot (reported with the destination flag)",
          rotate(1, 9, D, 0, 1, 12, D, 0, 1, 4, D),
          failed("seL4_FailedLookup", 0, seL4_MissingCapability, 64),
        ],
        [
          "an empty pivot and an endpoint source (emptiness first)",
          rotate(1, 9, D, 0, 1, 12, D, 0, 1, 2, D),
          failed("seL4_FailedLookup", 0, seL4_MissingCapability, 64),
        ],
      ];
      it.each(rows)("%s", (_, request, expected) => expectRejected(moveSystem(config).s, request, expected));

      it("Rotate's truncation, lookup and DeleteFirst errors print no userError line", () => {
        const { s } = moveSystem(config);
        exec(s, ...rows.slice(1, 5).map(([, r]) => r), rows[7]![1], rows[9]![1]);
        expect(s.sim.text).toBe("");
      });
    });
  });

  it("notification caps move like endpoint caps (Move does not touch cap data)", () => {
    const { s, slots } = moveSystem(config);
    const rs = exec(s, ops.mint(1, 9, D, 1, 3, D, seL4_AllRights, 3), ops.move(1, 10, D, 1, 9, D));
    for (const r of rs) expect(outcome(r)).toEqual(OK);
    expect(slots.view(10)).toEqual(ntfn("ntfn", seL4_ReadWrite, 3));
  });
});
