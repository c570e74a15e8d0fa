// sel4test's retype tests (apps/sel4test-tests/src/tests/inc_untyped.c), on both kernels. Thread
// "t" holds its own CNode at slot 1 (so node_index 1 at depth 64 names its CSpace root), the
// untyped at slot 2 and, for RETYPE0000, a CNode of radix 2 at slot 3.
import { describe, expect, it } from "vitest";
import {
  objectTypeNumber,
  seL4_SlotBits,
  seL4_TCBBits,
  seL4_UntypedRetypeMaxObjects,
} from "../../../src/abi/constants.js";
import { CONFIGS, D, capSystem, exec, kernelOps, outcome } from "../cspace-helpers.js";

describe.each(CONFIGS)("sel4test inc_untyped.c on %s", (config) => {
  const ops = kernelOps(config);
  const errorOf = (r: { label: bigint; mrs: bigint[] }) => outcome(r as never).error;

  it("RETYPE0000: retype test", () => {
    const { s } = capSystem(config, { 2: ["Untyped", "untyped", seL4_TCBBits + 3], 3: ["CNode", "cnode", 2] });
    const TCB = objectTypeNumber(config, "TCB");
    const retype = (offset: number, num: number) => ops.retype(2, TCB, 0, 1, 3, D, offset, num);
    const slots = [0, 1, 2, 3];
    const rs = exec(
      s,
      retype(0, 0), // insert 0
      retype(3, 2), // overrun the end of the cnode
      ...slots.map((i) => retype(i, 1)), // drop some caps in
      retype(4, 2), // beyond the end
      ...slots.map((i) => retype(i, 1)), // over the top
      ...slots.map((i) => ops.delete(3, i, 2)), // delete them all
      retype(0, 2 ** 31), // too many
      retype(0, 5),
      retype(0, 3), // all but one
      ...slots.map((i) => retype(i, 1)),
    ); // over the top: only the last succeeds
    expect(outcome(rs[0]!)).toEqual({ error: "seL4_RangeError", mrs: [1n, BigInt(seL4_UntypedRetypeMaxObjects)] });
    expect(rs.slice(1).map(errorOf)).toEqual([
      "seL4_RangeError",
      "seL4_NoError",
      "seL4_NoError",
      "seL4_NoError",
      "seL4_NoError",
      "seL4_RangeError",
      "seL4_DeleteFirst",
      "seL4_DeleteFirst",
      "seL4_DeleteFirst",
      "seL4_DeleteFirst",
      "seL4_NoError",
      "seL4_NoError",
      "seL4_NoError",
      "seL4_NoError",
      "seL4_RangeError",
      "seL4_RangeError",
      "seL4_NoError",
      "seL4_DeleteFirst",
      "seL4_DeleteFirst",
      "seL4_DeleteFirst",
      "seL4_NoError",
    ]);
  });

  it("RETYPE0001: incremental retype test", () => {
    const sizeBits = 13;
    const { s } = capSystem(config, { 2: ["Untyped", "untyped", sizeBits] });
    const CNODE = objectTypeNumber(config, "CNode");
    const retype = (radix: number) => ops.retype(2, CNODE, radix, 1, 1, D, 0, 1);
    const tooBig = Array.from({ length: 40 }, (_, k) => 40 - k);
    const rs = exec(s, ...tooBig.map((i) => retype(sizeBits - seL4_SlotBits + i)), retype(sizeBits - seL4_SlotBits));
    expect(rs.slice(0, 40).filter((r) => r.label === 0n)).toEqual([]); // every bigger one fails
    expect(errorOf(rs[40]!)).toBe("seL4_NoError");
  });

  it("RETYPE0002: incremental retype test #2", () => {
    const { s } = capSystem(config, { 2: ["Untyped", "untyped", 16] }, { radix: 6 });
    const PAGE = objectTypeNumber(config, "Frame4K");
    const slot = Array.from({ length: 17 }, (_, i) => 10 + i);
    const retype = (offset: number, num: number) => ops.retype(2, PAGE, 0, 1, 1, D, offset, num);
    const rs = exec(
      s,
      ...slot.slice(0, 16).map((at) => retype(at, 1)), // precisely 16 pages
      retype(slot[16]!, 1024 * 1024), // an obscenely large allocation
      retype(slot[0]!, 8), // an existing slot
      retype(slot[16]!, 1),
    ); // the untyped is full
    expect(rs.map(errorOf)).toEqual([
      ...new Array(16).fill("seL4_NoError"),
      "seL4_RangeError",
      "seL4_DeleteFirst",
      "seL4_NotEnoughMemory",
    ]);
  });
});
