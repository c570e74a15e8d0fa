// x86_64 virtual memory (src/arch/x86/kernel/vspace.c and src/arch/x86/64/kernel/vspace.c; the VM fault message
// from Arch_setMRs_fault, src/arch/x86/api/faults.c): paging objects mapped
// level by level with seL4's errors, frames mapped, remapped and unmapped, and a VM fault that a
// pager repairs by mapping a frame, after which the faulting load runs again and succeeds.
import { describe, expect, it } from "vitest";
import { faultLabel, objectTypeNumber, seL4_WordBits, type KernelConfig } from "../../src/abi/constants.js";
import type { FrameObj, PagingObj } from "../../src/kernel/index.js";
import { sys } from "../support/in-process.js";
import { IPC_BUFFER_VADDR, TestSystem } from "./fixtures.js";
import {
  CONFIGS,
  E,
  L,
  expectError,
  expectReplies,
  faultSystem,
  msgOf,
  recvOn,
  replyWith,
  restartPC,
  runRequests,
  type Msg,
  type Request,
} from "./fault-support.js";

/** Slots of the "mapper" thread. */
const M = {
  space: 1,
  pdpt: 2,
  pd: 3,
  pt: 4,
  frameA: 5,
  frameB: 6,
  large: 7,
  pt2: 8,
  pd2: 9,
  pdpt2: 10,
  ownSpace: 11,
  ep: 12,
  otherSpace: 13,
  ownCNode: 14,
  untyped: 15,
  free: 16,
} as const;
const READ_WRITE = 0b11,
  READ_ONLY = 0b10,
  WRITE_ONLY = 0b01;
const VADDR = 0x40000000n; // PML4 0, PDPT 1, PD 0, PT 0

function vmSystem(config: KernelConfig) {
  const s = new TestSystem(config, [{ name: "mapper", radix: 5 }]);
  const give = (slot: number, type: Parameters<TestSystem["create"]>[0], name: string, sizeBits?: number) =>
    s.give("mapper", slot, s.create(type, name, sizeBits));
  give(M.space, "PML4", "space");
  give(M.pdpt, "PDPT", "pdpt");
  give(M.pd, "PageDirectory", "pd");
  give(M.pt, "PageTable", "pt");
  give(M.frameA, "Frame4K", "frame_a");
  give(M.frameB, "Frame4K", "frame_b");
  give(M.large, "LargePage", "large");
  give(M.pt2, "PageTable", "pt2");
  give(M.pd2, "PageDirectory", "pd2");
  give(M.pdpt2, "PDPT", "pdpt2");
  s.give("mapper", M.ownSpace, s.vspaces.get("mapper")!);
  give(M.ep, "Endpoint", "ep");
  give(M.otherSpace, "PML4", "other_space");
  s.giveCNode("mapper", M.ownCNode, "mapper");
  give(M.untyped, "Untyped", "untyped", 16);
  return s;
}

const map = (
  config: KernelConfig,
  cap: number,
  label: "X86PageMap" | "X86PageTableMap" | "X86PageDirectoryMap" | "X86PDPTMap",
  vspace: number,
  vaddr: bigint,
  rights = READ_WRITE,
): Request =>
  label === "X86PageMap"
    ? sys.call(cap, L(config, label), [vaddr, rights, 0], [vspace])
    : sys.call(cap, L(config, label), [vaddr, 0], [vspace]);
const unmap = (
  config: KernelConfig,
  cap: number,
  label: "X86PageUnmap" | "X86PageTableUnmap" | "X86PageDirectoryUnmap",
): Request => sys.call(cap, L(config, label));
/** The structures a 4K page at `vaddr` needs, top down. */
const levels = (config: KernelConfig, space: number = M.space, vaddr = VADDR): Request[] => [
  map(config, M.pdpt, "X86PDPTMap", space, vaddr),
  map(config, M.pd, "X86PageDirectoryMap", space, vaddr),
  map(config, M.pt, "X86PageTableMap", space, vaddr),
];

/** The replies to the mapper's invocations, in a fresh system. */
const mapperReplies = (config: KernelConfig, requests: Request[]) => runRequests(vmSystem(config), "mapper", requests);

/** FailedLookup for a missing level: destination (0), MissingCapability (2), the bits left at that level. */
const missing = (bits: number) => [0, 2, bits];

describe.each(CONFIGS)("mapping paging structures and frames on %s", (config) => {
  it("a missing level fails the map with FailedLookup (MissingCapability 39, 30, 21) until each level is mapped", () => {
    const frame = map(config, M.frameA, "X86PageMap", M.space, VADDR);
    const r = mapperReplies(config, [
      frame,
      levels(config)[0]!,
      frame,
      levels(config)[1]!,
      frame,
      levels(config)[2]!,
      frame,
    ]);
    expectReplies(r, [
      [E.FailedLookup, missing(39)],
      E.NoError,
      [E.FailedLookup, missing(30)],
      E.NoError,
      [E.FailedLookup, missing(21)],
      E.NoError,
      E.NoError,
    ]);
  });

  it("an occupied entry: DeleteFirst for a second PDPT, PD or PT, and for a large page over a page table", () => {
    const r = mapperReplies(config, [
      ...levels(config),
      map(config, M.pdpt2, "X86PDPTMap", M.space, VADDR),
      map(config, M.pd2, "X86PageDirectoryMap", M.space, VADDR + 0x1000n), // same PDPT entry
      map(config, M.pt2, "X86PageTableMap", M.space, VADDR + 0x1000n), // same PD entry
      map(config, M.large, "X86PageMap", M.space, VADDR),
    ]);
    expectReplies(r, [E.NoError, E.NoError, E.NoError, E.DeleteFirst, E.DeleteFirst, E.DeleteFirst, E.DeleteFirst]);
  });

  it("a 4K page replaces whatever page its PT entry held (x86 does not ask for DeleteFirst there)", () => {
    const r = mapperReplies(config, [
      ...levels(config),
      map(config, M.frameA, "X86PageMap", M.space, VADDR),
      map(config, M.frameB, "X86PageMap", M.space, VADDR),
    ]);
    for (const x of r) expectError(x, E.NoError);
  });

  it("AlignmentError for a misaligned frame address; paging structures round the address down instead", () => {
    const r = mapperReplies(config, [
      map(config, M.pdpt, "X86PDPTMap", M.space, VADDR + 0x123n),
      map(config, M.pd, "X86PageDirectoryMap", M.space, VADDR + 0x45678n),
      map(config, M.pt, "X86PageTableMap", M.space, VADDR + 0x9n),
      map(config, M.frameA, "X86PageMap", M.space, VADDR + 0x10n),
      map(config, M.large, "X86PageMap", M.space, VADDR + 0x1000n),
    ]);
    expectReplies(r, [E.NoError, E.NoError, E.NoError, E.AlignmentError, E.AlignmentError]);
  });

  it("a mapped frame: another VSpace is InvalidCapability 1, another address InvalidArgument 0, the same address a remap", () => {
    const r = mapperReplies(config, [
      ...levels(config),
      map(config, M.frameA, "X86PageMap", M.space, VADDR),
      map(config, M.frameA, "X86PageMap", M.otherSpace, VADDR),
      map(config, M.frameA, "X86PageMap", M.space, VADDR + 0x1000n),
      map(config, M.frameA, "X86PageMap", M.space, VADDR, READ_ONLY),
    ]);
    expectReplies(r.slice(3), [E.NoError, [E.InvalidCapability, [1]], [E.InvalidArgument, [0]], E.NoError]);
  });

  it("a mapped paging structure is InvalidCapability 0; a VSpace argument that is not a PML4 is InvalidCapability 1", () => {
    const r = mapperReplies(config, [
      levels(config)[0]!,
      map(config, M.pdpt, "X86PDPTMap", M.space, 0x8000000000n),
      map(config, M.pd, "X86PageDirectoryMap", M.ep, VADDR),
      map(config, M.frameA, "X86PageMap", M.pdpt, VADDR),
    ]);
    expectReplies(r.slice(1), [
      [E.InvalidCapability, [0]],
      [E.InvalidCapability, [1]],
      [E.InvalidCapability, [1]],
    ]);
  });

  it("addresses beyond the user half are InvalidArgument 0 (a frame may not end at USER_TOP + 1)", () => {
    const r = mapperReplies(config, [
      map(config, M.pdpt, "X86PDPTMap", M.space, 0x800000000000n),
      map(config, M.frameA, "X86PageMap", M.space, 0x7ffffffff000n),
    ]);
    expectReplies(r, [
      [E.InvalidArgument, [0]],
      [E.InvalidArgument, [0]],
    ]);
  });

  it("too few arguments are TruncatedMessage; a label of another object type IllegalOperation", () => {
    const r = mapperReplies(config, [
      sys.call(M.frameA, L(config, "X86PageMap"), [VADDR, READ_WRITE], [M.space]),
      sys.call(M.pt, L(config, "X86PageTableMap"), [VADDR], [M.space]),
      sys.call(M.pt, L(config, "X86PageDirectoryMap"), [VADDR, 0], [M.space]),
      sys.call(M.space, L(config, "X86PageTableMap"), [VADDR, 0], [M.space]),
    ]);
    expectReplies(r, [E.TruncatedMessage, E.TruncatedMessage, E.IllegalOperation, E.IllegalOperation]);
  });

  it("the debug kernel explains some refusals and is silent about others, as seL4 16.0 is", () => {
    const s = vmSystem(config);
    runRequests(s, "mapper", [
      map(config, M.frameA, "X86PageMap", M.space, VADDR + 8n), // AlignmentError: silent
      map(config, M.frameA, "X86PageMap", M.space, VADDR), // FailedLookup: silent
      levels(config)[0]!,
      levels(config)[0]!, // already mapped
      map(config, M.pdpt2, "X86PDPTMap", M.space, VADDR), // DeleteFirst: silent
      sys.call(M.pdpt2, L(config, "X86PDPTMap"), [VADDR], [M.space]),
      sys.call(M.pd, L(config, "X86PageDirectoryMap"), [VADDR], [M.space]),
      map(config, M.pd, "X86PageDirectoryMap", M.ep, VADDR), // not a VSpace: silent
      map(config, M.frameA, "X86PageMap", M.ep, VADDR),
      map(config, M.pd, "X86PageDirectoryMap", M.space, 0x800000000000n),
    ]);
    const messages = s.sim.text
      .split("\n")
      .filter(Boolean)
      .map((l) => l.replace(/^<<seL4\(CPU 0\) \[[^\]]*\]: (.*)>>$/, "$1"));
    expect(messages).toEqual([
      "X64PDPT: PDPT is already mapped to a PML4.",
      "X64PDPT: Truncated message.",
      "X64PageDirectory: Truncated message.",
      "X86FrameMap: Attempting to map frame into invalid page directory cap.",
      "X64PageDirectory: Mapping address too high.",
    ]);
  });

  it("each paging object takes seL4's size from an untyped: 4 KiB each, a large page 2 MiB", () => {
    const s = vmSystem(config);
    const SMALL_UT = 31;
    s.give("mapper", SMALL_UT, s.create("Untyped", "small_untyped", 14)); // 16 KiB
    const retype = (type: "PDPT" | "PageDirectory" | "PageTable" | "Frame4K" | "LargePage", count: number) =>
      sys.call(
        SMALL_UT,
        L(config, "UntypedRetype"),
        [objectTypeNumber(config, type), 0, 0, 0, M.free, count],
        [M.ownCNode],
      );
    const deleteAll = [0, 1, 2, 3].map((i) =>
      sys.call(M.ownCNode, L(config, "CNodeDelete"), [M.free + i, seL4_WordBits]),
    );
    const requests: Request[] = [];
    for (const type of ["PDPT", "PageDirectory", "PageTable", "Frame4K"] as const) {
      requests.push(retype(type, 5), retype(type, 4), ...deleteAll);
    }
    requests.push(retype("LargePage", 1));
    const r = runRequests(s, "mapper", requests);
    const notEnough = [E.NotEnoughMemory, [16384]] as [bigint, number[]];
    expectReplies(r, [
      ...[0, 1, 2, 3].flatMap(() => [notEnough, E.NoError, E.NoError, E.NoError, E.NoError, E.NoError]),
      notEnough,
    ]);
    const messages = s.sim.text
      .split("\n")
      .filter(Boolean)
      .map((l) => l.replace(/^<<seL4\(CPU 0\) \[[^\]]*\]: (.*)>>$/, "$1"));
    expect(messages).toEqual([
      ...[0, 1, 2, 3].map(() => "Untyped Retype: Insufficient memory (5 * 4096 bytes needed, 16384 bytes available)."),
      "Untyped Retype: Insufficient memory (1 * 2097152 bytes needed, 16384 bytes available).",
    ]);
  });

  it("X86PageGetAddress answers the frame's physical address in MR0, mapped or not", () => {
    const s = vmSystem(config);
    const r = runRequests(s, "mapper", [
      sys.call(M.frameA, L(config, "X86PageGetAddress")),
      ...levels(config),
      map(config, M.frameA, "X86PageMap", M.space, VADDR),
      sys.call(M.frameA, L(config, "X86PageGetAddress")),
    ]);
    const paddr = BigInt((s.slotCap("mapper", M.frameA) as { obj: FrameObj }).obj.paddr);
    expect(paddr).not.toBe(0n);
    for (const x of [r[0]!, r[5]!])
      expect({ label: x.label, length: x.length, mrs: x.mrs.slice(0, 1) }).toEqual({
        label: 0n,
        length: 1,
        mrs: [paddr],
      });
  });

  it("a remap needs the frame's PT to still be there: after the PT is unmapped it is FailedLookup 21", () => {
    const r = mapperReplies(config, [
      ...levels(config),
      map(config, M.frameA, "X86PageMap", M.space, VADDR),
      unmap(config, M.pt, "X86PageTableUnmap"),
      map(config, M.frameA, "X86PageMap", M.space, VADDR, READ_ONLY),
    ]);
    expectReplies(r.slice(3), [E.NoError, E.NoError, [E.FailedLookup, missing(21)]]);
  });

  it("unmapping a PD leaves its PT marked mapped (InvalidCapability 0) until the PT itself is unmapped", () => {
    const r = mapperReplies(config, [
      ...levels(config),
      unmap(config, M.pd, "X86PageDirectoryUnmap"),
      map(config, M.pt, "X86PageTableMap", M.space, VADDR),
      map(config, M.pd, "X86PageDirectoryMap", M.space, VADDR),
      map(config, M.pt, "X86PageTableMap", M.space, VADDR),
      unmap(config, M.pt, "X86PageTableUnmap"),
      map(config, M.pt, "X86PageTableMap", M.space, VADDR),
    ]);
    expectReplies(r.slice(3), [
      E.NoError,
      [E.InvalidCapability, [0]],
      E.NoError,
      [E.InvalidCapability, [0]],
      E.NoError,
      E.NoError,
    ]);
  });

  it("paging structures retyped from an untyped map like boot-created ones", () => {
    const s = vmSystem(config);
    const retype = (type: "PDPT" | "PageDirectory" | "PageTable" | "Frame4K", offset: number) =>
      sys.call(
        M.untyped,
        L(config, "UntypedRetype"),
        [objectTypeNumber(config, type), 0, 0, 0, M.free + offset, 1],
        [M.ownCNode],
      );
    const r = runRequests(s, "mapper", [
      retype("PDPT", 0),
      retype("PageDirectory", 1),
      retype("PageTable", 2),
      retype("Frame4K", 3),
      map(config, M.free, "X86PDPTMap", M.space, VADDR),
      map(config, M.free + 1, "X86PageDirectoryMap", M.space, VADDR),
      map(config, M.free + 2, "X86PageTableMap", M.space, VADDR),
      map(config, M.free + 3, "X86PageMap", M.space, VADDR),
    ]);
    for (const x of r) expectError(x, E.NoError);
  });
});

describe.each(CONFIGS)("what a thread sees through its mappings on %s", (config) => {
  /** The mapper maps frame A at `vaddr` of its own VSpace (under the page table of its IPC buffer), then touches it. */
  function touch(setup: Request[], access: Request[]) {
    const s = vmSystem(config);
    const seen: (bigint | string)[] = [];
    s.program("mapper", function* () {
      for (const r of setup) expectError(yield r, E.NoError);
      for (const a of access) seen.push((yield a).value);
      seen.push("done");
    });
    s.run(["mapper"]);
    return { s, seen };
  }
  /** A page in the 2 MiB the thread's own page table covers (the one its IPC buffer is mapped through). */
  const OWN = IPC_BUFFER_VADDR + 0x80000n;

  it("a store then a load through a read-write mapping; a remap read-only makes the next store fault", () => {
    const { s, seen } = touch(
      [map(config, M.frameA, "X86PageMap", M.ownSpace, OWN)],
      [
        { kind: "store", vaddr: OWN + 16n, value: 0x1234n },
        { kind: "load", vaddr: OWN + 16n },
      ],
    );
    expect(seen.slice(1)).toEqual([0x1234n, "done"]);
    const frame = (s.slotCap("mapper", M.frameA) as { obj: FrameObj }).obj;
    expect(new BigUint64Array(s.kernel.memory)[frame.paddr / 8 + 2]).toBe(0x1234n);

    const ro = touch(
      [
        map(config, M.frameA, "X86PageMap", M.ownSpace, OWN),
        map(config, M.frameA, "X86PageMap", M.ownSpace, OWN, READ_ONLY),
      ],
      [
        { kind: "load", vaddr: OWN },
        { kind: "store", vaddr: OWN, value: 1n },
      ],
    );
    expect(ro.seen).toHaveLength(1); // the store faulted; no handler, so the thread stopped
    expect(ro.s.sim.text).toContain(`vm fault on data at address 0x${OWN.toString(16)} with status 0x7`);
  });

  it("a read-only mapping remapped with seL4_ReadWrite at the same address takes the store (the mapping tutorial's last step)", () => {
    const { s, seen } = touch(
      [map(config, M.frameA, "X86PageMap", M.ownSpace, OWN, READ_ONLY)],
      [
        { kind: "load", vaddr: OWN },
        map(config, M.frameA, "X86PageMap", M.ownSpace, OWN, READ_WRITE),
        { kind: "store", vaddr: OWN, value: 5n },
        { kind: "load", vaddr: OWN },
      ],
    );
    expect([seen[0], seen[3], seen[4]]).toEqual([0n, 5n, "done"]);
    expect(s.sim.text).toBe("");
  });

  it("the rights argument only masks the cap's rights: a read-only frame cap stays read-only when remapped read-write", () => {
    const { s, seen } = touch(
      [
        sys.call(
          M.ownCNode,
          L(config, "CNodeMint"),
          [M.free, seL4_WordBits, M.frameA, seL4_WordBits, READ_ONLY, 0],
          [M.ownCNode],
        ),
        map(config, M.free, "X86PageMap", M.ownSpace, OWN, READ_WRITE),
      ],
      [
        { kind: "load", vaddr: OWN },
        { kind: "store", vaddr: OWN, value: 5n },
      ],
    );
    expect(seen).toEqual([0n]);
    expect(s.sim.text).toContain(`vm fault on data at address 0x${OWN.toString(16)} with status 0x7`);
  });

  it("write without read makes a kernel-only mapping: the debug kernel says so and a user load faults with the present bit", () => {
    const { s, seen } = touch(
      [
        sys.call(
          M.ownCNode,
          L(config, "CNodeCopy"),
          [M.free, seL4_WordBits, M.frameB, seL4_WordBits, WRITE_ONLY],
          [M.ownCNode],
        ),
        map(config, M.frameA, "X86PageMap", M.ownSpace, OWN, WRITE_ONLY),
      ],
      [{ kind: "load", vaddr: OWN }],
    );
    expect(seen).toEqual([]);
    const lines = s.sim.text.split("\n");
    expect(lines.slice(0, 2).map((l) => l.replace(/ T0x[0-9a-f]+ "tcb_mapper" @[0-9a-f]+/, ""))).toEqual([
      "<<seL4(CPU 0) [maskVMRights]: Attempted to make unsupported write only mapping>>",
      "<<seL4(CPU 0) [maskVMRights]: Attempted to make unsupported write only mapping>>",
    ]);
    expect(s.sim.text).toContain(`vm fault on data at address 0x${OWN.toString(16)} with status 0x5`);
  });

  it("unmapping a PD cuts off the pages below it", () => {
    const FAR = 0x8000000000n; // PML4 entry 1: nothing of the mapper's image is there
    const { s, seen } = touch(
      [...levels(config, M.ownSpace, FAR), map(config, M.frameA, "X86PageMap", M.ownSpace, FAR)],
      [
        { kind: "store", vaddr: FAR, value: 9n },
        { kind: "load", vaddr: FAR },
        unmap(config, M.pd, "X86PageDirectoryUnmap"),
        { kind: "load", vaddr: FAR },
      ],
    );
    expect(seen[1]).toBe(9n);
    expect(seen).toHaveLength(3); // store, load, unmap: the second load never completed
    expect(s.sim.text).toContain(`vm fault on data at address 0x${FAR.toString(16)} with status 0x4`);
  });

  it("Unmap removes the mapping: the next access faults", () => {
    const { s, seen } = touch(
      [map(config, M.frameA, "X86PageMap", M.ownSpace, OWN), unmap(config, M.frameA, "X86PageUnmap")],
      [{ kind: "load", vaddr: OWN }],
    );
    expect(seen).toEqual([]);
    expect(s.sim.text).toContain(`vm fault on data at address 0x${OWN.toString(16)} with status 0x4`);
  });

  it("deleting one cap of a mapped frame removes that cap's mapping even while another cap remains", () => {
    const { s, seen } = touch(
      [
        sys.call(
          M.ownCNode,
          L(config, "CNodeCopy"),
          [M.free, seL4_WordBits, M.frameA, seL4_WordBits, 0xf],
          [M.ownCNode],
        ),
        map(config, M.free, "X86PageMap", M.ownSpace, OWN),
        sys.call(M.ownCNode, L(config, "CNodeDelete"), [M.free, seL4_WordBits]),
      ],
      [{ kind: "load", vaddr: OWN }],
    );
    expect(seen).toEqual([]);
    expect(s.sim.text).toContain(`vm fault on data at address 0x${OWN.toString(16)} with status 0x4`);
  });

  it("unmapping a page table needs its last cap (RevokeFirst) and clears it: its pages do not come back with it", () => {
    const s = vmSystem(config);
    const r = runRequests(s, "mapper", [
      ...levels(config),
      map(config, M.frameA, "X86PageMap", M.space, VADDR),
      sys.call(M.ownCNode, L(config, "CNodeCopy"), [M.free, seL4_WordBits, M.pt, seL4_WordBits, 0xf], [M.ownCNode]),
      unmap(config, M.pt, "X86PageTableUnmap"),
      sys.call(M.ownCNode, L(config, "CNodeDelete"), [M.free, seL4_WordBits]),
      unmap(config, M.pt, "X86PageTableUnmap"),
      map(config, M.pt, "X86PageTableMap", M.space, VADDR + 0x200000n),
    ]);
    expectReplies(r.slice(4), [E.NoError, E.RevokeFirst, E.NoError, E.NoError, E.NoError]);
    const pt = (s.slotCap("mapper", M.pt) as { obj: PagingObj }).obj;
    expect(pt.entries.every((e) => e === null)).toBe(true);
  });
});

describe.each(CONFIGS)("a pager on %s", (config) => {
  it("a load from an unmapped page faults to the pager, which maps a frame and replies; the load then succeeds", () => {
    const s = faultSystem(config);
    const FRAME = 5,
      VSPACE = 6;
    // An unmapped page under the faulter's own page table (the one its IPC buffer is mapped through).
    const UNMAPPED = IPC_BUFFER_VADDR + 0xc0008n;
    const frame = s.create("Frame4K", "fresh_page");
    new BigUint64Array(s.kernel.memory)[frame.paddr / 8 + 1] = 0xc0ffeen;
    s.give("handler", FRAME, frame);
    s.give("handler", VSPACE, s.vspaces.get("faulter")!);
    const log: string[] = [];
    s.program("faulter", function* () {
      const r = yield { kind: "load", vaddr: UNMAPPED };
      log.push(`faulter loaded 0x${r.value.toString(16)}`);
    });
    let fault: Msg | null = null;
    let pc = 0n;
    s.program("handler", function* () {
      fault = msgOf(yield recvOn(config));
      pc = restartPC(s.tcb("faulter"));
      const addr = fault.mrs[1]! & ~0xfffn;
      const m = yield sys.call(FRAME, L(config, "X86PageMap"), [addr, READ_WRITE, 0], [VSPACE]);
      log.push(`map ${m.label}`);
      yield replyWith(config, 0);
      log.push("pager replied");
    });
    s.run(["faulter", "handler"]);
    expect(fault).toEqual({ label: faultLabel(config, "VMFault"), length: 4, badge: 0n, mrs: [pc, UNMAPPED, 0n, 4n] });
    expect(log).toEqual(["map 0", "pager replied", "faulter loaded 0xc0ffee"]);
    expect(s.sim.text).toBe("");
  });

  it("the pager can build the missing levels too: retype a page table, map it, then the frame", () => {
    const s = faultSystem(config);
    const [UT, CN, VSPACE] = [5, 6, 7];
    s.give("handler", UT, s.create("Untyped", "pager_untyped", 14));
    s.giveCNode("handler", CN, "handler");
    s.give("handler", VSPACE, s.vspaces.get("faulter")!);
    const far = 0x30000000n; // no page table covers it in the faulter's VSpace
    const log: string[] = [];
    s.program("faulter", function* () {
      yield { kind: "store", vaddr: far, value: 99n };
      log.push(`faulter read back ${(yield { kind: "load", vaddr: far }).value}`);
    });
    s.program("handler", function* () {
      const f = msgOf(yield recvOn(config));
      log.push(`fault at 0x${f.mrs[1]!.toString(16)} status ${f.mrs[3]}`);
      const retype = (type: "PageTable" | "Frame4K", slot: number) =>
        sys.call(UT, L(config, "UntypedRetype"), [objectTypeNumber(config, type), 0, 0, 0, slot, 1], [CN]);
      const results = [
        yield sys.call(9, L(config, "X86PageMap"), [far, READ_WRITE, 0], [VSPACE]), // an empty slot: InvalidCapability 0
        yield retype("PageTable", 10),
        yield retype("Frame4K", 11),
        yield sys.call(11, L(config, "X86PageMap"), [far, READ_WRITE, 0], [VSPACE]),
        yield sys.call(10, L(config, "X86PageTableMap"), [far, 0], [VSPACE]),
        yield sys.call(11, L(config, "X86PageMap"), [far, READ_WRITE, 0], [VSPACE]),
      ];
      log.push(results.map((r) => `${r.label}${r.length ? ":" + r.mrs.join("/") : ""}`).join(" "));
      yield replyWith(config, 0);
    });
    s.run(["faulter", "handler"]);
    expect(log).toEqual(["fault at 0x30000000 status 6", "2:0 0 0 6:0/2/21 0 0", "faulter read back 99"]);
  });
});
