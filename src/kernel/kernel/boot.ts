// Booting the initial thread, the root task, as seL4 does on x86_64 (src/kernel/boot.c and
// src/arch/x86/kernel/boot.c init_sys_state): free memory is what the memory map offers minus
// the kernel and user images; the root server's objects are carved from the top of it; the root
// CNode gets the fixed caps, then (in this order) the MCS SchedControl cap, the image's paging
// structures, the extra boot info pages, the image's frames and the untypeds; the rest is empty.
// The boot info frame describes exactly that.
import {
  CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS,
  encodeBootInfo,
  type BootInfo,
  type SlotRegion,
  type UntypedDesc,
} from "../../abi/bootinfo.js";
import {
  CONFIG_TIME_SLICE,
  seL4_ASIDPoolBits,
  seL4_MaxPrio,
  seL4_MaxUntypedBits,
  seL4_MinSchedContextBits,
  seL4_MinUntypedBits,
  seL4_PageBits,
  seL4_PageTableBits,
  seL4_SlotBits,
  seL4_TCBBits,
  seL4_VSpaceBits,
  seL4_WordBits,
} from "../../abi/constants.js";
import { toWord, type Word } from "../api/types.js";
import { nextASID } from "../arch/invocations.js";
import { FaultIP, NextIP, RDI } from "../../abi/registers.js";
import {
  EXTRA_BOOT_INFO_BYTES,
  HIGHMEM_PADDR,
  KERNEL_ELF_PADDR_BASE,
  KERNEL_IMAGE,
  MSI_REGION,
  PADDR_USER_DEVICE_TOP,
  PC99_MEMORY_MAP,
  USER_IMAGE,
  type PhysRegion,
} from "../arch/pc99.js";
import type { KernelState } from "../model/state.js";
import { cteInsert, insertOriginal } from "../object/cdt.js";
import { createObject } from "../object/create.js";
import { deriveCap, withFreeIndex } from "../object/objecttype.js";
import { setupReplyMaster } from "../object/tcbops.js";
import { refillNew } from "./mcstime.js";
import {
  ThreadState,
  TCB_BUFFER_MASTER,
  TCB_BUFFER_MCS,
  TCB_CTABLE,
  TCB_VTABLE,
  type Cap,
  type CNodeObj,
  type CTE,
  type FrameObj,
  type PagingObj,
  type SchedContextObj,
  type SingletonKind,
  type SingletonObj,
  type TCB,
  type UntypedObj,
} from "../object/structures.js";

/** KernelRootCNodeSizeBits in the official tutorials' settings.cmake: 2^16 slots. */
export const CONFIG_ROOT_CNODE_SIZE_BITS = 16;
/** CONFIG_BOOT_THREAD_TIME_SLICE (MCS): the root task's SC budget, in ms. */
const CONFIG_BOOT_THREAD_TIME_SLICE_MS = 5;
/** MIN_REFILLS: the refills of the root task's SC. */
const MIN_REFILLS = 2;
/** seL4_BootInfoFrameBits. */
const BOOT_INFO_FRAME_BITS = seL4_PageBits;
const PAGE = 2 ** seL4_PageBits;

/** Slot numbers of the fixed caps (seL4_RootCNodeCapSlots). */
export const InitialSlot = {
  TCB: 1,
  CNode: 2,
  VSpace: 3,
  IRQControl: 4,
  ASIDControl: 5,
  ASIDPool: 6,
  IOPortControl: 7,
  IOSpace: 8,
  BootInfoFrame: 9,
  IPCBuffer: 10,
  Domain: 11,
  SMMUSIDControl: 12,
  SMMUCBControl: 13,
  InitThreadSC: 14,
  SMC: 15,
} as const;
export const seL4_NumInitialCaps = 16;

export interface RootServer {
  tcb: TCB;
  cnode: CNodeObj;
  bootInfo: BootInfo;
  /** Where the boot info frame is mapped in the root task's VSpace (the kernel passes it in RDI). */
  bootInfoVAddr: Word;
  /** The physical regions the untypeds were made from: device memory, then RAM (for tests and reports). */
  freeMemory: PhysRegion[];
}

const roundDown = (x: number, bits: number) => Math.floor(x / 2 ** bits) * 2 ** bits;
const roundUp = (x: number, bits: number) => Math.ceil(x / 2 ** bits) * 2 ** bits;
const isEmpty = (r: PhysRegion) => r.start >= r.end;

/** ctzl for addresses up to 2^53. */
function alignBits(x: number): number {
  let bits = 0;
  while (x % 2 ** (bits + 1) === 0 && bits < 63) bits++;
  return bits;
}

/** calculate_extra_bi_size_bits: the smallest 2^n >= one page that holds the extra boot info. */
function extraBootInfoSizeBits(bytes: number): number {
  if (bytes === 0) return 0;
  let msb = Math.floor(Math.log2(roundUp(bytes, seL4_PageBits)));
  if (bytes > 2 ** msb) msb++;
  return msb;
}

/** get_n_paging: how many 2^bits-sized blocks cover [start, end). */
function nPaging(start: bigint, end: bigint, bits: bigint): number {
  const s = (start >> bits) << bits;
  const e = ((end + (1n << bits) - 1n) >> bits) << bits;
  return Number((e - s) >> bits);
}

/** Sorted, merged reserved regions (ndks_boot.reserved, kept by reserve_region). */
class Reserved {
  readonly list: PhysRegion[] = [];
  add(r: PhysRegion): void {
    if (isEmpty(r)) return;
    this.list.push(r);
    this.list.sort((a, b) => a.start - b.start);
    for (let i = 1; i < this.list.length;) {
      const prev = this.list[i - 1]!;
      const cur = this.list[i]!;
      if (prev.end >= cur.start) {
        this.list.splice(i - 1, 2, { start: prev.start, end: Math.max(prev.end, cur.end) });
      } else {
        i++;
      }
    }
  }
}

/** Where create_rootserver_objects puts each root server object (physical addresses). */
interface RootServerMemory {
  cnode: number;
  vspace: number;
  asidPool: number;
  ipcBuf: number;
  bootInfo: number;
  extraBI: number;
  paging: number[];
  tcb: number;
  sc: number | null;
}

export function bootRootServer(ks: KernelState): RootServer {
  const uiBytes = USER_IMAGE.pages * PAGE;
  const uiP: PhysRegion = { start: KERNEL_IMAGE.end, end: KERNEL_IMAGE.end + uiBytes };
  const uiVStart = USER_IMAGE.vaddr;
  const ipcbufVptr = uiVStart + BigInt(uiBytes);
  const biFrameVptr = ipcbufVptr + BigInt(PAGE);
  const extraBIVptr = biFrameVptr + 2n ** BigInt(BOOT_INFO_FRAME_BITS);
  const extraBits = extraBootInfoSizeBits(EXTRA_BOOT_INFO_BYTES);
  const itVEnd = extraBIVptr + (extraBits > 0 ? 2n ** BigInt(extraBits) : 0n);
  const paging = {
    pdpt: nPaging(uiVStart, itVEnd, 39n),
    pd: nPaging(uiVStart, itVEnd, 30n),
    pt: nPaging(uiVStart, itVEnd, 21n),
  };
  const nPagingTotal = paging.pdpt + paging.pd + paging.pt;

  const reserved = new Reserved();
  reserved.add(MSI_REGION); // platAddDevices, before init_sys_state
  const { freemem, rootserver } = initFreemem(ks, reserved, uiP, extraBits, nPagingTotal);

  const mk = <T>(type: Parameters<typeof createObject>[1], paddr: number, sizeBits: number, name: string) =>
    createObject(ks, type, paddr, sizeBits, name).obj as T;
  const singleton = (kind: SingletonKind) => mk<SingletonObj>(kind, 0, 0, kind);

  // create_root_cnode: radix 16, guard size 48, so a CPtr of depth seL4_WordBits resolves.
  const cnode = mk<CNodeObj>("CNode", rootserver.cnode, CONFIG_ROOT_CNODE_SIZE_BITS, "rootserver_cnode");
  const slot = (i: number) => cnode.slots[i]!;
  const writeSlot = (i: number, cap: Cap): CTE => {
    insertOriginal(cap, slot(i));
    return slot(i);
  };
  const rootCNodeCap: Cap = {
    type: "CNode",
    obj: cnode,
    guard: 0n,
    guardSize: seL4_WordBits - CONFIG_ROOT_CNODE_SIZE_BITS,
  };
  writeSlot(InitialSlot.CNode, rootCNodeCap);
  writeSlot(InitialSlot.IOPortControl, { type: "IOPortControl", obj: singleton("IOPortControl") });
  writeSlot(InitialSlot.Domain, { type: "Domain", obj: singleton("Domain") });
  writeSlot(InitialSlot.IRQControl, { type: "IRQControl", obj: singleton("IRQControl") });

  // populate_bi_frame; provide_cap appends from seL4_NumInitialCaps on.
  let slotPosCur = seL4_NumInitialCaps;
  const provideCap = (cap: Cap): CTE => {
    if (slotPosCur >= 2 ** CONFIG_ROOT_CNODE_SIZE_BITS)
      throw new Error(`boot: all ${2 ** CONFIG_ROOT_CNODE_SIZE_BITS} root CNode slots used`);
    return writeSlot(slotPosCur++, cap);
  };
  const region = (run: () => void): SlotRegion => {
    const start = slotPosCur;
    run();
    return { start, end: slotPosCur };
  };

  const schedcontrol = ks.mcs
    ? region(() => provideCap({ type: "SchedControl", obj: singleton("SchedControl") }))
    : null;

  // create_it_address_space: the PML4, then the PDPTs, PDs and PTs covering the image, mapped.
  const vspace = mk<PagingObj>("PML4", rootserver.vspace, seL4_VSpaceBits, "rootserver_vspace");
  vspace.asid = nextASID(ks);
  const vspaceCap: Cap = { type: "PML4", obj: vspace };
  writeSlot(InitialSlot.VSpace, vspaceCap);
  let pagingAt = 0;
  const userImagePaging = region(() => {
    const levels = [
      ["PDPT", 39n, paging.pdpt, "PML4"],
      ["PageDirectory", 30n, paging.pd, "PDPT"],
      ["PageTable", 21n, paging.pt, "PageDirectory"],
    ] as const;
    for (const [kind, shift, count] of levels) {
      for (let i = 0; i < count; i++) {
        const vaddr = ((uiVStart >> shift) << shift) + BigInt(i) * (1n << shift);
        const table = mk<PagingObj>(
          kind,
          rootserver.paging[pagingAt++]!,
          seL4_PageTableBits,
          `rootserver_${kind.toLowerCase()}_${vaddr.toString(16)}`,
        );
        mapTable(vspace, table, vaddr, shift);
        provideCap({ type: kind, obj: table } as Cap);
      }
    }
  });

  // A frame of the root server, mapped read-write at vaddr, its cap written by `put`.
  const mappedFrame = (paddr: number, vaddr: Word, name: string, put: (cap: Cap) => CTE): FrameObj => {
    const frame = mk<FrameObj>("Frame4K", paddr, seL4_PageBits, name);
    mapFrameEntry(vspace, frame, vaddr, put({ type: "Frame", obj: frame, rights: 0x3, mapping: { vspace, vaddr } }));
    return frame;
  };
  mappedFrame(rootserver.bootInfo, biFrameVptr, "rootserver_bootinfo", (c) => writeSlot(InitialSlot.BootInfoFrame, c));
  const extraBIPages = region(() => {
    const pages = extraBits > 0 ? 2 ** (extraBits - seL4_PageBits) : 0;
    for (let i = 0; i < pages; i++) {
      mappedFrame(
        rootserver.extraBI + i * PAGE,
        extraBIVptr + BigInt(i * PAGE),
        `rootserver_extra_bootinfo_${i}`,
        provideCap,
      );
    }
  });
  mappedFrame(rootserver.ipcBuf, ipcbufVptr, "rootserver_ipc_buffer", (c) => writeSlot(InitialSlot.IPCBuffer, c));
  const userImageFrames = region(() => {
    for (let i = 0; i < USER_IMAGE.pages; i++) {
      mappedFrame(uiP.start + i * PAGE, uiVStart + BigInt(i * PAGE), `rootserver_image_${i}`, provideCap);
    }
  });

  // create_it_asid_pool
  writeSlot(InitialSlot.ASIDPool, {
    type: "ASIDPool",
    obj: mk("ASIDPool", rootserver.asidPool, seL4_ASIDPoolBits, "rootserver_asid_pool"),
  });
  writeSlot(InitialSlot.ASIDControl, { type: "ASIDControl", obj: singleton("ASIDControl") });

  const tcb = createInitialThread(ks, cnode, rootserver, ipcbufVptr, biFrameVptr);

  // create_untypeds: device memory between the reserved regions, then the kernel's boot code,
  // then the free RAM.
  const untypedList: UntypedDesc[] = [];
  const firstUntyped = slotPosCur;
  const provideUntyped = (isDevice: boolean, paddr: number, sizeBits: number) => {
    if (slotPosCur - firstUntyped >= CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS) return; // "Too many untyped regions for boot info"
    untypedList.push({ paddr, sizeBits, isDevice });
    const ut = mk<UntypedObj>("Untyped", paddr, sizeBits, `untyped_${paddr.toString(16)}`);
    ut.isDevice = isDevice;
    // cap_untyped_cap_new(MAX_FREE_INDEX(size_bits), ...): marked full; the first retype resets it.
    ut.freeIndex = 2 ** sizeBits;
    provideCap(withFreeIndex({ type: "Untyped", obj: ut }, 2 ** sizeBits));
  };
  const deviceRegions: PhysRegion[] = [];
  let start = 0;
  for (const r of reserved.list) {
    if (start < r.start) deviceRegions.push({ start, end: r.start });
    start = r.end;
  }
  if (start < PADDR_USER_DEVICE_TOP) deviceRegions.push({ start, end: PADDR_USER_DEVICE_TOP });
  const ramRegions = [{ start: KERNEL_IMAGE.start, end: KERNEL_IMAGE.bootEnd }, ...freemem.filter((r) => !isEmpty(r))];
  for (const r of deviceRegions) untypedsForRegion(r, (paddr, bits) => provideUntyped(true, paddr, bits));
  for (const r of ramRegions) untypedsForRegion(r, (paddr, bits) => provideUntyped(false, paddr, bits));
  const untyped = { start: firstUntyped, end: slotPosCur };

  const bootInfo: BootInfo = {
    extraLen: EXTRA_BOOT_INFO_BYTES,
    nodeID: 0,
    numNodes: 1,
    numIOPTLevels: toWord(-1),
    ipcBuffer: ipcbufVptr,
    empty: { start: slotPosCur, end: 2 ** CONFIG_ROOT_CNODE_SIZE_BITS }, // bi_finalise
    sharedFrames: { start: 0, end: 0 },
    userImageFrames,
    userImagePaging,
    ioSpaceCaps: { start: 0, end: 0 },
    extraBIPages,
    initThreadCNodeSizeBits: CONFIG_ROOT_CNODE_SIZE_BITS,
    initThreadDomain: 0,
    schedcontrol,
    untyped,
    untypedList,
  };
  const words = encodeBootInfo(ks.config, bootInfo);
  words.forEach((w, i) => (ks.mem64[rootserver.bootInfo / 8 + i] = w));
  ks.print("Booting all finished, dropped to user space\n"); // boot_sys, as the kernel leaves for user level
  return { tcb, cnode, bootInfo, bootInfoVAddr: biFrameVptr, freeMemory: [...deviceRegions, ...ramRegions] };
}

/**
 * init_freemem on our memory map: the available RAM (above 1 MiB, whole pages) minus the kernel
 * and user images, then the root server's objects from the top of the highest region they fit in,
 * aligned to the largest of them. Every region ends up reserved, so only the gaps are device memory.
 */
function initFreemem(
  ks: KernelState,
  reserved: Reserved,
  uiP: PhysRegion,
  extraBits: number,
  nPagingTotal: number,
): { freemem: PhysRegion[]; rootserver: RootServerMemory } {
  const available = PC99_MEMORY_MAP.filter((e) => e.usable && e.start >= HIGHMEM_PADDR && e.end - e.start >= PAGE).map(
    (e) => ({ start: roundUp(e.start, seL4_PageBits), end: roundDown(e.end, seL4_PageBits) }),
  );
  // arch_init_freemem: the kernel and user images, from KERNEL_ELF_PADDR_BASE on, are not free.
  const images: PhysRegion = { start: KERNEL_ELF_PADDR_BASE, end: uiP.end };
  const freemem: (PhysRegion | null)[] = [];
  for (const a of available) {
    const pieces = [
      { start: a.start, end: Math.min(a.end, images.start) },
      { start: Math.max(a.start, images.end), end: a.end },
    ];
    for (const p of pieces) {
      if (isEmpty(p)) continue;
      reserved.add(p); // insert_region reserves what it inserts
      freemem.push(p);
    }
  }
  reserved.add(images);
  freemem.push(null); // the slot after the last region is empty (MAX_NUM_FREEMEM_REG has room)

  const cnodeBits = CONFIG_ROOT_CNODE_SIZE_BITS + seL4_SlotBits;
  const maxBits = Math.max(cnodeBits, seL4_VSpaceBits, extraBits);
  const size =
    2 ** cnodeBits +
    2 ** seL4_TCBBits +
    PAGE +
    2 ** BOOT_INFO_FRAME_BITS +
    2 ** seL4_ASIDPoolBits +
    (extraBits > 0 ? 2 ** extraBits : 0) +
    2 ** seL4_VSpaceBits +
    (ks.mcs ? 2 ** seL4_MinSchedContextBits : 0) +
    nPagingTotal * 2 ** seL4_PageTableBits;
  let i = freemem.length - 2;
  for (; i >= 0; i--) {
    const r = freemem[i]!;
    const start = roundDown(r.end - size, maxBits);
    if (r.end - size >= 0 && start >= r.start) {
      freemem[i + 1] = { start: start + size, end: r.end };
      freemem[i] = { start: r.start, end: start };
      return {
        freemem: freemem.filter((x): x is PhysRegion => x !== null),
        rootserver: createRootServerMemory(ks, start, size, extraBits, maxBits, nPagingTotal),
      };
    }
    freemem[i + 1] = r;
    freemem[i] = null;
  }
  throw new Error(
    `boot: no free memory region is big enough for root server objects, need size/alignment of 2^${maxBits}`,
  );
}

/** create_rootserver_objects: the allocation order that keeps every object naturally aligned. */
function createRootServerMemory(
  ks: KernelState,
  start: number,
  size: number,
  extraBits: number,
  maxBits: number,
  n: number,
): RootServerMemory {
  let cur = start;
  const alloc = (bits: number, count = 1) => {
    if (cur % 2 ** bits !== 0)
      throw new Error(`boot: root server object of 2^${bits} bytes at 0x${cur.toString(16)} is not aligned`);
    const at = cur;
    cur += count * 2 ** bits;
    return at;
  };
  let extraBI = -1;
  const maybeExtra = (cmpBits: number) => {
    if (extraBits >= cmpBits && extraBI < 0) extraBI = alloc(extraBits);
  };
  const cnodeBits = CONFIG_ROOT_CNODE_SIZE_BITS + seL4_SlotBits;
  maybeExtra(maxBits);
  let cnode: number, vspace: number;
  if (cnodeBits > seL4_VSpaceBits) {
    cnode = alloc(cnodeBits);
    maybeExtra(seL4_VSpaceBits);
    vspace = alloc(seL4_VSpaceBits);
  } else {
    vspace = alloc(seL4_VSpaceBits);
    maybeExtra(cnodeBits);
    cnode = alloc(cnodeBits);
  }
  maybeExtra(seL4_PageBits);
  const asidPool = alloc(seL4_ASIDPoolBits);
  const ipcBuf = alloc(seL4_PageBits);
  const bootInfo = alloc(BOOT_INFO_FRAME_BITS);
  const pagingStart = alloc(seL4_PageTableBits, n);
  const paging = Array.from({ length: n }, (_, i) => pagingStart + i * 2 ** seL4_PageTableBits);
  const tcb = alloc(seL4_TCBBits);
  const sc = ks.mcs ? alloc(seL4_MinSchedContextBits) : null;
  if (cur !== start + size) throw new Error("boot: root server objects do not fill their region");
  return { cnode, vspace, asidPool, ipcBuf, bootInfo, extraBI, paging, tcb, sc };
}

/**
 * create_untypeds_for_region: the largest naturally aligned blocks, in address order, at most
 * 2^seL4_MaxUntypedBits; pieces smaller than 2^seL4_MinUntypedBits are left out.
 */
function untypedsForRegion(r: PhysRegion, provide: (paddr: number, sizeBits: number) => void): void {
  let start = r.start;
  while (start < r.end) {
    let sizeBits = Math.min(Math.floor(Math.log2(r.end - start)), seL4_MaxUntypedBits);
    if (2 ** sizeBits > r.end - start) sizeBits--; // log2 rounding on large numbers
    if (start !== 0) sizeBits = Math.min(sizeBits, alignBits(start));
    if (sizeBits >= seL4_MinUntypedBits) provide(start, sizeBits);
    start += 2 ** sizeBits;
  }
}

/** A paging structure of the initial address space covering 2^shift bytes, entered in the level above it. */
function mapTable(vspace: PagingObj, table: PagingObj, vaddr: bigint, shift: bigint): void {
  let parent = vspace;
  for (let s = 39n; s > shift; s -= 9n) {
    const e = parent.entries[Number((vaddr >> s) & 511n)];
    if (!e || e.kind !== "table") throw new Error(`boot: no paging structure above 0x${vaddr.toString(16)}`);
    parent = e.table;
  }
  parent.entries[Number((vaddr >> shift) & 511n)] = { kind: "table", table };
  table.mappedIn = { vspace, vaddr };
}

/** A 4 KiB frame of the initial address space, entered in its page table. */
function mapFrameEntry(vspace: PagingObj, frame: FrameObj, vaddr: bigint, cte: CTE | null): void {
  let table = vspace;
  for (const s of [39n, 30n, 21n]) {
    const e = table.entries[Number((vaddr >> s) & 511n)];
    if (!e || e.kind !== "table") throw new Error(`boot: no page table for 0x${vaddr.toString(16)}`);
    table = e.table;
  }
  table.entries[Number((vaddr >> 12n) & 511n)] = { kind: "frame", frame, rights: 0x3, cte };
}

/**
 * create_initial_thread: the TCB gets copies of the root CNode, VSpace and IPC buffer caps,
 * priority and MCP seL4_MaxPrio, the boot info address in its cap register, and (MCS) a
 * round-robin scheduling context with CONFIG_BOOT_THREAD_TIME_SLICE of budget. Named "rootserver".
 */
function createInitialThread(
  ks: KernelState,
  cnode: CNodeObj,
  rs: RootServerMemory,
  ipcbufVptr: Word,
  biFrameVptr: Word,
): TCB {
  const tcb = createObject(ks, "TCB", rs.tcb, seL4_TCBBits, "rootserver").obj as TCB;
  if (!ks.mcs) tcb.timeSlice = CONFIG_TIME_SLICE;
  const slot = (i: number) => cnode.slots[i]!;
  const ipcSlot = slot(InitialSlot.IPCBuffer);
  cteInsert(slot(InitialSlot.CNode).cap, slot(InitialSlot.CNode), tcb.slots[TCB_CTABLE]!);
  cteInsert(slot(InitialSlot.VSpace).cap, slot(InitialSlot.VSpace), tcb.slots[TCB_VTABLE]!);
  cteInsert(deriveCap(ipcSlot, ipcSlot.cap), ipcSlot, tcb.slots[ks.mcs ? TCB_BUFFER_MCS : TCB_BUFFER_MASTER]!);
  tcb.ipcBufferVAddr = ipcbufVptr;
  tcb.regs[RDI] = biFrameVptr;
  tcb.regs[FaultIP] = tcb.regs[NextIP] = USER_IMAGE.vaddr;
  if (ks.mcs) {
    const sc = createObject(ks, "SchedContext", rs.sc!, seL4_MinSchedContextBits, "rootserver_sc")
      .obj as SchedContextObj;
    refillNew(ks, sc, MIN_REFILLS, CONFIG_BOOT_THREAD_TIME_SLICE_MS * 1_000_000, 0);
    tcb.sc = sc;
    sc.tcb = tcb;
  }
  tcb.priority = seL4_MaxPrio;
  tcb.mcp = seL4_MaxPrio;
  tcb.domain = 0;
  setupReplyMaster(ks, tcb);
  tcb.state = ThreadState.Running;
  insertOriginal({ type: "Thread", obj: tcb }, slot(InitialSlot.TCB));
  if (ks.mcs) insertOriginal({ type: "SchedContext", obj: tcb.sc! }, slot(InitialSlot.InitThreadSC));
  // init_core_state: the idle thread runs until the scheduler switches to the root task.
  ks.schedulerAction = { kind: "SwitchToThread", target: tcb };
  ks.curThread = null;
  if (ks.mcs) ks.reprogram = true;
  return tcb;
}
