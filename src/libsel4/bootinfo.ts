// What a root task reads at start-up: the seL4_BootInfo the kernel wrote into the boot info
// frame (libsel4platsupport's platsupport_get_bootinfo(), which returns the pointer sel4runtime
// kept from the kernel's cap register), and libsel4tutorials' alloc_slot / alloc_object.
import { decodeBootInfo, type BootInfo } from "../abi/bootinfo.js";
import { seL4_NotEnoughMemory, type KernelConfig } from "../abi/constants.js";
import type { Sel4Channel } from "./channel.js";
import { badArg, describe, wordToNumber } from "./words.js";

/** The learner's seL4_BootInfo: plain fields; regions and untyped descriptors as objects. */
export type LearnerBootInfo = Omit<BootInfo, "numIOPTLevels" | "ipcBuffer" | "schedcontrol"> & {
  numIOPTLevels: number;
  ipcBuffer: number;
  schedcontrol?: BootInfo["schedcontrol"];
};

type Retype = (...args: unknown[]) => unknown;
type LogIf = (this: unknown, cond: unknown, fmt: unknown, ...args: unknown[]) => void;

/** Where alloc.c's checks are, so a failed one prints as the C library's would. */
const ALLOC_C = "alloc.c";

export function bootInfoFunctions(ch: Sel4Channel, config: KernelConfig, retype: Retype, zfLogfIf: LogIf) {
  let cached: LearnerBootInfo | null = null;

  const platsupport_get_bootinfo = (): LearnerBootInfo => {
    if (cached) return cached;
    const vaddr = ch.bootInfo;
    if (vaddr === undefined) {
      throw new Error(
        "platsupport_get_bootinfo: only the root task gets boot info from the kernel; this tutorial's threads " +
          "were started by the capDL loader, so their caps are the names in their cspace_<thread> module",
      );
    }
    const bi = decodeBootInfo(config, (i) => ch.load(vaddr + BigInt(8 * i)));
    const { schedcontrol, ...rest } = bi;
    // One object for the whole run, as C code gets one pointer: alloc_slot's info->empty.start++ stays.
    cached = {
      ...rest,
      numIOPTLevels: wordToNumber(bi.numIOPTLevels),
      ipcBuffer: wordToNumber(bi.ipcBuffer),
      ...(schedcontrol ? { schedcontrol } : {}),
    };
    return cached;
  };

  const bootInfoArg = (fn: string, info: unknown): LearnerBootInfo => {
    const bi = info as Partial<LearnerBootInfo> | null;
    if (
      typeof bi !== "object" ||
      bi === null ||
      typeof bi.empty !== "object" ||
      typeof bi.untyped !== "object" ||
      !Array.isArray(bi.untypedList)
    ) {
      throw badArg(fn, "info", `must be the seL4_BootInfo from platsupport_get_bootinfo(), got ${describe(info)}`);
    }
    return bi as LearnerBootInfo;
  };

  /** alloc_slot: the next slot of info->empty, which it then no longer counts as empty. */
  const alloc_slot = (info: unknown): number => {
    const bi = bootInfoArg("alloc_slot", info);
    zfLogfIf.call(
      { cond: "info->empty.start == info->empty.end", func: "alloc_slot", file: ALLOC_C, line: 12 },
      bi.empty.start === bi.empty.end,
      "No CSlots left!",
    );
    return bi.empty.start++;
  };

  /**
   * alloc_object: a new object in a fresh slot, retyped from the first RAM untyped that has room
   * (alloc.h's three-argument form; size_bits matters only for sized objects).
   */
  const alloc_object = (info: unknown, type: unknown, size_bits: unknown = 0): number => {
    const bi = bootInfoArg("alloc_object", info);
    const cslot = alloc_slot(bi);
    for (let untyped = bi.untyped.start; untyped < bi.untyped.end; untyped++) {
      const desc = bi.untypedList[untyped - bi.untyped.start];
      if (!desc || desc.isDevice) continue;
      // seL4_Untyped_Retype(untyped, type, size_bits, seL4_CapInitThreadCNode, 0, 0, cslot, 1)
      const error = retype(untyped, type, size_bits, 2, 0, 0, cslot, 1);
      if (error === 0) return cslot;
      zfLogfIf.call(
        { cond: "error != seL4_NotEnoughMemory", func: "alloc_object", file: ALLOC_C, line: 31 },
        error !== seL4_NotEnoughMemory,
        "Failed to allocate untyped",
      );
    }
    zfLogfIf.call(
      { cond: "error == seL4_NotEnoughMemory", func: "alloc_object", file: ALLOC_C, line: 36 },
      true,
      "Out of untyped memory",
    );
    return cslot;
  };

  return { platsupport_get_bootinfo, alloc_slot, alloc_object };
}
