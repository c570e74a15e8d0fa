// The memory side of a system spec: where each thread's IPC buffer and stack go, the frames mapped
// into each VSpace (aligned, inside the user half, not overlapping each other, an IPC buffer or a
// stack of any thread in that VSpace) and whether every object fits in the simulated physical memory.
import {
  type KernelConfig,
  seL4_EndpointBits,
  seL4_HugePageBits,
  seL4_LargePageBits,
  seL4_NotificationBits,
  seL4_PageBits,
  seL4_PML4Bits,
  seL4_ReplyBits,
  seL4_SlotBits,
  seL4_TCBBits,
} from "../abi/constants.js";
import type { FieldReader } from "../tutorial/fields.js";
import type { JsonPath } from "../tutorial/json-source.js";
import {
  IPC_BUFFER_VADDR,
  PHYSICAL_MEMORY_BYTES,
  rightsText,
  STACK_PAGE_VADDR,
  type PlanCap,
  type PlanMapping,
  type PlanObject,
  type PlanThread,
  type SpecRef,
} from "./plan.js";
import { hex, NAME, parseWord, readRights } from "./spec-values.js";
import { DATA_SEGMENT_BYTES, DATA_SEGMENT_PAGES, DATA_SEGMENT_VADDR } from "../abi/image.js";

const MAPPING_KEYS = ["frame", "vaddr", "rights", "symbol", "endSymbol", "cap", "configs"] as const;

/** End of the user half of an x86_64 address space (USER_TOP + 1). */
export const USER_END = 1n << 47n;
const FRAME_BITS: Record<string, number> = {
  Frame4K: seL4_PageBits,
  LargePage: seL4_LargePageBits,
  HugePage: seL4_HugePageBits,
};
/** Paging structures mapFrame may create for one mapping (PDPT, page directory, page table). */
const PAGING_LEVELS = 3;

const PAGE = 1n << BigInt(seL4_PageBits);

/** Where a thread's IPC buffer (by default) and stack go. */
export interface ThreadLayout {
  ipcBufferVaddr: bigint;
  stackVaddr: bigint;
}

/**
 * The `index`-th thread of a VSpace (file order): IPC buffers one page apart upwards from
 * 0x10000000, stacks two pages apart downwards from the top of the user half, so an unmapped page
 * separates one thread's stack from the next.
 */
export function threadLayout(index: number): ThreadLayout {
  const n = BigInt(index);
  return { ipcBufferVaddr: IPC_BUFFER_VADDR + n * PAGE, stackVaddr: STACK_PAGE_VADDR - 2n * n * PAGE };
}

interface Region {
  start: bigint;
  end: bigint;
  what: string;
}

/** The regions of one VSpace taken so far: the program's data segment, its threads' IPC buffers and stacks, then mappings. */
export class VSpaceRegions {
  private readonly taken: Region[] = [
    {
      start: DATA_SEGMENT_VADDR,
      end: DATA_SEGMENT_VADDR + BigInt(DATA_SEGMENT_BYTES),
      what: "the program's data segment",
    },
  ];

  /** A thread's IPC buffer page and stack page; what they overlap, as messages (none: both taken). */
  addThread(thread: string, ipcBufferVaddr: bigint | null, stackVaddr: bigint): string[] {
    const own: Region[] = [{ start: stackVaddr, end: stackVaddr + PAGE, what: `thread ${thread}'s stack` }];
    if (ipcBufferVaddr !== null) {
      const page = ipcBufferVaddr - (ipcBufferVaddr % PAGE);
      own.unshift({ start: page, end: page + PAGE, what: `thread ${thread}'s IPC buffer` });
    }
    return own.flatMap((region) => {
      const clash = this.claim(region.start, region.end - region.start, region.what);
      return clash ? [`${region.what} at ${hex(region.start)} overlaps ${clash.what} at ${hex(clash.start)}`] : [];
    });
  }

  /** The region a new one of `size` bytes at `vaddr` would overlap, if any; otherwise it is taken. */
  claim(vaddr: bigint, size: bigint, what: string): Region | undefined {
    const clash = this.taken.find((o) => vaddr < o.end && o.start < vaddr + size);
    if (!clash) this.taken.push({ start: vaddr, end: vaddr + size, what });
    return clash;
  }
}

/** Makes the cap a mapping names its holder, or reports why it cannot be (and gives null). */
type ClaimCap = (symbol: string, mapping: PlanMapping, path: JsonPath) => PlanCap | null;

interface Lister {
  listEntries(
    list: unknown,
    path: JsonPath,
    keys: readonly string[],
  ): { entry: Record<string, unknown>; path: JsonPath }[];
  missing: Map<string, string>;
  ref(path: JsonPath): SpecRef;
}

export function readMappings(
  lister: Lister,
  r: FieldReader,
  t: Record<string, unknown>,
  path: JsonPath,
  objects: Map<string, PlanObject>,
  regions: VSpaceRegions,
  claimCap: ClaimCap,
  symbols: Set<string>,
): PlanMapping[] {
  const out: PlanMapping[] = [];
  for (const { entry: m, path: mpath } of lister.listEntries(t.mappings, [...path, "mappings"], MAPPING_KEYS)) {
    const frame = r.string(m, "frame", mpath) ?? "";
    const obj = objects.get(frame);
    if (!obj) r.error([...mpath, "frame"], lister.missing.get(frame) ?? `unknown object "${frame}"`);
    else if (FRAME_BITS[obj.type] === undefined)
      r.error([...mpath, "frame"], `"${frame}" is a ${obj.type}, not a frame (Frame4K, LargePage or HugePage)`);
    const size = 1n << BigInt(FRAME_BITS[obj?.type ?? ""] ?? seL4_PageBits);
    const vaddr = parseWord(m.vaddr);
    const rights = readRights(r, m, mpath, "RW");
    if (vaddr === null) {
      r.error([...mpath, "vaddr"], `"vaddr" must be a user virtual address (a string such as "0x20000000")`);
      continue;
    }
    if (vaddr % size !== 0n) {
      r.error(
        [...mpath, "vaddr"],
        `${hex(vaddr)} is not aligned to the size of a ${obj?.type ?? "frame"} (${hex(size)} bytes)`,
      );
      continue;
    }
    if (vaddr + size > USER_END) {
      r.error([...mpath, "vaddr"], `${hex(vaddr)} is outside the user address space (below ${hex(USER_END)})`);
      continue;
    }
    const clash = regions.claim(vaddr, size, `"${frame}"`);
    if (clash) {
      r.error(
        [...mpath, "vaddr"],
        `a ${obj?.type ?? "frame"} at ${hex(vaddr)} overlaps ${clash.what} at ${hex(clash.start)}`,
      );
      continue;
    }
    const mapping: PlanMapping = {
      frame,
      vaddr,
      size,
      rights,
      symbol: null,
      endSymbol: null,
      cap: null,
      at: lister.ref(mpath),
    };
    for (const key of ["symbol", "endSymbol"] as const) {
      if (m[key] === undefined) continue;
      const name = r.string(m, key, mpath) ?? null;
      if (name !== null && !NAME.test(name)) r.error([...mpath, key], `symbol "${name}" must be an identifier`);
      else if (name !== null && symbols.has(name))
        r.error([...mpath, key], `symbol "${name}" is already a name in the thread's cspace module`);
      if (name !== null) symbols.add(name);
      mapping[key] = name;
    }
    if (m.cap !== undefined) mapping.cap = claimCap(r.string(m, "cap", mpath) ?? "", mapping, [...mpath, "cap"]);
    out.push(mapping);
  }
  return out;
}

/**
 * The caps that hold boot mappings: the capDL loader maps each frame with a copy of its cap, and
 * moves that copy into the slot the spec names, so the cap there is a mapped frame cap.
 */
export class MappingHolders {
  private readonly held = new Map<PlanCap, string>();

  constructor(
    private readonly r: FieldReader,
    private readonly objects: Map<string, PlanObject>,
  ) {}

  /** The cap `symbol` of `caps` (a thread's CSpace root) as the holder of `mapping`, or null after reporting why not. */
  claimIn(caps: readonly PlanCap[], cnode: string): ClaimCap {
    return (symbol, mapping, path) => {
      const cap = caps.find((c) => c.symbol === symbol);
      const where = hex(mapping.vaddr);
      if (!cap) return this.refuse(path, `"${symbol}" is not one of the caps in the thread's CSpace root (${cnode})`);
      if (cap.object !== mapping.frame) {
        const what =
          cap.object === null ? "an empty slot" : `a cap to "${cap.object}" (${this.objects.get(cap.object)?.type})`;
        return this.refuse(path, `the mapping's cap must be a cap to "${mapping.frame}"; "${symbol}" is ${what}`);
      }
      const other = this.held.get(cap);
      if (other !== undefined)
        return this.refuse(path, `"${symbol}" already holds the mapping at ${other}: a frame cap maps one page`);
      if ((mapping.rights & ~cap.rights) !== 0) {
        return this.refuse(
          path,
          `the mapping's rights ${rightsText(mapping.rights)} are more than "${symbol}" has (${rightsText(cap.rights) || "none"})`,
        );
      }
      this.held.set(cap, where);
      return cap;
    };
  }

  private refuse(path: JsonPath, message: string): null {
    this.r.error(path, message);
    return null;
  }
}

function objectBits(o: PlanObject, config: KernelConfig): number {
  switch (o.type) {
    case "Untyped":
    case "SchedContext":
      return o.sizeBits ?? 0;
    case "CNode":
      return (o.sizeBits ?? 1) + seL4_SlotBits;
    case "TCB":
      return seL4_TCBBits;
    case "Endpoint":
      return seL4_EndpointBits;
    case "Notification":
      return seL4_NotificationBits(config);
    case "Reply":
      return seL4_ReplyBits;
    case "Frame4K":
    case "LargePage":
    case "HugePage":
      return FRAME_BITS[o.type]!;
    case "PML4":
    case "PDPT":
    case "PageDirectory":
    case "PageTable":
      return seL4_PML4Bits;
    case "SchedControl":
    case "ASIDPool":
    case "IRQControl":
      return 4;
  }
}

/** The end of the physical addresses user device memory may have (CONFIG_PADDR_USER_DEVICE_TOP). */
const DEVICE_TOP = 1n << 47n;

/**
 * Objects with a "paddr" are device memory: each aligned to its size, above the simulated RAM and
 * below 2^47, and no two overlapping (an Untyped and a frame inside it would be two owners of one
 * device region; retype the Untyped instead).
 */
export function checkDevices(
  r: FieldReader,
  objects: Map<string, PlanObject>,
  pathOf: (name: string) => JsonPath,
  config: KernelConfig,
): void {
  const placed: { start: bigint; end: bigint; name: string }[] = [];
  for (const o of objects.values()) {
    if (o.paddr === undefined) continue;
    const size = 1n << BigInt(objectBits(o, config));
    const at = [...pathOf(o.name), "paddr"];
    if (o.paddr % size !== 0n) {
      r.error(at, `${hex(o.paddr)} is not aligned to the size of "${o.name}" (${hex(size)} bytes)`);
      continue;
    }
    if (o.paddr < BigInt(PHYSICAL_MEMORY_BYTES) || o.paddr + size > DEVICE_TOP) {
      r.error(
        at,
        `device memory must lie above the simulated RAM (${hex(BigInt(PHYSICAL_MEMORY_BYTES))}) and below ${hex(DEVICE_TOP)}; ` +
          `the HPET, for one, is at 0xfed00000`,
      );
      continue;
    }
    const clash = placed.find((p) => o.paddr! < p.end && p.start < o.paddr! + size);
    if (clash) {
      r.error(at, `"${o.name}" at ${hex(o.paddr)} overlaps "${clash.name}" at ${hex(clash.start)}`);
      continue;
    }
    placed.push({ start: o.paddr, end: o.paddr + size, name: o.name });
  }
}

/**
 * The loader allocates objects in order, each aligned to its size, then the paging structures the
 * mappings need: the total must fit in the simulated physical memory.
 */
export function checkMemory(
  r: FieldReader,
  objects: Map<string, PlanObject>,
  pathOf: (name: string) => JsonPath,
  threads: PlanThread[],
  config: KernelConfig,
): void {
  let top = 0;
  let largest: PlanObject | null = null;
  for (const o of objects.values()) {
    if (o.paddr !== undefined) continue; // device memory takes no RAM
    const size = 2 ** objectBits(o, config);
    top = Math.ceil(top / size) * size + size;
    if (!largest || objectBits(o, config) > objectBits(largest, config)) largest = o;
  }
  // Per thread: the paging structures of its IPC buffer, stack, data segment and mappings, and
  // the frames of its stack and data segment.
  for (const t of threads)
    top += ((3 + t.mappings.length) * PAGING_LEVELS + DATA_SEGMENT_PAGES + 1) * 2 ** seL4_PageBits;
  if (top <= PHYSICAL_MEMORY_BYTES || !largest) return;
  const mib = (n: number) => `${n % 2 ** 20 === 0 ? n / 2 ** 20 : (n / 2 ** 20).toFixed(2)} MiB`;
  r.error(
    pathOf(largest.name),
    `the objects need ${mib(top)} of physical memory, more than the simulated ${mib(PHYSICAL_MEMORY_BYTES)}; ` +
      `the largest is "${largest.name}" (${largest.type}, 2^${objectBits(largest, config)} bytes)`,
  );
}
