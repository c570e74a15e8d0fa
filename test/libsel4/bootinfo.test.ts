// What a root task's C library gives it at start-up: platsupport_get_bootinfo() reads seL4_BootInfo
// from the boot info frame, and libsel4tutorials' alloc_slot / alloc_object work over it.
import { describe, expect, it } from "vitest";
import { encodeBootInfo, type BootInfo } from "../../src/abi/bootinfo.js";
import { objectTypeNumber, seL4_NotEnoughMemory, type KernelConfig } from "../../src/abi/constants.js";
import { invocationLabelNumber } from "../../src/abi/invocation.js";
import { R10, R8, R9, RDI, RSI } from "../../src/abi/registers.js";
import { createLibsel4 } from "../../src/libsel4/index.js";
import { FakeChannel } from "./fake-channel.js";

const BOOT_INFO_VADDR = 0x541000n;

function bootInfo(config: KernelConfig): BootInfo {
  const none = { start: 0, end: 0 };
  return {
    extraLen: 1292,
    nodeID: 0,
    numNodes: 1,
    numIOPTLevels: 2n ** 64n - 1n,
    ipcBuffer: 0x540000n,
    empty: { start: 400, end: 65536 },
    sharedFrames: none,
    userImageFrames: { start: 20, end: 340 },
    userImagePaging: { start: 17, end: 20 },
    ioSpaceCaps: none,
    extraBIPages: { start: 340, end: 341 },
    initThreadCNodeSizeBits: 16,
    initThreadDomain: 0,
    schedcontrol: config === "mcs" ? { start: 16, end: 17 } : null,
    untyped: { start: 341, end: 344 },
    untypedList: [
      { paddr: 0, sizeBits: 20, isDevice: true },
      { paddr: 0x100000, sizeBits: 16, isDevice: false },
      { paddr: 0x1000000, sizeBits: 24, isDevice: false },
    ],
  };
}

/** A root task's channel: the boot info frame is readable at BOOT_INFO_VADDR. */
class RootTaskChannel extends FakeChannel {
  readonly bootInfo = BOOT_INFO_VADDR;
  loads = 0;
  constructor(
    config: KernelConfig,
    private readonly frame: bigint[],
  ) {
    super(config);
  }
  override load(vaddr: bigint): bigint {
    this.loads++;
    return this.frame[Number((vaddr - BOOT_INFO_VADDR) / 8n)] ?? 0n;
  }
}

describe.each(["master", "mcs"] as const)("boot info and the tutorials' allocator on %s", (config) => {
  const setup = () => {
    const bi = bootInfo(config);
    const ch = new RootTaskChannel(config, encodeBootInfo(config, bi));
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests call libsel4 functions by name and read any result
    return { bi, ch, sel4: createLibsel4(ch) as Record<string, (...args: unknown[]) => any> };
  };

  it("platsupport_get_bootinfo reads the frame once and returns the same object every time", () => {
    const { bi, ch, sel4 } = setup();
    const info = sel4.platsupport_get_bootinfo();
    expect(info.untypedList).toEqual(bi.untypedList);
    expect([info.empty, info.untyped, info.initThreadCNodeSizeBits, info.numIOPTLevels, info.ipcBuffer]).toEqual([
      bi.empty,
      bi.untyped,
      16,
      -1,
      0x540000,
    ]);
    expect(info.schedcontrol).toEqual(config === "mcs" ? { start: 16, end: 17 } : undefined);
    const loads = ch.loads;
    expect(sel4.platsupport_get_bootinfo()).toBe(info);
    expect(ch.loads).toBe(loads);
  });

  it("alloc_slot hands out info.empty from its start", () => {
    const { sel4 } = setup();
    const info = sel4.platsupport_get_bootinfo();
    expect([sel4.alloc_slot(info), sel4.alloc_slot(info), info.empty.start]).toEqual([400, 401, 402]);
  });

  it("alloc_object retypes from the first RAM untyped with room, skipping device memory", () => {
    const { ch, sel4 } = setup();
    const info = sel4.platsupport_get_bootinfo();
    const invoked: bigint[] = [];
    // The first RAM untyped (slot 342) is full; the next one (343) has room.
    ch.kernel = (regs) => {
      invoked.push(regs[RDI]!);
      regs[RSI] = regs[RDI] === 342n ? BigInt(seL4_NotEnoughMemory) << 12n : 0n;
    };
    const type = objectTypeNumber(config, "Frame4K");
    expect(sel4.alloc_object(info, type, 0)).toBe(400);
    expect(invoked).toEqual([342n, 343n]);
    const { regs } = ch.last;
    expect(regs[RSI]! >> 12n).toBe(BigInt(invocationLabelNumber(config, "UntypedRetype")!));
    // seL4_Untyped_Retype(untyped, type, size_bits, seL4_CapInitThreadCNode, 0, 0, cslot, 1): MR0..3 in registers.
    expect([regs[R10], regs[R8], regs[R9]]).toEqual([BigInt(type), 0n, 0n]);
    expect(info.empty.start).toBe(401);
  });

  it("alloc_object stops the program when no untyped has room", () => {
    const { ch, sel4 } = setup();
    const info = sel4.platsupport_get_bootinfo();
    ch.kernel = (regs) => (regs[RSI] = BigInt(seL4_NotEnoughMemory) << 12n);
    expect(() => sel4.alloc_object(info, objectTypeNumber(config, "TCB"))).toThrow("thread exited");
    expect(ch.printed.join("")).toBe(
      "alloc_object@alloc.c:36 [Cond failed: error == seL4_NotEnoughMemory]\n\tOut of untyped memory\n",
    );
  });
});
