// x86_64 virtual memory (src/arch/x86/kernel/vspace.c, src/arch/x86/64/kernel/vspace.c):
// four-level paging objects, their Map/Unmap invocations, and address translation for
// user loads and stores. A missing level fails the map with seL4_FailedLookup.
import { RIGHT_READ, RIGHT_WRITE, seL4_PageBits, seL4_LargePageBits, seL4_HugePageBits } from "../../abi/constants.js";
import { syscallError } from "../api/failures.js";
import type { Word } from "../api/types.js";
import type { KernelState } from "../model/state.js";
import { maskVMRights } from "../object/objecttype.js";
import { TCB_VTABLE, type Cap, type CTE, type FrameObj, type PagingObj, type TCB } from "../object/structures.js";

/** Top of the user half of the address space (x86_64 USER_TOP, 47 bits). */
export const USER_TOP = 0x00007fffffffffffn;
const INDEX_OFFSET = { PML4: 39n, PDPT: 30n, PageDirectory: 21n, PageTable: 12n } as const;

function index(level: keyof typeof INDEX_OFFSET, vaddr: Word): number {
  return Number((vaddr >> INDEX_OFFSET[level]) & 511n);
}

export function frameSizeBits(frame: FrameObj): number {
  return frame.kind === "Frame4K" ? seL4_PageBits : frame.kind === "LargePage" ? seL4_LargePageBits : seL4_HugePageBits;
}

/** The level at which a frame of this size is entered: a PT for 4K, a PD for 2M, a PDPT for 1G. */
function frameLevel(frame: FrameObj): "PageTable" | "PageDirectory" | "PDPT" {
  return frame.kind === "Frame4K" ? "PageTable" : frame.kind === "LargePage" ? "PageDirectory" : "PDPT";
}

/**
 * Walk from the PML4 down to the table at `level` covering vaddr. A missing level is the lookup
 * failure seL4 reports (MissingCapability with the bits left at that level).
 */
function lookupTable(
  vspace: PagingObj,
  vaddr: Word,
  level: "PDPT" | "PageDirectory" | "PageTable",
): PagingObj | { missingBits: number } {
  let table = vspace;
  for (const step of ["PML4", "PDPT", "PageDirectory"] as const) {
    if (table.kind === level) return table;
    const entry = table.entries[index(step, vaddr)];
    if (!entry || entry.kind !== "table") return { missingBits: Number(INDEX_OFFSET[step]) };
    table = entry.table;
  }
  return table;
}

function vspaceOfThread(t: TCB): PagingObj | null {
  const cap = t.slots[TCB_VTABLE]!.cap;
  return cap.type === "PML4" ? cap.obj : null;
}

/** Translate a user virtual address: paddr and the mapping's rights, or null when unmapped. */
export function translate(ks: KernelState, t: TCB, vaddr: Word): { paddr: number; rights: number } | null {
  void ks;
  let table = vspaceOfThread(t);
  if (table === null || vaddr > USER_TOP) return null;
  for (const level of ["PML4", "PDPT", "PageDirectory", "PageTable"] as const) {
    const entry: PagingObj["entries"][number] | undefined = table.entries[index(level, vaddr)];
    if (!entry) return null;
    if (entry.kind === "frame") {
      const bits = BigInt(frameSizeBits(entry.frame));
      const offset = Number(vaddr & ((1n << bits) - 1n));
      return { paddr: entry.frame.paddr + offset, rights: entry.rights };
    }
    table = entry.table;
  }
  return null;
}

export function translateVAddr(ks: KernelState, t: TCB, vaddr: Word): number | null {
  return translate(ks, t, vaddr)?.paddr ?? null;
}

/**
 * isValidNativeRoot: the VSpace argument of a map must be a PML4 cap with an ASID (else cap 1
 * invalid). `message` is seL4's userError text; "" where seL4 prints nothing.
 */
function requireVSpace(cap: Cap | undefined, message: string): PagingObj {
  if (!cap || cap.type !== "PML4" || cap.obj.asid === null)
    syscallError({ type: "InvalidCapability", capNumber: 1 }, message);
  return cap.obj;
}

/** The level whose entry a paging structure occupies: a PDPT sits in the PML4, a PD in a PDPT, a PT in a PD. */
const PARENT_LEVEL = { PDPT: "PML4", PageDirectory: "PDPT", PageTable: "PageDirectory" } as const;
/** seL4's userError texts for the paging-structure maps (x86_64 decoders); the rest are silent. */
const MAP_MESSAGES = {
  PDPT: { mapped: "X64PDPT: PDPT is already mapped to a PML4.", high: "X64PDPT: Mapping address too high." },
  PageDirectory: {
    mapped: "X64PageDirectory: PD is already mapped to a PML4.",
    high: "X64PageDirectory: Mapping address too high.",
  },
  PageTable: {
    mapped: "X86PageTable: Page table is already mapped to a page directory.",
    high: "X86PageTable: Mapping address too high.",
  },
} as const;

/** A missing upper level: FailedLookup (destination) with MissingCapability(bits left). seL4 prints nothing. */
function missingLevel(bitsLeft: number): never {
  return syscallError(
    { type: "FailedLookup", source: false, lookupFailure: { type: "MissingCapability", bitsLeft } },
    "",
  );
}

/**
 * Map a PDPT, page directory or page table into a VSpace (decodeX86PageTableInvocation and the
 * x86_64 PD/PDPT decoders): the address is rounded down to what the structure covers; an entry that
 * already holds a table or a frame of that size gives DeleteFirst; a missing upper level gives
 * FailedLookup with MissingCapability(bits left at that level).
 */
export function decodePagingMap(slot: CTE, vspaceCap: Cap | undefined, vaddrArg: Word): () => void {
  const cap = slot.cap;
  if (cap.type !== "PDPT" && cap.type !== "PageDirectory" && cap.type !== "PageTable") {
    throw new Error(`decodePagingMap: a ${cap.type} cap is no paging structure`); // callers pass only these
  }
  const text = MAP_MESSAGES[cap.type];
  const obj = cap.obj;
  if (obj.mappedIn !== null) syscallError({ type: "InvalidCapability", capNumber: 0 }, text.mapped);
  const level = PARENT_LEVEL[cap.type];
  const vaddr = vaddrArg & ~((1n << INDEX_OFFSET[level]) - 1n);
  const vspace = requireVSpace(vspaceCap, "");
  if (vaddr > USER_TOP) syscallError({ type: "InvalidArgument", argumentNumber: 0 }, text.high);
  const parent = level === "PML4" ? vspace : lookupTable(vspace, vaddr, level);
  if ("missingBits" in parent) missingLevel(parent.missingBits);
  const i = index(level, vaddr);
  if (parent.entries[i]) syscallError({ type: "DeleteFirst" }, "");
  return () => {
    parent.entries[i] = { kind: "table", table: obj };
    obj.mappedIn = { vspace, vaddr };
  };
}

/**
 * Unmap a paging structure (performX86PageTableInvocationUnmap and friends): the entry pointing at
 * it goes, and its own entries are cleared, so whatever was mapped through it is gone.
 */
export function unmapPagingObject(ks: KernelState, obj: PagingObj, clear = false): void {
  void ks;
  const m = obj.mappedIn;
  if (m === null) return;
  const level = obj.kind === "PDPT" ? "PML4" : obj.kind === "PageDirectory" ? "PDPT" : "PageDirectory";
  const parent = level === "PML4" ? m.vspace : lookupTable(m.vspace, m.vaddr, level);
  if (!("missingBits" in parent)) {
    const i = index(level, m.vaddr);
    const e = parent.entries[i];
    if (e && e.kind === "table" && e.table === obj) parent.entries[i] = null;
  }
  obj.mappedIn = null;
  if (clear) obj.entries.fill(null);
}

/**
 * seL4_X86_Page_Map(frame, vspace, vaddr, rights, attr) (decodeX86FrameInvocation). A frame cap that
 * is already mapped may only be mapped again at the same address of the same VSpace (a remap that
 * changes the rights); another VSpace gives InvalidCapability 1, another address InvalidArgument 0.
 * A 4K page replaces whatever page the PT entry held; a large or huge page may not replace a table
 * (DeleteFirst). `report` prints maskVMRights' userError line.
 */
export function decodeFrameMap(
  slot: CTE,
  vspaceCap: Cap | undefined,
  vaddr: Word,
  rightsMask: number,
  report: (message: string) => void,
): () => void {
  const cap = slot.cap as Extract<Cap, { type: "Frame" }>;
  const vspace = requireVSpace(vspaceCap, "X86FrameMap: Attempting to map frame into invalid page directory cap.");
  const size = 1n << BigInt(frameSizeBits(cap.obj));
  if (cap.mapping !== null) {
    if (cap.mapping.vspace !== vspace) syscallError({ type: "InvalidCapability", capNumber: 1 }, "");
    if (cap.mapping.vaddr !== vaddr) {
      syscallError(
        { type: "InvalidArgument", argumentNumber: 0 },
        "X86Frame: Attempting to map frame into multiple addresses",
      );
    }
  } else if (vaddr > USER_TOP || vaddr + size > USER_TOP) {
    syscallError({ type: "InvalidArgument", argumentNumber: 0 }, "X86Frame: Mapping address too high.");
  }
  const vmRights = maskVMRights(cap.rights, rightsMask, report);
  if ((vaddr & (size - 1n)) !== 0n) syscallError({ type: "AlignmentError" }, "");
  const level = frameLevel(cap.obj);
  const table = lookupTable(vspace, vaddr, level);
  if ("missingBits" in table) missingLevel(table.missingBits);
  const i = index(level, vaddr);
  const existing = table.entries[i];
  if (existing && existing.kind === "table") syscallError({ type: "DeleteFirst" }, "");
  return () => {
    table.entries[i] = { kind: "frame", frame: cap.obj, rights: vmRights, cte: slot };
    slot.cap = { ...cap, mapping: { vspace, vaddr } };
  };
}

/** Remove a frame cap's mapping (Page_Unmap, or deleting the cap). */
export function unmapFrameCap(ks: KernelState, cap: Extract<Cap, { type: "Frame" }>): void {
  void ks;
  const m = cap.mapping;
  if (m === null) return;
  const table = lookupTable(m.vspace, m.vaddr, frameLevel(cap.obj));
  if ("missingBits" in table) return;
  const i = index(frameLevel(cap.obj), m.vaddr);
  const e = table.entries[i];
  if (e && e.kind === "frame" && e.frame === cap.obj) table.entries[i] = null;
}

export function frameUnmapInSlot(ks: KernelState, slot: CTE): void {
  const cap = slot.cap;
  if (cap.type !== "Frame") return;
  unmapFrameCap(ks, cap);
  slot.cap = { ...cap, mapping: null };
}

/** x86 page-fault error code bits (FSR): present, write, user. */
const FSR_PRESENT = 1,
  FSR_WRITE = 2,
  FSR_USER = 4;

/** A user load/store: the physical word index, or the FSR of the VM fault it raises. */
export function userAccess(
  ks: KernelState,
  t: TCB,
  vaddr: Word,
  write: boolean,
): { wordIndex: number } | { fsr: number } {
  const m = translate(ks, t, vaddr);
  const fsr = FSR_USER | (write ? FSR_WRITE : 0);
  if (m === null) return { fsr };
  const allowed = write ? (m.rights & RIGHT_WRITE) !== 0 : (m.rights & RIGHT_READ) !== 0;
  if (!allowed) return { fsr: fsr | FSR_PRESENT };
  if ((vaddr & 7n) !== 0n) return { fsr: fsr | FSR_PRESENT };
  return { wordIndex: m.paddr / 8 };
}
