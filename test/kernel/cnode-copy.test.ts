// CNode Copy and Mint (decodeCNodeInvocation, src/object/cnode.c; deriveCap and updateCapData,
// src/object/objecttype.c): derived caps, rights that are only ever reduced,
// badges that can be set only on unbadged caps, CNode guard data, and every error path in the
// order decodeCNodeInvocation checks it.
import { describe, expect, it } from "vitest";
import { invocationLabels } from "../../src/abi/invocation.js";
import {
  seL4_AllRights,
  seL4_CanGrant,
  seL4_CanRead,
  seL4_CanWrite,
  seL4_GuardMismatch,
  seL4_InvalidRoot,
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

/** "t": 1 own CNode (radix 4, guard 0 of 60 bits), 2 endpoint, 3 notification, 4 CNode "other" (radix 3),
 *  5 a copy of the endpoint (so a full destination), 6 IRQControl; the rest empty. */
function copySystem(config: KernelConfig) {
  return capSystem(config, {
    2: ["Endpoint", "ep"],
    3: ["Notification", "ntfn"],
    4: ["CNode", "other", 3],
    5: ["Endpoint", "ep2"],
    6: ["IRQControl", "irq_control"],
  });
}

describe.each(CONFIGS)("CNode Copy and Mint on %s", (config) => {
  const ops = kernelOps(config);

  it("Copy puts a copy with the masked rights in the destination and leaves the source as it was", () => {
    const { s, slots } = copySystem(config);
    const [r] = exec(s, ops.copy(1, 9, D, 1, 2, D, seL4_ReadWrite));
    expect(outcome(r!)).toEqual(OK);
    expect(slots.view(9)).toEqual(ep("ep", seL4_ReadWrite));
    expect(slots.view(2)).toEqual(ep("ep", seL4_AllRights));
  });

  it("rights are only ever reduced: AllRights on a read-write copy stays read-write, unknown bits are dropped", () => {
    const { s, slots } = copySystem(config);
    const rs = exec(
      s,
      ops.copy(1, 9, D, 1, 2, D, seL4_ReadWrite),
      ops.copy(1, 10, D, 1, 9, D, seL4_AllRights),
      ops.copy(1, 11, D, 1, 9, D, 0xfff0n | BigInt(seL4_CanRead) | BigInt(seL4_CanGrant)),
    );
    for (const r of rs) expect(outcome(r)).toEqual(OK);
    expect(slots.view(10)).toEqual(ep("ep", seL4_ReadWrite));
    expect(slots.view(11)).toEqual(ep("ep", seL4_CanRead));
  });

  it("a notification cap keeps only Read and Write; CNode caps carry no rights to mask", () => {
    const { s, slots } = copySystem(config);
    const rs = exec(s, ops.copy(1, 9, D, 1, 3, D, seL4_AllRights), ops.copy(1, 10, D, 1, 4, D, 0));
    for (const r of rs) expect(outcome(r)).toEqual(OK);
    expect(slots.view(9)).toEqual(ntfn("ntfn", seL4_ReadWrite));
    expect(slots.view(10)).toEqual(cnodeCap("other", 0, 0));
  });

  it("Mint badges an unbadged endpoint cap and masks its rights", () => {
    const { s, slots } = copySystem(config);
    const [r] = exec(s, ops.mint(1, 9, D, 1, 2, D, seL4_CanWrite | seL4_CanGrant, 0x1234));
    expect(outcome(r!)).toEqual(OK);
    expect(slots.view(9)).toEqual(ep("ep", seL4_CanWrite | seL4_CanGrant, 0x1234));
  });

  it("badges are 64 bits wide: Mint with badge -1 stores all ones", () => {
    const { s, slots } = copySystem(config);
    const [r] = exec(s, ops.mint(1, 9, D, 1, 3, D, seL4_AllRights, -1));
    expect(outcome(r!)).toEqual(OK);
    expect(slots.view(9)).toEqual(ntfn("ntfn", seL4_ReadWrite, (1n << 64n) - 1n));
  });

  it("Mint with badge 0 from an unbadged cap succeeds and yields an unbadged copy", () => {
    const { s, slots } = copySystem(config);
    const [r] = exec(s, ops.mint(1, 9, D, 1, 2, D, seL4_AllRights, 0));
    expect(outcome(r!)).toEqual(OK);
    expect(slots.view(9)).toEqual(ep("ep"));
  });

  it.each([
    ["badge 0", 0],
    ["the same badge", 7],
    ["another badge", 8],
  ])("Mint from a badged cap is IllegalOperation with %s", (_, badge) => {
    const { s, slots } = copySystem(config);
    const [first, second] = exec(
      s,
      ops.mint(1, 9, D, 1, 2, D, seL4_AllRights, 7),
      ops.mint(1, 10, D, 1, 9, D, seL4_AllRights, badge),
    );
    expect(outcome(first!)).toEqual(OK);
    expect(outcome(second!)).toEqual(failed("seL4_IllegalOperation"));
    expect(slots.view(10)).toEqual(EMPTY);
    expect(s.sim.text).toContain("CNode Copy/Mint/Move/Mutate: Mutated cap would be invalid.");
  });

  it("Copy keeps a badge, so a badged cap is copied but never re-badged", () => {
    const { s, slots } = copySystem(config);
    const rs = exec(s, ops.mint(1, 9, D, 1, 2, D, seL4_AllRights, 7), ops.copy(1, 10, D, 1, 9, D, seL4_CanWrite));
    for (const r of rs) expect(outcome(r)).toEqual(OK);
    expect(slots.view(10)).toEqual(ep("ep", seL4_CanWrite, 7));
  });

  describe("Mint of a CNode cap takes the badge word as guard data (guard << 6 | guard size)", () => {
    it("sets the guard and its size; guard bits beyond the size are dropped", () => {
      const { s, slots } = copySystem(config);
      const rs = exec(
        s,
        ops.mint(1, 9, D, 1, 4, D, 0, guardData(5, 3)),
        ops.mint(1, 10, D, 1, 4, D, 0, guardData(0xff, 3)),
      );
      for (const r of rs) expect(outcome(r)).toEqual(OK);
      expect(slots.view(9)).toEqual(cnodeCap("other", 5, 3));
      expect(slots.view(10)).toEqual(cnodeCap("other", 7, 3));
    });

    it("badge 0 clears the guard of the copy", () => {
      const { s, slots } = copySystem(config);
      const [r] = exec(s, ops.mint(1, 9, D, 1, 1, D, seL4_AllRights, 0));
      expect(outcome(r!)).toEqual(OK);
      expect(slots.view(1)).toEqual(cnodeCap("cnode_t", 0, 60));
      expect(slots.view(9)).toEqual(cnodeCap("cnode_t", 0, 0));
    });

    it("guard size + radix may reach 64 but not exceed it (IllegalOperation)", () => {
      const { s, slots } = copySystem(config);
      const [fits, tooBig] = exec(
        s,
        ops.mint(1, 9, D, 1, 4, D, 0, guardData(0, 61)),
        ops.mint(1, 10, D, 1, 4, D, 0, guardData(0, 62)),
      );
      expect(outcome(fits!)).toEqual(OK);
      expect(slots.view(9)).toEqual(cnodeCap("other", 0, 61));
      expect(outcome(tooBig!)).toEqual(failed("seL4_IllegalOperation"));
      expect(slots.view(10)).toEqual(EMPTY);
    });

    it("the minted cap resolves with its new guard: 4 guard bits + 4 radix bits = depth 8", () => {
      const { s, slots } = copySystem(config);
      const [minted, viaGuard, wrongGuard] = exec(
        s,
        ops.mint(1, 9, D, 1, 1, D, 0, guardData(0x3, 4)),
        ops.copy(1, 10, D, 9, (0x3 << 4) | 2, 8, seL4_AllRights),
        ops.copy(1, 11, D, 9, (0x4 << 4) | 2, 8, seL4_AllRights),
      );
      expect(outcome(minted!)).toEqual(OK);
      expect(outcome(viaGuard!)).toEqual(OK);
      expect(slots.view(10)).toEqual(ep("ep"));
      expect(outcome(wrongGuard!)).toEqual(failed("seL4_FailedLookup", 1, seL4_GuardMismatch, 8, 3, 4));
    });
  });

  describe("errors, in the order the kernel checks them; nothing changes", () => {
    const labels = invocationLabels(config);
    const lastCNodeLabel = config === "mcs" ? "CNodeRotate" : "CNodeSaveCaller";
    const rows: [string, SyscallRequest, Outcome][] = [
      [
        "label 0 (InvalidInvocation) on a CNode cap",
        sys.call(1, 0, [9, D, 2, D, 0xf], [1]),
        failed("seL4_IllegalOperation"),
      ],
      [
        "the label before CNodeRevoke",
        sys.call(1, ops.label("CNodeRevoke") - 1, [9, D, 2, D, 0xf], [1]),
        failed("seL4_IllegalOperation"),
      ],
      [
        `the label after ${lastCNodeLabel} (${labels[ops.label(lastCNodeLabel) + 1]})`,
        sys.call(1, ops.label(lastCNodeLabel) + 1, [9, D, 2, D, 0xf], [1]),
        failed("seL4_IllegalOperation"),
      ],
      ["one MR", sys.call(1, ops.label("CNodeCopy"), [9]), failed("seL4_TruncatedMessage")],
      [
        "a bad destination with only the two target MRs (the target is looked up first)",
        sys.call(1, ops.label("CNodeCopy"), [2 ** 60, D]),
        failed("seL4_FailedLookup", 0, seL4_GuardMismatch, 64, 0, 60),
      ],
      [
        "three MRs, destination full",
        sys.call(1, ops.label("CNodeCopy"), [5, D, 2], [1]),
        failed("seL4_TruncatedMessage"),
      ],
      [
        "four MRs but no extra cap",
        sys.call(1, ops.label("CNodeCopy"), [9, D, 2, D, 0xf]),
        failed("seL4_TruncatedMessage"),
      ],
      [
        "a full destination and a bad source root (DeleteFirst comes first)",
        ops.copy(1, 5, D, 2, 2, D, 0xf),
        failed("seL4_DeleteFirst"),
      ],
      [
        "a source root that is not a CNode",
        ops.copy(1, 9, D, 2, 2, D, 0xf),
        failed("seL4_FailedLookup", 1, seL4_InvalidRoot),
      ],
      ["source depth 0", ops.copy(1, 9, D, 1, 2, 0, 0xf), failed("seL4_RangeError", 1, 64)],
      [
        "a source index above the radix",
        ops.copy(1, 9, D, 1, 16, D, 0xf),
        failed("seL4_FailedLookup", 1, seL4_GuardMismatch, 64, 0, 60),
      ],
      ["an empty source", ops.copy(1, 9, D, 1, 12, D, 0xf), failed("seL4_FailedLookup", 1, seL4_MissingCapability, 64)],
      [
        "an empty source and no rights word (the source is checked first)",
        sys.call(1, ops.label("CNodeCopy"), [9, D, 12, D], [1]),
        failed("seL4_FailedLookup", 1, seL4_MissingCapability, 64),
      ],
      [
        "a full source and no rights word",
        sys.call(1, ops.label("CNodeCopy"), [9, D, 2, D], [1]),
        failed("seL4_TruncatedMessage"),
      ],
      [
        "Mint without a badge word",
        sys.call(1, ops.label("CNodeMint"), [9, D, 2, D, 0xf], [1]),
        failed("seL4_TruncatedMessage"),
      ],
      [
        "Copy of an IRQControl cap (deriveCap gives the null cap)",
        ops.copy(1, 9, D, 1, 6, D, 0xf),
        failed("seL4_IllegalOperation"),
      ],
    ];
    it.each(rows)("%s", (_, request, expected) => expectRejected(copySystem(config).s, request, expected));

    it("DeleteFirst prints the kernel's userError line", () => {
      const { s } = copySystem(config);
      exec(s, ops.copy(1, 5, D, 1, 2, D, seL4_AllRights));
      expect(s.sim.text).toMatch(
        /^<<seL4\(CPU 0\) \[\w+ T0x[0-9a-f]+ "tcb_t" @[0-9a-f]+\]: CNode Copy\/Mint\/Move\/Mutate: Destination not empty\.>>\n$/,
      );
    });
  });

  it("invoked with seL4_Send the operation is performed, and its error is dropped without a reply", () => {
    const { s, slots } = copySystem(config);
    const log: string[] = [];
    s.program("t", function* () {
      yield { ...ops.copy(1, 9, D, 1, 2, D, seL4_AllRights), name: "Send" };
      log.push("copied");
      yield { ...ops.copy(1, 9, D, 1, 2, D, seL4_AllRights), name: "Send" }; // DeleteFirst, not reported
      log.push("carried on");
    });
    s.run(["t"]);
    expect(log).toEqual(["copied", "carried on"]);
    expect(slots.view(9)).toEqual(ep("ep"));
  });
});
