import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateCSpaceModule } from "../../src/loader/cspace-module.js";
import { cnodeRadixFor } from "../../src/loader/plan.js";
import { loadSystemSpec, resolveSystemSpec } from "../../src/loader/spec.js";
import { BUILTIN_TUTORIALS_DIR } from "../../src/tutorial/catalogue.js";

const FAULT_HANDLERS = join(BUILTIN_TUTORIALS_DIR, "fault-handlers", "system.json");
const slots = (plan: ReturnType<typeof loadSystemSpec>, thread: string) =>
  plan.threads.find((t) => t.name === thread)!.caps.map((c) => [c.slot, c.symbol, c.object]);

describe("system spec: slot numbering as the capDL tooling does it", () => {
  it("numbers the faulter's and handler's caps as the official tutorial (sel4-tutorials §3.1)", () => {
    const plan = loadSystemSpec(FAULT_HANDLERS, "master");
    expect(slots(plan, "faulter")).toEqual([
      [1, "sequencing_ep_cap", "sequencing_ep"],
      [2, "local_badged_faulter_fault_ep_empty_cap", null],
      [3, "faulter_empty_cap", null],
      [4, null, "tcb_faulter"],
    ]);
    expect(slots(plan, "handler")).toEqual([
      [1, "sequencing_ep_cap", "sequencing_ep"],
      [2, "faulter_fault_ep_cap", "faulter_fault_ep"],
      [3, "handler_cspace_root", "cnode_handler"],
      [4, "badged_faulter_fault_ep_cap", null],
      [5, "faulter_tcb_cap", "tcb_faulter"],
      [6, "faulter_vspace_root", "vspace_faulter"],
      [7, "faulter_cspace_root", "cnode_faulter"],
      [8, null, "tcb_handler"],
    ]);
    expect(plan.threads.map((t) => [t.name, t.radix, t.priority, t.mcp, t.sc])).toEqual([
      ["faulter", 3, 254, 254, null],
      ["handler", 4, 254, 254, null],
    ]);
    const handlerCaps = plan.threads[1]!.caps;
    expect(handlerCaps[0]!.rights).toBe(3); // RW, no grant
    expect(handlerCaps[1]!.rights).toBe(7);
    expect(plan.objects.some((o) => o.type === "Reply")).toBe(false);
  });

  it("adds the handler's reply object on MCS only, after the official slots, and an SC per thread", () => {
    const plan = loadSystemSpec(FAULT_HANDLERS, "mcs");
    expect(slots(plan, "handler").slice(6)).toEqual([
      [7, "faulter_cspace_root", "cnode_faulter"],
      [8, "reply", "handler_reply"],
      [9, null, "tcb_handler"],
    ]);
    expect(slots(plan, "faulter")).toEqual(slots(loadSystemSpec(FAULT_HANDLERS, "master"), "faulter"));
    expect(plan.threads.map((t) => t.sc)).toEqual(["sc_faulter", "sc_handler"]);
    expect(plan.objects.find((o) => o.name === "sc_handler")).toMatchObject({ type: "SchedContext", sizeBits: 8 });
  });

  it("computes CNode radix like capdl_linker", () => {
    expect([1, 2, 3, 4, 7, 8, 9, 16].map(cnodeRadixFor)).toEqual([2, 2, 2, 3, 3, 4, 4, 5]);
  });

  it("generates the cspace module with the cap symbols as constants", () => {
    const plan = loadSystemSpec(FAULT_HANDLERS, "master");
    const text = generateCSpaceModule(plan, plan.threads[0]!);
    expect(text).toContain("export const faulter_empty_cap = 3;");
    expect(text).toContain('// slot 4: TCB "tcb_faulter" (the thread\'s own TCB');
  });

  it("exports a mapping's first address and the address after it, as capDL's region symbols", () => {
    const plan = resolveSystemSpec(
      "system.json",
      JSON.stringify({
        schemaVersion: 1,
        objects: { stack: { type: "Frame4K" }, buf: { type: "Frame4K" } },
        threads: {
          t: {
            mappings: [
              { frame: "stack", vaddr: "0x511000", symbol: "stack_base", endSymbol: "stack_top" },
              { frame: "buf", vaddr: "0x512000", rights: "R", symbol: "buf" },
            ],
          },
        },
      }),
      "master",
    );
    const text = generateCSpaceModule(plan, plan.threads[0]!);
    expect(text).toContain('/** Frame4K "stack", RW */\nexport const stack_base = 0x511000;');
    expect(text).toContain('/** Frame4K "stack", RW: the address just after it */\nexport const stack_top = 0x512000;');
    expect(text).toContain('/** Frame4K "buf", R */\nexport const buf = 0x512000;');
  });
});

describe("system spec errors, reported before anything runs", () => {
  const spec = (threads: object, objects: object = { ep: { type: "Endpoint" } }) =>
    JSON.stringify({ schemaVersion: 1, objects, threads }, null, 2);
  const errorOf = (text: string, config: "master" | "mcs" = "master"): string => {
    try {
      resolveSystemSpec("sys.json", text, config);
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error("expected an error");
  };

  it("unknown object", () => {
    const msg = errorOf(spec({ a: { source: "a.ts", caps: [{ symbol: "x", object: "nope" }] } }));
    expect(msg).toMatch(/^sys\.json:\d+:\d+: threads\.a\.caps\[0\]\.object: unknown object "nope"/);
  });

  it("two caps in one slot", () => {
    const msg = errorOf(
      spec({
        a: {
          source: "a.ts",
          caps: [
            { symbol: "x", object: "ep" },
            { symbol: "y", object: "ep", slot: 1 },
          ],
        },
      }),
    );
    expect(msg).toMatch(/threads\.a\.caps\[1\]\.slot: slot 1 already holds "x": two caps in one slot/);
  });

  it("slot out of range", () => {
    expect(errorOf(spec({ a: { source: "a.ts", caps: [{ symbol: "x", object: "ep", slot: -1 }] } }))).toMatch(
      /caps\[0\]\.slot: slot -1 is out of range/,
    );
    expect(
      errorOf(spec({ a: { source: "a.ts", cnodeSizeBits: 2, caps: [{ symbol: "x", object: "ep", slot: 5 }] } })),
    ).toMatch(/caps\[0\]: slot 5 \("x"\) is out of range for a CNode of 2 bits/);
  });

  it("an object type the configuration lacks", () => {
    const text = spec({ a: { source: "a.ts" } }, { r: { type: "Reply" } });
    expect(errorOf(text, "master")).toMatch(/objects\.r\.type: the master configuration has no Reply objects/);
    expect(() => resolveSystemSpec("sys.json", text, "mcs")).not.toThrow();
  });

  it("points at the line of the offending entry", () => {
    const text = spec({
      a: {
        source: "a.ts",
        caps: [
          { symbol: "x", object: "ep" },
          { symbol: "x", object: "ep" },
        ],
      },
    });
    const line =
      text
        .split("\n")
        .findIndex(
          (l, i, all) => l.includes('"symbol": "x"') && all.slice(0, i).some((p) => p.includes('"symbol": "x"')),
        ) + 1;
    expect(errorOf(text)).toContain(`sys.json:${line}:`);
  });

  it("collects several errors in one report", () => {
    const msg = errorOf(
      spec({ a: { source: "a.ts", priority: 300, caps: [{ symbol: "x", object: "nope", rights: "RX" }] } }),
    );
    expect(msg.split("\n").length).toBeGreaterThanOrEqual(3);
  });
});
