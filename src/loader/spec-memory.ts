// The memory side of a system spec: the frames mapped into each thread's VSpace (aligned, inside
// the user half, not overlapping each other or the IPC buffer) and whether every object fits in
// the simulated physical memory.
import { type KernelConfig, seL4_EndpointBits, seL4_HugePageBits, seL4_LargePageBits, seL4_NotificationBits, seL4_PageBits, seL4_PML4Bits, seL4_ReplyBits, seL4_SlotBits, seL4_TCBBits } from "../abi/constants.js";
import type { FieldReader } from "../tutorial/fields.js";
import type { JsonPath } from "../tutorial/json-source.js";
import { PHYSICAL_MEMORY_BYTES, type PlanMapping, type PlanObject, type PlanThread, type SpecRef } from "./plan.js";
import { hex, parseWord, readRights } from "./spec-values.js";

const MAPPING_KEYS = ["frame", "vaddr", "rights", "configs"] as const;

/** End of the user half of an x86_64 address space (USER_TOP + 1). */
export const USER_END = 1n << 47n;
const FRAME_BITS: Record<string, number> = { Frame4K: seL4_PageBits, LargePage: seL4_LargePageBits, HugePage: seL4_HugePageBits };
/** Paging structures mapFrame may create for one mapping (PDPT, page directory, page table). */
const PAGING_LEVELS = 3;

interface Lister {
  listEntries(list: unknown, path: JsonPath, keys: readonly string[]): { entry: Record<string, unknown>; path: JsonPath }[];
  missing: Map<string, string>;
  ref(path: JsonPath): SpecRef;
}

export function readMappings(
  lister: Lister, r: FieldReader, t: Record<string, unknown>, path: JsonPath, objects: Map<string, PlanObject>,
  ipcBufferVaddr: bigint | null,
): PlanMapping[] {
  const out: PlanMapping[] = [];
  const page = 1n << BigInt(seL4_PageBits);
  const taken = ipcBufferVaddr === null ? []
    : [{ start: ipcBufferVaddr - (ipcBufferVaddr % page), end: ipcBufferVaddr - (ipcBufferVaddr % page) + page, what: "the thread's IPC buffer" }];
  for (const { entry: m, path: mpath } of lister.listEntries(t.mappings, [...path, "mappings"], MAPPING_KEYS)) {
    const frame = r.string(m, "frame", mpath) ?? "";
    const obj = objects.get(frame);
    if (!obj) r.error([...mpath, "frame"], lister.missing.get(frame) ?? `unknown object "${frame}"`);
    else if (FRAME_BITS[obj.type] === undefined) r.error([...mpath, "frame"], `"${frame}" is a ${obj.type}, not a frame (Frame4K, LargePage or HugePage)`);
    const size = 1n << BigInt(FRAME_BITS[obj?.type ?? ""] ?? seL4_PageBits);
    const vaddr = parseWord(m.vaddr);
    const rights = readRights(r, m, mpath, "RW");
    if (vaddr === null) {
      r.error([...mpath, "vaddr"], `"vaddr" must be a user virtual address (a string such as "0x20000000")`);
      continue;
    }
    if (vaddr % size !== 0n) {
      r.error([...mpath, "vaddr"], `${hex(vaddr)} is not aligned to the size of a ${obj?.type ?? "frame"} (${hex(size)} bytes)`);
      continue;
    }
    if (vaddr + size > USER_END) {
      r.error([...mpath, "vaddr"], `${hex(vaddr)} is outside the user address space (below ${hex(USER_END)})`);
      continue;
    }
    const clash = taken.find((o) => vaddr < o.end && o.start < vaddr + size);
    if (clash) {
      r.error([...mpath, "vaddr"], `a ${obj?.type ?? "frame"} at ${hex(vaddr)} overlaps ${clash.what} at ${hex(clash.start)}`);
      continue;
    }
    taken.push({ start: vaddr, end: vaddr + size, what: `"${frame}"` });
    out.push({ frame, vaddr, rights, at: lister.ref(mpath) });
  }
  return out;
}

function objectBits(o: PlanObject, config: KernelConfig): number {
  switch (o.type) {
    case "Untyped": case "SchedContext": return o.sizeBits ?? 0;
    case "CNode": return (o.sizeBits ?? 1) + seL4_SlotBits;
    case "TCB": return seL4_TCBBits;
    case "Endpoint": return seL4_EndpointBits;
    case "Notification": return seL4_NotificationBits(config);
    case "Reply": return seL4_ReplyBits;
    case "Frame4K": case "LargePage": case "HugePage": return FRAME_BITS[o.type]!;
    case "PML4": case "PDPT": case "PageDirectory": case "PageTable": return seL4_PML4Bits;
    case "SchedControl": case "ASIDPool": return 4;
  }
}

/**
 * The loader allocates objects in order, each aligned to its size, then the paging structures the
 * mappings need: the total must fit in the simulated physical memory.
 */
export function checkMemory(
  r: FieldReader, objects: Map<string, PlanObject>, pathOf: (name: string) => JsonPath, threads: PlanThread[], config: KernelConfig,
): void {
  let top = 0;
  let largest: PlanObject | null = null;
  for (const o of objects.values()) {
    const size = 2 ** objectBits(o, config);
    top = Math.ceil(top / size) * size + size;
    if (!largest || objectBits(o, config) > objectBits(largest, config)) largest = o;
  }
  for (const t of threads) top += (1 + t.mappings.length) * PAGING_LEVELS * 2 ** seL4_PageBits;
  if (top <= PHYSICAL_MEMORY_BYTES || !largest) return;
  const mib = (n: number) => `${n % 2 ** 20 === 0 ? n / 2 ** 20 : (n / 2 ** 20).toFixed(2)} MiB`;
  r.error(pathOf(largest.name),
    `the objects need ${mib(top)} of physical memory, more than the simulated ${mib(PHYSICAL_MEMORY_BYTES)}; ` +
    `the largest is "${largest.name}" (${largest.type}, 2^${objectBits(largest, config)} bytes)`);
}
