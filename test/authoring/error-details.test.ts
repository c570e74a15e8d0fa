// After an invocation fails, seL4_GetMR(i) reads the error's detail words, as libsel4 makes it
// (the stubs copy MR0..3 from registers into the IPC buffer; the kernel writes the rest there).
// Real worker threads, booted from a spec, on both kernels.
import { describe, expect, it } from "vitest";
import { runSpec } from "./spec-runner.js";

const SOURCE = `
import {
  printf, seL4_GetMR, seL4_SetMR, seL4_CNode_Copy, seL4_CNode_Delete, seL4_TCB_SetPriority,
  seL4_Untyped_Retype, seL4_AllRights, seL4_WordBits, seL4_CapTableObject,
} from "sel4";
import { cnode_cap, flat_cnode_cap, tcb_cap, ut_cap, ep_cap } from "./cspace_t";

/** Prints the error and its first \`words\` detail MRs, after filling the MRs with junk so that stale words would show. */
function report(what: string, words: number, call: () => number): void {
  for (let i = 0; i < 6; i++) seL4_SetMR(i, 0xdead);
  const error = call();
  let line = what + ": error " + error + ", MRs";
  for (let i = 0; i < words; i++) line += " " + seL4_GetMR(i);
  printf("%s\\n", line);
}

export function main(): number {
  // Source depth 3 is shorter than the root cap's 60-bit guard: GuardMismatch.
  report("guard", 5, () => seL4_CNode_Copy(cnode_cap, 10, seL4_WordBits, cnode_cap, 1, 3, seL4_AllRights));
  // A guardless cap to the same 4-bit CNode, depth 2: DepthMismatch on the destination.
  report("depth", 4, () => seL4_CNode_Delete(flat_cnode_cap, 1, 2));
  // Our MCP is 100.
  report("range", 2, () => seL4_TCB_SetPriority(tcb_cap, tcb_cap, 200));
  report("argument 0", 1, () => seL4_Untyped_Retype(ut_cap, 9999, 0, cnode_cap, 0, 0, 10, 1));
  report("argument 1", 1, () => seL4_Untyped_Retype(ut_cap, seL4_CapTableObject, 0, cnode_cap, 0, 0, 10, 1));
  // The source root is an endpoint: InvalidRoot.
  report("root", 2, () => seL4_CNode_Copy(cnode_cap, 10, seL4_WordBits, ep_cap, 1, seL4_WordBits, seL4_AllRights));
  // The authority (extra cap 1) is not a TCB.
  report("capability", 1, () => seL4_TCB_SetPriority(tcb_cap, ep_cap, 10));
  return 0;
}
`;

const SPEC = {
  schemaVersion: 1,
  objects: { ep: { type: "Endpoint" }, ut: { type: "Untyped", sizeBits: 14 } },
  threads: {
    t: {
      source: "t.ts",
      mcp: 100,
      cnodeSizeBits: 4,
      caps: [
        { symbol: "cnode_cap", object: "cnode_t" },
        { symbol: "flat_cnode_cap", object: "cnode_t", guardSize: 0 },
        { symbol: "tcb_cap", object: "tcb_t" },
        { symbol: "ut_cap", object: "ut" },
        { symbol: "ep_cap", object: "ep", rights: "RW" },
      ],
    },
  },
};

describe.each(["master", "mcs"] as const)("error detail words through seL4_GetMR (%s)", (config) => {
  it("failed lookups, range bounds, argument and cap numbers", { timeout: 120_000 }, async () => {
    const r = await runSpec(config, { system: SPEC, sources: { "t.ts": SOURCE } });
    const lines = r.output.split("\n").filter((l) => l.includes(": error "));
    // seL4_FailedLookup 6: MR0 = 1 for the source lookup, MR1 = lookup failure type (GuardMismatch 4,
    // DepthMismatch 3, InvalidRoot 1), then bitsLeft and guard found / bits found; GuardMismatch's 5th word (the
    // guard size, 60) lives past the register MRs. RangeError 4: min, max. InvalidArgument 1 and
    // InvalidCapability 2: the index.
    expect(lines).toEqual([
      "guard: error 6, MRs 1 4 3 0 60",
      "depth: error 6, MRs 0 3 2 4",
      "range: error 4, MRs 0 100",
      "argument 0: error 1, MRs 0",
      "argument 1: error 1, MRs 1",
      "root: error 6, MRs 1 1",
      "capability: error 2, MRs 1",
    ]);
    expect(r.outcome).toBe("finished");
  });
});
