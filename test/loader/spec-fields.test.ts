// Every system.json field, booted: each spec below is resolved, booted into a fresh kernel and
// the kernel's own objects are inspected (on both configurations where the field applies).
// test/authoring/ runs such specs on worker threads; spec-errors covers what a spec may not say.
import { describe, expect, it } from "vitest";
import {
  Kernel,
  type CNodeObj,
  type Cap,
  type KObject,
  type SchedContextObj,
  type TCB,
} from "../../src/kernel/index.js";
import { translate } from "../../src/kernel/arch/vspace.js";
import { maxExtraRefills, MAX_PERIOD_US } from "../../src/kernel/object/schedcontext.js";
import { MIN_BUDGET_US } from "../../src/kernel/kernel/mcstime.js";
import { TCB_CTABLE, TCB_FAULT_HANDLER, TCB_TIMEOUT_HANDLER, TCB_VTABLE } from "../../src/kernel/object/structures.js";
import { lookupCap } from "../../src/kernel/kernel/cspace.js";
import { RSP } from "../../src/abi/registers.js";
import { bootSystem } from "../../src/loader/boot.js";
import { generateCSpaceModule } from "../../src/loader/cspace-module.js";
import { cptrOf, type SystemPlan } from "../../src/loader/plan.js";
import { resolveSystemSpec } from "../../src/loader/spec.js";
import { maxExtraRefillsFor, SC_MAX_PERIOD_US, SC_MIN_BUDGET_US } from "../../src/loader/spec-values.js";

type KernelConfig = "master" | "mcs";
const CONFIGS: KernelConfig[] = ["master", "mcs"];

function booted(config: KernelConfig, spec: object) {
  const plan = resolveSystemSpec("system.json", JSON.stringify({ schemaVersion: 1, ...spec }, null, 2), config);
  const kernel = new Kernel({ config });
  const threads = bootSystem(kernel.boot, plan);
  const obj = <T extends KObject = KObject>(name: string): T => {
    const o = kernel.state.objects.find((x) => x.name === name);
    if (!o) throw new Error(`no object ${name}`);
    return o as T;
  };
  const tcb = (name: string): TCB => threads.find((b) => b.plan.name === name)!.tcb;
  const slot = (cnode: string, i: number): Cap => obj<CNodeObj>(cnode).slots[i]!.cap;
  const module = (thread: string) =>
    generateCSpaceModule(
      plan,
      plan.threads.find((t) => t.name === thread)!,
    );
  return { plan, kernel, obj, tcb, slot, module };
}

const symbolsOf = (plan: SystemPlan, thread: string) =>
  Object.fromEntries(
    plan.threads
      .find((t) => t.name === thread)!
      .caps.filter((c) => c.symbol)
      .map((c) => [c.symbol, c.slot]),
  );

describe.each(CONFIGS)("CNode objects (%s)", (config) => {
  it("any number of them, with radix, caps at declared and explicit slots, and guards on the caps to them", () => {
    const b = booted(config, {
      objects: {
        ep: { type: "Endpoint" },
        top: {
          type: "CNode",
          sizeBits: 3,
          caps: [
            { symbol: "a", object: "ep", rights: "RW" },
            { symbol: "inner_cap", object: "inner", guard: 5, guardSize: 3 },
            { symbol: "far", object: "ep", slot: 6 },
            { symbol: "after_far", object: "ep" },
          ],
        },
        inner: { type: "CNode", sizeBits: 2, guardSize: 10, caps: [{ object: "ep", slot: 3 }] },
        spare: { type: "CNode" },
      },
      threads: {
        t: {
          source: "t.ts",
          caps: [
            { symbol: "top_cap", object: "top" },
            { symbol: "spare_cap", object: "spare" },
          ],
        },
      },
    });
    expect(b.obj<CNodeObj>("top").radix).toBe(3);
    expect(b.obj<CNodeObj>("inner").radix).toBe(2);
    expect(b.obj<CNodeObj>("spare").radix).toBe(2); // capdl_linker's size for an empty CNode
    expect(b.slot("top", 1)).toMatchObject({ type: "Endpoint", rights: 3 });
    expect(b.slot("top", 6)).toMatchObject({ type: "Endpoint" });
    expect(b.slot("top", 7)).toMatchObject({ type: "Endpoint" }); // numbering continues after an explicit slot
    expect(b.slot("top", 2)).toMatchObject({ type: "CNode", guard: 5n, guardSize: 3 });
    expect(b.slot("inner", 3)).toMatchObject({ type: "Endpoint" });
    // A cap without its own guard takes the CNode object's, else guard 0 of 64 - radix bits.
    expect(b.slot("cnode_t", 1)).toMatchObject({ type: "CNode", guard: 0n, guardSize: 61 });
    expect(b.slot("cnode_t", 2)).toMatchObject({ type: "CNode", guard: 0n, guardSize: 62 });
    expect(b.module("t")).toContain('/** slot 1: CNode "top" */');
  });

  it("a thread's root with its own guard: the generated CPtrs carry it", () => {
    const b = booted(config, {
      objects: {
        ep: { type: "Endpoint" },
        root: { type: "CNode", sizeBits: 4, caps: [{ symbol: "ep_cap", object: "ep", rights: "RW" }] },
      },
      threads: { t: { source: "t.ts", cspace: { cnode: "root", guard: "0x2a", guardSize: 8 } } },
    });
    const root = b.tcb("t").slots[TCB_CTABLE]!.cap;
    expect(root).toMatchObject({ type: "CNode", guard: 0x2an, guardSize: 8 });
    const thread = b.plan.threads[0]!;
    // guard 0x2a, slot 1, then 52 zero bits: past 2^53, so the module writes a bigint.
    expect(cptrOf(thread, 1)).toBe(((0x2an << 4n) | 1n) << 52n);
    expect(b.module("t")).toContain(`export const ep_cap = 0x${(((0x2an << 4n) | 1n) << 52n).toString(16)}n;`);
    expect(b.module("t")).toContain("guard is 0x2a of 8 bits");
  });

  it("a guard that makes guard + radix exactly 64 gives small CPtrs with the guard in front", () => {
    const b = booted(config, {
      objects: { ep: { type: "Endpoint" } },
      threads: {
        t: {
          source: "t.ts",
          cnodeSizeBits: 4,
          cspace: { guard: 3, guardSize: 60 },
          caps: [{ symbol: "ep_cap", object: "ep" }],
        },
      },
    });
    expect(b.module("t")).toContain(`export const ep_cap = ${(3 << 4) | 1};`);
  });
});

describe.each(CONFIGS)("shared CSpaces (%s)", (config) => {
  it("several threads with one root CNode: one numbering, every symbol in every module, own TCB caps last", () => {
    const b = booted(config, {
      objects: {
        ep: { type: "Endpoint" },
        shared: { type: "CNode", sizeBits: 4, caps: [{ symbol: "ep_cap", object: "ep", rights: "RWG" }] },
      },
      threads: {
        b: { source: "b.ts", cspace: "shared", caps: [{ symbol: "from_b", object: "ep", rights: "W", badge: 2 }] },
        a: { source: "a.ts", cspace: "shared", caps: [{ symbol: "from_a", object: "ep", rights: "W", badge: 1 }] },
        solo: { source: "solo.ts", cspace: "shared" },
      },
    });
    expect(symbolsOf(b.plan, "a")).toEqual({ ep_cap: 1, from_b: 2, from_a: 3 });
    expect(symbolsOf(b.plan, "b")).toEqual(symbolsOf(b.plan, "a"));
    // own TCB caps in file order after everything declared: b, a, solo
    expect(
      [4, 5, 6].map((i) =>
        b.slot("shared", i).type === "Thread" ? (b.slot("shared", i) as { obj: TCB }).obj.name : null,
      ),
    ).toEqual(["tcb_b", "tcb_a", "tcb_solo"]);
    for (const t of ["a", "b", "solo"]) expect(b.tcb(t).slots[TCB_CTABLE]!.cap).toMatchObject({ obj: b.obj("shared") });
    expect(b.plan.objects.some((o) => o.name === "cnode_a")).toBe(false);
    expect(b.module("a")).toContain("Threads b, solo use the same CNode");
    expect(b.module("a")).toContain('// slot 4: TCB "tcb_b" (thread b\'s own TCB)');
  });

  it("a thread may use another thread's own CNode as its root", () => {
    const b = booted(config, {
      objects: { ep: { type: "Endpoint" } },
      threads: {
        owner: { source: "o.ts", caps: [{ symbol: "ep_cap", object: "ep" }] },
        guest: { source: "g.ts", cspace: "cnode_owner" },
      },
    });
    expect(b.tcb("guest").slots[TCB_CTABLE]!.cap).toMatchObject({ obj: b.obj("cnode_owner") });
    expect(symbolsOf(b.plan, "guest")).toEqual({ ep_cap: 1 });
  });
});

describe.each(CONFIGS)("slot 0: seL4 keeps it null only in the root task's CNode (%s)", (config) => {
  it("a cap at slot 0 of a CNode that is no thread's root, and of a thread's root, where CPtr 0 names it", () => {
    const b = booted(config, {
      objects: {
        ep: { type: "Endpoint" },
        inner: {
          type: "CNode",
          sizeBits: 2,
          caps: [
            { object: "ep", rights: "RW", badge: 5, slot: 0 },
            { object: "ep", rights: "R" },
          ],
        },
      },
      threads: {
        t: {
          source: "t.ts",
          caps: [
            { symbol: "at_zero", object: "inner", slot: 0 },
            { symbol: "next", object: "ep" },
          ],
        },
      },
    });
    expect(b.slot("inner", 0)).toMatchObject({ type: "Endpoint", badge: 5n, rights: 3 });
    // numbering without a "slot" still starts at 1, after slot 0 too
    expect(b.slot("inner", 1)).toMatchObject({ type: "Endpoint", rights: 2 });
    expect(b.slot("cnode_t", 0)).toMatchObject({ type: "CNode", obj: b.obj("inner") });
    expect(b.slot("cnode_t", 1)).toMatchObject({ type: "Endpoint" });
    expect(b.module("t")).toContain("export const at_zero = 0;");
    // The kernel resolves CPtr 0 like any other: through the root to slot 0.
    expect(lookupCap(b.tcb("t"), 0n)).toMatchObject({ type: "CNode", obj: b.obj("inner") });
  });
});

describe.each(CONFIGS)("shared VSpaces (%s)", (config) => {
  it("threads naming one PML4 share its mappings; each gets its own IPC buffer page and stack page", () => {
    const b = booted(config, {
      objects: { data: { type: "Frame4K" }, vs: { type: "PML4" } },
      threads: {
        a: { source: "a.ts", mappings: [{ frame: "data", vaddr: "0x20000000" }] },
        b: { source: "b.ts", vspace: "vspace_a" },
        c: { source: "c.ts", vspace: "vspace_a", ipcBuffer: "0x30000400" },
        lone: { source: "l.ts", vspace: "vs", mappings: [{ frame: "data", vaddr: "0x20000000", rights: "R" }] },
      },
    });
    const ks = b.kernel.state;
    const vspaceOf = (t: string) => (b.tcb(t).slots[TCB_VTABLE]!.cap as { obj: KObject }).obj;
    expect(vspaceOf("b")).toBe(b.obj("vspace_a"));
    expect(vspaceOf("c")).toBe(b.obj("vspace_a"));
    expect(vspaceOf("lone")).toBe(b.obj("vs"));
    expect(b.plan.objects.some((o) => o.name === "vspace_b" || o.name === "vspace_c")).toBe(false);
    // a's mapping is b's and c's too: the same page of memory at the same address
    for (const t of ["a", "b", "c"])
      expect(translate(ks, b.tcb(t), 0x20000010n)).toMatchObject({ paddr: b.obj("data").paddr + 0x10, rights: 3 });
    expect(translate(ks, b.tcb("lone"), 0x20000010n)).toMatchObject({ paddr: b.obj("data").paddr + 0x10, rights: 2 });
    // IPC buffers one page apart (or where the spec says), stacks two pages apart
    expect(b.kernel.ipcBufferAddress(b.tcb("a"))).toBe(b.obj("ipc_buffer_a").paddr);
    expect(translate(ks, b.tcb("a"), 0x10001000n)).toMatchObject({ paddr: b.obj("ipc_buffer_b").paddr });
    expect(b.kernel.ipcBufferAddress(b.tcb("b"))).toBe(b.obj("ipc_buffer_b").paddr);
    expect(b.kernel.ipcBufferAddress(b.tcb("c"))).toBe(b.obj("ipc_buffer_c").paddr + 0x400);
    expect(b.plan.threads.map((t) => t.stackVaddr)).toEqual([
      0x7fffffffe000n,
      0x7fffffffc000n,
      0x7fffffffa000n,
      0x7fffffffe000n,
    ]);
    expect(b.tcb("b").regs[RSP]).toBe(0x7fffffffcf00n);
    expect(translate(ks, b.tcb("a"), 0x7fffffffc000n)).toMatchObject({ paddr: b.obj("stack_b").paddr });
    expect(translate(ks, b.tcb("a"), 0x7fffffffd000n)).toBeNull(); // the page between two stacks
  });
});

describe.each(CONFIGS)("caps to every object the kernel models (%s)", (config) => {
  const mcsOnly = (o: object) => ({ ...o, configs: ["mcs"] });
  it("endpoints and notifications with rights and badges, TCBs, CNodes, VSpaces, paging objects, frames, untyped, ASID pool", () => {
    const b = booted(config, {
      objects: {
        ep: { type: "Endpoint" },
        ntfn: { type: "Notification" },
        ut: { type: "Untyped", sizeBits: 16 },
        f4k: { type: "Frame4K" },
        f2m: { type: "LargePage" },
        pt: { type: "PageTable" },
        pd: { type: "PageDirectory" },
        pdpt: { type: "PDPT" },
        pml4: { type: "PML4" },
        pool: { type: "ASIDPool" },
        reply: mcsOnly({ type: "Reply" }),
        sc: mcsOnly({ type: "SchedContext" }),
        sched_control: mcsOnly({ type: "SchedControl" }),
      },
      threads: {
        t: {
          source: "t.ts",
          caps: [
            { symbol: "ep_badged", object: "ep", rights: "WG", badge: "0xffffffffffffffff" },
            { symbol: "ep_grant_reply", object: "ep", rights: "W", grantReply: true },
            { symbol: "ntfn_cap", object: "ntfn", rights: "W", badge: 12 },
            { symbol: "tcb_cap", object: "tcb_t" },
            { symbol: "vspace_cap", object: "vspace_t" },
            { symbol: "ut_cap", object: "ut" },
            { symbol: "f4k_cap", object: "f4k", rights: "R" },
            { symbol: "f2m_cap", object: "f2m", rights: "RW" },
            { symbol: "pt_cap", object: "pt" },
            { symbol: "pd_cap", object: "pd" },
            { symbol: "pdpt_cap", object: "pdpt" },
            { symbol: "pml4_cap", object: "pml4" },
            { symbol: "pool_cap", object: "pool" },
            mcsOnly({ symbol: "reply_cap", object: "reply", rights: "RWG" }),
            mcsOnly({ symbol: "sc_cap", object: "sc" }),
            mcsOnly({ symbol: "own_sc_cap", object: "sc_t" }),
            mcsOnly({ symbol: "sched_control_cap", object: "sched_control" }),
          ],
        },
      },
    });
    const caps = Array.from({ length: config === "mcs" ? 17 : 13 }, (_, i) => b.slot("cnode_t", i + 1));
    expect(caps.map((c) => c.type)).toEqual([
      "Endpoint",
      "Endpoint",
      "Notification",
      "Thread",
      "PML4",
      "Untyped",
      "Frame",
      "Frame",
      "PageTable",
      "PageDirectory",
      "PDPT",
      "PML4",
      "ASIDPool",
      ...(config === "mcs" ? ["ReplyObject", "SchedContext", "SchedContext", "SchedControl"] : []),
    ]);
    expect(caps[0]).toMatchObject({ badge: 0xffffffffffffffffn, rights: 5 });
    expect(caps[1]).toMatchObject({ badge: 0n, rights: 9 });
    expect(caps[2]).toMatchObject({ badge: 12n, rights: 1 });
    expect(caps[6]).toMatchObject({ rights: 2 });
    expect(caps[7]).toMatchObject({ rights: 3 });
    expect(b.obj("ut")).toMatchObject({ sizeBits: 16 });
    if (config === "mcs") expect(caps[13]).toMatchObject({ canGrant: true });
  });
});

describe.each(CONFIGS)("threads: priority, MCP, fault endpoints (%s)", (config) => {
  it("priority and MCP as given, capDL's 254 otherwise", () => {
    const b = booted(config, { threads: { hi: { source: "h.ts", priority: 200, mcp: 100 }, lo: { source: "l.ts" } } });
    expect(b.tcb("hi")).toMatchObject({ priority: 200, mcp: 100 });
    expect(b.tcb("lo")).toMatchObject({ priority: 254, mcp: 254 });
  });

  it("faultEndpoint by symbol: master keeps the CPtr (guard included), MCS installs the cap", () => {
    const b = booted(config, {
      objects: { ep: { type: "Endpoint" } },
      threads: {
        t: {
          source: "t.ts",
          cspace: { guard: 1, guardSize: 4 },
          cnodeSizeBits: 3,
          caps: [
            { symbol: "x", empty: true },
            { symbol: "fep", object: "ep", rights: "WG", badge: 7 },
          ],
          faultEndpoint: "fep",
        },
      },
    });
    const tcb = b.tcb("t");
    if (config === "master") expect(tcb.faultHandlerCPtr).toBe(((1n << 3n) | 2n) << 57n);
    else expect(tcb.slots[TCB_FAULT_HANDLER]!.cap).toMatchObject({ type: "Endpoint", badge: 7n, obj: b.obj("ep") });
  });

  it("faultEndpoint by CPtr: on master any word, even one that names nothing; on MCS the cap at that CPtr", () => {
    const spec = (fault: unknown) => ({
      objects: { ep: { type: "Endpoint" } },
      threads: { t: { source: "t.ts", caps: [{ symbol: "fep", object: "ep", rights: "RWG" }], faultEndpoint: fault } },
    });
    if (config === "master") {
      expect(booted(config, spec(1)).tcb("t").faultHandlerCPtr).toBe(1n);
      expect(booted(config, spec("0x7ff")).tcb("t").faultHandlerCPtr).toBe(0x7ffn);
    } else {
      expect(booted(config, spec("0x1")).tcb("t").slots[TCB_FAULT_HANDLER]!.cap).toMatchObject({ type: "Endpoint" });
    }
  });
});

describe("MCS scheduling contexts and timeout endpoints", () => {
  it("per-thread SC parameters: budget, period, extra refills, badge", () => {
    const b = booted("mcs", {
      threads: {
        periodic: { source: "p.ts", sc: { budgetUs: 2000, periodUs: 10000, extraRefills: 4, badge: "0x5" } },
        rr: { source: "r.ts", sc: { budgetUs: 500 } },
        plain: { source: "q.ts" },
      },
    });
    expect(b.obj<SchedContextObj>("sc_periodic")).toMatchObject({
      budget: 2_000_000,
      period: 10_000_000,
      maxRefills: 6,
      badge: 5n,
    });
    expect(b.obj<SchedContextObj>("sc_rr")).toMatchObject({ budget: 500_000, period: 0 });
    expect(b.obj<SchedContextObj>("sc_plain")).toMatchObject({ budget: 10_000_000, period: 0 });
    expect(b.tcb("periodic").sc).toBe(b.obj("sc_periodic"));
  });

  it("passive threads have no SC; a named SchedContext object (with its own parameters) can be bound instead", () => {
    const b = booted("mcs", {
      objects: { spare: { type: "SchedContext", sizeBits: 10, budgetUs: 100, periodUs: 1000, extraRefills: 20 } },
      threads: { server: { source: "s.ts", passive: true }, worker: { source: "w.ts", sc: "spare" } },
    });
    expect(b.tcb("server").sc).toBeNull();
    expect(b.plan.objects.some((o) => o.name === "sc_server" || o.name === "sc_worker")).toBe(false);
    expect(b.tcb("worker").sc).toBe(b.obj("spare"));
    expect(b.obj<SchedContextObj>("spare")).toMatchObject({ budget: 100_000, period: 1_000_000, maxRefills: 22 });
  });

  it("a SchedContext object without parameters boots unconfigured: its thread waits for SchedControl_Configure", () => {
    const b = booted("mcs", {
      objects: { idle_sc: { type: "SchedContext" }, busy_sc: { type: "SchedContext", budgetUs: 300, badge: 9 } },
      threads: { late: { source: "l.ts", sc: "idle_sc" }, early: { source: "e.ts", sc: "busy_sc" } },
    });
    expect(b.plan.objects.find((o) => o.name === "idle_sc")!.sc).toBeUndefined();
    expect(b.obj<SchedContextObj>("idle_sc")).toMatchObject({ maxRefills: 0, refills: [], budget: 0 });
    expect(b.obj<SchedContextObj>("busy_sc")).toMatchObject({ budget: 300_000, period: 0, badge: 9n });
    expect(b.tcb("late").sc).toBe(b.obj("idle_sc"));
    b.kernel.boot.start();
    expect(b.kernel.currentThread()).toBe(b.tcb("early"));
    expect(b.tcb("late").inReadyQueue).toBe(false);
  });

  it("SC fields are ignored on master, like passive", () => {
    const b = booted("master", {
      objects: { spare: { type: "SchedContext", configs: ["mcs"] } },
      threads: { a: { source: "a.ts", sc: { budgetUs: 100 } }, b: { source: "b.ts", sc: "spare", passive: false } },
    });
    expect(b.plan.threads.map((t) => t.sc)).toEqual([null, null]);
  });

  it("timeoutEndpoint installs the cap in the TCB on MCS and is ignored on master", () => {
    const spec = {
      objects: { tep: { type: "Endpoint" } },
      threads: {
        t: {
          source: "t.ts",
          caps: [{ symbol: "tep_cap", object: "tep", rights: "RWG", badge: 3 }],
          timeoutEndpoint: "tep_cap",
        },
      },
    };
    expect(booted("mcs", spec).tcb("t").slots[TCB_TIMEOUT_HANDLER]!.cap).toMatchObject({ type: "Endpoint", badge: 3n });
    expect(booted("master", spec).plan.threads[0]!.timeoutEndpoint).toBeNull();
  });

  it("the loader's SC limits are the kernel model's (MIN_BUDGET, MAX_PERIOD) and seL4's refill count", () => {
    expect(SC_MIN_BUDGET_US).toBe(MIN_BUDGET_US);
    expect(BigInt(SC_MAX_PERIOD_US)).toBe(MAX_PERIOD_US);
    // seL4 checks extra_refills + MIN_REFILLS <= refill_absolute_max(sc).
    for (const bits of [8, 10, 12]) expect(maxExtraRefillsFor(bits)).toBe(maxExtraRefills(bits) - 2);
  });
});

describe.each(CONFIGS)("IPC buffers (%s)", (config) => {
  it("at 0x10000000 by default, at a 1 KiB-aligned address of the spec's choosing, or none", () => {
    const b = booted(config, {
      objects: { f: { type: "Frame4K" } },
      threads: {
        plain: { source: "p.ts" },
        moved: { source: "m.ts", ipcBuffer: "0x20000400", mappings: [{ frame: "f", vaddr: "0x20001000" }] },
        bare: { source: "b.ts", ipcBuffer: false },
      },
    });
    const ks = b.kernel.state;
    expect(b.kernel.ipcBufferAddress(b.tcb("plain"))).toBe(translate(ks, b.tcb("plain"), 0x10000000n)!.paddr);
    expect(b.kernel.ipcBufferAddress(b.tcb("moved"))).toBe(b.obj("ipc_buffer_moved").paddr + 0x400);
    expect(translate(ks, b.tcb("moved"), 0x20000000n)).toMatchObject({
      paddr: b.obj("ipc_buffer_moved").paddr,
      rights: 3,
    });
    expect(b.kernel.ipcBufferAddress(b.tcb("bare"))).toBeNull();
    expect(b.plan.objects.some((o) => o.name === "ipc_buffer_bare")).toBe(false);
  });
});

describe.each(CONFIGS)("mappings (%s)", (config) => {
  it("frames of every size mapped with rights, shared between VSpaces, next to the IPC buffer", () => {
    const b = booted(config, {
      objects: { data: { type: "Frame4K" }, ro: { type: "Frame4K" }, big: { type: "LargePage" } },
      threads: {
        a: {
          source: "a.ts",
          mappings: [
            { frame: "data", vaddr: "0x20000000" },
            { frame: "ro", vaddr: "0x20001000", rights: "R" },
            { frame: "big", vaddr: "0x40000000", rights: "RW" },
            { frame: "data", vaddr: "0x10001000", rights: "R" },
          ],
        },
        b: { source: "b.ts", mappings: [{ frame: "data", vaddr: "0x30000000", rights: "R" }] },
      },
    });
    const ks = b.kernel.state;
    const at = (t: string, v: bigint) => translate(ks, b.tcb(t), v);
    expect(at("a", 0x20000008n)).toMatchObject({ paddr: b.obj("data").paddr + 8, rights: 3 });
    expect(at("a", 0x20001000n)).toMatchObject({ rights: 2 });
    expect(at("a", 0x401ff000n)).toMatchObject({ paddr: b.obj("big").paddr + 0x1ff000, rights: 3 });
    expect(at("a", 0x10001000n)).toMatchObject({ paddr: b.obj("data").paddr, rights: 2 });
    expect(at("b", 0x30000000n)).toMatchObject({ paddr: b.obj("data").paddr, rights: 2 });
    expect(at("a", 0x20002000n)).toBeNull();
    expect(at("b", 0x20000000n)).toBeNull();
  });

  it("a mapping's region symbol and the cap that holds it: a mapped frame cap, as the capDL loader leaves it", () => {
    const b = booted(config, {
      objects: { buf: { type: "Frame4K" } },
      threads: {
        consumer: {
          source: "c.ts",
          caps: [
            { symbol: "buf_cap", object: "buf", rights: "RWG" },
            { symbol: "spare_buf_cap", object: "buf", rights: "RW" },
          ],
          mappings: [{ frame: "buf", vaddr: "0x5ff000", symbol: "buf_vaddr", cap: "buf_cap" }],
        },
        producer: { source: "p.ts", mappings: [{ frame: "buf", vaddr: "0x400000", symbol: "buf_vaddr" }] },
      },
    });
    const vspace = b.obj("vspace_consumer");
    expect(b.slot("cnode_consumer", 1)).toMatchObject({
      type: "Frame",
      rights: 3,
      mapping: { vspace, vaddr: 0x5ff000n },
    });
    expect(b.slot("cnode_consumer", 2)).toMatchObject({ type: "Frame", mapping: null });
    expect(b.module("consumer")).toContain(
      '/** Frame4K "buf", RW, through the cap buf_cap */\nexport const buf_vaddr = 0x5ff000;',
    );
    expect(b.module("producer")).toContain("export const buf_vaddr = 0x400000;");
    expect(translate(b.kernel.state, b.tcb("producer"), 0x400000n)).toMatchObject({ paddr: b.obj("buf").paddr });
  });
});
