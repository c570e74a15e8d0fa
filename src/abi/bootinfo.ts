// seL4_BootInfo (libsel4/include/sel4/bootinfo_types.h): what the kernel tells the root task,
// and its layout in the boot info frame on x86_64 (every field a 64-bit word; each
// seL4_UntypedDesc is two words: paddr, then sizeBits and isDevice in the low two bytes).
import type { KernelConfig } from "./constants.js";

type Word = bigint;

/** seL4_SlotRegion: the slots [start, end) of the root CNode. */
export interface SlotRegion {
  start: number;
  end: number;
}

/** seL4_UntypedDesc. */
export interface UntypedDesc {
  paddr: number;
  sizeBits: number;
  isDevice: boolean;
}

export interface BootInfo {
  extraLen: number;
  nodeID: number;
  numNodes: number;
  /** x86 without an IOMMU writes -1 here (init_sys_state). */
  numIOPTLevels: Word;
  /** The IPC buffer's address in the root task's VSpace. */
  ipcBuffer: Word;
  empty: SlotRegion;
  sharedFrames: SlotRegion;
  userImageFrames: SlotRegion;
  userImagePaging: SlotRegion;
  ioSpaceCaps: SlotRegion;
  extraBIPages: SlotRegion;
  initThreadCNodeSizeBits: number;
  initThreadDomain: number;
  /** MCS only: the SchedControl caps, one per core. */
  schedcontrol: SlotRegion | null;
  untyped: SlotRegion;
  untypedList: UntypedDesc[];
}

/** CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS (config.cmake default). */
export const CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS = 230;

/** The regions of seL4_BootInfo in declaration order (schedcontrol only on MCS). */
const REGIONS = ["empty", "sharedFrames", "userImageFrames", "userImagePaging", "ioSpaceCaps", "extraBIPages"] as const;

/** Word offsets of the fields in the boot info frame for a configuration. */
function bootInfoLayout(config: KernelConfig) {
  const schedcontrol = config === "mcs" ? 19 : null;
  const untyped = config === "mcs" ? 21 : 19;
  return {
    extraLen: 0,
    nodeID: 1,
    numNodes: 2,
    numIOPTLevels: 3,
    ipcBuffer: 4,
    regions: Object.fromEntries(REGIONS.map((r, i) => [r, 5 + 2 * i])) as Record<(typeof REGIONS)[number], number>,
    initThreadCNodeSizeBits: 17,
    initThreadDomain: 18,
    schedcontrol,
    untyped,
    untypedList: untyped + 2,
  };
}

/** The words of a boot info frame (the frame is zero beyond them). */
export function encodeBootInfo(config: KernelConfig, bi: BootInfo): bigint[] {
  const at = bootInfoLayout(config);
  const words: bigint[] = new Array(at.untypedList + 2 * bi.untypedList.length).fill(0n);
  const region = (offset: number, r: SlotRegion) => {
    words[offset] = BigInt(r.start);
    words[offset + 1] = BigInt(r.end);
  };
  words[at.extraLen] = BigInt(bi.extraLen);
  words[at.nodeID] = BigInt(bi.nodeID);
  words[at.numNodes] = BigInt(bi.numNodes);
  words[at.numIOPTLevels] = bi.numIOPTLevels;
  words[at.ipcBuffer] = bi.ipcBuffer;
  for (const name of REGIONS) region(at.regions[name], bi[name]);
  words[at.initThreadCNodeSizeBits] = BigInt(bi.initThreadCNodeSizeBits);
  words[at.initThreadDomain] = BigInt(bi.initThreadDomain);
  if (at.schedcontrol !== null && bi.schedcontrol) region(at.schedcontrol, bi.schedcontrol);
  region(at.untyped, bi.untyped);
  bi.untypedList.forEach((u, i) => {
    words[at.untypedList + 2 * i] = BigInt(u.paddr);
    words[at.untypedList + 2 * i + 1] = BigInt(u.sizeBits) | (u.isDevice ? 1n << 8n : 0n);
  });
  return words;
}

/** Reads a boot info structure back, one word at a time (`word(i)` is word i of the frame). */
export function decodeBootInfo(config: KernelConfig, word: (index: number) => bigint): BootInfo {
  const at = bootInfoLayout(config);
  const num = (i: number) => Number(word(i));
  const region = (offset: number): SlotRegion => ({ start: num(offset), end: num(offset + 1) });
  const untyped = region(at.untyped);
  const count = Math.max(0, Math.min(untyped.end - untyped.start, CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS));
  const untypedList: UntypedDesc[] = [];
  for (let i = 0; i < count; i++) {
    const bits = word(at.untypedList + 2 * i + 1);
    untypedList.push({
      paddr: num(at.untypedList + 2 * i),
      sizeBits: Number(bits & 0xffn),
      isDevice: ((bits >> 8n) & 0xffn) !== 0n,
    });
  }
  const regions = Object.fromEntries(REGIONS.map((r) => [r, region(at.regions[r])])) as Record<
    (typeof REGIONS)[number],
    SlotRegion
  >;
  return {
    extraLen: num(at.extraLen),
    nodeID: num(at.nodeID),
    numNodes: num(at.numNodes),
    numIOPTLevels: word(at.numIOPTLevels),
    ipcBuffer: word(at.ipcBuffer),
    ...regions,
    initThreadCNodeSizeBits: num(at.initThreadCNodeSizeBits),
    initThreadDomain: num(at.initThreadDomain),
    schedcontrol: at.schedcontrol === null ? null : region(at.schedcontrol),
    untyped,
    untypedList,
  };
}
