// x86_64 virtual memory (src/arch/x86/kernel/vspace.c, src/arch/x86/64/kernel/vspace.c):
// four-level paging objects, their Map/Unmap invocations, and address translation for
// user loads and stores. A missing level fails the map with seL4_FailedLookup.
import { RIGHT_READ, RIGHT_WRITE, seL4_PageBits, seL4_LargePageBits, seL4_HugePageBits } from "../api/constants.js";
import { syscallError } from "../api/failures.js";
import type { Word } from "../api/types.js";
import type { KernelState } from "../model/state.js";
import { maskVMRights } from "../object/objecttype.js";
import { TCB_VTABLE, type Cap, type CTE, type FrameObj, type PagingObj, type TCB } from "../object/structures.js";

/** Top of the user half of the address space (x86_64 USER_TOP, 47 bits). */
export const USER_TOP = 0x00007fffffffffffn;
const INDEX_OFFSET = { PML4: 39n, PDPT: 30n, PageDirectory: 21n, PageTable: 12n } as const;
const CHILD_KIND = { PML4: "PDPT", PDPT: "PageDirectory", PageDirectory: "PageTable" } as const;

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
export function lookupTable(vspace: PagingObj, vaddr: Word, level: "PDPT" | "PageDirectory" | "PageTable"):
  PagingObj | { missingBits: number } {
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

function requireVSpace(cap: Cap | undefined): PagingObj {
  if (!cap || cap.type !== "PML4" || cap.obj.asid === null) {
    syscallError({ type: "InvalidCapability", capNumber: 1 }, "Map: invalid top-level VSpace cap.");
  }
  return cap.obj;
}

function checkVAddr(vaddr: Word, sizeBits: number): void {
  const size = 1n << BigInt(sizeBits);
  if ((vaddr & (size - 1n)) !== 0n) syscallError({ type: "AlignmentError" }, "Map: virtual address is not aligned.");
  if (vaddr + size - 1n > USER_TOP) syscallError({ type: "InvalidArgument", argumentNumber: 0 }, "Map: mapping address too high.");
}

/** Map a PDPT, page directory or page table into a VSpace. */
export function decodePagingMap(slot: CTE, vspaceCap: Cap | undefined, vaddr: Word): () => void {
  const cap = slot.cap;
  if (cap.type !== "PDPT" && cap.type !== "PageDirectory" && cap.type !== "PageTable") {
    return syscallError({ type: "IllegalOperation" }, "Map: not a paging structure cap.");
  }
  const obj = cap.obj;
  if (obj.mappedIn !== null) syscallError({ type: "InvalidCapability", capNumber: 0 }, "Map: table is already mapped.");
  const vspace = requireVSpace(vspaceCap);
  const level = cap.type === "PDPT" ? "PML4" : cap.type === "PageDirectory" ? "PDPT" : "PageDirectory";
  checkVAddr(vaddr & ~((1n << INDEX_OFFSET[level]) - 1n), 0);
  const parent = level === "PML4" ? vspace : lookupTable(vspace, vaddr, level);
  if ("missingBits" in parent) {
    syscallError({ type: "FailedLookup", source: false, lookupFailure: { type: "MissingCapability", bitsLeft: parent.missingBits } },
      "Map: parent paging structure is not present.");
  }
  const i = index(level, vaddr);
  if (parent.entries[i]) syscallError({ type: "DeleteFirst" }, "Map: the entry is already in use.");
  void CHILD_KIND;
  return () => {
    parent.entries[i] = { kind: "table", table: obj };
    obj.mappedIn = { vspace, vaddr: vaddr & ~((1n << INDEX_OFFSET[level]) - 1n) };
  };
}

export function unmapPagingObject(ks: KernelState, obj: PagingObj): void {
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
}

/** seL4_X86_Page_Map(frame, vspace, vaddr, rights, attr). */
export function decodeFrameMap(slot: CTE, vspaceCap: Cap | undefined, vaddr: Word, rights: number): () => void {
  const cap = slot.cap as Extract<Cap, { type: "Frame" }>;
  if (cap.mapping !== null) syscallError({ type: "InvalidCapability", capNumber: 0 }, "X86Frame: Frame already mapped.");
  const vspace = requireVSpace(vspaceCap);
  checkVAddr(vaddr, frameSizeBits(cap.obj));
  const level = frameLevel(cap.obj);
  const table = lookupTable(vspace, vaddr, level);
  if ("missingBits" in table) {
    syscallError({ type: "FailedLookup", source: false, lookupFailure: { type: "MissingCapability", bitsLeft: table.missingBits } },
      "X86Frame: no page table covers that address.");
  }
  const levelKey = level === "PDPT" ? "PDPT" : level;
  const i = index(levelKey, vaddr);
  if (table.entries[i]) syscallError({ type: "DeleteFirst" }, "X86Frame: the page is already mapped.");
  const vmRights = maskVMRights(cap.rights, rights);
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
export const FSR_PRESENT = 1, FSR_WRITE = 2, FSR_USER = 4;

/** A user load/store: the physical word index, or the FSR of the VM fault it raises. */
export function userAccess(ks: KernelState, t: TCB, vaddr: Word, write: boolean): { wordIndex: number } | { fsr: number } {
  const m = translate(ks, t, vaddr);
  const fsr = FSR_USER | (write ? FSR_WRITE : 0);
  if (m === null) return { fsr };
  const allowed = write ? (m.rights & RIGHT_WRITE) !== 0 : (m.rights & RIGHT_READ) !== 0;
  if (!allowed) return { fsr: fsr | FSR_PRESENT };
  if ((vaddr & 7n) !== 0n) return { fsr: fsr | FSR_PRESENT };
  return { wordIndex: m.paddr / 8 };
}
