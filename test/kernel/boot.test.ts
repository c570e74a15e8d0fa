// The boot interface the capDL-like loader drives: spec errors are reported as clear Errors
// before anything runs, and what it builds is what seL4's own invocations would have built.
import { describe, expect, it } from "vitest";
import { Kernel, type CNodeObj, type FrameObj, type PagingObj, type TCB } from "../../src/kernel/index.js";
import * as registers from "../../src/abi/registers.js";
import { faultLabel } from "../../src/abi/constants.js";
import { sys } from "../support/in-process.js";
import { CONFIGS, faultMsg, faultSystem, msgOf, recvOn, restartPC, type Msg } from "./fault-support.js";

const newKernel = (config: "master" | "mcs") => new Kernel({ config, memoryBytes: 8 * 1024 * 1024 });

describe.each(CONFIGS)("boot interface spec errors on %s", (config) => {
  it("insertCap outside the CNode or into a full slot", () => {
    const k = newKernel(config);
    const cn = k.boot.createObject("CNode", { name: "root", sizeBits: 3 }) as CNodeObj;
    const ep = k.boot.createObject("Endpoint", { name: "ep" });
    const ntfn = k.boot.createObject("Notification", { name: "ntfn" });
    expect(() => k.boot.insertCap(cn, 8, k.boot.cap(ep))).toThrow("slot 8 is outside CNode 'root' (slots 0..7)");
    expect(() => k.boot.insertCap(cn, -1, k.boot.cap(ep))).toThrow(RangeError);
    expect(() => k.boot.insertCap(cn, 1.5, k.boot.cap(ep))).toThrow(RangeError);
    k.boot.insertCap(cn, 2, k.boot.cap(ep));
    expect(() => k.boot.insertCap(cn, 2, k.boot.cap(ntfn))).toThrow(
      "slot 2 of CNode 'root' already holds a Endpoint cap (to 'ep'); cannot put a Notification cap there",
    );
  });

  it("objects the configuration does not have, and sizes seL4 would refuse", () => {
    const k = newKernel(config);
    if (config === "master") {
      expect(() => k.boot.createObject("SchedContext", { name: "sc" })).toThrow(
        "object 'sc': SchedContext objects exist only on the MCS kernel",
      );
      expect(() => k.boot.createObject("Reply", { name: "r" })).toThrow("exist only on the MCS kernel");
    } else {
      expect(() => k.boot.createObject("SchedContext", { name: "sc", sizeBits: 6 })).toThrow(
        "below seL4_MinSchedContextBits (7)",
      );
    }
    expect(() => k.boot.createObject("CNode", { name: "cn", sizeBits: 0 })).toThrow(
      "CNode 'cn': radix 0 is outside 1..59",
    );
    expect(() => k.boot.createObject("Untyped", { name: "ut", sizeBits: 3 })).toThrow(
      "untyped 'ut': size 3 bits is outside 4..47",
    );
  });

  it("a CNode guard that does not fit in 64 bits with the radix", () => {
    const k = newKernel(config);
    const cn = k.boot.createObject("CNode", { name: "root", sizeBits: 4 }) as CNodeObj;
    expect(() => k.boot.cap(cn, { guardSize: 61 })).toThrow("CNode 'root': guard size 61 + radix 4 exceeds 64");
  });

  it("mapFrame: misaligned, outside the user half, or over an existing mapping", () => {
    const k = newKernel(config);
    const vs = k.boot.createObject("PML4", { name: "vs" }) as PagingObj;
    const f = k.boot.createObject("Frame4K", { name: "f" }) as FrameObj;
    const g = k.boot.createObject("Frame4K", { name: "g" }) as FrameObj;
    expect(() => k.boot.mapFrame(vs, f, 0x1008n, 3)).toThrow(
      "frame 'f' (2^12 bytes) cannot be mapped at 0x1008: not aligned",
    );
    expect(() => k.boot.mapFrame(vs, f, 0x800000000000n, 3)).toThrow("outside the user address space");
    k.boot.mapFrame(vs, f, 0x1000n, 3);
    expect(() => k.boot.mapFrame(vs, g, 0x1000n, 3)).toThrow("vaddr 0x1000 is already mapped");
  });

  it("fault handlers: master takes a CPtr, MCS an endpoint cap that can send and grant", () => {
    const k = newKernel(config);
    const tcb = k.boot.createObject("TCB", { name: "t" }) as TCB;
    const ep = k.boot.createObject("Endpoint", { name: "ep" });
    if (config === "master") {
      expect(() => k.boot.setFaultHandler(tcb, k.boot.cap(ep))).toThrow("master fault endpoints are CPtrs");
      k.boot.setFaultHandler(tcb, 5n);
      expect(tcb.faultHandlerCPtr).toBe(5n);
      expect(() => k.boot.setTimeoutHandler(tcb, k.boot.cap(ep))).toThrow("timeout endpoints exist only on MCS");
    } else {
      expect(() => k.boot.setFaultHandler(tcb, 5n)).toThrow("MCS fault endpoints are caps, not CPtrs");
      expect(() => k.boot.setFaultHandler(tcb, k.boot.cap(ep, { rights: 0b0011 }))).toThrow(
        "TCB 't': a fault endpoint must be an endpoint cap with Write and Grant or GrantReply",
      );
      k.boot.setFaultHandler(tcb, k.boot.cap(ep, { rights: 0b1001, badge: 3 }));
      expect(tcb.slots[3]!.cap).toMatchObject({ type: "Endpoint", badge: 3n, rights: 0b1001 });
    }
  });

  it("an IPC buffer must be 1 KiB aligned; null removes it", () => {
    const k = newKernel(config);
    const tcb = k.boot.createObject("TCB", { name: "t" }) as TCB;
    const f = k.boot.createObject("Frame4K", { name: "f" }) as FrameObj;
    expect(() => k.boot.setIPCBuffer(tcb, { frame: f, vaddr: 0x1200n })).toThrow(
      "TCB 't': IPC buffer address 0x1200 is not 1 KiB aligned",
    );
    k.boot.setIPCBuffer(tcb, { frame: f, vaddr: 0x1400n });
    expect(k.ipcBufferAddress(tcb)).toBe(f.paddr + 0x400);
    k.boot.setIPCBuffer(tcb, null);
    expect(k.ipcBufferAddress(tcb)).toBeNull();
  });

  it("a thread configured twice is refused", () => {
    const k = newKernel(config);
    const tcb = k.boot.createObject("TCB", { name: "t" }) as TCB;
    const cn = k.boot.createObject("CNode", { name: "cn", sizeBits: 2 }) as CNodeObj;
    k.boot.configureThread(tcb, { cspace: k.boot.cap(cn, { guardSize: 62 }) });
    expect(() => k.boot.configureThread(tcb, { cspace: k.boot.cap(cn, { guardSize: 62 }) })).toThrow(
      "TCB 't' slot 0 is already configured",
    );
  });
});

describe.each(CONFIGS)("what boot builds on %s", (config) => {
  it("a new thread's registers are zero except RFLAGS = 0x202 (Arch_initContext)", () => {
    const k = newKernel(config);
    const tcb = k.boot.createObject("TCB", { name: "t" }) as TCB;
    expect(tcb.regs[registers.FLAGS]).toBe(0x202n);
    expect([...tcb.regs.slice(0, registers.FLAGS)].every((r) => r === 0n)).toBe(true);
  });

  it("a fault handler set at boot receives the thread's faults, with the cap's badge", () => {
    const s = faultSystem(config, { badges: [0x42] });
    const seen: Msg[] = [];
    s.program("faulter", function* () {
      yield sys.recv(9);
    });
    s.program("handler", function* () {
      seen.push(msgOf(yield recvOn(config)));
    });
    s.run(["faulter", "handler"]);
    expect(seen).toEqual([faultMsg(faultLabel(config, "CapFault"), [restartPC(s.tcb("faulter")), 9, 1, 2, 0], 0x42)]);
  });
});
