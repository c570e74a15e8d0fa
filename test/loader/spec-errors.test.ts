// What a system spec may not say: each mistake is reported with the file, line, column and the
// JSON path of the offending entry, before anything is created. (test/authoring/spec-errors-cli
// shows the same reports through the command line.)
import { describe, expect, it } from "vitest";
import { Kernel } from "../../src/kernel/index.js";
import { bootSystem } from "../../src/loader/boot.js";
import { resolveSystemSpec } from "../../src/loader/spec.js";
import { SourceError } from "../../src/tutorial/json-source.js";

type KernelConfig = "master" | "mcs";

const text = (spec: object) => JSON.stringify({ schemaVersion: 1, ...spec }, null, 2);
function errorOf(spec: object, config: KernelConfig = "master"): string {
  try {
    resolveSystemSpec("system.json", text(spec), config);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected the spec to be refused");
}
const ok = (spec: object, config: KernelConfig = "master") => resolveSystemSpec("system.json", text(spec), config);
const thread = (t: object, objects: object = { ep: { type: "Endpoint" } }) => ({
  objects,
  threads: { t: { source: "t.ts", ...t } },
});
const caps = (...list: object[]) => thread({ caps: list });

describe("objects", () => {
  it("unknown type, fields that do not apply, sizes seL4 refuses, typos", () => {
    expect(errorOf({ objects: { x: { type: "Endpiont" } }, threads: { t: {} } })).toMatch(
      /objects\.x\.type: unknown object type "Endpiont" \(one of: .*SchedControl/,
    );
    expect(errorOf({ objects: { x: { type: "Endpoint", sizeBits: 4 } }, threads: { t: {} } })).toMatch(
      /objects\.x\.sizeBits: "sizeBits" does not apply to a Endpoint object: its size is fixed/,
    );
    expect(errorOf({ objects: { x: { type: "Endpoint", caps: [] } }, threads: { t: {} } })).toMatch(
      /objects\.x\.caps: "caps" does not apply to a Endpoint object/,
    );
    expect(errorOf({ objects: { x: { type: "Untyped" } }, threads: { t: {} } })).toMatch(
      /objects\.x\.sizeBits: an Untyped needs "sizeBits"/,
    );
    expect(errorOf({ objects: { x: { type: "Untyped", sizeBits: 3 } }, threads: { t: {} } })).toMatch(
      /objects\.x\.sizeBits: "sizeBits" must be an integer from 4 to 47/,
    );
    expect(errorOf({ objects: { x: { type: "CNode", sizeBits: 17 } }, threads: { t: {} } })).toMatch(
      /"sizeBits" must be an integer from 1 to 16/,
    );
    expect(errorOf({ objects: { x: { type: "CNode", sizebits: 4 } }, threads: { t: {} } })).toMatch(
      /objects\.x\.sizebits: unknown field "sizebits"/,
    );
  });

  it("objects the configuration lacks, unless limited to MCS", () => {
    for (const type of ["Reply", "SchedContext", "SchedControl"]) {
      expect(errorOf({ objects: { x: { type } }, threads: { t: {} } })).toMatch(
        new RegExp(`the master configuration has no ${type} objects; limit the object with "configs": \\["mcs"\\]`),
      );
      expect(() => ok({ objects: { x: { type, configs: ["mcs"] } }, threads: { t: {} } }, "mcs")).not.toThrow();
    }
  });

  it("one SchedControl and one ASID pool", () => {
    expect(errorOf({ objects: { a: { type: "ASIDPool" }, b: { type: "ASIDPool" } }, threads: { t: {} } })).toMatch(
      /objects\.b\.type: the kernel has one ASIDPool; "a" is it already/,
    );
  });

  it("device memory: only Untyped and frames, aligned, outside the simulated RAM, not overlapping", () => {
    const device = (objects: object) => ({ objects, threads: { t: {} } });
    expect(errorOf(device({ x: { type: "Endpoint", paddr: "0xfed00000" } }))).toMatch(
      /objects\.x\.paddr: "paddr" does not apply to a Endpoint object/,
    );
    expect(errorOf(device({ x: { type: "Untyped", sizeBits: 12, paddr: "0xfed00800" } }))).toMatch(
      /objects\.x\.paddr: 0xfed00800 is not aligned to the size of "x" \(0x1000 bytes\)/,
    );
    expect(errorOf(device({ x: { type: "Frame4K", paddr: "0x100000" } }))).toMatch(
      /objects\.x\.paddr: device memory must lie above the simulated RAM \(0x4000000\) and below 0x800000000000/,
    );
    expect(
      errorOf(
        device({
          u: { type: "Untyped", sizeBits: 16, paddr: "0xfed00000" },
          f: { type: "Frame4K", paddr: "0xfed01000" },
        }),
      ),
    ).toMatch(/objects\.f\.paddr: "f" at 0xfed01000 overlaps "u" at 0xfed00000/);
    expect(errorOf(device({ x: { type: "Untyped", sizeBits: 12, paddr: -1 } }))).toMatch(
      /objects\.x\.paddr: "paddr" \(the device memory's physical address\) must be a non-negative integer/,
    );
    // A device region takes no RAM, however large.
    expect(() =>
      ok(device({ x: { type: "Untyped", sizeBits: 30, paddr: "0x40000000" }, ctl: { type: "IRQControl" } })),
    ).not.toThrow();
  });

  it("more memory than the simulated machine has", () => {
    expect(errorOf({ objects: { big: { type: "Untyped", sizeBits: 26 } }, threads: { t: {} } })).toMatch(
      /objects\.big: the objects need 64\.\d\d MiB of physical memory, more than the simulated 64 MiB; the largest is "big" \(Untyped, 2\^26 bytes\)/,
    );
    expect(errorOf({ objects: { huge: { type: "HugePage" } }, threads: { t: {} } })).toMatch(
      /the largest is "huge" \(HugePage, 2\^30 bytes\)/,
    );
  });
});

describe("caps", () => {
  it("a cap to an object that exists only on the other configuration", () => {
    const spec = {
      objects: { r: { type: "Reply", configs: ["mcs"] } },
      threads: { t: { caps: [{ symbol: "x", object: "r" }] } },
    };
    expect(errorOf(spec)).toMatch(
      /threads\.t\.caps\[0\]\.object: object "r" does not exist on the master configuration; limit the cap with the same "configs"/,
    );
    expect(errorOf(caps({ symbol: "x", object: "sc_t" }))).toMatch(
      /"sc_t" is thread t's scheduling context, which exists only on MCS/,
    );
    expect(errorOf({ threads: { t: { passive: true, caps: [{ object: "sc_t" }] } } }, "mcs")).toMatch(
      /thread t is passive: it has no scheduling context "sc_t"/,
    );
  });

  it("bad rights", () => {
    expect(errorOf(caps({ symbol: "x", object: "ep", rights: "RX" }))).toMatch(
      /caps\[0\]\.rights: rights "RX" must be letters from R, W, G, each at most once/,
    );
    expect(errorOf(caps({ symbol: "x", object: "ep", rights: "RR" }))).toMatch(/rights "RR"/);
    expect(errorOf(caps({ symbol: "x", object: "tcb_t", grantReply: true }))).toMatch(
      /caps\[0\]\.grantReply: "grantReply" is an endpoint right; "tcb_t" is a TCB/,
    );
  });

  it("bad badges", () => {
    expect(errorOf(caps({ symbol: "x", object: "ep", badge: -1 }))).toMatch(
      /caps\[0\]\.badge: badge must be a non-negative integer below 2\^64/,
    );
    expect(errorOf(caps({ symbol: "x", object: "ep", badge: "0x10000000000000000" }))).toMatch(
      /caps\[0\]\.badge: badge must be/,
    );
    expect(errorOf(caps({ symbol: "x", object: "ep", badge: 1.5 }))).toMatch(/caps\[0\]\.badge/);
    expect(errorOf(caps({ symbol: "x", object: "tcb_t", badge: 1 }))).toMatch(
      /caps\[0\]\.badge: only endpoint and notification caps carry a badge; "tcb_t" is a TCB/,
    );
  });

  it("bad guards", () => {
    expect(errorOf(caps({ symbol: "x", object: "ep", guard: 0 }))).toMatch(
      /caps\[0\]\.guard: only CNode caps carry a guard; "ep" is a Endpoint/,
    );
    const cn = { ep: { type: "Endpoint" }, cn: { type: "CNode", sizeBits: 8 } };
    expect(errorOf(thread({ caps: [{ symbol: "x", object: "cn", guardSize: 57 }] }, cn))).toMatch(
      /caps\[0\]\.guardSize: guardSize 57 \+ radix 8 is more than 64 bits: at most 56/,
    );
    expect(errorOf(thread({ caps: [{ symbol: "x", object: "cn", guard: 4, guardSize: 2 }] }, cn))).toMatch(
      /caps\[0\]\.guard: guard 0x4 does not fit in guardSize 2 bits/,
    );
    expect(
      errorOf(
        thread(
          { caps: [{ symbol: "x", object: "cn", guard: "0x400000000000000", guardSize: 59 }] },
          { cn: { type: "CNode", sizeBits: 2 } },
        ),
      ),
    ).toMatch(/does not fit in 58 bits \(seL4_GuardBits/);
    expect(errorOf(thread({ cspace: { guardSize: 63 } }))).toMatch(
      /threads\.t\.cspace\.guardSize: guardSize 63 \+ radix 2 is more than 64 bits/,
    );
    expect(
      errorOf({
        objects: { cn: { type: "CNode", sizeBits: 4, guard: 1, guardSize: 0 } },
        threads: { t: { cspace: "cn" } },
      }),
    ).toMatch(/objects\.cn\.guard: guard 0x1 does not fit in guardSize 0 bits/);
  });

  it("slots: negative, too large, taken (also across the threads sharing a CNode), and a CNode too small", () => {
    expect(errorOf(caps({ symbol: "x", object: "ep", slot: -1 }))).toMatch(
      /caps\[0\]\.slot: slot -1 is out of range: slots are numbered from 0/,
    );
    expect(errorOf(caps({ symbol: "x", object: "ep", slot: 70000 }))).toMatch(
      /caps\[0\]\.slot: slot 70000 is out of range: a CNode has at most 2\^16 slots/,
    );
    const shared = {
      objects: { ep: { type: "Endpoint" }, cn: { type: "CNode", sizeBits: 3, caps: [{ symbol: "a", object: "ep" }] } },
      threads: { t: { cspace: "cn", caps: [{ symbol: "b", object: "ep", slot: 1 }] } },
    };
    expect(errorOf(shared)).toMatch(/threads\.t\.caps\[0\]\.slot: slot 1 already holds "a": two caps in one slot/);
    const dup = {
      objects: { ep: { type: "Endpoint" }, cn: { type: "CNode", caps: [{ symbol: "a", object: "ep" }] } },
      threads: { t: { cspace: "cn", caps: [{ symbol: "a", object: "ep" }] } },
    };
    expect(errorOf(dup)).toMatch(/threads\.t\.caps\[0\]\.symbol: symbol "a" is declared twice in CNode cn/);
    const full = {
      objects: { ep: { type: "Endpoint" }, cn: { type: "CNode", sizeBits: 1, caps: [{ symbol: "a", object: "ep" }] } },
      threads: { t: { cspace: "cn" } },
    };
    expect(errorOf(full)).toMatch(
      /objects\.cn\.sizeBits: slot 2 \(thread t's own TCB cap\) is out of range for a CNode of 1 bits/,
    );
    expect(errorOf(thread({ cnodeSizeBits: 16, caps: [{ object: "ep", slot: 65535 }] }))).toMatch(
      /threads\.t\.cnodeSizeBits: slot 65536 \(thread t's own TCB cap\) is out of range/,
    );
  });

  it("an empty slot has nothing but a symbol", () => {
    expect(errorOf(caps({ symbol: "x", empty: true, rights: "RW" }))).toMatch(
      /caps\[0\]\.rights: an empty slot holds no cap, so it has no "rights"/,
    );
  });
});

describe("threads", () => {
  it("CSpace roots", () => {
    expect(errorOf(thread({ cspace: "nope" }))).toMatch(
      /threads\.t\.cspace: unknown object "nope": the CSpace root must be a CNode object/,
    );
    expect(errorOf(thread({ cspace: { cnode: "ep" } }))).toMatch(
      /threads\.t\.cspace\.cnode: "ep" is a Endpoint, not a CNode/,
    );
    expect(errorOf({ objects: { cn: { type: "CNode" } }, threads: { t: { cspace: "cn", cnodeSizeBits: 4 } } })).toMatch(
      /threads\.t\.cnodeSizeBits: "cnodeSizeBits" sizes the thread's own CNode; its CSpace root is "cn", so give that object a "sizeBits"/,
    );
    expect(
      errorOf({ objects: { cn: { type: "CNode" } }, threads: { t: { cspace: "cn", caps: [{ object: "cnode_t" }] } } }),
    ).toMatch(/thread t has no "cnode_t": its CSpace root is "cn"/);
  });

  it("VSpace roots: a PML4 that exists, and one page per IPC buffer and stack among the threads that share it", () => {
    expect(errorOf(thread({ vspace: "nope" }))).toMatch(
      /threads\.t\.vspace: unknown object "nope": the VSpace root must be a PML4 object/,
    );
    expect(errorOf(thread({ vspace: "ep" }))).toMatch(/threads\.t\.vspace: "ep" is a Endpoint, not a PML4/);
    expect(errorOf({ threads: { t: { vspace: "vspace_u", caps: [{ object: "vspace_t" }] }, u: {} } })).toMatch(
      /thread t has no "vspace_t": its VSpace is "vspace_u"/,
    );
    expect(errorOf({ threads: { t: {}, u: { vspace: "vspace_t", ipcBuffer: "0x10000400" } } })).toMatch(
      /threads\.u\.ipcBuffer: thread u's IPC buffer at 0x10000000 overlaps thread t's IPC buffer at 0x10000000/,
    );
    const frames = { objects: { f: { type: "Frame4K" } } };
    expect(
      errorOf({
        ...frames,
        threads: {
          t: { mappings: [{ frame: "f", vaddr: "0x20000000" }] },
          u: { vspace: "vspace_t", mappings: [{ frame: "f", vaddr: "0x20000000" }] },
        },
      }),
    ).toMatch(/threads\.u\.mappings\[0\]\.vaddr: a Frame4K at 0x20000000 overlaps "f" at 0x20000000/);
    expect(
      errorOf({
        ...frames,
        threads: { t: { mappings: [{ frame: "f", vaddr: "0x10001000" }] }, u: { vspace: "vspace_t" } },
      }),
    ).toMatch(/threads\.t\.mappings\[0\]\.vaddr: a Frame4K at 0x10001000 overlaps thread u's IPC buffer at 0x10001000/);
    expect(errorOf({ ...frames, threads: { t: { mappings: [{ frame: "f", vaddr: "0x7fffffffe000" }] } } })).toMatch(
      /a Frame4K at 0x7fffffffe000 overlaps thread t's stack at 0x7fffffffe000/,
    );
  });

  it("a mapping's symbol and cap", () => {
    const spec = (
      mapping: object,
      caps: object[] = [
        { symbol: "f_cap", object: "f", rights: "R" },
        { symbol: "g_cap", object: "g", rights: "RW" },
      ],
    ) => ({
      objects: { f: { type: "Frame4K" }, g: { type: "Frame4K" } },
      threads: { t: { caps, mappings: [{ frame: "f", vaddr: "0x20000000", ...mapping }] } },
    });
    expect(errorOf(spec({ symbol: "f_cap" }))).toMatch(
      /threads\.t\.mappings\[0\]\.symbol: symbol "f_cap" is already a name in the thread's cspace module/,
    );
    expect(errorOf(spec({ cap: "nope" }))).toMatch(
      /threads\.t\.mappings\[0\]\.cap: "nope" is not one of the caps in the thread's CSpace root \(cnode_t\)/,
    );
    expect(errorOf(spec({ cap: "g_cap" }))).toMatch(
      /mappings\[0\]\.cap: the mapping's cap must be a cap to "f"; "g_cap" is a cap to "g" \(Frame4K\)/,
    );
    expect(errorOf(spec({ cap: "f_cap" }))).toMatch(
      /mappings\[0\]\.cap: the mapping's rights RW are more than "f_cap" has \(R\)/,
    );
    const twice = {
      objects: { f: { type: "Frame4K" } },
      threads: {
        t: {
          caps: [{ symbol: "f_cap", object: "f", rights: "RW" }],
          mappings: [
            { frame: "f", vaddr: "0x20000000", cap: "f_cap" },
            { frame: "f", vaddr: "0x30000000", cap: "f_cap" },
          ],
        },
      },
    };
    expect(errorOf(twice)).toMatch(
      /mappings\[1\]\.cap: "f_cap" already holds the mapping at 0x20000000: a frame cap maps one page/,
    );
  });

  it("fault endpoints", () => {
    expect(errorOf(thread({ faultEndpoint: "nope" }))).toMatch(
      /threads\.t\.faultEndpoint: "nope" is not one of the caps in thread t's CSpace root \(cnode_t\)/,
    );
    expect(errorOf(thread({ faultEndpoint: -3 }))).toMatch(
      /"faultEndpoint" must be the symbol of a cap in the thread's CSpace, or a CPtr/,
    );
    // master looks the CPtr up when the thread faults, so an empty slot is allowed; MCS needs the cap.
    const empty = thread({ caps: [{ symbol: "x", empty: true }], faultEndpoint: "x" });
    expect(() => ok(empty, "master")).not.toThrow();
    expect(errorOf(empty, "mcs")).toMatch(
      /threads\.t\.faultEndpoint: on MCS the loader installs the fault endpoint cap itself, and "x" names no cap in cnode_t/,
    );
    expect(errorOf(thread({ caps: [{ symbol: "x", object: "ep", rights: "RW" }], faultEndpoint: "x" }), "mcs")).toMatch(
      /on MCS a fault endpoint must be an endpoint cap with Write and Grant or GrantReply \(as seL4_TCB_SetSpace checks\); "x" is an endpoint cap without them/,
    );
    expect(
      errorOf(
        thread(
          { caps: [{ symbol: "x", object: "n", rights: "RW" }], faultEndpoint: "x" },
          { n: { type: "Notification" } },
        ),
        "mcs",
      ),
    ).toMatch(/"x" is a Notification cap/);
    expect(errorOf(thread({ caps: [{ symbol: "x", object: "ep" }], timeoutEndpoint: "x" }), "mcs")).toMatch(
      /threads\.t\.timeoutEndpoint: on MCS a timeout endpoint must be/,
    );
  });

  it("scheduling contexts", () => {
    expect(errorOf(thread({ sc: { budgetUs: 2000, periodUs: 1000 } }), "mcs")).toMatch(
      /threads\.t\.sc\.budgetUs: budget 2000 µs is longer than the period 1000 µs/,
    );
    expect(errorOf(thread({ sc: { budgetUs: 10 } }), "mcs")).toMatch(
      /threads\.t\.sc\.budgetUs: "budgetUs" must be an integer number of microseconds from 20 \(MIN_BUDGET_US\)/,
    );
    expect(errorOf(thread({ sc: { budgetUs: 100, extraRefills: 7 } }), "mcs")).toMatch(
      /threads\.t\.sc\.extraRefills: "extraRefills" must be an integer from 0 to 6/,
    );
    expect(errorOf(thread({ sc: { budget: 100 } }), "mcs")).toMatch(/threads\.t\.sc\.budget: unknown field "budget"/);
    expect(errorOf(thread({ passive: true, sc: { budgetUs: 100 } }), "mcs")).toMatch(
      /threads\.t\.sc: a passive thread has no scheduling context/,
    );
    expect(errorOf(thread({ sc: 5 }), "mcs")).toMatch(/threads\.t\.sc: expected an object/);
    expect(errorOf(thread({ sc: "ep" }), "mcs")).toMatch(/threads\.t\.sc: "ep" is a Endpoint, not a SchedContext/);
    expect(errorOf({ objects: { s: { type: "SchedContext", periodUs: 1000 } }, threads: { t: {} } }, "mcs")).toMatch(
      /objects\.s: a SchedContext configured by the loader needs "budgetUs"/,
    );
    const twice = {
      objects: { s: { type: "SchedContext", configs: ["mcs"] } },
      threads: { a: { sc: "s" }, b: { sc: "s" } },
    };
    expect(errorOf(twice, "mcs")).toMatch(/threads\.b\.sc: "s" is already thread a's scheduling context/);
  });

  it("IPC buffers", () => {
    expect(errorOf(thread({ ipcBuffer: "0x10000100" }))).toMatch(
      /threads\.t\.ipcBuffer: "ipcBuffer" must be false \(no IPC buffer\) or a 1 KiB-aligned user address/,
    );
    expect(errorOf(thread({ ipcBuffer: true }))).toMatch(/threads\.t\.ipcBuffer: "ipcBuffer" must be false/);
    expect(errorOf(thread({ ipcBuffer: false, caps: [{ object: "ipc_buffer_t" }] }))).toMatch(
      /thread t has no IPC buffer \("ipcBuffer": false\)/,
    );
    expect(
      errorOf(
        thread(
          { ipcBuffer: "0x20000c00", mappings: [{ frame: "f", vaddr: "0x20000000" }] },
          { f: { type: "Frame4K" } },
        ),
      ),
    ).toMatch(/mappings\[0\]\.vaddr: a Frame4K at 0x20000000 overlaps thread t's IPC buffer at 0x20000000/);
  });

  it("mappings", () => {
    const frames = {
      f: { type: "Frame4K" },
      g: { type: "Frame4K" },
      big: { type: "LargePage" },
      ep: { type: "Endpoint" },
    };
    const map = (...m: object[]) => errorOf(thread({ mappings: m }, frames));
    expect(map({ frame: "f", vaddr: "0x20000008" })).toMatch(
      /mappings\[0\]\.vaddr: 0x20000008 is not aligned to the size of a Frame4K \(0x1000 bytes\)/,
    );
    expect(map({ frame: "big", vaddr: "0x20001000" })).toMatch(
      /0x20001000 is not aligned to the size of a LargePage \(0x200000 bytes\)/,
    );
    expect(map({ frame: "f", vaddr: "0x800000000000" })).toMatch(/0x800000000000 is outside the user address space/);
    expect(map({ frame: "f", vaddr: "0x10000000" })).toMatch(
      /mappings\[0\]\.vaddr: a Frame4K at 0x10000000 overlaps thread t's IPC buffer/,
    );
    expect(map({ frame: "f", vaddr: "0x20000000" }, { frame: "big", vaddr: "0x20000000" })).toMatch(
      /mappings\[1\]\.vaddr: a LargePage at 0x20000000 overlaps "f" at 0x20000000/,
    );
    expect(map({ frame: "ep", vaddr: "0x20000000" })).toMatch(/mappings\[0\]\.frame: "ep" is a Endpoint, not a frame/);
    expect(map({ frame: "f", vaddr: 12 })).toMatch(/mappings\[0\]\.vaddr: 0xc is not aligned/);
    expect(map({ frame: "f", vaddr: "here" })).toMatch(/mappings\[0\]\.vaddr: "vaddr" must be a user virtual address/);
    expect(map({ frame: "f", vaddr: "0x503000" })).toMatch(
      /mappings\[0\]\.vaddr: a Frame4K at 0x503000 overlaps the program's data segment at 0x500000/,
    );
  });

  it("mapping symbols: identifiers, each name once in the thread's cspace module", () => {
    const frames = { f: { type: "Frame4K" }, g: { type: "Frame4K" }, ep: { type: "Endpoint" } };
    const at = (m: object[], caps: object[] = []) => errorOf(thread({ mappings: m, caps }, frames));
    expect(at([{ frame: "f", vaddr: "0x20000000", symbol: "ep" }], [{ symbol: "ep", object: "ep" }])).toMatch(
      /mappings\[0\]\.symbol: symbol "ep" is already a name in the thread's cspace module/,
    );
    expect(
      at([
        { frame: "f", vaddr: "0x20000000", symbol: "a" },
        { frame: "g", vaddr: "0x20001000", endSymbol: "a" },
      ]),
    ).toMatch(/mappings\[1\]\.endSymbol: symbol "a" is already a name/);
    expect(at([{ frame: "f", vaddr: "0x20000000", symbol: "not-a-name" }])).toMatch(/mappings\[0\]\.symbol: /);
  });
});

describe("boot-time refusals", () => {
  it("name the spec entry that asked for them", () => {
    const plan = ok({ objects: { ut: { type: "Untyped", sizeBits: 20 } }, threads: { t: {} } });
    plan.objects.find((o) => o.name === "ut")!.sizeBits = 30; // more than the kernel below has
    const kernel = new Kernel({ config: "master", memoryBytes: 4 << 20 });
    let error: unknown;
    try {
      bootSystem(kernel.boot, plan);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SourceError);
    expect((error as Error).message).toMatch(
      /^system\.json:4:11: objects\.ut: the loader could not boot this: out of simulated physical memory/,
    );
  });
});
