// sel4test's CNode tests (apps/sel4test-tests/src/tests/cnodeops.c), on both kernels. Thread "t"
// has its CNode at slot 1 (radix 4, depth 64); get_cap() is a fresh TCB cap, get_free_slot() an
// empty slot. are_tcbs_distinct(a, b) == 0 is "both slots name the same TCB".
import { describe, expect, it } from "vitest";
import { seL4_AllRights } from "../../../src/abi/constants.js";
import { CONFIGS, D, capSystem, exec, kernelOps, outcome, type SlotLayout } from "../cspace-helpers.js";

/** Slots 2..7 hold TCB caps (tcb2..tcb7); 8..15 are free. */
const layout: SlotLayout = Object.fromEntries([2, 3, 4, 5, 6, 7].map((i) => [i, ["TCB", `tcb${i}`]]));
const FREE = [8, 9, 10, 11, 12, 13, 14, 15] as const;

describe.each(CONFIGS)("sel4test cnodeops.c on %s", (config) => {
  const ops = kernelOps(config);
  const setup = () => {
    const { s, slots } = capSystem(config, layout);
    const empty = (slot: number) => slots.view(slot).type === "Null";
    const tcbIn = (slot: number) => {
      const v = slots.view(slot);
      return "object" in v ? v.object : null;
    };
    return { s, empty, tcbIn };
  };
  const errors = (rs: { label: bigint; mrs: bigint[] }[]) => rs.map((r) => outcome(r as never).error);

  it("CNODEOP0001: basic seL4_CNode_Copy() testing", () => {
    const { s, empty, tcbIn } = setup();
    const rs = exec(
      s,
      ops.copy(1, FREE[0], D, 1, 2, D, seL4_AllRights),
      ops.copy(1, 4, D, 1, 3, D, seL4_AllRights),
      ops.copy(1, 4, D, 1, FREE[1], D, seL4_AllRights),
      ops.copy(1, FREE[2], D, 1, FREE[1], D, seL4_AllRights),
    );
    expect(errors(rs)).toEqual(["seL4_NoError", "seL4_DeleteFirst", "seL4_DeleteFirst", "seL4_FailedLookup"]);
    expect(tcbIn(FREE[0])).toBe(tcbIn(2));
    expect(empty(FREE[2])).toBe(true);
  });

  it("CNODEOP0002: basic seL4_CNode_Delete() testing", () => {
    const { s, empty } = setup();
    const rs = exec(s, ops.delete(1, 2, D), ops.delete(1, FREE[0], D));
    expect(errors(rs)).toEqual(["seL4_NoError", "seL4_NoError"]);
    expect([empty(2), empty(FREE[0])]).toEqual([true, true]);
  });

  it("CNODEOP0003: basic seL4_CNode_Mint() testing", () => {
    const { s, tcbIn } = setup();
    const rs = exec(
      s,
      ops.mint(1, FREE[0], D, 1, 2, D, seL4_AllRights, 0),
      ops.mint(1, 4, D, 1, 3, D, seL4_AllRights, 0),
      ops.mint(1, FREE[2], D, 1, FREE[1], D, seL4_AllRights, 0),
    );
    expect(errors(rs)).toEqual(["seL4_NoError", "seL4_DeleteFirst", "seL4_FailedLookup"]);
    expect(tcbIn(FREE[0])).toBe(tcbIn(2));
  });

  it("CNODEOP0004: basic seL4_CNode_Move() testing", () => {
    const { s, empty } = setup();
    const rs = exec(
      s,
      ops.move(1, FREE[0], D, 1, 2, D),
      ops.move(1, FREE[2], D, 1, FREE[1], D),
      ops.move(1, 4, D, 1, 3, D),
    );
    expect(errors(rs)).toEqual(["seL4_NoError", "seL4_FailedLookup", "seL4_DeleteFirst"]);
    expect([empty(2), empty(FREE[0]), empty(FREE[2]), empty(3), empty(4)]).toEqual([true, false, true, false, false]);
  });

  it("CNODEOP0005: basic seL4_CNode_Mutate() testing", () => {
    const { s, empty } = setup();
    const rs = exec(
      s,
      ops.mutate(1, FREE[0], D, 1, 2, D, 0),
      ops.mutate(1, 4, D, 1, 3, D, 0),
      ops.mutate(1, FREE[2], D, 1, FREE[1], D, 0),
    );
    expect(errors(rs)).toEqual(["seL4_NoError", "seL4_DeleteFirst", "seL4_FailedLookup"]);
    expect([empty(2), empty(FREE[0]), empty(3), empty(4), empty(FREE[1]), empty(FREE[2])]).toEqual([
      true,
      false,
      false,
      false,
      true,
      true,
    ]);
  });

  it("CNODEOP0006: basic seL4_CNode_CancelBadgedSends() testing", () => {
    const { s, slots } = capSystem(config, { 2: ["Endpoint", "ep"] });
    const rs = exec(s, ops.cancelBadgedSends(1, 2, D), ops.cancelBadgedSends(1, FREE[0], D));
    expect(errors(rs)).toEqual(["seL4_NoError", "seL4_IllegalOperation"]);
    expect([slots.view(2).type, slots.view(FREE[0]).type]).toEqual(["Endpoint", "Null"]);
  });

  it("CNODEOP0007: basic seL4_CNode_Revoke() testing", () => {
    const { s, empty } = setup();
    const rs = exec(s, ops.revoke(1, 2, D), ops.revoke(1, FREE[0], D));
    expect(errors(rs)).toEqual(["seL4_NoError", "seL4_NoError"]);
    expect([empty(2), empty(FREE[0])]).toEqual([false, true]);
  });

  it("CNODEOP0008: basic seL4_CNode_Rotate() testing", () => {
    const { s, empty, tcbIn } = setup();
    const tcb6 = tcbIn(6),
      tcb7 = tcbIn(7);
    const rotate = (src: number, pivot: number, dest: number) => ops.rotate(1, dest, D, 0, 1, pivot, D, 0, 1, src, D);
    const rs = exec(
      s,
      rotate(2, 3, FREE[0]), // succeeds
      rotate(4, 5, 3), // destination occupied
      rotate(6, 7, 6), // swap two caps
      rotate(5, 5, FREE[1]), // pivot is the source
      rotate(FREE[2], FREE[3], FREE[4]),
    ); // empty slots
    expect(errors(rs)).toEqual([
      "seL4_NoError",
      "seL4_DeleteFirst",
      "seL4_NoError",
      "seL4_IllegalOperation",
      "seL4_FailedLookup",
    ]);
    expect([empty(2), empty(3), empty(FREE[0])]).toEqual([true, false, false]);
    expect([empty(4), empty(5)]).toEqual([false, false]);
    expect([tcbIn(6), tcbIn(7)]).toEqual([tcb7, tcb6]);
    expect([empty(FREE[1]), empty(FREE[2]), empty(FREE[3]), empty(FREE[4])]).toEqual([true, true, true, true]);
  });

  it.runIf(config === "master")("CNODEOP0009: basic seL4_CNode_SaveCaller() testing", () => {
    const { s, empty } = setup();
    const rs = exec(s, ops.saveCaller(1, FREE[0], D), ops.saveCaller(1, 2, D));
    expect(errors(rs)).toEqual(["seL4_NoError", "seL4_DeleteFirst"]);
    expect(empty(2)).toBe(false);
  });
});
