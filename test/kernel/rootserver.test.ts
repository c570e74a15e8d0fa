// The root task as seL4 boots it (src/kernel/boot.c, src/arch/x86/kernel/boot.c): the boot info
// the kernel writes must describe exactly what is in the root CNode, and the untypeds must cover
// the free memory once each, aligned, with nothing overlapping.
import { describe, expect, it } from "vitest";
import {
  CONFIG_ROOT_CNODE_SIZE_BITS,
  InitialSlot,
  Kernel,
  PC99_PHYS_MEMORY_BYTES,
  seL4_NumInitialCaps,
  type Cap,
  type CNodeObj,
  type RootServer,
} from "../../src/kernel/index.js";
import { decodeBootInfo } from "../../src/abi/bootinfo.js";
import {
  KERNEL_IMAGE,
  MSI_REGION,
  PADDR_USER_DEVICE_TOP,
  PC99_MEMORY_MAP,
  USER_IMAGE,
} from "../../src/kernel/arch/pc99.js";
import { translate } from "../../src/kernel/arch/vspace.js";
import { createObject } from "../../src/kernel/object/create.js";

const CONFIGS = ["master", "mcs"] as const;

function boot(config: (typeof CONFIGS)[number]): { k: Kernel; rs: RootServer } {
  const k = new Kernel({ config, memoryBytes: PC99_PHYS_MEMORY_BYTES });
  return { k, rs: k.boot.rootServer() };
}

const capIn = (cnode: CNodeObj, slot: number): Cap => cnode.slots[slot]!.cap;
const slotsOf = (r: { start: number; end: number }) => Array.from({ length: r.end - r.start }, (_, i) => r.start + i);

describe.each(CONFIGS)("root task boot on %s", (config) => {
  it("puts the fixed caps at seL4's slot numbers", () => {
    const { rs } = boot(config);
    const type = (slot: number) => capIn(rs.cnode, slot).type;
    expect(type(0)).toBe("Null");
    expect(type(InitialSlot.TCB)).toBe("Thread");
    expect(type(InitialSlot.CNode)).toBe("CNode");
    expect(type(InitialSlot.VSpace)).toBe("PML4");
    expect(type(InitialSlot.IRQControl)).toBe("IRQControl");
    expect(type(InitialSlot.ASIDControl)).toBe("ASIDControl");
    expect(type(InitialSlot.ASIDPool)).toBe("ASIDPool");
    expect(type(InitialSlot.IOPortControl)).toBe("IOPortControl");
    expect(type(InitialSlot.IOSpace)).toBe("Null"); // no IOMMU
    expect(type(InitialSlot.BootInfoFrame)).toBe("Frame");
    expect(type(InitialSlot.IPCBuffer)).toBe("Frame");
    expect(type(InitialSlot.Domain)).toBe("Domain");
    expect(type(InitialSlot.SMMUSIDControl)).toBe("Null");
    expect(type(InitialSlot.SMMUCBControl)).toBe("Null");
    expect(type(InitialSlot.InitThreadSC)).toBe(config === "mcs" ? "SchedContext" : "Null");
    expect(type(InitialSlot.SMC)).toBe("Null");
    const tcbCap = capIn(rs.cnode, InitialSlot.TCB);
    expect(tcbCap.type === "Thread" && tcbCap.obj).toBe(rs.tcb);
  });

  it("gives the root CNode 2^16 slots and a guard that makes a CPtr of depth seL4_WordBits resolve", () => {
    const { rs } = boot(config);
    expect(rs.cnode.slots.length).toBe(2 ** 16);
    expect(rs.bootInfo.initThreadCNodeSizeBits).toBe(CONFIG_ROOT_CNODE_SIZE_BITS);
    const cap = capIn(rs.cnode, InitialSlot.CNode);
    expect(cap.type === "CNode" && [cap.obj, cap.guard, cap.guardSize]).toEqual([rs.cnode, 0n, 48]);
    const cspace = rs.tcb.slots[0]!.cap;
    expect(cspace.type === "CNode" && cspace.obj).toBe(rs.cnode);
  });

  it("starts the root task as seL4 does: priority 255, boot info address in its cap register, named rootserver", () => {
    const { k, rs } = boot(config);
    expect([rs.tcb.name, rs.tcb.priority, rs.tcb.mcp]).toEqual(["rootserver", 255, 255]);
    expect(rs.tcb.regs[5]).toBe(rs.bootInfoVAddr); // RDI, capRegister
    expect(rs.tcb.ipcBufferVAddr).toBe(rs.bootInfo.ipcBuffer);
    if (config === "mcs") {
      const sc = capIn(rs.cnode, InitialSlot.InitThreadSC);
      expect(sc.type === "SchedContext" && sc.obj).toBe(rs.tcb.sc);
      expect(rs.tcb.sc!.budget).toBe(5_000_000);
    }
    k.boot.start();
    expect(k.currentThread()).toBe(rs.tcb);
  });

  it("writes the boot info into the boot info frame, mapped where the cap register says", () => {
    const { k, rs } = boot(config);
    const mapped = translate(k.state, rs.tcb, rs.bootInfoVAddr)!;
    const frameCap = capIn(rs.cnode, InitialSlot.BootInfoFrame);
    expect(frameCap.type === "Frame" && frameCap.obj.paddr).toBe(mapped.paddr);
    const read = decodeBootInfo(config, (i) => k.state.mem64[mapped.paddr / 8 + i]!);
    expect(read).toEqual(rs.bootInfo);
  });

  it("every region's slots hold what the region says, and every other slot is empty", () => {
    const { rs } = boot(config);
    const bi = rs.bootInfo;
    const seen = new Set<number>();
    const expectRegion = (r: { start: number; end: number }, check: (cap: Cap, slot: number) => void) => {
      for (const s of slotsOf(r)) {
        expect(seen.has(s), `slot ${s} is in two regions`).toBe(false);
        seen.add(s);
        check(capIn(rs.cnode, s), s);
      }
    };
    expect(bi.schedcontrol === null).toBe(config === "master");
    if (bi.schedcontrol) {
      expect(bi.schedcontrol).toEqual({ start: seL4_NumInitialCaps, end: seL4_NumInitialCaps + 1 });
      expectRegion(bi.schedcontrol, (cap) => expect(cap.type).toBe("SchedControl"));
    }
    const paging = slotsOf(bi.userImagePaging).map((s) => capIn(rs.cnode, s).type);
    expect(paging).toEqual(["PDPT", "PageDirectory", "PageTable"]);
    expectRegion(bi.userImagePaging, (cap) =>
      expect(cap.type !== "Null" && "obj" in cap && (cap.obj as { mappedIn: unknown }).mappedIn).toBeTruthy(),
    );
    expect(bi.userImageFrames.end - bi.userImageFrames.start).toBe(USER_IMAGE.pages);
    expectRegion(bi.userImageFrames, (cap, s) => {
      expect(cap.type).toBe("Frame");
      if (cap.type === "Frame")
        expect(cap.mapping?.vaddr).toBe(USER_IMAGE.vaddr + BigInt((s - bi.userImageFrames.start) * 4096));
    });
    expectRegion(bi.extraBIPages, (cap) => expect(cap.type === "Frame" && cap.mapping !== null).toBe(true));
    expectRegion(bi.untyped, (cap, s) => {
      const desc = bi.untypedList[s - bi.untyped.start]!;
      expect(cap.type).toBe("Untyped");
      if (cap.type === "Untyped")
        expect([cap.obj.paddr, cap.obj.sizeBits, cap.obj.isDevice]).toEqual([desc.paddr, desc.sizeBits, desc.isDevice]);
    });
    expect(bi.untypedList.length).toBe(bi.untyped.end - bi.untyped.start);
    expect(bi.empty).toEqual({ start: bi.untyped.end, end: 2 ** 16 });
    expect(slotsOf(bi.empty).filter((s) => capIn(rs.cnode, s).type !== "Null")).toEqual([]);
    for (const r of [bi.sharedFrames, bi.ioSpaceCaps]) expect(r.end - r.start).toBe(0);
    // Everything in between the fixed caps and the empty region belongs to exactly one region.
    for (let s = seL4_NumInitialCaps; s < bi.empty.start; s++)
      expect(seen.has(s), `slot ${s} is in no region`).toBe(true);
  });

  it("the untypeds are aligned, do not overlap, and cover all free memory exactly once", () => {
    const { rs } = boot(config);
    const list = rs.bootInfo.untypedList;
    for (const u of list) expect(u.paddr % 2 ** u.sizeBits, `untyped at 0x${u.paddr.toString(16)}`).toBe(0);
    for (const u of list) expect(u.sizeBits).toBeGreaterThanOrEqual(4);
    for (const u of list) expect(u.sizeBits).toBeLessThanOrEqual(47);
    const sorted = [...list].sort((a, b) => a.paddr - b.paddr);
    for (let i = 1; i < sorted.length; i++)
      expect(sorted[i]!.paddr).toBeGreaterThanOrEqual(sorted[i - 1]!.paddr + 2 ** sorted[i - 1]!.sizeBits);
    // Free memory: RAM above 1 MiB minus the images and the root server's objects, plus the
    // kernel's boot code; device memory: everything else up to 2^47 but RAM and the MSI window.
    const covered = (device: boolean) =>
      list.filter((u) => u.isDevice === device).reduce((n, u) => n + 2 ** u.sizeBits, 0);
    const ram = PC99_MEMORY_MAP.filter((e) => e.usable && e.start >= 0x100000).reduce((n, e) => n + e.end - e.start, 0);
    const images = KERNEL_IMAGE.end - KERNEL_IMAGE.start + USER_IMAGE.pages * 4096;
    const rootServerBytes = 2 ** 21 + 2 ** 11 + 4 * 4096 + 4096 + 3 * 4096 + (config === "mcs" ? 128 : 0);
    // Pieces below 2^seL4_MinUntypedBits are lost; our regions end page-aligned except after the SC (MCS).
    expect(covered(false)).toBe(ram - images - rootServerBytes + (KERNEL_IMAGE.bootEnd - KERNEL_IMAGE.start));
    const device = PADDR_USER_DEVICE_TOP - ram - (MSI_REGION.end - MSI_REGION.start);
    expect(covered(true)).toBe(device - 8); // [0xfffffff0, 0xfffffff8) is below 2^4 bytes and left out
    // Untypeds never cover a root server object or an image page.
    for (const u of list) {
      for (const obj of [rs.tcb, rs.cnode]) {
        expect(obj.paddr + 2 ** obj.sizeBits <= u.paddr || u.paddr + 2 ** u.sizeBits <= obj.paddr).toBe(true);
      }
    }
  });

  it("lists device untypeds first, then the kernel's boot code, then free RAM (create_untypeds)", () => {
    const { rs } = boot(config);
    const list = rs.bootInfo.untypedList;
    const firstRam = list.findIndex((u) => !u.isDevice);
    expect(list.slice(0, firstRam).every((u) => u.isDevice)).toBe(true);
    expect(list.slice(firstRam).every((u) => !u.isDevice)).toBe(true);
    expect(list[0]).toEqual({ paddr: 0, sizeBits: 20, isDevice: true });
    expect(list[firstRam]!.paddr).toBe(KERNEL_IMAGE.start);
  });

  it("a frame retyped from device memory beyond the simulated RAM is not cleared; nothing answers there", () => {
    const { k, rs } = boot(config);
    const high = rs.bootInfo.untypedList.find((u) => u.isDevice && u.paddr >= PC99_PHYS_MEMORY_BYTES)!;
    const { obj } = createObject(k.state, "LargePage", high.paddr, 21, "device_frame");
    expect(obj.paddr).toBe(high.paddr);
    expect(k.state.physRead(high.paddr / 8)).toBe(2n ** 64n - 1n);
  });

  it("is the same on every boot", () => {
    expect(boot(config).rs.bootInfo).toEqual(boot(config).rs.bootInfo);
  });
});
