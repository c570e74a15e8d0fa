// The x86_64 paging API as learner code sees it: libsel4's object-type numbers, how
// seL4_X86_Page_Map and the paging-structure maps are marshalled, and seL4_MappingFailedLookupLevel
// reading the level out of a FailedLookup reply (libsel4's SEL4_MAPPING_LOOKUP_LEVEL is MR 2).
import { describe, expect, it } from "vitest";
import { R10, R8, R9, RDI, RSI } from "../../src/abi/registers.js";
import { invocationLabelNumber } from "../../src/abi/invocation.js";
import type { KernelConfig } from "../../src/abi/constants.js";
import { fakeLibsel4 } from "./fake-channel.js";

const CAPS = 122; // IPC buffer word of the first extra cap

describe("object-type numbers (libsel4 objecttype.h: the x86_64 mode types, then the x86 arch types)", () => {
  it.each<[KernelConfig, number]>([
    ["master", 5],
    ["mcs", 7],
  ])("on %s they start at seL4_NonArchObjectTypeCount = %i", (config, first) => {
    const { sel4 } = fakeLibsel4(config);
    const names = [
      "seL4_X86_PDPTObject",
      "seL4_X64_PML4Object",
      "seL4_X64_HugePageObject",
      "seL4_X86_4K",
      "seL4_X86_LargePageObject",
      "seL4_X86_PageTableObject",
      "seL4_X86_PageDirectoryObject",
    ];
    expect(names.map((n) => sel4[n])).toEqual(names.map((_, i) => first + i));
    expect(sel4.seL4_ObjectTypeCount).toBe(first + names.length);
  });
});

describe.each<KernelConfig>(["master", "mcs"])("mapping calls on %s", (config) => {
  const label = (name: "X86PageMap" | "X86PDPTMap") => BigInt(invocationLabelNumber(config, name)!);

  it("seL4_X86_Page_Map: vaddr, rights and attributes in MR0..2, the VSpace as the extra cap", () => {
    const { ch, sel4 } = fakeLibsel4(config);
    ch.kernel = (regs) => (regs[RSI] = 0n);
    expect(
      sel4.seL4_X86_Page_Map(
        9,
        sel4.seL4_CapInitThreadVSpace,
        0xa000000000,
        sel4.seL4_CanRead,
        sel4.seL4_X86_Default_VMAttributes,
      ),
    ).toBe(sel4.seL4_NoError);
    const { regs, buffer } = ch.last;
    expect(regs[RDI]).toBe(9n);
    expect(regs[RSI]).toBe((label("X86PageMap") << 12n) | (1n << 7n) | 3n);
    expect([regs[R10], regs[R8], regs[R9]]).toEqual([0xa000000000n, 2n, 0n]);
    expect(buffer[CAPS]).toBe(3n);
  });

  it("seL4_X86_PDPT_Map: vaddr and attributes in MR0..1", () => {
    const { ch, sel4 } = fakeLibsel4(config);
    ch.kernel = (regs) => (regs[RSI] = 0n);
    sel4.seL4_X86_PDPT_Map(10, 3, 0xa000000000, 0);
    const { regs } = ch.last;
    expect(regs[RSI]).toBe((label("X86PDPTMap") << 12n) | (1n << 7n) | 2n);
    expect([regs[R10], regs[R8]]).toEqual([0xa000000000n, 0n]);
  });

  it.each([39, 30, 21])(
    "after FailedLookup with MissingCapability(%i), seL4_MappingFailedLookupLevel() is %i",
    (bits) => {
      const { ch, sel4 } = fakeLibsel4(config);
      ch.kernel = (regs) => {
        regs[RSI] = (6n << 12n) | 3n; // seL4_FailedLookup, 3 MRs
        [regs[R10], regs[R8], regs[R9]] = [0n, 2n, BigInt(bits)]; // destination, seL4_MissingCapability, bits left
      };
      expect(sel4.seL4_X86_Page_Map(9, 3, 0xa000000000, sel4.seL4_CanRead, 0)).toBe(sel4.seL4_FailedLookup);
      expect(sel4.seL4_MappingFailedLookupLevel()).toBe(bits);
      const named = {
        21: "SEL4_MAPPING_LOOKUP_NO_PT",
        30: "SEL4_MAPPING_LOOKUP_NO_PD",
        39: "SEL4_MAPPING_LOOKUP_NO_PDPT",
      }[bits]!;
      expect(sel4[named]).toBe(bits);
    },
  );
});
